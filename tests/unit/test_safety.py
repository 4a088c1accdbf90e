"""The warning-signs screen, when it is due, the stop rules and the flags they raise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from stretchcoach.domain.journal import PainContext, PainEntry, PainSite, Region
from stretchcoach.domain.routine import Routine, choose_settings
from stretchcoach.domain.safety import (
    QUESTIONS,
    Care,
    ScreenStatus,
    evaluate,
    pain_rose,
    parse_answers,
    screen_status,
)
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import Session
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import InvalidInput, SafetyBlock
from stretchcoach.services.safety import (
    Severity,
    answer_screen,
    check_can_start,
    safety_flags,
)
from stretchcoach.testing import FakeUnitOfWork

NOW = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")
NO = (False,) * 8


def yes_to(*numbers: int) -> tuple[bool, ...]:
    return tuple(n in numbers for n in range(1, 9))


def test_the_eight_questions_come_in_the_brief_order_with_their_care() -> None:
    assert [q.code for q in QUESTIONS] == [
        "saddle-numbness",
        "bladder-bowel",
        "leg-weakness",
        "both-legs",
        "unwell",
        "cancer",
        "weight-loss",
        "injury",
    ]
    assert [q.care for q in QUESTIONS] == [Care.EMERGENCY] * 4 + [Care.DOCTOR_SOON] * 4


@pytest.mark.parametrize(
    ("answers", "care", "yes"),
    [
        (NO, None, []),
        (yes_to(1), Care.EMERGENCY, ["saddle-numbness"]),
        (yes_to(4), Care.EMERGENCY, ["both-legs"]),
        (yes_to(5), Care.DOCTOR_SOON, ["unwell"]),
        (yes_to(8), Care.DOCTOR_SOON, ["injury"]),
        (yes_to(2, 7), Care.EMERGENCY, ["bladder-bowel", "weight-loss"]),
    ],
    ids=["all-no", "saddle", "both-legs", "fever", "injury", "emergency-beats-doctor"],
)
def test_any_yes_says_which_care_to_seek(
    answers: tuple[bool, ...], care: Care | None, yes: list[str]
) -> None:
    outcome = evaluate(answers)

    assert outcome.care is care
    assert [q.code for q in outcome.yes] == yes
    if care is Care.EMERGENCY:
        assert "emergency department now" in outcome.message
    elif care is Care.DOCTOR_SOON:
        assert "doctor" in outcome.message and "before you stretch" in outcome.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("none", NO),
        (" NONE ", NO),
        ("no,no,no,no,no,no,no,yes", yes_to(8)),
        ("y,n,n,n,n,n,n,n", yes_to(1)),
        ("no,no", "8 questions"),
        ("no,no,no,no,no,no,no,maybe", "'maybe' is not yes or no"),
        ("", "'' is not yes or no"),
    ],
    ids=["none", "none-spaced", "words", "letters", "too-few", "not-an-answer", "empty"],
)
def test_scripted_answers_parse_or_say_what_is_allowed(
    text: str, expected: tuple[bool, ...] | str
) -> None:
    if isinstance(expected, str):
        with pytest.raises(InvalidInput, match=expected):
            parse_answers(text)
    else:
        assert parse_answers(text) == expected


def screen(answers: tuple[bool, ...], age: timedelta) -> ScreenResult:
    return ScreenResult("s", "u", NOW - age, answers)


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        (None, ScreenStatus.MISSING),
        (screen(NO, timedelta(days=1)), ScreenStatus.CLEAR),
        (screen(NO, timedelta(days=30)), ScreenStatus.CLEAR),
        (screen(NO, timedelta(days=30, seconds=1)), ScreenStatus.OVERDUE),
        (screen(yes_to(6), timedelta(days=90)), ScreenStatus.POSITIVE),
    ],
    ids=["never", "yesterday", "exactly-30-days", "over-30-days", "old-yes-still-counts"],
)
def test_a_screen_is_due_at_first_use_and_every_30_days(
    latest: ScreenResult | None, status: ScreenStatus
) -> None:
    assert screen_status(latest, now=NOW) is status


@pytest.mark.parametrize(
    ("before", "after", "stop"),
    [(3, 5, True), (3, 4, False), (0, 2, True), (6, 3, False), (None, 9, False), (4, None, False)],
    ids=["up-2", "up-1", "from-zero", "down", "no-before", "no-after"],
)
def test_pain_two_points_higher_after_a_session_is_a_stop_rule(
    before: int | None, after: int | None, stop: bool
) -> None:
    assert pain_rose(before, after) is stop


def test_a_positive_screen_blocks_the_session_until_answered_again() -> None:
    uow = FakeUnitOfWork()
    answer_screen(yes_to(3), user_id="u", uow=uow, now=NOW)

    with pytest.raises(SafetyBlock, match="emergency department now"):
        check_can_start("u", uow=uow, now=NOW)

    answer_screen(NO, user_id="u", uow=uow, now=NOW + timedelta(days=2))
    assert check_can_start("u", uow=uow, now=NOW + timedelta(days=2)) is ScreenStatus.CLEAR


def test_a_doctor_soon_answer_blocks_with_its_own_words() -> None:
    uow = FakeUnitOfWork()
    answer_screen(yes_to(7), user_id="u", uow=uow, now=NOW)

    with pytest.raises(SafetyBlock, match="see a doctor before stretching again"):
        check_can_start("u", uow=uow, now=NOW)


def test_another_persons_screen_does_not_count() -> None:
    uow = FakeUnitOfWork()
    answer_screen(yes_to(1), user_id="someone-else", uow=uow, now=NOW)

    assert check_can_start("u", uow=uow, now=NOW) is ScreenStatus.MISSING


def entry(
    score: int, where: str, at: datetime, *, context: PainContext, session_id: str | None
) -> PainEntry:
    sites = frozenset(
        PainSite(Side(s.split(":")[0]), Region(s.split(":")[1])) for s in where.split(",") if s
    )
    return PainEntry(
        id=f"{at.isoformat()}-{context}",
        user_id="u",
        recorded_at=at,
        time_zone="Europe/Paris",
        score=score,
        sites=sites,
        context=context,
        session_id=session_id,
    )


def finished_session(routine: Routine, at: datetime) -> Session:
    return Session(
        id=f"session-{at.isoformat()}",
        user_id="u",
        routine_id=routine.id,
        routine_name=routine.name,
        started_at=at,
        time_zone="Europe/Paris",
        settings=choose_settings(routine),
        status=SessionStatus.COMPLETED,
        ended_at=at + timedelta(minutes=5),
    )


def test_flags_come_most_urgent_first_with_each_rule_named(routine: Routine) -> None:
    uow = FakeUnitOfWork()
    answer_screen(yes_to(5), user_id="u", uow=uow, now=NOW - timedelta(days=3))
    session = finished_session(routine, NOW - timedelta(hours=1))
    uow.sessions.add(session)
    for e in [
        entry(
            3,
            "left:thigh",
            NOW - timedelta(days=5),
            context=PainContext.STANDALONE,
            session_id=None,
        ),
        entry(
            4,
            "left:thigh",
            NOW - timedelta(hours=1),
            context=PainContext.BEFORE,
            session_id=session.id,
        ),
        entry(
            6,
            "left:foot",
            NOW - timedelta(minutes=50),
            context=PainContext.AFTER,
            session_id=session.id,
        ),
    ]:
        uow.journal.add(e)

    flags = safety_flags("u", uow=uow, now=NOW, zone=PARIS)

    assert [(f.code, f.severity) for f in flags] == [
        ("red-flag-see-doctor", Severity.SEE_DOCTOR),
        ("pain-rose", Severity.EASE_OFF),
        ("peripheralising-left", Severity.EASE_OFF),
    ]
    assert "shorter holds" in flags[1].message


def test_no_screen_yet_is_a_gentle_reminder_and_nothing_else() -> None:
    flags = safety_flags("u", uow=FakeUnitOfWork(), now=NOW, zone=PARIS)

    assert [(f.code, f.severity) for f in flags] == [("screen-missing", Severity.INFO)]


def test_an_old_clear_screen_is_overdue() -> None:
    uow = FakeUnitOfWork()
    answer_screen(NO, user_id="u", uow=uow, now=NOW - timedelta(days=31))

    assert [f.code for f in safety_flags("u", uow=uow, now=NOW, zone=PARIS)] == ["screen-overdue"]
