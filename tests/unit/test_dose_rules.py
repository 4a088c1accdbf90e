"""The next dose after a break, after pain rose, and in a clinician's words (domain/clinical)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from stretchcoach.domain.clinical import History, Lean, Verdict, assess
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext, PainEntry, PainSite, Region
from stretchcoach.domain.routine import Routine, SessionSettings
from stretchcoach.domain.safety import QUESTIONS, SCREEN_VERSION
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import Hold, Session, new_id
from stretchcoach.domain.values import SessionStatus, Side

USER = "person"
ZONE = ZoneInfo("Europe/London")
NOW = datetime(2026, 6, 20, 7, 0, tzinfo=UTC)


def session(
    days_ago: int,
    hold_s: float,
    felt: Felt | None = Felt.PULL,
    *,
    side_reps: tuple[int, int] | None = None,
    practice: bool = False,
) -> Session:
    start = NOW - timedelta(days=days_ago)
    settings = SessionSettings(hold_s, 3, Side.LEFT, 10, side_reps=side_reps)
    s = Session(new_id(), USER, "seated-hamstring", "Seated hamstring", start, ZONE.key,
                settings, practice=practice, status=SessionStatus.COMPLETED,
                ended_at=start + timedelta(minutes=5))  # fmt: skip
    number = 0
    for side in Side:
        for _ in range(settings.reps_for(side)):
            number += 1
            at = start + timedelta(seconds=40 * number)
            s.holds.append(Hold(new_id(), s.id, number, side, hold_s, hold_s, True, at, felt))
    return s


def pain(s: Session, score: int, context: PainContext) -> PainEntry:
    site = frozenset({PainSite(Side.LEFT, Region.THIGH)})
    at = s.started_at + (timedelta(minutes=6) if context is PainContext.AFTER else timedelta(0))
    return PainEntry(new_id(), USER, at, ZONE.key, score, site, context, s.id)


def assess_now(
    routine: Routine, sessions: list[Session], entries: list[PainEntry] | None = None
) -> Verdict:
    check = ScreenResult(new_id(), USER, NOW - timedelta(days=20), (False,) * len(QUESTIONS),
                         SCREEN_VERSION, stored_at=NOW - timedelta(days=20))  # fmt: skip
    history = History(NOW, ZONE, sessions, entries or [], [check])
    return assess(history, routine.dose, routine_id=routine.id)


# -- a break of a week or more: start again at the routine's own dose -------------------------


def test_six_days_after_a_good_session_the_hold_still_steps_up(routine: Routine) -> None:
    plan = assess_now(routine, [session(6, 40)]).plan

    assert plan.hold_s == 45
    assert "days since" not in plan.reason


@pytest.mark.parametrize(("days", "last_hold"), [(7, 40), (10, 55), (45, 60)])
def test_a_week_or_more_without_a_session_starts_again_at_the_routines_dose(
    routine: Routine, days: int, last_hold: float
) -> None:
    plan = assess_now(routine, [session(days, last_hold)]).plan

    assert plan.hold_s == routine.dose.hold_s == 30
    assert (plan.reps, plan.lean) == ((3, 3), Lean.SAME)
    assert plan.reason == (
        f"It has been {days} days since your last session: back to the routine's 30 s to "
        "start again."
    )
    assert plan.for_clinician == (
        f"{days} days since the last session: back to the routine's 30 s."
    )


def test_a_practice_run_does_not_count_as_a_session_after_a_break(routine: Routine) -> None:
    plan = assess_now(routine, [session(9, 50), session(1, 50, practice=True)]).plan

    assert plan.hold_s == 30 and "9 days" in plan.reason


def test_after_a_break_a_leg_rested_for_the_nerve_stays_rested(routine: Routine) -> None:
    rested = session(8, 30, Felt.NERVE, side_reps=(0, 3))

    plan = assess_now(routine, [rested]).plan

    assert plan.reps == (0, 3) and plan.lean is Lean.LESS
    assert plan.reason.startswith("It has been 8 days") and "lean less" in plan.reason


# -- pain up 2+ points after the last session: the flag and the plan both ease off ------------


@pytest.mark.parametrize(("before", "after"), [(3, 5), (0, 2), (8, 10)])
def test_pain_up_two_points_after_the_last_session_leans_less_and_says_so(
    routine: Routine, before: int, after: int
) -> None:
    last = session(1, 40)

    found = assess_now(routine, [last], [pain(last, before, PainContext.BEFORE),
                                          pain(last, after, PainContext.AFTER)])  # fmt: skip

    assert found.plan.lean is Lean.LESS
    assert found.plan.hold_s <= 40
    assert "lean less than last time" in found.plan.reason
    assert "rose 2 or more points" in found.plan.reason
    rose = next(f for f in found.flags if f.code == "pain-rose")
    assert "gentler lean" in rose.message
    assert "gentler lean" in found.plan.for_clinician.lower()


def test_pain_up_one_point_after_the_session_keeps_the_lean_and_steps_up(
    routine: Routine,
) -> None:
    last = session(1, 40)

    found = assess_now(routine, [last], [pain(last, 3, PainContext.BEFORE),
                                          pain(last, 4, PainContext.AFTER)])  # fmt: skip

    assert (found.plan.lean, found.plan.hold_s) == (Lean.SAME, 45)
    assert not any(f.code == "pain-rose" for f in found.flags)


# -- the plan in a clinician's words ----------------------------------------------------------


@pytest.mark.parametrize(
    "story",
    ["first", "pull", "nothing", "unanswered", "nerve", "rose", "break"],
)
def test_the_plans_reason_for_a_clinician_never_speaks_to_the_patient(
    routine: Routine, story: str
) -> None:
    last = session(1, 40, {"nothing": Felt.NOTHING, "unanswered": None,
                           "nerve": Felt.NERVE}.get(story, Felt.PULL))  # fmt: skip
    sessions = {"first": [], "break": [session(12, 40)]}.get(story, [last])
    entries = (
        [pain(last, 2, PainContext.BEFORE), pain(last, 5, PainContext.AFTER)]
        if story == "rose"
        else []
    )

    plan = assess_now(routine, sessions, entries).plan
    words = f" {plan.for_clinician.lower()} "

    assert plan.clinical and plan.clinical != plan.reason
    for addressed in (" you ", " your ", "you'", " please "):
        assert addressed not in words, (story, plan.for_clinician)


def test_after_a_break_a_hold_cut_for_the_nerve_never_comes_back_longer(
    routine: Routine,
) -> None:
    from dataclasses import replace

    own_45 = replace(routine, dose=replace(routine.dose, hold_s=45.0))

    found = assess_now(own_45, [session(9, 35.0, Felt.NERVE)])

    assert found.plan.hold_s == 35.0  # not the routine's 45 s
    assert found.plan.lean is Lean.LESS
    assert "reached the nerve" in found.plan.reason


def test_an_old_visit_does_not_give_a_rested_leg_back(routine: Routine) -> None:
    import dataclasses

    from stretchcoach.domain.screening import Acknowledgement

    last = session(1, 30.0, Felt.NERVE, side_reps=(0, 3))
    old = Acknowledgement(new_id(), USER, ("nerve-rest-left",), (NOW - timedelta(days=40)).date(),
                          "gp", "Dr Gee", "", NOW - timedelta(hours=1))  # fmt: skip
    fresh = dataclasses.replace(old, seen_on=NOW.date())
    check = ScreenResult(new_id(), USER, NOW - timedelta(days=20), (False,) * len(QUESTIONS),
                         SCREEN_VERSION, stored_at=NOW - timedelta(days=20))  # fmt: skip

    def rested(ack: Acknowledgement) -> int:
        history = History(NOW, ZONE, [last], [], [check], [ack])
        return assess(history, routine.dose, routine_id=routine.id).plan.reps[0]

    assert rested(old) == 0  # a visit dated before the session that rested it settles nothing
    assert rested(fresh) >= 1


# -- a first session on a bad morning ----------------------------------------------------------


def rating(score: int, *sites: PainSite) -> PainEntry:
    return PainEntry(
        new_id(), USER, NOW - timedelta(minutes=5), ZONE.key, score, frozenset(sites),
        PainContext.STANDALONE,
    )  # fmt: skip


def test_a_first_session_with_pain_to_the_foot_is_gentle_and_says_why(routine: Routine) -> None:
    plan = assess_now(routine, [], [rating(8, PainSite(Side.LEFT, Region.FOOT))]).plan

    assert plan.hold_s == routine.dose.hold_range.low
    assert plan.lean is Lean.LESS
    assert plan.reps == (routine.dose.reps_per_side,) * 2
    assert "gentle first session" in plan.reason
    assert "below the knee in your left leg" in plan.reason
    assert "8" in plan.reason
    assert plan.changed_by  # a dose the person chose never goes above it
    assert "the patient's" in plan.for_clinician and "your" not in plan.for_clinician


def test_a_first_session_with_mild_pain_in_the_thigh_is_the_routines_own_dose(
    routine: Routine,
) -> None:
    plan = assess_now(routine, [], [rating(3, PainSite(Side.LEFT, Region.THIGH))]).plan

    assert plan.hold_s == routine.dose.hold_s
    assert plan.lean is Lean.SAME
    assert plan.changed_by == ()
    assert plan.reason == "A first session: the routine's own dose."


def test_a_first_session_at_9_in_the_back_alone_is_gentle_too(routine: Routine) -> None:
    plan = assess_now(routine, [], [rating(9, PainSite(Side.LEFT, Region.LOWER_BACK))]).plan

    assert plan.lean is Lean.LESS
    assert "reaches below the knee" not in plan.reason
    assert "9" in plan.reason
