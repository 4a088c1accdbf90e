"""The journal, screens, feel of holds and safety flags on a real database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from stretchcoach.domain.dosing import Lean

from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext
from stretchcoach.domain.routine import Routine, choose_settings
from stretchcoach.domain.runner import HoldResult
from stretchcoach.domain.safety import ScreenStatus
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import InvalidInput, NotFound, SafetyBlock
from stretchcoach.services.dosing import next_suggestion, record_felt
from stretchcoach.services.journal import log_pain, recent_entries
from stretchcoach.services.safety import answer_screen, check_can_start, safety_flags
from stretchcoach.services.sessions import begin_session, finish_session, record_hold
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


def test_screens_are_dated_and_the_latest_decides(uow: SqlUnitOfWork, user_id: str) -> None:
    yes_to_injury = (False,) * 7 + (True,)
    answer_screen(yes_to_injury, user_id=user_id, uow=uow, now=NOW - timedelta(days=2))

    with pytest.raises(SafetyBlock):
        check_can_start(user_id, uow=uow, now=NOW)
    answer_screen((False,) * 8, user_id=user_id, uow=uow, now=NOW)

    assert check_can_start(user_id, uow=uow, now=NOW) is ScreenStatus.CLEAR
    with uow:
        history = uow.screens.history(user_id)
    assert [(s.answered_at, s.answers[-1]) for s in history] == [
        (NOW - timedelta(days=2), True),
        (NOW, False),
    ]
    assert check_can_start(user_id, uow=uow, now=NOW + timedelta(days=31)) is (ScreenStatus.OVERDUE)


def test_feel_pain_and_the_stop_rules_come_back_from_the_store(
    uow: SqlUnitOfWork, user_id: str, routine: Routine
) -> None:
    answer_screen((False,) * 8, user_id=user_id, uow=uow, now=NOW)
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
        hold = record_hold(session.id, HoldResult(number, side, 40, 40, True), uow=uow, now=NOW)
        record_felt(session.id, hold.id, felt, user_id=user_id, uow=uow)
    finish_session(session.id, SessionStatus.COMPLETED, uow=uow, now=NOW)
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

    suggestion = next_suggestion(user_id, routine, uow=uow)
    flags = safety_flags(user_id, uow=uow, now=NOW + timedelta(minutes=7), zone=PARIS)

    assert (suggestion.hold_s, suggestion.lean) == (30, Lean.LESS)
    assert [f.code for f in flags] == ["pain-rose", "peripheralising-left"]
    with pytest.raises(NotFound):
        record_felt(session.id, "not-a-hold", Felt.PULL, user_id=user_id, uow=uow)
