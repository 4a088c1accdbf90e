"""The clinical core, told as stories across mornings with a fake clock.

Each story records what a person does through the services (sessions, holds, what they felt,
pain before and after, checks, acknowledgements) into a fake unit of work, moves the clock a
day at a time, and asserts the verdict every interface shows: the gate, the next dose, the
level of the words.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.domain.checkin import NOT_ASKED, Symptoms
from stretchcoach.domain.clinical import (
    GateStatus,
    Lean,
    apply_plan,
    worse_mornings,
)
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext, parse_sites
from stretchcoach.domain.routine import Routine, SessionSettings, choose_settings
from stretchcoach.domain.runner import HoldResult
from stretchcoach.domain.safety import (
    ACKNOWLEDGE_IN_TERMINAL,
    ANSWER_IN_TERMINAL,
    EMERGENCY_CODES,
    QUESTIONS,
    SCREEN_VERSION,
    Care,
    Severity,
    emergency_only,
)
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import Hold
from stretchcoach.domain.timeline import hold_sides
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import InvalidInput, SafetyBlock, ScreenDue
from stretchcoach.services import session_case
from stretchcoach.services.clinical import verdict
from stretchcoach.services.pain import log_pain
from stretchcoach.services.safety import acknowledge, answer_screen, require_screen
from stretchcoach.services.session_case import Morning, Where
from stretchcoach.services.sessions import new_session
from stretchcoach.testing import FakeClock, FakeUnitOfWork

USER = "person"
ZONE = ZoneInfo("Europe/London")
DAY1 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
ALL_NO: tuple[bool | None, ...] = (False,) * len(QUESTIONS)
IN_TERMINAL = Where(answer=ANSWER_IN_TERMINAL, seen=ACKNOWLEDGE_IN_TERMINAL)


def yes_to(*codes: str) -> tuple[bool | None, ...]:
    return tuple(q.code in codes for q in QUESTIONS)


class Person:
    """One person's mornings, recorded through the services on a fake clock."""

    def __init__(self, routine: Routine, *, start: datetime = DAY1) -> None:
        self.routine = routine
        self.clock = FakeClock(start)
        self.uow = FakeUnitOfWork()

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def next_morning(self) -> None:
        self.clock.tick(24 * 3600)

    def answer(self, answers: tuple[bool | None, ...], *, partial: bool = False) -> None:
        answer_screen(answers, user_id=USER, uow=self.uow, now=self.now, partial=partial)

    def log(self, score: int, where: str = "", *, note: str = "") -> None:
        log_pain(
            score,
            parse_sites(where),
            user_id=USER,
            uow=self.uow,
            now=self.now,
            time_zone=ZONE.key,
            note=note,
        )

    def verdict(self, *, reps: int | None = None, practice: bool = False):  # type: ignore[no-untyped-def]
        return verdict(
            USER,
            self.routine,
            uow=self.uow,
            now=self.now,
            zone=ZONE,
            reps_per_side=reps,
            practice=practice,
        )

    def morning(
        self,
        felt: Felt | list[Felt | None] | dict[Side, Felt] | None,
        *,
        before: int | None = None,
        where: str = "",
        after: int | None = None,
        holds: int | None = None,
        status: SessionStatus = SessionStatus.COMPLETED,
        practice: bool = False,
        symptoms: Symptoms = NOT_ASKED,
    ) -> SessionSettings:
        """A session as `start` runs it (cli/start.py, cli/checkin.py, cli/coach.py): the
        check-in first (pain now, where, the three questions), the gate and the dose from it,
        then the holds, what each felt like, how it ended and the pain after, every record
        kept through the session use case. A refused morning raises its refusal (SafetyBlock,
        ScreenDue) once the check-in's pain is kept, as `start` says it and stops."""
        keep = session_case.store_now(self.uow)
        checked_in = Morning(before, where, symptoms)
        checked = session_case.check_in(
            USER,
            self.routine,
            choose_settings(self.routine),
            checked_in,
            uow=self.uow,
            now=self.now,
            zone=ZONE,
            where=IN_TERMINAL,
            keep=keep,
            practice=practice,
        )
        if checked.refused is not None or checked.plan is None:
            raise checked.refused or SafetyBlock("no session today")
        settings_ = checked.plan.settings
        session = new_session(
            self.routine,
            settings_,
            user_id=USER,
            now=self.now,
            time_zone=ZONE.key,
            speed=2.0 if practice else 1.0,
        )
        session_case.begin(session, keep=keep, pain=checked.pain)
        answers = session_case.FeltAnswers(session.id, keep)
        sides = hold_sides(settings_)
        count = len(sides) if holds is None else holds
        if isinstance(felt, dict):
            felts: list[Felt | None] = [felt.get(side) for side in sides]
        else:
            felts = felt if isinstance(felt, list) else [felt] * count
        for number, side in enumerate(sides[:count], start=1):
            result = HoldResult(number, side, settings_.hold_s, settings_.hold_s, True)
            hold = Hold.from_result(session.id, result, ended_at=self.now)
            session_case.record_hold(hold, keep=keep)
            answers.hold_kept(hold)
            answer = felts[number - 1] if number - 1 < len(felts) else None
            if answer is not None:
                answers.answer(number, answer)
        session_case.finish(session.id, status, now=self.now, keep=keep)
        if after is not None:
            entry = session_case.session_pain(
                session, after, PainContext.AFTER, now=self.now, where=where
            )
            session_case.record_pain(entry, keep=keep)
        return settings_


@pytest.fixture
def person(routine: Routine) -> Person:
    p = Person(routine)
    p.answer(ALL_NO)
    return p


# -- the dose follows the patient ------------------------------------------------------------


def test_every_hold_a_pull_steps_the_hold_up_toward_a_minute(person: Person) -> None:
    holds = []
    for _ in range(4):
        holds.append(person.morning(Felt.PULL, before=3, where="left:thigh").hold_s)
        person.next_morning()

    assert holds == [30, 35, 40, 45]
    assert person.verdict().plan.hold_s == 50


def test_worsening_mornings_hold_the_dose_and_then_stop_the_stretch(person: Person) -> None:
    for _ in range(2):  # two good mornings: 30 then 35 s
        person.morning(Felt.PULL, before=4, where="left:thigh")
        person.next_morning()
    worse = person.morning(Felt.PULL, before=6, where="left:thigh,left:calf")
    assert worse.hold_s == 35, "a worse morning holds the dose it had"
    assert person.verdict().plan.hold_s <= worse.hold_s, "the dose never grows while pain rises"
    person.next_morning()

    with pytest.raises(SafetyBlock, match="two recent mornings"):  # the check-in refuses it
        person.morning(Felt.PULL, before=7, where="left:thigh,left:calf,left:foot")

    found = person.verdict()
    assert found.gate.status is GateStatus.BLOCKED
    assert "stop this stretch for now and see your GP or physiotherapist" in found.gate.message
    assert "stop-worsening" in found.gate.stops
    assert len(person.uow.sessions.list_recent(USER)) == 3, "no session that morning"
    assert person.uow.journal.entries(USER)[-1].score == 7, "its pain is kept all the same"


def test_pain_spreading_below_the_knee_and_staying_stops_the_stretch(person: Person) -> None:
    person.log(3, "right:buttock")
    person.next_morning()
    person.log(3, "right:buttock,right:thigh")
    person.next_morning()
    person.log(4, "right:thigh,right:calf")
    assert person.verdict().gate.may_start  # once below the knee: ease off, not yet stop
    assert "peripheralising-right" in {f.code for f in person.verdict().flags}
    person.next_morning()
    person.log(4, "right:calf,right:foot")

    found = person.verdict()
    assert found.gate.status is GateStatus.BLOCKED
    assert found.gate.stops == ("stop-spread-right",)
    assert "right leg has spread below the knee" in found.gate.message


def test_a_stopped_or_interrupted_session_never_steps_the_dose_up(person: Person) -> None:
    person.morning(Felt.PULL, holds=1, status=SessionStatus.STOPPED)
    person.next_morning()
    assert person.verdict().plan.hold_s == 30
    assert "ended early" in person.verdict().plan.reason
    person.morning(Felt.PULL, holds=2, status=SessionStatus.INTERRUPTED)
    person.next_morning()

    assert person.verdict().plan.hold_s == 30


def test_practice_runs_change_neither_the_dose_nor_the_flags(person: Person) -> None:
    person.morning(Felt.PULL, before=3, where="left:thigh")
    person.next_morning()
    person.morning(Felt.NERVE, before=9, where="left:foot,right:calf", after=10, practice=True)

    found = person.verdict()
    assert found.plan.hold_s == 35
    assert not [f for f in found.flags if f.severity is not Severity.INFO]
    assert found.gate.may_start


# -- nerve symptoms change what happens ---------------------------------------------------------


def test_a_nerve_answer_shortens_the_hold_then_cuts_then_rests_that_leg(person: Person) -> None:
    person.morning(Felt.PULL)
    person.next_morning()
    person.morning(Felt.PULL)  # 35 s
    person.next_morning()
    left_nerve = {Side.LEFT: Felt.NERVE, Side.RIGHT: Felt.PULL}
    person.morning(left_nerve)  # at 40 s, the left leg reaches the nerve
    person.next_morning()
    step1 = person.verdict().plan
    assert (step1.hold_s, step1.reps, step1.lean) == (30, (3, 3), Lean.LESS)
    assert "left leg" in step1.reason and "lean less" in step1.reason

    person.morning(left_nerve)  # at the floor: one hold fewer on the left
    person.next_morning()
    step2 = person.verdict().plan
    assert (step2.hold_s, step2.reps) == (30, (2, 3))

    person.morning(left_nerve)
    person.next_morning()
    step3 = person.verdict()
    assert step3.plan.reps == (0, 3)
    assert "assessed" in step3.plan.reason
    assert "nerve-rest-left" in {f.code for f in step3.flags}
    assert step3.gate.may_start  # the right leg carries on
    assert hold_sides(apply_plan(step3.plan, choose_settings(person.routine))) == [Side.RIGHT] * 3


def test_nerve_on_every_hold_for_days_ends_in_a_stop_not_a_loop(person: Person) -> None:
    stops = 0
    for _ in range(5):
        found = person.verdict()
        if not found.gate.may_start:
            stops += 1
            break
        person.morning(Felt.NERVE)
        person.next_morning()

    found = person.verdict()
    assert stops == 1
    assert found.gate.stops == ("stop-nerve",)
    # nerve answers in both legs: the emergency questions come first, then the stop stands
    assert found.gate.status is GateStatus.RECHECK
    assert "below the knee in both legs" in found.gate.message
    person.answer(emergency_only(dict.fromkeys(EMERGENCY_CODES, False)), partial=True)
    found = person.verdict()
    assert found.gate.status is GateStatus.BLOCKED
    assert "reaching the nerve in both legs" in found.gate.message


def test_a_clinician_seen_after_the_leg_was_rested_gives_it_back(person: Person) -> None:
    for _ in range(2):
        person.morning({Side.LEFT: Felt.NERVE, Side.RIGHT: Felt.PULL})
        person.next_morning()
    assert person.verdict().plan.reps == (0, 3)

    acknowledge(
        USER,
        person.routine,
        seen_on=person.now.date(),
        by_user_id="clinician-1",
        by_name="Dr Okafor",
        uow=person.uow,
        now=person.now,
        zone=ZONE,
    )

    assert person.verdict().plan.reps[0] > 0


# -- warning signs at four levels --------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "care", "words"),
    [
        ("bowel", Care.EMERGENCY, "emergency department now"),
        ("both-legs", Care.EMERGENCY, "999"),
        ("unwell", Care.SAME_DAY, "Get seen today"),
        ("leg-weaker", Care.SAME_DAY, "111"),
        ("injury", Care.SAME_DAY, "urgent appointment"),
        ("cancer", Care.WITHIN_DAYS, "within the next few days"),
        ("bones-steroids", Care.WITHIN_DAYS, "within the next few days"),
        ("immune", Care.WITHIN_DAYS, "within the next few days"),
    ],
    ids=lambda v: v if isinstance(v, str) and "-" in v else None,
)
def test_each_warning_sign_calls_for_its_own_level_of_care(
    routine: Routine, code: str, care: Care, words: str
) -> None:
    p = Person(routine)
    p.answer(yes_to(code))

    found = p.verdict()

    assert found.gate.status is GateStatus.BLOCKED
    assert found.gate.care is care
    flag = found.flags[0]
    assert words in flag.message
    with pytest.raises(SafetyBlock):
        require_screen(found)


def test_a_fever_is_a_same_day_matter_not_the_next_few_days(routine: Routine) -> None:
    p = Person(routine)
    p.answer(yes_to("unwell"))

    found = p.verdict()

    assert found.gate.care is Care.SAME_DAY
    assert "today" in found.flags[0].message
    assert "few days" not in found.flags[0].message


def test_a_routine_yes_advises_a_review_and_lets_the_stretch_go_on(routine: Routine) -> None:
    p = Person(routine)
    p.answer(yes_to("not-easing"))

    found = p.verdict()

    assert found.gate.may_start
    assert any("routine appointment" in f.message for f in found.flags)


def test_a_lifelong_yes_is_settled_once_by_an_acknowledgement_and_stays_settled(
    routine: Routine,
) -> None:
    p = Person(routine)
    p.answer(yes_to("cancer"))
    assert not p.verdict().gate.may_start
    with pytest.raises(InvalidInput, match="future"):
        acknowledge(USER, routine, seen_on=p.now.date() + timedelta(days=2), by_user_id=USER,
                    by_name="You", uow=p.uow, now=p.now, zone=ZONE)  # fmt: skip

    with pytest.raises(InvalidInput, match="before the first yes"):
        acknowledge(USER, routine, seen_on=date(2025, 11, 20), by_user_id=USER,
                    by_name="You", uow=p.uow, now=p.now, zone=ZONE)  # fmt: skip

    acknowledge(
        USER,
        routine,
        seen_on=date(2026, 3, 2),
        by_user_id=USER,
        by_name="You",
        note="oncologist: exercise is fine",
        uow=p.uow,
        now=p.now,
        zone=ZONE,
    )
    assert p.verdict().gate.may_start
    seen = [f for f in p.verdict().flags if f.code == "seen-cancer"]
    assert seen and "02 Mar 2026" in seen[0].for_clinician
    for _ in range(31):  # a month on, the truthful yes again: still settled
        p.next_morning()
    assert p.verdict().gate.status is GateStatus.OVERDUE
    p.answer(yes_to("cancer"))
    assert p.verdict().gate.may_start

    p.next_morning()
    p.answer(yes_to("cancer", "weight-loss"))  # something new: the gate closes again
    found = p.verdict()
    assert found.gate.status is GateStatus.BLOCKED
    assert [e.question.code for e in found.gate.open] == ["weight-loss"]


def test_an_emergency_yes_is_not_cleared_by_a_no_seconds_later(routine: Routine) -> None:
    p = Person(routine)
    p.answer(yes_to("saddle-numbness"))
    p.clock.tick(20)
    p.answer(ALL_NO)

    found = p.verdict()

    assert found.gate.status is GateStatus.BLOCKED
    assert found.gate.care is Care.EMERGENCY
    assert "later answered no" in found.flags[0].for_clinician
    with p.uow:
        kept = p.uow.screens.history(USER)
    assert [any(c.answers) for c in kept] == [True, False]  # the record keeps both


def test_a_check_dated_ahead_cannot_outrank_todays_yes(routine: Routine) -> None:
    p = Person(routine)
    ahead = p.now + timedelta(days=3 * 365)
    with p.uow:
        p.uow.screens.add(  # as an old import or a clock running fast would have stored it
            ScreenResult("from-the-future", USER, ahead, ALL_NO, SCREEN_VERSION, stored_at=p.now)
        )
        p.uow.commit()
    p.clock.tick(60)
    p.answer(yes_to("unwell"))

    assert p.verdict().gate.status is GateStatus.BLOCKED
    fresh = Person(routine)
    with fresh.uow:
        fresh.uow.screens.add(
            ScreenResult("ahead", USER, ahead, ALL_NO, SCREEN_VERSION, stored_at=fresh.now)
        )
        fresh.uow.commit()
    for _ in range(31):
        fresh.next_morning()
    assert fresh.verdict().gate.status is GateStatus.OVERDUE  # counts from the store's time


# -- pain that changes asks the emergency questions again -------------------------------------


def test_pain_newly_in_the_second_leg_is_an_emergency_until_seen(person: Person) -> None:
    person.log(6, "left:thigh,left:calf")
    person.next_morning()
    person.log(7, "left:calf,right:calf")

    found = person.verdict()

    assert found.gate.status is GateStatus.BLOCKED
    assert found.gate.care is Care.EMERGENCY
    assert found.gate.new_leg is Side.RIGHT
    assert "emergency department now" in found.gate.message
    (flag,) = [f for f in found.flags if f.code == "second-leg"]
    assert flag.severity is Severity.URGENT  # one urgency, the question's own
    assert "see your GP soon" not in flag.message
    assert "both-legs" in found.to_acknowledge

    person.next_morning()  # still in both legs the next day: it stands
    person.log(6, "left:calf,right:thigh")
    assert person.verdict().gate.new_leg is Side.RIGHT

    acknowledge(USER, person.routine, seen_on=person.now.date(), by_user_id="gp", by_name="GP",
                uow=person.uow, now=person.now, zone=ZONE)  # fmt: skip
    assert person.verdict().gate.new_leg is None


@pytest.mark.parametrize(
    ("places", "new_leg"),
    [
        (("left:calf", "left:calf,right:calf"), Side.RIGHT),
        (("right:thigh", "left:foot,right:thigh"), Side.LEFT),
        (("left:calf", "left:calf,right:lower-back"), None),  # the back is not a leg
        (("left:calf", "left:calf,right:buttock"), None),
        (("left:calf,right:calf", "left:calf,right:calf"), None),  # in both all along
        (("left:calf", "right:calf"), None),  # moved across, not in both
        (("left:calf", "left:calf"), None),
    ],
)
def test_only_new_pain_in_the_other_leg_is_the_both_legs_sign(
    routine: Routine, places: tuple[str, str], new_leg: Side | None
) -> None:
    p = Person(routine)
    p.log(5, places[0])
    p.next_morning()
    p.log(5, places[1])

    assert p.verdict().gate.new_leg is new_leg


@pytest.mark.parametrize(
    ("scores", "note", "asks"),
    [
        ((5, 9), "", True),
        ((9, 10), "", False),
        ((4, 4), "pins and needles in the foot", True),
        ((4, 4), "pins n needles in my left foot", True),
        ((4, 4), "stiff after the car journey", False),
    ],
    ids=["jump-to-9", "already-high", "tingling-words", "typed-on-a-phone", "ordinary-note"],
)
def test_a_jump_to_9_or_numbness_words_ask_again(
    routine: Routine, scores: tuple[int, int], note: str, asks: bool
) -> None:
    p = Person(routine)
    p.log(scores[0], "left:thigh")
    p.clock.tick(60)
    p.answer(ALL_NO)
    p.clock.tick(60)
    p.log(scores[1], "left:thigh", note=note)

    assert (p.verdict().gate.status is GateStatus.RECHECK) is asks


def test_the_emergency_questions_cannot_be_skipped_in_a_recheck() -> None:
    with pytest.raises(InvalidInput, match="never skipped"):
        answer_screen(
            (*tuple(None for _ in QUESTIONS[:-1]), False),
            user_id=USER,
            uow=FakeUnitOfWork(),
            now=DAY1,
            partial=True,
        )


def test_never_answered_means_the_check_first(routine: Routine) -> None:
    p = Person(routine)

    found = p.verdict()

    assert found.gate.status is GateStatus.MISSING
    with pytest.raises(ScreenDue, match="comes before the first session"):
        require_screen(found)


# -- rules in the small -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "worse"),
    [
        ([4, 6, 7], [1, 2]),
        ([4, 5, 4, 5], []),
        ([4, 6, 5, 6], [1]),
        ([7, 7, 8, 7], []),
        ([2, 2, 2, 9], [3]),
        ([8, 6, 5], []),
    ],
    ids=["rising", "one-point-jitter", "two-up", "high-and-steady", "sudden", "falling"],
)
def test_a_worse_morning_is_a_change_most_people_notice(
    scores: list[int], worse: list[int]
) -> None:
    days = {date(2026, 3, 1) + timedelta(days=i): s for i, s in enumerate(scores)}

    found = worse_mornings(days)

    assert found == [date(2026, 3, 1) + timedelta(days=i) for i in worse]


def test_pain_zero_with_places_is_refused_in_one_place() -> None:
    with pytest.raises(InvalidInput, match="pain 0 means no pain") as caught:
        log_pain(0, parse_sites("left:calf"), user_id=USER, uow=FakeUnitOfWork(), now=DAY1,
                 time_zone="UTC")  # fmt: skip
    assert caught.value.field == "score"


_FELTS = st.sampled_from([Felt.PULL, Felt.NOTHING, Felt.NERVE, None])


@settings(max_examples=40, deadline=None)
@given(
    mornings=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=8),
            st.lists(_FELTS, min_size=6, max_size=6),
            st.sampled_from(list(SessionStatus)[1:]),
        ),
        min_size=1,
        max_size=5,
    ),
    rise=st.integers(min_value=2, max_value=4),
)
def test_no_worsening_history_ever_yields_a_longer_hold(
    mornings: list[tuple[int, list[Felt | None], SessionStatus]], rise: int
) -> None:
    routine = load_builtin()
    p = Person(routine)
    p.answer(ALL_NO)
    last = None
    for score, felts, status in mornings:
        try:
            last = p.morning(felts, before=score, where="left:thigh", status=status)
        except SafetyBlock:  # this morning's check-in refused it: no longer hold either
            return
        p.next_morning()
    assert last is not None
    final = mornings[-1][0]
    p.log(min(10, final + rise), "left:thigh,left:calf")  # this morning: clearly worse

    assert p.verdict().plan.hold_s <= last.hold_s


def test_a_cut_plan_never_asks_more_holds_than_chosen(routine: Routine) -> None:
    chosen = choose_settings(routine, reps_per_side=2)
    p = Person(routine)
    p.answer(ALL_NO)
    plan = replace(p.verdict().plan, reps=(3, 1))

    applied = apply_plan(plan, chosen)

    assert applied.side_reps == (2, 1)
    assert applied.total_holds == 3


@pytest.mark.parametrize(
    ("note", "care"),
    [
        ("wet myself this morning", Care.EMERGENCY),
        ("lost control of my bowels", Care.EMERGENCY),
        ("numb between my legs", Care.EMERGENCY),
        ("can’t lift my foot", Care.SAME_DAY),
        ("leg gave way on the stairs", Care.SAME_DAY),
    ],
)
def test_danger_written_in_a_note_stands_at_its_level_at_once(
    routine: Routine, note: str, care: Care
) -> None:
    p = Person(routine)
    p.answer(ALL_NO)
    p.clock.tick(60)
    p.log(4, "left:calf", note=note)  # a rest day: no session planned

    found = p.verdict()

    assert found.gate.status is GateStatus.BLOCKED
    assert found.gate.care is care
    assert found.flags[0].severity is (
        Severity.URGENT if care is Care.EMERGENCY else Severity.SEE_DOCTOR
    )


def test_an_ordinary_note_stays_quiet(routine: Routine) -> None:
    p = Person(routine)
    p.answer(ALL_NO)
    p.clock.tick(60)
    p.log(3, "left:thigh", note="walked to the shops, fine")

    assert p.verdict().gate.may_start


def test_a_worse_morning_is_named_by_its_own_day_never_this_morning(routine: Routine) -> None:
    p = Person(routine)
    p.answer(ALL_NO)
    p.log(3, "left:thigh")
    p.next_morning()
    p.log(6, "left:thigh")

    today = {f.code: f.message for f in p.verdict().flags}
    p.next_morning()  # nothing logged yet this morning
    tomorrow = {f.code: f.message for f in p.verdict().flags}

    assert today["pain-worse"].startswith("Your pain today is up on the days before")
    assert tomorrow["pain-worse"].startswith("Your pain yesterday was up on the days before")
    assert "this morning" not in " ".join(tomorrow.values())
