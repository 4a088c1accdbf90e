"""A session's records are saved, or kept safe until the store answers, never lost or doubled."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from stretchcoach.adapters.pending_file import PendingFile
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.form.metrics import Fault, HoldForm
from stretchcoach.domain.journal import PainContext, parse_sites
from stretchcoach.domain.routine import Routine, choose_settings
from stretchcoach.domain.runner import HoldResult
from stretchcoach.domain.session import Hold, Owner
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import PendingUnwritable
from stretchcoach.services.pain import new_pain_entry
from stretchcoach.services.safekeeping import (
    FeltKept,
    HoldKept,
    Kept,
    PainKept,
    PendingEntry,
    SafeKeeper,
    SessionBegun,
    SessionEnded,
    describe,
    replay,
)
from stretchcoach.services.sessions import new_session
from stretchcoach.testing import FailingUnitOfWork, MemoryPendingJournal

NOW = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
DISK_FULL = "database or disk is full"
GONE = "connection refused: is the server running?"


def session_records(routine: Routine) -> tuple[SessionBegun, list[HoldKept]]:
    session = new_session(
        routine,
        choose_settings(routine, reps_per_side=2),
        user_id="local",
        now=NOW,
        time_zone="Europe/London",
        owner=Owner("laptop", 4242),
    )
    holds = [
        HoldKept(
            Hold.from_result(
                session.id,
                HoldResult(n, Side.LEFT if n % 2 else Side.RIGHT, 30.0, 30.0, completed=True),
                ended_at=NOW + timedelta(seconds=45 * n),
            )
        )
        for n in range(1, 5)
    ]
    return SessionBegun(session), holds


def stored_holds(uow: FailingUnitOfWork, session_id: str) -> list[int]:
    with uow:
        return sorted(h.hold_number for h in uow.sessions.get(session_id).holds)


def test_a_hold_is_saved_only_when_its_commit_succeeds(routine: Routine) -> None:
    uow, journal = FailingUnitOfWork(), MemoryPendingJournal()
    keeper = SafeKeeper(uow, journal)
    begun, holds = session_records(routine)

    assert keeper.keep(begun) is Kept.SAVED
    assert keeper.keep(holds[0]) is Kept.SAVED
    uow.down = DISK_FULL
    assert keeper.keep(holds[1]) is Kept.WAITING

    assert stored_holds(uow, begun.session.id) == [1]
    assert journal.entries == [holds[1]]
    assert "database or disk is full" in keeper.store_problem


@pytest.mark.parametrize("fault", [DISK_FULL, GONE], ids=["disk full", "server gone"])
def test_holds_kept_while_the_store_is_down_are_saved_once_when_it_answers(
    routine: Routine, fault: str
) -> None:
    uow, journal = FailingUnitOfWork(), MemoryPendingJournal()
    keeper = SafeKeeper(uow, journal)
    begun, holds = session_records(routine)
    keeper.keep(begun)
    keeper.keep(holds[0])

    uow.down = fault  # from the second hold to after the end
    outcomes = [keeper.keep(h) for h in holds[1:]]
    outcomes.append(keeper.keep(FeltKept(begun.session.id, holds[1].hold.id, Felt.NERVE)))
    outcomes.append(keeper.keep(SessionEnded(begun.session.id, SessionStatus.COMPLETED, NOW)))
    uow.down = None
    keeper.settle()
    keeper.settle()  # a second chance changes nothing

    assert outcomes == [Kept.WAITING] * 5
    assert stored_holds(uow, begun.session.id) == [1, 2, 3, 4]
    with uow:
        session = uow.sessions.get(begun.session.id)
    assert session.status is SessionStatus.COMPLETED
    assert [h.felt for h in sorted(session.holds, key=lambda h: h.hold_number)] == [
        None,
        Felt.NERVE,
        None,
        None,
    ]
    assert journal.entries == [] and keeper.waiting == []
    assert describe(keeper.replayed) == "3 holds, how a hold felt and a session's end"
    assert describe(keeper.replayed, numbers=True) == (
        "holds 2, 3, 4, how a hold felt and a session's end"
    )


def test_a_full_disk_keeps_records_in_memory_and_says_so(routine: Routine) -> None:
    uow, journal = FailingUnitOfWork(), MemoryPendingJournal()
    keeper = SafeKeeper(uow, journal)
    begun, holds = session_records(routine)
    keeper.keep(begun)
    uow.down, journal.full = DISK_FULL, True

    kept = keeper.keep(holds[0])
    problem = keeper.journal_problem
    journal.full = False  # space again on this computer, still none for the database
    later = keeper.keep(holds[1])

    assert kept is Kept.IN_MEMORY
    assert "No space left on device" in problem
    assert later is Kept.WAITING
    assert journal.entries == [holds[0], holds[1]]  # in order, the memory first
    assert keeper.in_memory == []


def test_replay_twice_after_a_crash_before_emptying_the_journal_adds_nothing_twice(
    routine: Routine,
) -> None:
    uow, journal = FailingUnitOfWork(), MemoryPendingJournal()
    begun, holds = session_records(routine)
    journal.entries = [begun, *holds, SessionEnded(begun.session.id, SessionStatus.STOPPED, NOW)]
    copy_of = list(journal.entries)

    replay(journal, uow=uow)
    journal.entries = copy_of  # as if the process died between the commit and the emptying
    replay(journal, uow=uow)

    assert stored_holds(uow, begun.session.id) == [1, 2, 3, 4]
    assert uow.sessions.list_recent("local")[0].status is SessionStatus.STOPPED


def every_kind(routine: Routine) -> list[PendingEntry]:
    begun, holds = session_records(routine)
    form = HoldForm(Side.LEFT, 1.0, 31.0, 29.5, 118.25, 171.0, {Fault.KNEE_BENT: 2})
    pain = new_pain_entry(
        6,
        parse_sites("left:thigh,left:calf"),
        user_id="local",
        now=NOW,
        time_zone="Europe/London",
        context=PainContext.BEFORE,
        session_id=begun.session.id,
    )
    return [
        begun,
        HoldKept(holds[0].hold, form),
        holds[1],
        FeltKept(begun.session.id, holds[0].hold.id, Felt.PULL),
        PainKept(pain),
        SessionEnded(begun.session.id, SessionStatus.COMPLETED, NOW + timedelta(minutes=5)),
    ]


def comparable(entry: PendingEntry) -> object:
    if isinstance(entry, SessionBegun):
        s = entry.session
        return (s.id, s.started_at, s.settings, s.owner, s.time_zone, s.status)
    return entry


def test_the_journal_file_reads_back_every_kind_of_record_as_written(
    tmp_path: Path, routine: Routine
) -> None:
    journal = PendingFile.for_database(f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "data")
    entries = every_kind(routine)

    for entry in entries:
        journal.append(entry)
    read = journal.lines()
    assert [comparable(line.entry) for line in read] == [comparable(e) for e in entries]
    assert journal.path.stat().st_mode & 0o777 == 0o600
    journal.remove(read)
    assert journal.lines() == []


def test_each_database_has_its_own_journal(tmp_path: Path) -> None:
    one = PendingFile.for_database(f"sqlite:///{tmp_path / 'a.db'}", tmp_path)
    other = PendingFile.for_database("postgresql://me:secret@db:5432/clinic", tmp_path)
    same = PendingFile.for_database("postgresql://me:other@db:5432/clinic", tmp_path)

    assert one.path != other.path
    assert other.path == same.path  # the password is not part of which database it is
    assert one.path.parent == tmp_path and one.path.name.startswith("pending-")


def test_a_journal_that_fails_leaves_no_half_line_and_says_why(
    tmp_path: Path, routine: Routine
) -> None:
    """A real full disk: a file-size limit stops the write half-way, in a child process."""
    journal = PendingFile.for_database("sqlite:///x.db", tmp_path)
    journal.append(every_kind(routine)[0])
    limit = journal.path.stat().st_size + 60  # room for part of the next line only
    script = f"""
import resource, signal, sys, uuid
from datetime import UTC, datetime
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
from stretchcoach.adapters.pending_file import PendingFile
from stretchcoach.domain.values import SessionStatus
from stretchcoach.errors import PendingUnwritable
from stretchcoach.services.safekeeping import SessionEnded
from pathlib import Path
journal = PendingFile.for_database("sqlite:///x.db", Path({str(tmp_path)!r}))
ended = SessionEnded(str(uuid.uuid4()), SessionStatus.COMPLETED, datetime.now(UTC))
try:
    journal.append(ended)
except PendingUnwritable as error:
    print(error)
    sys.exit(3)
"""
    child = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert child.returncode == 3, child.stderr
    assert "File too large" in child.stdout
    assert journal.path.read_bytes().endswith(b"\n")
    assert len(journal.lines()) == 1


def test_an_unwritable_journal_is_one_clear_error(tmp_path: Path, routine: Routine) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    journal = PendingFile.for_database("sqlite:///x.db", blocker)

    with pytest.raises(PendingUnwritable, match=r"^cannot write '.*pending-.*\.jsonl': "):
        journal.append(every_kind(routine)[0])


def test_unreadable_lines_are_set_aside_not_dropped(tmp_path: Path, routine: Routine) -> None:
    journal = PendingFile.for_database("sqlite:///x.db", tmp_path)
    uow = FailingUnitOfWork()
    journal.append(every_kind(routine)[0])
    with journal.path.open("ab") as file:
        file.write(b'{"kind": "hold", "record": {"id": "nope"}}\n')

    replayed = replay(journal, uow=uow)

    assert len(replayed) == 1
    assert [a.waiting.line for a in journal.aside()] == [
        '{"kind": "hold", "record": {"id": "nope"}}'
    ]
    assert "cannot be read" in journal.aside()[0].why
    assert not journal.path.exists()


def test_a_record_the_store_refuses_for_good_is_set_aside_and_blocks_nothing(
    routine: Routine,
) -> None:
    uow, journal = FailingUnitOfWork(), MemoryPendingJournal()
    keeper = SafeKeeper(uow, journal)
    begun, holds = session_records(routine)

    orphan = keeper.keep(holds[0])  # its session was never kept
    after = [keeper.keep(entry) for entry in (begun, holds[1])]

    assert orphan is Kept.SET_ASIDE
    assert after == [Kept.SAVED, Kept.SAVED]
    assert [(a.waiting.entry, a.why) for a in journal.aside()] == [
        (holds[0], "its session is not in the database")
    ]
    assert keeper.set_aside == [(holds[0], "its session is not in the database")]
    assert stored_holds(uow, begun.session.id) == [2]


def test_a_waiting_record_refused_on_replay_is_set_aside_and_the_rest_saved(
    routine: Routine,
) -> None:
    uow, journal = FailingUnitOfWork(), MemoryPendingJournal()
    _never_kept, holds = session_records(routine)
    other_begun, _ = session_records(routine)
    for entry in (holds[0], other_begun, *holds[1:]):  # their own session never made it
        journal.append(entry)
    journal.unreadable.append("{half a line")

    saved = replay(journal, uow=uow)

    assert saved == [other_begun]
    assert len(journal.aside()) == 5
    assert {a.why for a in journal.aside()} == {
        "its session is not in the database",
        "this line cannot be read",
    }
    assert journal.lines() == []


def test_set_aside_holds_come_back_with_their_session_made_again(routine: Routine) -> None:
    from stretchcoach.services.set_aside import aside_line, restore

    uow, journal = FailingUnitOfWork(), MemoryPendingJournal()
    begun, holds = session_records(routine)
    ended = SessionEnded(begun.session.id, SessionStatus.COMPLETED, NOW + timedelta(minutes=4))
    for entry in (*holds[1:], ended):  # the session and hold 1 went with a restored backup
        journal.append(entry)
    replay(journal, uow=uow)
    line = aside_line(journal)

    done = restore(journal, uow=uow, user_id="local", routine=routine, time_zone="Europe/London")

    assert line is not None and line.startswith(
        "Set aside on this computer, not in the database: 3 holds and a session's end (its "
        "session is not in the database), in memory://pending.set-aside."
    )
    assert [s.id for s in done.remade] == [begun.session.id]
    assert len(done.saved) == 4 and done.still == []
    assert journal.aside() == [] and aside_line(journal) is None
    assert stored_holds(uow, begun.session.id) == [2, 3, 4]
    with uow:
        remade = uow.sessions.get(begun.session.id)
    assert remade.status is SessionStatus.COMPLETED
    assert remade.settings.hold_s == 30.0 and remade.settings.reps_per_side == 2
    assert remade.started_at < holds[1].hold.ended_at
