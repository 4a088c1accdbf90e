"""The summary the store keeps of each person gives the very verdict and figures their rows
give, after every kind of write, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from stretchcoach.adapters.store import summaries
from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlRows, SqlUnitOfWork
from stretchcoach.domain.adherence import MorningWindow, habit
from stretchcoach.domain.attention import figures_at
from stretchcoach.domain.clinical import STOP_CODES, assess
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.form.metrics import HoldForm
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.preferences import default_preferences
from stretchcoach.domain.routine import Routine, choose_settings
from stretchcoach.domain.safety import BOTH_LEGS, QUESTIONS, SCREEN_VERSION
from stretchcoach.domain.screening import Acknowledgement, ScreenResult, episodes
from stretchcoach.domain.session import Hold, Session, new_id
from stretchcoach.domain.user import Role, User
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services import clinic
from stretchcoach.services.clinic import KnownStatuses
from stretchcoach.services.clinical import load_history

START = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
ZONES = ("UTC", "Europe/London", "America/New_York", "Pacific/Auckland")
SITES = (
    "",
    "left:lower-back",
    "left:thigh",
    "left:calf,left:thigh",
    "right:foot",
    "left:thigh,right:calf",
)
CODES = [q.code for q in QUESTIONS] + list(STOP_CODES) + [BOTH_LEGS]


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = open_store(store_url)
    yield engine
    engine.dispose()


# -- what a person does, at random -------------------------------------------------------------

moments = st.integers(min_value=0, max_value=21 * 24 * 60).map(
    lambda m: START + timedelta(minutes=m)
)
writes = st.one_of(
    st.tuples(
        st.just("session"),
        moments,
        st.sampled_from(ZONES),
        st.sampled_from(
            [SessionStatus.COMPLETED, SessionStatus.STOPPED, SessionStatus.IN_PROGRESS]
        ),
        st.booleans(),  # practice
        st.lists(st.sampled_from([None, Felt.PULL, Felt.NERVE]), min_size=0, max_size=4),
    ),
    st.tuples(
        st.just("pain"),
        moments,
        st.integers(0, 10),
        st.sampled_from(SITES),
        st.sampled_from(list(PainContext)),
        st.booleans(),  # about the latest session
    ),
    st.tuples(st.just("correct"), st.integers(0, 50), st.booleans()),  # replace or withdraw
    st.tuples(st.just("felt"), st.integers(0, 50), st.sampled_from([Felt.PULL, Felt.NERVE])),
    st.tuples(
        st.just("status"),
        st.integers(0, 50),
        st.sampled_from([SessionStatus.COMPLETED, SessionStatus.STOPPED]),
    ),
    st.tuples(st.just("fold"), st.integers(0, 50), st.floats(30, 100)),
    st.tuples(
        st.just("screen"),
        moments,
        st.lists(
            st.sampled_from([True, False, False, False, None]),
            min_size=len(QUESTIONS),
            max_size=len(QUESTIONS),
        ),
    ),
    st.tuples(
        st.just("ack"),
        moments,
        st.lists(st.sampled_from(CODES), min_size=1, max_size=3),
        st.integers(0, 20),
    ),
    st.tuples(st.just("import"), moments, st.integers(1, 6)),
)


class Person:
    """One person's records as they are written, through the store's own repositories."""

    def __init__(self, engine: Engine, routine: Routine) -> None:
        self.engine, self.routine = engine, routine
        self.id = new_id()
        self.sessions: list[Session] = []
        self.holds: list[Hold] = []
        self.entries: list[str] = []
        self.clock = START
        with self.uow() as uow:
            uow.users.add(User(self.id, "Ann", Role.PATIENT, START))
            uow.commit()

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    def stored(self, at: datetime) -> datetime:
        """The store's clock: it never runs back."""
        self.clock = max(self.clock, at) + timedelta(seconds=1)
        return self.clock

    def session(
        self,
        at: datetime,
        zone: str,
        status: SessionStatus,
        practice: bool,
        felts: list[Felt | None],
    ) -> Session:
        settings = choose_settings(self.routine, reps_per_side=2)
        session = Session(
            new_id(),
            self.id,
            self.routine.id,
            self.routine.name,
            at,
            zone,
            settings,
            practice=practice,
        )
        with self.uow() as uow:
            uow.sessions.add(session)
            uow.commit()
        for n, felt in enumerate(felts, start=1):
            hold = Hold(
                new_id(),
                session.id,
                n,
                Side.LEFT if n % 2 else Side.RIGHT,
                30,
                30,
                True,
                at + timedelta(seconds=40 * n),
                felt,
            )
            with self.uow() as uow:  # each hold in a transaction of its own, as a session saves it
                uow.sessions.add_hold(hold)
                uow.commit()
            self.holds.append(hold)
        if status is not SessionStatus.IN_PROGRESS:
            with self.uow() as uow:
                uow.sessions.set_status(session.id, status, at + timedelta(minutes=5))
                uow.commit()
        self.sessions.append(session)
        return session

    def apply(self, write: tuple[Any, ...]) -> None:
        kind = write[0]
        if kind == "session":
            self.session(*write[1:])
        elif kind == "pain":
            _, at, score, sites, context, about = write
            entry = PainEntry(
                new_id(),
                self.id,
                at,
                "Europe/London",
                score,
                parse_sites(sites),
                context,
                self.sessions[-1].id if about and self.sessions else None,
            )
            with self.uow() as uow:
                uow.journal.add(entry)
                uow.commit()
            self.entries.append(entry.id)
        elif kind == "correct" and self.entries:
            _, pick, replace = write
            old_id = self.entries.pop(pick % len(self.entries))
            with self.uow() as uow:
                old = uow.journal.get(old_id)
                new = None
                if replace:
                    new = PainEntry(
                        new_id(),
                        self.id,
                        old.recorded_at,
                        old.time_zone,
                        (old.score + 3) % 11,
                        old.sites,
                        old.context,
                        old.session_id,
                    )
                    uow.journal.add(new)
                    self.entries.append(new.id)
                uow.journal.supersede(
                    old_id, by=new.id if new else None, at=self.stored(old.recorded_at)
                )
                uow.commit()
        elif kind == "felt" and self.holds:
            _, pick, felt = write
            with self.uow() as uow:
                uow.sessions.set_felt(self.holds[pick % len(self.holds)].id, felt)
                uow.commit()
        elif kind == "status" and self.sessions:
            _, pick, status = write
            chosen = self.sessions[pick % len(self.sessions)]
            with self.uow() as uow:
                uow.sessions.set_status(chosen.id, status, chosen.started_at + timedelta(minutes=7))
                uow.commit()
        elif kind == "fold" and self.holds:
            _, pick, fold = write
            hold = self.holds.pop(pick % len(self.holds))  # one form a hold
            form = HoldForm(hold.side, 0, 30, 28, fold, 175)
            with self.uow() as uow:
                uow.hold_form.add(hold.id, form)
                uow.commit()
        elif kind == "screen":
            _, at, answers = write
            check = ScreenResult(
                new_id(), self.id, at, tuple(answers), SCREEN_VERSION, stored_at=self.stored(at)
            )
            with self.uow() as uow:
                uow.screens.add(check)
                uow.commit()
        elif kind == "ack":
            _, at, codes, back = write
            stored = self.stored(at)
            ack = Acknowledgement(
                new_id(),
                self.id,
                tuple(dict.fromkeys(codes)),
                (stored - timedelta(days=back)).date(),
                "dr",
                "Dr Lee",
                "",
                stored,
            )
            with self.uow() as uow:
                uow.screens.add_acknowledgement(ack)
                uow.commit()
        elif kind == "import":  # a file of records brought in, or a phone's outbox arriving late
            _, at, days = write
            settings = choose_settings(self.routine, reps_per_side=1)
            sessions, holds, entries = [], [], []
            for back in range(days):
                when = at - timedelta(days=back, hours=back)
                s = Session(
                    new_id(),
                    self.id,
                    self.routine.id,
                    self.routine.name,
                    when,
                    "America/New_York",
                    settings,
                    status=SessionStatus.COMPLETED,
                    ended_at=when + timedelta(minutes=3),
                )
                sessions.append(s)
                holds.append(
                    Hold(
                        new_id(),
                        s.id,
                        1,
                        Side.LEFT,
                        30,
                        30,
                        True,
                        when + timedelta(seconds=40),
                        Felt.PULL if back % 2 else None,
                    )
                )
                entries.append(
                    PainEntry(
                        new_id(),
                        self.id,
                        when,
                        "America/New_York",
                        (back * 3) % 11,
                        parse_sites(SITES[back % len(SITES)]),
                        PainContext.BEFORE,
                        s.id,
                    )
                )
            with self.uow() as uow:
                uow.sessions.add_all(sessions)
                uow.sessions.add_holds(holds)
                uow.journal.add_all(entries)
                uow.commit()
            self.sessions += sessions
            self.holds += holds
            self.entries += [e.id for e in entries]


# -- the two paths -----------------------------------------------------------------------------


def agree(person: Person, now: datetime, zone: ZoneInfo, routine: Routine) -> None:
    """The summary kept gives the verdict and figures the rows give at `now`, and it is the
    summary a rebuild from the rows gives."""
    window = MorningWindow()
    with person.uow() as uow:
        kept = uow.clinic.summaries([person.id])[person.id].inputs
        rows = SqlRows(uow._connection)  # type: ignore[arg-type]
        assert summaries.encode(kept) == summaries.encode(
            summaries.build(rows, [person.id])[person.id]
        )
        if not kept.covers(now):
            kept = uow.clinic.summaries([person.id], at=now)[person.id].inputs
        outlines = uow.sessions.outlines(person.id)
        current = uow.journal.entries(person.id, since=now - timedelta(days=30))
        folds = rows(
            "SELECT started_at, fold_sum_deg, fold_count FROM session_folds WHERE user_id = :u",
            {"u": person.id},
        )
    scratch = load_history(person.id, uow=person.uow(), now=now, zone=zone)

    summarised = assess(kept.history(now=now, zone=zone), routine.dose, routine_id=routine.id)
    from_rows = assess(scratch, routine.dose, routine_id=routine.id)

    assert summarised == from_rows
    mine, theirs = kept.history(now=now, zone=zone), scratch
    assert [(s.id, s.status, s.holds) for s in mine.sessions] == [
        (s.id, s.status, s.holds) for s in theirs.sessions
    ]
    assert list(mine.entries) == list(theirs.entries)
    assert list(mine.acknowledgements) == list(theirs.acknowledgements)
    assert episodes(mine.checks, mine.acknowledgements, zone=zone) == episodes(
        theirs.checks, theirs.acknowledgements, zone=zone
    )
    figures = figures_at(
        kept, patient_id=person.id, display_name="Ann", now=now, zone=zone, window=window
    )
    done = habit(outlines, now=now, zone=zone, window=window)
    assert (figures.days_7, figures.days_30) == (done.last_7.done, done.last_30.done)
    recent = [e.score for e in current if e.recorded_at >= now - timedelta(days=7)]
    assert figures.pain_recent == (sum(recent) / len(recent) if recent else None)
    folded = [(summaries._at(r["started_at"]), r["fold_sum_deg"], r["fold_count"]) for r in folds]
    before = [
        (t, f, n) for t, f, n in folded if now - timedelta(days=30) <= t < now - timedelta(days=7)
    ]
    assert figures.flex_before_deg == (
        pytest.approx(sum(f for _, f, _ in before) / sum(n for _, _, n in before))
        if before
        else None
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    story=st.lists(writes, min_size=1, max_size=16),
    zone=st.sampled_from(ZONES),
    later=st.lists(st.integers(-2 * 24 * 60, 40 * 24 * 60), min_size=1, max_size=2),
)
def test_the_kept_summary_gives_the_verdict_the_rows_give_after_every_kind_of_write(
    engine: Engine, routine: Routine, story: list[tuple[Any, ...]], zone: str, later: list[int]
) -> None:
    person = Person(engine, routine)

    for write in story:
        person.apply(write)

        latest = max([START, *[s.started_at for s in person.sessions]])
        for minutes in later:
            agree(person, latest + timedelta(minutes=minutes), ZoneInfo(zone), routine)


def test_a_summary_made_by_other_code_is_rebuilt_when_read_never_used(
    engine: Engine, routine: Routine
) -> None:
    person = Person(engine, routine)
    person.apply(("session", START, "UTC", SessionStatus.COMPLETED, False, [Felt.NERVE]))
    with engine.begin() as c:
        c.execute(
            text("UPDATE patient_summaries SET version = :v, body = :b WHERE user_id = :u"),
            {"v": summaries.VERSION - 1, "b": '{"anchor": null}', "u": person.id},
        )

    with person.uow() as uow:
        kept = uow.clinic.summaries([person.id])[person.id].inputs
        uow.commit()

    assert [s.id for s in kept.sessions] == [person.sessions[0].id]
    with engine.connect() as c:
        version = c.execute(
            text("SELECT version FROM patient_summaries WHERE user_id = :u"), {"u": person.id}
        ).scalar_one()
    assert version == summaries.VERSION


# As the store keeps a time on SQLite (naive UTC text to the microsecond), and a text that
# PostgreSQL reads as a timestamp: Python 3.12+ deprecates sqlite3's own datetime adapter.
STORED_START = START.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def test_the_migration_builds_everyone_s_summary(store_url: str) -> None:
    from alembic import command

    from stretchcoach.adapters.store.engine import alembic_config, create_store_engine, parse_url

    engine = create_store_engine(parse_url(store_url))
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0009")
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO users (id, display_name, role, created_at) "
                "VALUES ('u1', 'Ann', 'patient', :at)"
            ),
            {"at": STORED_START},
        )
        c.execute(
            text(
                "INSERT INTO pain_entries (id, user_id, recorded_at, time_zone, score, sites, "
                "reach_left, context, note) "
                "VALUES ('p1', 'u1', :at, 'UTC', 4, 'left:calf', 3, 'standalone', '')"
            ),
            {"at": STORED_START},
        )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
    with engine.connect() as c:
        found = c.execute(text("SELECT user_id, version FROM patient_summaries")).all()
    engine.dispose()

    assert found == [("u1", summaries.VERSION)]


@pytest.mark.postgres
def test_two_workers_saving_one_person_s_records_at_once_leave_both_in_the_summary(
    postgres_url: str, routine: Routine
) -> None:
    import threading
    import time

    engine = open_store(postgres_url)
    person = Person(engine, routine)
    first_locked = threading.Event()

    def rating(score: int) -> PainEntry:
        at = START + timedelta(hours=score)
        return PainEntry(new_id(), person.id, at, "UTC", score, parse_sites("left:thigh"))

    with person.uow() as uow:  # a summary kept already
        uow.journal.add(rating(1))
        uow.commit()

    def first() -> None:
        with person.uow() as uow:
            uow.journal.add(rating(3))
            summaries.refresh(uow._rows)  # type: ignore[arg-type]  # rebuilt, row held
            first_locked.set()
            time.sleep(1.5)  # the second worker saves meanwhile
            uow.commit()

    def second() -> None:
        first_locked.wait(10)
        with person.uow() as uow:
            uow.journal.add(rating(5))
            uow.commit()

    workers = [threading.Thread(target=first), threading.Thread(target=second)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)

    with person.uow() as uow:
        kept = uow.clinic.summaries([person.id])[person.id].inputs
    engine.dispose()
    assert sorted(e.score for e in kept.entries) == [1, 3, 5]


# -- a status remembered is the status worked out anew, until it stops standing ----------------


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    story=st.lists(writes, min_size=1, max_size=12),
    zone=st.sampled_from(ZONES),
    window=st.sampled_from([(time(4), time(12)), (time(6, 30), time(9)), (time(0), time(23))]),
    asked=st.integers(-1 * 24 * 60, 40 * 24 * 60),
    fractions=st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=4),
)
def test_a_remembered_status_is_the_one_worked_out_anew_until_it_stops_standing(
    engine: Engine,
    routine: Routine,
    story: list[tuple[Any, ...]],
    zone: str,
    window: tuple[time, time],
    asked: int,
    fractions: list[float],
) -> None:
    person = Person(engine, routine)
    start, end = window
    prefs = replace(
        default_preferences(person.id, routine, time_zone=zone, calendar_token=new_id()),
        morning_start=start,
        morning_end=end,
    )
    with person.uow() as uow:
        uow.preferences.save(prefs, now=START)
        uow.commit()
    for write in story:
        person.apply(write)
    me = User(person.id, "Ann", Role.PATIENT, START)
    latest = max([START, *[s.started_at for s in person.sessions]])
    now = latest + timedelta(minutes=asked)
    known = KnownStatuses()

    first = clinic._statuses([me], routine, uow=person.uow(), now=now, known=known)[0]

    assert first == clinic._statuses([me], routine, uow=person.uow(), now=now, known=None)[0]
    event("remembered" if known else "not remembered")
    if not known:  # a record dated ahead of the clock, or a span ending right now: not kept
        return
    (standing,) = known._found.values()
    event(f"stands {(standing.until - now) // timedelta(hours=6) * 6}+ h")
    assert now < standing.until <= now + timedelta(hours=25)  # by the next local midnight
    for fraction in fractions:
        later = min(now + (standing.until - now) * fraction, standing.until - MICROSECOND)
        hits = known.hits
        remembered = clinic._statuses([me], routine, uow=person.uow(), now=later, known=known)
        anew = clinic._statuses([me], routine, uow=person.uow(), now=later, known=None)
        assert known.hits == hits + 1  # the remembered one was used ...
        assert remembered == anew  # ... and it is the status worked out anew
    hits = known.hits
    clinic._statuses([me], routine, uow=person.uow(), now=standing.until, known=known)
    assert known.hits == hits  # once it may read differently, it is worked out again


def test_a_remembered_status_is_not_used_once_a_record_changes_the_summary(
    engine: Engine, routine: Routine
) -> None:
    person = Person(engine, routine)
    person.apply(("session", START, "UTC", SessionStatus.COMPLETED, False, [None]))
    me = User(person.id, "Ann", Role.PATIENT, START)
    known = KnownStatuses()
    now = START + timedelta(hours=1)
    before = clinic._statuses([me], routine, uow=person.uow(), now=now, known=known)[0]

    person.apply(("pain", START + timedelta(minutes=30), 9, "left:foot", PainContext.AFTER, True))
    after = clinic._statuses([me], routine, uow=person.uow(), now=now, known=known)[0]

    assert known.hits == 0
    assert after != before
    assert after == clinic._statuses([me], routine, uow=person.uow(), now=now, known=None)[0]
    renamed = User(person.id, "Ann B", Role.PATIENT, START)
    assert (
        clinic._statuses([renamed], routine, uow=person.uow(), now=now, known=known)[
            0
        ].figures.display_name
        == "Ann B"
    )
