"""The pending journal replays into a real database exactly once, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from stretchcoach.adapters.pending_file import PendingFile
from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.tables import hold_form, holds, pain_entries, sessions
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.form.metrics import Fault, HoldForm
from stretchcoach.domain.journal import PainContext
from stretchcoach.domain.routine import Routine, choose_settings
from stretchcoach.domain.runner import HoldResult
from stretchcoach.domain.session import Hold
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services.pain import new_pain_entry
from stretchcoach.services.safekeeping import (
    FeltKept,
    HoldKept,
    PainKept,
    PendingEntry,
    SessionBegun,
    SessionEnded,
    replay,
)
from stretchcoach.services.sessions import get_session, new_session
from stretchcoach.services.users import ensure_local_user

NOW = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = open_store(store_url)
    yield engine
    engine.dispose()


def a_session(routine: Routine, user: str) -> list[PendingEntry]:
    session = new_session(
        routine, choose_settings(routine, reps_per_side=1), user_id=user, now=NOW, time_zone="UTC"
    )
    entries: list[PendingEntry] = [SessionBegun(session)]
    for n, side in ((1, Side.LEFT), (2, Side.RIGHT)):
        hold = Hold.from_result(
            session.id, HoldResult(n, side, 30.0, 30.0, True), NOW + timedelta(seconds=45 * n)
        )
        form = HoldForm(side, 0.0, 30.0, 29.0, 117.5, 172.0, {Fault.BACK_ROUNDED: 1})
        entries += [HoldKept(hold, form), FeltKept(session.id, hold.id, Felt.PULL)]
    rating = new_pain_entry(
        3,
        frozenset(),
        user_id=user,
        now=NOW,
        time_zone="UTC",
        context=PainContext.AFTER,
        session_id=session.id,
    )
    entries += [PainKept(rating), SessionEnded(session.id, SessionStatus.COMPLETED, NOW)]
    return entries


def counts(engine: Engine) -> tuple[int, int, int, int]:
    with engine.connect() as c:
        return tuple(  # type: ignore[return-value]
            c.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (sessions, holds, hold_form, pain_entries)
        )


def test_a_journal_replayed_twice_writes_each_record_once(
    engine: Engine, tmp_path: Path, routine: Routine
) -> None:
    uow = SqlUnitOfWork(engine)
    user = ensure_local_user(uow=uow, now=NOW)
    journal = PendingFile(tmp_path / "pending.jsonl", "test")
    entries = a_session(routine, user)
    for entry in entries:
        journal.append(entry)
    kept = journal.path.read_bytes()

    first = replay(journal, uow=uow)
    journal.path.write_bytes(kept)  # as if the process died after the commit, before emptying
    second = replay(journal, uow=uow)
    third = replay(journal, uow=uow)

    assert len(first) == len(second) == len(entries) and third == []
    assert counts(engine) == (1, 2, 2, 1)
    session = get_session(entries[0].session.id, uow=uow)  # type: ignore[union-attr]
    assert session.status is SessionStatus.COMPLETED
    assert [h.felt for h in session.holds] == [Felt.PULL, Felt.PULL]


def test_doctor_names_what_waits_without_taking_it(tmp_path: Path, routine: Routine) -> None:
    import json
    import os
    import subprocess
    import sys

    from stretchcoach.config import APP_NAME

    url = f"sqlite:///{tmp_path / 'stretchcoach.db'}"
    data_home = tmp_path / "data"
    journal = PendingFile.for_database(url, data_home / APP_NAME)
    env = {
        "PATH": "/usr/bin:/bin",
        "STRETCHCOACH_DATABASE_URL": url,
        "STRETCHCOACH_SPEECH": "off",
        "XDG_DATA_HOME": str(data_home),
    } | {k: v for k, v in os.environ.items() if k == "PYTHONPATH"}
    exits = []

    def doctor() -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-m", "stretchcoach", "doctor", "--json"],
            env=env,
            capture_output=True,
            text=True,
        )
        exits.append(done.returncode)
        waiting: dict[str, object] = json.loads(done.stdout)["waiting"]
        return waiting

    assert doctor() == {"ok": True, "detail": "nothing waits to be saved", "count": 0}
    for entry in a_session(routine, "local"):
        journal.append(entry)

    found = doctor()

    assert exits == [0, 1]  # not "ok" while anything waits
    assert found["ok"] is False and found["count"] == 7
    assert str(found["detail"]).startswith(
        "A session, 2 holds, how 2 holds felt, a pain rating and a session's end kept on "
        f"this computer in {journal.location}"
    )
    assert len(journal.waiting()) == 7  # looking took nothing


def test_one_line_the_store_refuses_is_set_aside_and_blocks_nothing(
    engine: Engine, tmp_path: Path, routine: Routine
) -> None:
    uow = SqlUnitOfWork(engine)
    user = ensure_local_user(uow=uow, now=NOW)
    journal = PendingFile(tmp_path / "pending.jsonl", "test")
    lost = a_session(routine, user)  # its session never reached this database
    orphan = lost[1]
    entries = a_session(routine, user)
    for entry in [orphan, *entries]:
        journal.append(entry)
    with journal.path.open("a") as file:
        file.write('{"kind": "hold", "record": {"id": "half a line"\n')

    saved = replay(journal, uow=uow)
    again = replay(journal, uow=uow)

    assert len(saved) == len(entries) and again == []
    assert counts(engine) == (1, 2, 2, 1)
    aside = journal.aside()
    assert [(a.waiting.entry is not None, a.why.split(" (")[0]) for a in aside] == [
        (True, "its session is not in the database"),
        (False, "this line cannot be read"),
    ]
    assert aside[0].waiting.entry == orphan
    assert journal.lines() == []


def test_a_different_hold_with_the_same_number_is_set_aside_not_saved_over(
    engine: Engine, tmp_path: Path, routine: Routine
) -> None:
    uow = SqlUnitOfWork(engine)
    user = ensure_local_user(uow=uow, now=NOW)
    journal = PendingFile(tmp_path / "pending.jsonl", "test")
    entries = a_session(routine, user)
    for entry in entries:
        journal.append(entry)
    replay(journal, uow=uow)
    first = entries[1]
    assert isinstance(first, HoldKept)
    other = HoldKept(
        Hold.from_result(first.hold.session_id, HoldResult(1, Side.LEFT, 30.0, 12.0, False), NOW)
    )
    journal.append(other)

    saved = replay(journal, uow=uow)

    assert saved == []
    assert [a.why for a in journal.aside()] == ["its session already has a different hold 1"]
    assert counts(engine) == (1, 2, 2, 1)
