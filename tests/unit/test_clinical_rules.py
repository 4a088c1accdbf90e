"""The clinical core's rules one at a time, at their edges (domain/clinical, domain/screening).

Each test states one rule a physiotherapist would check and the smallest history that shows
it: which yes sets the care, how loud a flag is, when a visit settles something, which leg is
new, when nerve answers repeat, which check is the latest. Mutation testing
(scripts/mutate.py, docs/mutation.md) found these edges untested.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.domain.clinical import GateStatus, History, Lean, Verdict, apply_plan, assess
from stretchcoach.domain.clinical.dose import Plan
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.routine import SessionSettings, choose_settings
from stretchcoach.domain.safety import QUESTIONS, SCREEN_VERSION, Care, Severity
from stretchcoach.domain.screening import Acknowledgement, ScreenResult
from stretchcoach.domain.session import Hold, Session, new_id
from stretchcoach.domain.values import SessionStatus, Side

USER = "person"
ZONE = ZoneInfo("Europe/London")
NOW = datetime(2026, 6, 20, 7, 0, tzinfo=UTC)
ALL_NO: tuple[bool | None, ...] = (False,) * len(QUESTIONS)
ROUTINE = load_builtin()


def yes_to(*codes: str) -> tuple[bool | None, ...]:
    return tuple(q.code in codes for q in QUESTIONS)


def check(
    days_ago: float, answers: tuple[bool | None, ...], *, claims: datetime | None = None
) -> ScreenResult:
    stored = NOW - timedelta(days=days_ago)
    return ScreenResult(new_id(), USER, claims or stored, answers, SCREEN_VERSION, stored)


def seen(on: date, stored_days_ago: float, *codes: str) -> Acknowledgement:
    stored = NOW - timedelta(days=stored_days_ago)
    return Acknowledgement(new_id(), USER, codes, on, "clinician", "Dr Okafor", "", stored)


def rating(days_ago: float, score: int, where: str, context: PainContext = PainContext.STANDALONE,
           session_id: str | None = None) -> PainEntry:  # fmt: skip
    at = NOW - timedelta(days=days_ago)
    return PainEntry(new_id(), USER, at, ZONE.key, score, parse_sites(where), context, session_id)


def session(
    days_ago: float,
    hold_s: float,
    felt: dict[Side, Felt | None],
    reps: tuple[int, int] | None = None,
) -> Session:
    start = NOW - timedelta(days=days_ago)
    settings = SessionSettings(hold_s, 3, Side.LEFT, 10, side_reps=reps)
    s = Session(new_id(), USER, ROUTINE.id, ROUTINE.name, start, ZONE.key, settings,
                status=SessionStatus.COMPLETED, ended_at=start + timedelta(minutes=5))  # fmt: skip
    number = 0
    for side in Side:
        for _ in range(settings.reps_for(side)):
            number += 1
            at = start + timedelta(seconds=40 * number)
            s.holds.append(Hold(new_id(), s.id, number, side, hold_s, hold_s, True, at, felt[side]))
    return s


def assess_now(
    *,
    checks: Sequence[ScreenResult] = (),
    sessions: Sequence[Session] = (),
    entries: Sequence[PainEntry] = (),
    acks: Sequence[Acknowledgement] = (),
    reps_per_side: int | None = None,
) -> Verdict:
    history = History(NOW, ZONE, sessions, entries, checks or [check(20, ALL_NO)], acks)
    return assess(history, ROUTINE.dose, routine_id=ROUTINE.id, reps_per_side=reps_per_side)


def codes(found: Verdict) -> dict[str, Severity]:
    return {f.code: f.severity for f in found.flags}


TODAY = NOW.astimezone(ZONE).date()
PULL = {Side.LEFT: Felt.PULL, Side.RIGHT: Felt.PULL}
LEFT_NERVE = {Side.LEFT: Felt.NERVE, Side.RIGHT: Felt.PULL}


# -- a yes: its care and how loud its flag is --------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "care"),
    [
        ("night-pain", "bladder", Care.EMERGENCY),
        ("bladder", "night-pain", Care.EMERGENCY),
        ("cancer", "unwell", Care.SAME_DAY),
        ("unwell", "cancer", Care.SAME_DAY),
    ],
)
def test_two_yes_answers_at_different_levels_name_the_more_urgent_care(
    first: str, second: str, care: Care
) -> None:
    found = assess_now(checks=[check(2, yes_to(first)), check(1, yes_to(first, second))])

    assert found.gate.status is GateStatus.BLOCKED
    assert found.gate.care is care
    assert "2 in all" in found.gate.message


@pytest.mark.parametrize(
    ("code", "severity"),
    [
        ("bladder", Severity.URGENT),
        ("unwell", Severity.SEE_DOCTOR),  # same day: see a doctor, not an emergency, not a note
        ("leg-weaker", Severity.SEE_DOCTOR),
        ("cancer", Severity.SEE_DOCTOR),
        ("leg-numbness", Severity.INFO),
    ],
)
def test_a_yes_flag_is_as_loud_as_its_level_of_care(code: str, severity: Severity) -> None:
    found = assess_now(checks=[check(1, yes_to(code))])

    assert codes(found)[f"red-flag-{code}"] is severity


def test_a_yes_later_answered_no_still_stands_and_says_so_to_the_clinician() -> None:
    found = assess_now(checks=[check(3, yes_to("unwell")), check(1, ALL_NO)])

    (flag,) = [f for f in found.flags if f.code == "red-flag-unwell"]
    assert found.gate.status is GateStatus.BLOCKED
    assert flag.for_clinician.endswith("later answered no, not acknowledged")


# -- the store's order, not the date a check claims --------------------------------------------


def test_checks_are_ordered_as_the_store_received_them_not_by_their_claimed_date() -> None:
    # a no, stored first but claiming a later time (a clock running fast), then today's yes
    claims_ahead = NOW + timedelta(days=2)
    found = assess_now(checks=[check(3, ALL_NO, claims=claims_ahead), check(1, yes_to("unwell"))])

    (flag,) = [f for f in found.flags if f.code == "red-flag-unwell"]
    assert found.gate.status is GateStatus.BLOCKED
    assert "later answered no" not in flag.for_clinician  # the yes is the latest answer


def test_a_check_counts_from_the_earlier_of_its_claimed_and_stored_time() -> None:
    # stored 40 days ago, claiming yesterday: it is over 30 days old all the same
    found = assess_now(checks=[check(40, ALL_NO, claims=NOW - timedelta(days=1))])

    assert found.gate.status is GateStatus.OVERDUE


# -- a visit settles only what came before it --------------------------------------------------


@pytest.mark.parametrize(("seen_days_ago", "settled"), [(4, False), (3, True), (1, True)])
def test_a_visit_settles_a_yes_only_from_the_day_of_its_first_yes(
    seen_days_ago: int, settled: bool
) -> None:
    first_yes = check(3, yes_to("cancer"))
    visit = seen(TODAY - timedelta(days=seen_days_ago), 0.5, "cancer")

    found = assess_now(checks=[first_yes], acks=[visit])

    assert found.gate.may_start is settled
    assert ("seen-cancer" in codes(found)) is settled


def worsening_history() -> list[PainEntry]:
    """Three mornings at 3, then 6 and 7: two worse mornings, the stop from the first."""
    pains = [(6, 3), (5, 3), (4, 3), (2, 6), (1, 7)]
    return [rating(days, score, "left:thigh") for days, score in pains]


@pytest.mark.parametrize(("seen_days_ago", "settled"), [(3, False), (2, True), (0, True)])
def test_a_visit_settles_the_worsening_stop_only_from_the_day_it_began(
    seen_days_ago: int, settled: bool
) -> None:
    assert assess_now(entries=worsening_history()).gate.stops == ("stop-worsening",)
    visit = seen(TODAY - timedelta(days=seen_days_ago), 0.01, "stop-worsening")

    found = assess_now(entries=worsening_history(), acks=[visit])

    assert ("stop-worsening" in found.gate.stops) is not settled


def test_a_visit_recorded_before_the_stop_began_never_settles_it() -> None:
    # stored before the worse mornings came, dated before too: it knew nothing of them
    visit = seen(TODAY - timedelta(days=3), 3, "stop-worsening")

    found = assess_now(entries=worsening_history(), acks=[visit])

    assert found.gate.stops == ("stop-worsening",)


# -- the second leg ----------------------------------------------------------------------------


def test_pain_moving_from_one_leg_to_the_other_is_not_a_second_leg() -> None:
    entries = [rating(3, 5, "left:thigh"), rating(2, 5, "right:thigh"), rating(1, 5, "right:calf")]

    found = assess_now(entries=entries)

    assert found.signals.second_leg is None
    assert "second-leg" not in codes(found)
    assert found.gate.new_leg is None


def test_pain_in_both_legs_after_one_is_the_second_leg_at_once() -> None:
    entries = [rating(3, 5, "left:thigh"), rating(1, 5, "left:thigh,right:thigh")]

    found = assess_now(entries=entries)

    assert found.signals.second_leg is Side.RIGHT
    assert codes(found)["second-leg"] is Severity.URGENT
    assert (found.gate.status, found.gate.care) == (GateStatus.BLOCKED, Care.EMERGENCY)


def test_pain_in_both_legs_all_along_is_not_new() -> None:
    entries = [rating(3, 5, "left:thigh,right:thigh"), rating(1, 5, "left:calf,right:thigh")]

    assert assess_now(entries=entries).signals.second_leg is None


# -- nerve answers that repeat -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("history", "repeated"),
    [
        ([(1, LEFT_NERVE), (2, PULL), (3, LEFT_NERVE)], True),  # 2 of the last 3
        ([(1, LEFT_NERVE), (2, PULL), (3, PULL)], False),  # once
        ([(1, LEFT_NERVE), (2, PULL), (3, PULL), (4, LEFT_NERVE)], False),  # 4th back: too old
    ],
    ids=["twice-in-three", "once", "outside-the-window"],
)
def test_nerve_answers_in_two_of_the_last_three_sessions_are_flagged(
    history: list[tuple[int, dict[Side, Felt | None]]], repeated: bool
) -> None:
    found = assess_now(sessions=[session(days, 40, felt) for days, felt in history])

    assert found.signals.nerve_repeated is repeated
    assert ("nerve-repeated" in codes(found)) is repeated
    if repeated:
        assert codes(found)["nerve-repeated"] is Severity.EASE_OFF
        assert found.plan.rested == ()


def test_sessions_without_answers_do_not_dilute_the_repeated_nerve_window() -> None:
    unanswered = {Side.LEFT: None, Side.RIGHT: None}
    history = [(1, LEFT_NERVE), (2, unanswered), (3, unanswered), (4, LEFT_NERVE)]

    found = assess_now(sessions=[session(days, 40, felt) for days, felt in history])

    assert found.signals.nerve_repeated


# -- a chosen hold while something worsens -----------------------------------------------------


def test_a_chosen_hold_is_cut_to_the_plan_only_while_something_worsens() -> None:
    chosen = choose_settings(ROUTINE, hold_s=55)
    held = Plan(35, (3, 3), Lean.SAME, "Not longer today", ("your pain is worse",))
    free = Plan(35, (3, 3), Lean.SAME, "Every hold a mild pull")

    assert apply_plan(held, chosen, keep_hold=True).hold_s == 35
    assert apply_plan(free, chosen, keep_hold=True).hold_s == 55
    assert apply_plan(free, chosen).hold_s == 35  # not chosen: the plan's hold


# -- what is said, and only when it applies ---------------------------------------------------


def test_a_clear_history_says_nothing_at_all() -> None:
    found = assess_now(sessions=[session(1, 40, PULL)], entries=[rating(1, 3, "left:thigh")])

    assert found.gate.may_start
    assert found.flags == ()


@pytest.mark.parametrize(
    ("checks", "status", "code"),
    [
        ([], GateStatus.MISSING, "screen-missing"),
        ([check(31, ALL_NO)], GateStatus.OVERDUE, "screen-overdue"),
    ],
)
def test_a_check_that_is_due_is_the_only_flag_and_only_a_note(
    checks: list[ScreenResult], status: GateStatus, code: str
) -> None:
    history = History(NOW, ZONE, [], [], checks, [])
    found = assess(history, ROUTINE.dose, routine_id=ROUTINE.id)

    assert found.gate.status is status
    assert codes(found) == {code: Severity.INFO}


def test_a_check_is_due_again_only_after_thirty_days() -> None:
    from stretchcoach.domain.safety import SCREEN_EVERY

    just = ScreenResult(
        new_id(), USER, NOW - SCREEN_EVERY, ALL_NO, SCREEN_VERSION, NOW - SCREEN_EVERY
    )
    later = NOW - SCREEN_EVERY - timedelta(minutes=1)
    over = ScreenResult(new_id(), USER, later, ALL_NO, SCREEN_VERSION, later)

    assert assess_now(checks=[just]).gate.may_start
    assert assess_now(checks=[over]).gate.status is GateStatus.OVERDUE


def test_a_stop_rule_speaks_once_as_a_stop_with_its_reason() -> None:
    found = assess_now(entries=worsening_history())

    (stop,) = [f for f in found.flags if f.code == "stop"]
    assert stop.severity is Severity.STOP
    assert stop.message == (
        "Your pain has been worse on two recent mornings: stop this stretch for now and see "
        "your GP or physiotherapist."
    )
    assert stop.for_clinician == (
        "Stretch paused by the stop rules: the patient's pain has been worse on two recent mornings"
    )
    assert "pain-worse" not in codes(found)  # the stop says it


def test_a_visit_recorded_by_the_patient_says_so_to_the_clinician() -> None:
    mine = Acknowledgement(new_id(), USER, ("cancer",), TODAY, USER, "Me", "", NOW)
    found = assess_now(checks=[check(3, yes_to("cancer"))], acks=[mine])

    (flag,) = [f for f in found.flags if f.code == "seen-cancer"]
    assert "(recorded by the patient)" in flag.for_clinician
    theirs = seen(TODAY, 0.0, "cancer")
    (flag,) = [f for f in assess_now(checks=[check(3, yes_to("cancer"))], acks=[theirs]).flags
               if f.code == "seen-cancer"]  # fmt: skip
    assert "(recorded by Dr Okafor)" in flag.for_clinician


def test_a_rating_without_places_does_not_end_new_pain_in_the_second_leg() -> None:
    entries = [
        rating(3, 5, "left:thigh"),
        rating(2, 6, "left:thigh,right:calf"),
        rating(1, 4, ""),  # how much, not where
    ]

    found = assess_now(entries=entries)

    assert found.signals.second_leg is Side.RIGHT
    assert found.gate.care is Care.EMERGENCY


def test_the_nerve_plan_names_holds_in_the_singular_and_plural() -> None:
    three = assess_now(sessions=[session(1, 30, LEFT_NERVE)]).plan
    two = assess_now(sessions=[session(1, 30, LEFT_NERVE, reps=(2, 2))], reps_per_side=2).plan

    assert three.reps == (2, 3) and "and 2 holds on the left leg instead of 3." in three.reason
    assert two.reps == (1, 2) and "and 1 hold on the left leg instead of 2." in two.reason


def test_a_rested_leg_stays_rested_after_a_good_session() -> None:
    plan = assess_now(sessions=[session(1, 30, PULL, reps=(0, 3))]).plan

    assert plan.reps == (0, 3)
    assert plan.rested == (Side.LEFT,)


def test_nerve_in_both_legs_at_the_floor_rests_both_and_asks_for_both_to_be_assessed() -> None:
    both = {Side.LEFT: Felt.NERVE, Side.RIGHT: Felt.NERVE}
    found = assess_now(sessions=[session(1, 30, both, reps=(1, 1))])

    assert found.plan.reps == (0, 0)
    assert "rest both legs from this stretch for now" in found.plan.reason
    assert "Please have both legs assessed" in found.plan.reason
    assert found.gate.stops == ("stop-nerve",)


def test_new_pain_in_the_second_leg_holds_the_dose_and_says_why() -> None:
    entries = [rating(3, 5, "left:thigh"), rating(1, 5, "left:thigh,right:thigh")]

    plan = assess_now(sessions=[session(2, 40, PULL)], entries=entries).plan

    assert plan.hold_s == 40
    assert "pain has appeared in your right leg" in plan.changed_by


def test_the_dose_story_tells_each_change_of_holds_per_leg() -> None:
    from stretchcoach.domain.clinical import dose_story

    sessions = [session(3, 40, PULL), session(2, 40, PULL, reps=(2, 3)), session(1, 30, PULL)]

    story = dose_story(list(reversed(sessions)))

    assert [line.split(": ", 1)[1] for line in story] == [
        "left leg holds 3 → 2",
        "hold down from 40 s to 30 s",
        "left leg holds 2 → 3",
    ]


@pytest.mark.parametrize(
    ("checks", "entries", "due"),
    [
        ([], [], True),  # never answered
        ([check(31, ALL_NO)], [], True),  # over 30 days old
        ([check(20, ALL_NO)], [rating(1, 9, "left:calf")], True),  # pain jumped: urgent again
        ([check(20, ALL_NO)], [], False),  # clear
        ([check(1, yes_to("bladder"))], [], False),  # a refusal, not a question
    ],
)
def test_questions_are_due_only_when_the_check_is_missing_old_or_changed(
    checks: list[ScreenResult], entries: list[PainEntry], due: bool
) -> None:
    history = History(NOW, ZONE, [], entries, checks, [])

    assert assess(history, ROUTINE.dose, routine_id=ROUTINE.id).gate.due is due


def test_one_leg_rested_for_the_nerve_is_said_as_a_rest() -> None:
    plan = assess_now(sessions=[session(1, 30, LEFT_NERVE, reps=(1, 3))]).plan

    assert plan.reps == (0, 3)
    assert "rest the left leg for now" in plan.reason
    assert "Please have the left leg assessed" in plan.reason


@pytest.mark.parametrize(("nothing", "words"), [(1, "1 hold felt"), (2, "2 holds felt")])
def test_holds_that_felt_like_nothing_are_counted_in_words(nothing: int, words: str) -> None:
    s = session(1, 40, PULL)
    for hold in s.holds[:nothing]:
        s.holds[s.holds.index(hold)] = Hold(hold.id, s.id, hold.hold_number, hold.side,
                                            hold.planned_s, hold.held_s, True, hold.ended_at,
                                            Felt.NOTHING)  # fmt: skip

    plan = assess_now(sessions=[s]).plan

    assert plan.lean is Lean.FURTHER
    assert plan.reason.startswith(f"{words} like nothing much")


def test_a_spread_stop_names_the_spread_alone() -> None:
    places = ["right:buttock", "right:buttock,right:thigh", "right:thigh,right:calf",
              "right:calf,right:foot"]  # fmt: skip
    entries = [rating(3 - n, 4, where) for n, where in enumerate(places)]

    found = assess_now(entries=entries)

    assert found.gate.stops == ("stop-spread-right",)
    assert found.gate.message == (
        "the pain in your right leg has spread below the knee and stayed: stop this stretch for "
        "now and see your GP or physiotherapist"
    )


def test_a_yes_that_blocks_speaks_alone_even_when_the_urgent_questions_are_due_again() -> None:
    found = assess_now(checks=[check(1, yes_to("unwell"))], entries=[rating(0.5, 9, "left:calf")])

    assert found.signals.recheck_why == "your pain jumped to 9"
    assert found.gate.status is GateStatus.BLOCKED
    assert "recheck" not in codes(found)


def test_a_check_with_no_question_answered_is_refused() -> None:
    from stretchcoach.domain.safety import check_answers
    from stretchcoach.errors import InvalidInput

    with pytest.raises(InvalidInput, match="no question was answered"):
        check_answers((None,) * len(QUESTIONS), reported=True)  # a check-in that said nothing
    assert check_answers((None,) * (len(QUESTIONS) - 1) + (False,), reported=True)[-1] is False
