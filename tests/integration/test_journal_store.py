"""The journal, screens, feel of holds and safety flags on a real database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.domain.clinical import GateStatus, Lean
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext
from stretchcoach.domain.routine import Routine, choose_settings
from stretchcoach.domain.runner import HoldResult
from stretchcoach.domain.safety import QUESTIONS, evaluate, questions_for
from stretchcoach.domain.screening import Acknowledgement, ScreenResult
from stretchcoach.domain.session import Hold, new_id
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import InvalidInput, NotFound, SafetyBlock
from stretchcoach.services import session_case
from stretchcoach.services.clinical import verdict
from stretchcoach.services.journal import log_pain, recent_entries
from stretchcoach.services.safety import acknowledge, answer_screen, require_screen
from stretchcoach.services.session_case import answer_felt
from stretchcoach.services.sessions import begin_session
from stretchcoach.services.users import ensure_local_user

NOW = datetime(2026, 3, 29, 6, 30, tzinfo=UTC)  # the morning the clocks change in Paris
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = open_store(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> SqlUnitOfWork:
    return SqlUnitOfWork(engine)


@pytest.fixture
def user_id(uow: SqlUnitOfWork) -> str:
    return ensure_local_user(uow=uow, now=NOW)


def test_pain_is_kept_with_its_places_and_an_aware_time(uow: SqlUnitOfWork, user_id: str) -> None:
    log_pain(
        5,
        where="left:calf,left:thigh",
        note="après",
        user_id=user_id,
        uow=uow,
        now=NOW,
        time_zone="Europe/Paris",
    )

    [entry] = recent_entries(user_id, uow=uow, now=NOW, days=1)

    assert entry.score == 5
    assert sorted(str(s) for s in entry.sites) == ["left:calf", "left:thigh"]
    assert entry.recorded_at == NOW and entry.recorded_at.utcoffset() == timedelta(0)
    assert entry.note == "après"


def test_bad_pain_writes_nothing(uow: SqlUnitOfWork, user_id: str) -> None:
    with pytest.raises(InvalidInput):
        log_pain(12, where="left:thigh", user_id=user_id, uow=uow, now=NOW, time_zone="UTC")

    assert recent_entries(user_id, uow=uow, now=NOW) == []


NO = (False,) * len(QUESTIONS)


def test_checks_and_acknowledgements_are_kept_in_the_order_stored(
    uow: SqlUnitOfWork, user_id: str, routine: Routine
) -> None:
    yes_to_injury = tuple(q.code == "injury" for q in QUESTIONS)
    answer_screen(yes_to_injury, user_id=user_id, uow=uow, now=NOW - timedelta(days=2))

    def gate(at: datetime) -> GateStatus:
        return verdict(user_id, routine, uow=uow, now=at, zone=PARIS).gate.status

    with pytest.raises(SafetyBlock):
        require_screen(verdict(user_id, routine, uow=uow, now=NOW, zone=PARIS))
    answer_screen(NO, user_id=user_id, uow=uow, now=NOW)
    assert gate(NOW) is GateStatus.BLOCKED  # a later no does not clear the yes
    ack = acknowledge(
        user_id,
        routine,
        seen_on=(NOW - timedelta(days=1)).date(),
        by_user_id=user_id,
        by_name="You",
        note="GP: no fracture",
        uow=uow,
        now=NOW + timedelta(minutes=1),
        zone=PARIS,
    )

    assert gate(NOW + timedelta(minutes=2)) is GateStatus.CLEAR
    with uow:
        history = uow.screens.history(user_id)
        kept = uow.screens.acknowledgements(user_id)
    assert [
        (s.stored_at, s.answers[QUESTIONS.index(next(q for q in QUESTIONS if q.code == "injury"))])
        for s in history
    ] == [
        (NOW - timedelta(days=2), True),
        (NOW, False),
    ]
    assert kept == [ack] and isinstance(kept[0], Acknowledgement)
    assert kept[0].codes == ("injury",) and kept[0].note == "GP: no fracture"
    assert gate(NOW + timedelta(days=31)) is GateStatus.OVERDUE


@pytest.mark.parametrize("version", [1, 2, 3])
def test_each_versions_answers_come_back_in_their_count_and_order(
    uow: SqlUnitOfWork, user_id: str, version: int
) -> None:
    asked = questions_for(version)
    # Every third answer yes, the last question not asked: any shift or cut shows.
    last = len(asked) - 1
    answers = tuple(None if n == last else n % 3 == 0 for n in range(len(asked)))
    everything = (True,) * len(asked)  # the longest stored text
    with uow:
        for n, given in enumerate((answers, everything)):
            at = NOW + timedelta(minutes=n)
            uow.screens.add(ScreenResult(new_id(), user_id, at, given, version, stored_at=at))
        uow.commit()

    with uow:
        kept = uow.screens.history(user_id)

    assert [(c.version, c.answers) for c in kept] == [(version, answers), (version, everything)]
    assert [q.code for q, _ in kept[0].answered() if _] == [
        q.code for n, q in enumerate(asked) if n != last and n % 3 == 0
    ]
    assert evaluate(kept[0].answers, version=version).yes == tuple(
        q for n, q in enumerate(asked) if n != last and n % 3 == 0
    )


def test_a_partial_recheck_is_stored_with_its_unasked_questions(
    uow: SqlUnitOfWork, user_id: str
) -> None:
    partial = tuple(False if q.care.value == "emergency" else None for q in QUESTIONS)

    answer_screen(partial, user_id=user_id, uow=uow, now=NOW, partial=True)

    with uow:
        (kept,) = uow.screens.history(user_id)
    assert kept.answers == partial and not kept.complete


def test_feel_pain_and_the_stop_rules_come_back_from_the_store(
    uow: SqlUnitOfWork, user_id: str, routine: Routine
) -> None:
    answer_screen(NO, user_id=user_id, uow=uow, now=NOW)
    settings = choose_settings(routine, reps_per_side=1, hold_s=40)
    session = begin_session(
        routine, settings, user_id=user_id, uow=uow, now=NOW, time_zone="Europe/Paris"
    )
    log_pain(
        3,
        where="left:thigh",
        user_id=user_id,
        uow=uow,
        now=NOW - timedelta(days=3),
        time_zone="Europe/Paris",
    )
    log_pain(
        3,
        where="left:thigh",
        user_id=user_id,
        uow=uow,
        now=NOW,
        time_zone="Europe/Paris",
        context=PainContext.BEFORE,
        session_id=session.id,
    )
    for number, side, felt in [(1, Side.LEFT, Felt.PULL), (2, Side.RIGHT, Felt.NERVE)]:
        hold = Hold.from_result(session.id, HoldResult(number, side, 40, 40, True), ended_at=NOW)
        session_case.record_hold(hold, keep=session_case.store_now(uow))
        answer_felt(session.id, hold.id, felt, user_id=user_id, uow=uow)
    session_case.finish(
        session.id, SessionStatus.COMPLETED, now=NOW, keep=session_case.store_now(uow)
    )
    log_pain(
        6,
        where="left:foot",
        user_id=user_id,
        uow=uow,
        now=NOW + timedelta(minutes=6),
        time_zone="Europe/Paris",
        context=PainContext.AFTER,
        session_id=session.id,
    )

    found = verdict(user_id, routine, uow=uow, now=NOW + timedelta(minutes=7), zone=PARIS)

    assert (found.plan.hold_s, found.plan.lean) == (30, Lean.LESS)
    assert [f.code for f in found.flags] == ["pain-rose", "peripheralising-left"]
    with pytest.raises(NotFound):
        answer_felt(session.id, "not-a-hold", Felt.PULL, user_id=user_id, uow=uow)


def test_many_histories_at_once_are_the_very_same_as_one_at_a_time(
    uow: SqlUnitOfWork, user_id: str, routine: Routine
) -> None:
    from stretchcoach.domain.user import Role, User
    from stretchcoach.services.clinical import load_histories, load_history

    other = "other-person"
    with uow:
        uow.users.add(User(other, "Other", Role.PATIENT, NOW))
        uow.commit()
    for who, days in ((user_id, 14), (other, 3)):
        answer_screen(NO, user_id=who, uow=uow, now=NOW - timedelta(days=days))
        for back in range(days):  # more sessions than the history keeps for the first person
            at = NOW - timedelta(days=back, hours=1)
            settings = choose_settings(routine, reps_per_side=1)
            s = begin_session(routine, settings, user_id=who, uow=uow, now=at, time_zone="UTC")
            keep = session_case.store_now(uow)
            result = HoldResult(1, Side.LEFT, 30, 30, True)
            session_case.record_hold(Hold.from_result(s.id, result, ended_at=at), keep=keep)
            session_case.finish(s.id, SessionStatus.COMPLETED, now=at, keep=keep)
            log_pain(3, where="left:thigh", user_id=who, uow=uow, now=at, time_zone="UTC")

    together = load_histories({user_id: PARIS, other: PARIS}, uow=uow, now=NOW)

    for who in (user_id, other):
        alone = load_history(who, uow=uow, now=NOW, zone=PARIS)
        both = together[who]
        assert [s.id for s in both.sessions] == [s.id for s in alone.sessions]
        assert [[h.id for h in s.holds] for s in both.sessions] == [
            [h.id for h in s.holds] for s in alone.sessions
        ]
        assert [e.id for e in both.entries] == [e.id for e in alone.entries]
        assert [c.id for c in both.checks] == [c.id for c in alone.checks]
        assert list(both.acknowledgements) == list(alone.acknowledgements)
    assert len(together[user_id].sessions) == 4 and len(together[other].sessions) == 3
