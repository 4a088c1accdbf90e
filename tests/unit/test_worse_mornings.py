"""A worse morning, sound across the whole 0-10 scale, and the dose and flags it drives.

The rule in the small (`worse_mornings`, `worsening_stops`) is checked as properties over every
starting pain 0-10, every rise and short histories; then stories through `assess`, with
histories built as the services would read them (sessions with their holds, ratings before and
after, the check), one morning at a time on a fake clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.domain.clinical import (
    GateStatus,
    History,
    Lean,
    Plan,
    Verdict,
    apply_plan,
    assess,
    worse_mornings,
)
from stretchcoach.domain.clinical.dose import HOLD_CEILING_S, STEP_UP_S
from stretchcoach.domain.clinical.signals import (
    NO_LONGER_FROM,
    STOP_FROM_PAIN,
    STOP_MORNINGS,
    worsening_stops,
)
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.routine import Routine, choose_settings
from stretchcoach.domain.safety import (
    EMERGENCY_CODES,
    QUESTIONS,
    SCREEN_VERSION,
    Severity,
    emergency_only,
)
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import Hold, Session, new_id
from stretchcoach.domain.timeline import hold_sides
from stretchcoach.domain.trends import noticeable_rise
from stretchcoach.domain.values import SessionStatus

ZONE = ZoneInfo("Europe/London")
DAY1 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
FIRST = date(2026, 3, 1)
ROUTINE = load_builtin()
STEADY = [FIRST + timedelta(days=n) for n in range(20)]


def is_worse(earlier: list[int], today: int) -> bool:
    """Whether `today`, after `earlier` (one rated day each), is a worse morning."""
    days = dict(zip(STEADY, [*earlier, today], strict=False))
    return STEADY[len(earlier)] in worse_mornings(days)


scores = st.integers(min_value=0, max_value=10)
histories = st.lists(scores, min_size=1, max_size=3)


# -- the rule in the small, over the whole scale ------------------------------------------------


@given(earlier=histories, today=scores, more=st.integers(min_value=0, max_value=10))
def test_a_higher_morning_is_never_less_worse(earlier: list[int], today: int, more: int) -> None:
    higher = min(10, today + more)

    if is_worse(earlier, today):
        assert is_worse(earlier, higher)


@given(earlier=histories, today=scores)
def test_a_morning_no_higher_than_the_days_before_is_never_worse(
    earlier: list[int], today: int
) -> None:
    reference = sum(earlier) / len(earlier)

    if today <= reference:
        assert not is_worse(earlier, today)


@given(earlier=histories)
def test_the_rise_needed_is_always_on_the_scale(earlier: list[int]) -> None:
    reference = sum(earlier) / len(earlier)

    if reference <= 9:
        assert reference + noticeable_rise(reference) <= 10
        assert is_worse(earlier, 10)  # some morning on the scale is worse: 10 at least
    else:  # already at 9-10: no whole point above; each such morning is flagged on its own
        assert not is_worse(earlier, 10)


@given(earlier=st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=3))
def test_a_rise_into_9_or_10_is_always_a_worse_morning(earlier: list[int]) -> None:
    assert is_worse(earlier, 9)
    assert is_worse(earlier, 10)


@pytest.mark.parametrize(
    ("earlier", "today", "worse"),
    [
        ([0], 1, False),
        ([0, 1], 2, False),
        ([1, 2], 3, False),
        ([2], 3, False),
        ([0], 2, True),  # exactly 2 points
        ([4], 5, False),
        ([4], 6, True),
        ([7], 9, True),  # 30% of 7 is 2.1: capped at what reaching 9 takes
        ([8], 9, True),
        ([8], 10, True),
        ([8, 10], 10, True),  # a point above the reference of 9
        ([9, 10], 10, False),  # steady at the top: no whole point above 9.5
        ([10], 10, False),
    ],
)
def test_worse_at_both_ends_of_the_scale(earlier: list[int], today: int, worse: bool) -> None:
    assert is_worse(earlier, today) is worse


mild = st.integers(min_value=0, max_value=STOP_FROM_PAIN - 1)


@given(
    pains=st.lists(mild, min_size=1, max_size=10),
    gaps=st.lists(st.integers(min_value=1, max_value=3), min_size=10, max_size=10),
)
def test_pain_that_stays_mild_never_stops_the_stretch(pains: list[int], gaps: list[int]) -> None:
    day, days = FIRST, {}
    for pain, gap in zip(pains, gaps, strict=False):
        days[day] = pain
        day += timedelta(days=gap)
    today = max(days)

    assert not worsening_stops(days, worse_mornings(days), today=today)


@pytest.mark.parametrize(
    ("pains", "stops"),
    [
        ([0, 1, 2], False),
        ([1, 2, 3], False),
        ([0, 2, 3], False),  # two worse mornings, both mild: the dose holds, no stop
        ([0, 2, 4], True),  # the second at 4: out of mild pain
        ([4, 6, 7], True),
        ([4, 4, 6], False),  # one worse morning holds the dose, it does not stop
    ],
)
def test_the_worsening_stop_needs_two_worse_mornings_and_one_out_of_mild_pain(
    pains: list[int], stops: bool
) -> None:
    days = dict(zip(STEADY, pains, strict=False))

    assert worsening_stops(days, worse_mornings(days), today=max(days)) is stops


# -- stories through assess ---------------------------------------------------------------------


ALL_NO: tuple[bool | None, ...] = (False,) * len(QUESTIONS)


@dataclass
class Story:
    """One person's history as the core reads it, built a morning at a time."""

    routine: Routine = ROUTINE
    now: datetime = DAY1
    sessions: list[Session] = field(default_factory=list)
    entries: list[PainEntry] = field(default_factory=list)
    checks: list[ScreenResult] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.answer(ALL_NO)

    def answer(self, answers: tuple[bool | None, ...]) -> None:
        self.checks.append(
            ScreenResult(new_id(), "u", self.now, answers, SCREEN_VERSION, stored_at=self.now)
        )
        self.tick()

    def tick(self, minutes: int = 1) -> None:
        self.now += timedelta(minutes=minutes)

    def next_morning(self, days: int = 1) -> None:
        self.now = self.now.replace(hour=7, minute=0) + timedelta(days=days)

    def rate(
        self,
        score: int,
        where: str = "",
        *,
        context: PainContext = PainContext.STANDALONE,
        session: Session | None = None,
    ) -> None:
        self.entries.append(
            PainEntry(
                new_id(),
                "u",
                self.now,
                ZONE.key,
                score,
                parse_sites(where),
                context,
                session.id if session else None,
            )
        )
        self.tick()

    def verdict(self) -> Verdict:
        history = History(self.now, ZONE, self.sessions, self.entries, self.checks)
        return assess(history, self.routine.dose, routine_id=self.routine.id)

    def session(
        self,
        felt: Felt | None = Felt.PULL,
        *,
        before: int | None = None,
        after: int | None = None,
        where: str = "left:thigh",
    ) -> float:
        """A session at the planned dose, as `start` runs it; the hold it ran at."""
        settings_ = apply_plan(self.verdict().plan, choose_settings(self.routine))
        session = Session(
            new_id(),
            "u",
            self.routine.id,
            self.routine.name,
            self.now,
            ZONE.key,
            settings_,
            status=SessionStatus.COMPLETED,
        )
        if before is not None:
            self.rate(before, where, context=PainContext.BEFORE, session=session)
        for number, side in enumerate(hold_sides(settings_), start=1):
            self.tick()
            hold_s = settings_.hold_s
            hold = Hold(new_id(), session.id, number, side, hold_s, hold_s, True, self.now, felt)
            session.holds.append(hold)
        session.ended_at = self.now
        self.sessions.append(session)
        if after is not None:
            self.rate(after, where, context=PainContext.AFTER, session=session)
        return settings_.hold_s


def codes(found: Verdict) -> set[str]:
    return {f.code for f in found.flags}


def severe_words(found: Verdict) -> str:
    return " ".join(f.message for f in found.flags if f.code == "pain-severe")


def test_8_then_10_then_10_never_lengthens_the_hold_and_warns() -> None:
    story = Story()
    holds = []
    for n, pain in enumerate((8, 10, 10)):
        if n:
            story.next_morning()
        story.rate(pain, "left:thigh,left:calf")  # the morning's check-in
        found = story.verdict()
        if found.gate.status is GateStatus.RECHECK:  # the jump to 10 asks again: all no
            assert "jumped to 10" in found.gate.message
            story.answer(emergency_only(dict.fromkeys(EMERGENCY_CODES, False)))
            found = story.verdict()
        if pain >= 9:
            severe = [f for f in found.flags if f.code == "pain-severe"]
            assert severe and severe[0].severity is Severity.EASE_OFF
            assert f"{pain} out of 10" in severe[0].message
            assert "see your GP" in severe[0].message
            assert ("go gently" in severe[0].message) is found.gate.may_start
            assert f"{pain}/10" in severe[0].for_clinician
        if found.gate.may_start:
            holds.append(story.session(Felt.PULL))
        assert found.plan.hold_s <= (holds[0] if holds else 30)
        assert "Every hold was a mild pull" not in found.plan.reason

    assert holds == [30, 30]
    found = story.verdict()
    assert found.gate.stops == ("stop-worsening",)  # two worse mornings, at 10
    assert found.plan.hold_s == 30
    assert "10 out of 10" in found.plan.reason
    assert "see your GP" in severe_words(found)  # still warned under the stop ...
    assert "go gently" not in severe_words(found)  # ... with no advice for a session


def test_the_severe_pain_flag_names_the_day_it_was_rated() -> None:
    story = Story()
    story.rate(9)
    rated_on = story.now.astimezone(ZONE)
    assert "Your pain today is 9 out of 10" in severe_words(story.verdict())
    story.next_morning()
    assert "Your pain yesterday was 9 out of 10" in severe_words(story.verdict())
    story.next_morning()
    assert f"Your pain on {rated_on:%A} was 9" in severe_words(story.verdict())  # named
    story.next_morning()
    assert "pain-severe" not in codes(story.verdict())  # three days on, nothing since: gone


@pytest.mark.parametrize("pains", [(0, 1, 2), (1, 2, 3), (2, 3), (0, 2, 3)], ids=str)
def test_small_moves_in_mild_pain_never_stop_the_stretch(pains: tuple[int, ...]) -> None:
    story = Story()
    for n, pain in enumerate(pains):
        if n:
            story.next_morning()
        story.rate(pain, "left:thigh" if pain else "")
        found = story.verdict()
        assert found.gate.may_start, found.gate.message
        story.session(Felt.PULL)

    found = story.verdict()
    assert found.gate.may_start
    assert not found.gate.stops
    assert not [f for f in found.flags if f.severity in (Severity.STOP, Severity.SEE_DOCTOR)]
    assert not [f for f in found.flags if f.code.startswith("peripheralising")]


def test_several_mornings_at_5_then_8_keeps_the_hold() -> None:
    story = Story()
    holds = []
    for n in range(4):
        if n:
            story.next_morning()
        story.rate(5, "left:thigh")
        holds.append(story.session(Felt.PULL))
    assert holds == [30, 35, 40, 45]
    story.next_morning()
    story.rate(8, "left:thigh")

    found = story.verdict()

    assert found.plan.hold_s == 45
    assert found.plan.lean is Lean.SAME
    assert "your pain today is 8 out of 10" in found.plan.reason
    assert f"never get longer at {NO_LONGER_FROM} or more" in found.plan.reason
    assert "pain-severe" not in codes(found)  # 8 holds the dose; 9 or 10 is the flag


def test_steady_pain_at_8_never_steps_the_hold_up_but_7_does() -> None:
    for pain, expected in ((8, [30, 30, 30]), (7, [30, 35, 40])):
        story = Story()
        holds = []
        for n in range(3):
            if n:
                story.next_morning()
            story.rate(pain)
            holds.append(story.session(Felt.PULL))
        assert holds == expected, pain


# -- the dose and its lean ----------------------------------------------------------------------


def test_the_lean_follows_what_the_holds_felt() -> None:
    story = Story()
    first = story.verdict().plan
    assert (first.hold_s, first.lean) == (30, Lean.SAME)
    story.session(Felt.PULL)
    story.next_morning()
    pulled = story.verdict().plan
    assert (pulled.hold_s, pulled.lean) == (30 + STEP_UP_S, Lean.SAME)
    story.session(Felt.NOTHING)
    story.next_morning()
    nothing = story.verdict().plan
    assert (nothing.hold_s, nothing.lean) == (35, Lean.FURTHER)
    assert "lean a little further" in nothing.reason
    story.session(None)
    story.next_morning()
    unanswered = story.verdict().plan
    assert (unanswered.hold_s, unanswered.lean) == (35, Lean.SAME)
    story.session(Felt.NERVE)
    story.next_morning()
    nerve = story.verdict().plan
    assert (nerve.hold_s, nerve.lean) == (30, Lean.LESS)


def test_a_worse_morning_keeps_the_hold_and_the_lean() -> None:
    story = Story()
    story.rate(4)
    story.session(Felt.NOTHING)  # would otherwise lean further
    story.next_morning()
    story.rate(6)

    found = story.verdict().plan

    assert (found.hold_s, found.lean) == (30, Lean.SAME)
    assert "Not longer today" in found.reason
    assert found.changed_by


def test_the_hold_tops_out_at_a_minute() -> None:
    story = Story()
    holds = [story.session(Felt.PULL)]
    for _ in range(8):
        story.next_morning()
        holds.append(story.session(Felt.PULL))

    assert max(holds) == HOLD_CEILING_S
    plan = story.verdict().plan
    assert (plan.hold_s, plan.lean) == (HOLD_CEILING_S, Lean.SAME)
    assert "stay at 60 s" in plan.reason


def test_a_chosen_hold_never_goes_above_the_plan_while_something_worsens() -> None:
    chosen = choose_settings(ROUTINE, hold_s=60)
    held_back = Plan(45, (3, 3), Lean.SAME, "Not longer today", ("worse morning",))
    free = replace(held_back, changed_by=())

    assert apply_plan(held_back, chosen, keep_hold=True).hold_s == 45
    assert apply_plan(free, chosen, keep_hold=True).hold_s == 60  # the person's own choice
    assert apply_plan(free, chosen).hold_s == 45
    lower = choose_settings(ROUTINE, hold_s=30)
    assert apply_plan(held_back, lower, keep_hold=True).hold_s == 30  # never raised either


# -- the rules' edges -----------------------------------------------------------------------------


def test_ratings_straight_after_a_session_are_never_a_worse_morning() -> None:
    story = Story()
    story.rate(3)
    story.session(Felt.PULL, before=3, after=4)
    for after in (6, 8):
        story.next_morning()
        story.session(Felt.PULL, before=3, after=after)

    found = story.verdict()

    assert found.signals.worse_days == ()
    assert not found.signals.worsening_now
    assert "stop-worsening" not in found.gate.stops
    assert "pain-worse" not in codes(found)
    assert "pain-rose" in codes(found)  # the rise after the session is its own rule


def test_a_worse_morning_stands_while_it_is_recent_then_lapses() -> None:
    story = Story()
    story.rate(4)
    story.session(Felt.PULL)
    story.next_morning()
    story.rate(6)
    for _ in range(2):  # the next two mornings, with no rating since
        story.next_morning()
        found = story.verdict()
        assert found.signals.worsening_now
        assert "pain-worse" in codes(found)
        assert "Not longer today" in found.plan.reason
    story.next_morning()

    found = story.verdict()

    assert not found.signals.worsening_now
    assert "pain-worse" not in codes(found)


def _rated(story: Story, pains: dict[int, int]) -> Verdict:
    """Ratings on the given days ago (a morning each), and the verdict today."""
    start = story.now
    for ago, pain in sorted(pains.items(), reverse=True):
        story.now = start - timedelta(days=ago)
        story.rate(pain)
    story.now = start + timedelta(hours=1)
    return story.verdict()


def test_one_worse_morning_holds_the_dose_and_does_not_stop() -> None:
    found = _rated(Story(), {2: 4, 1: 4, 0: 6})

    assert found.signals.worse_days == (found.signals.today,)
    assert found.gate.may_start
    assert not found.gate.stops
    assert "pain-worse" in codes(found)


def test_two_worse_mornings_in_the_window_stop_the_stretch() -> None:
    found = _rated(Story(), {2: 4, 1: 6, 0: 8})

    assert len(found.signals.worse_days) == STOP_MORNINGS
    assert found.gate.stops == ("stop-worsening",)
    assert not found.gate.may_start


@pytest.mark.parametrize(
    ("older_worse", "stops"),
    [(6, True), (7, False)],
    ids=["inside-the-week", "a-day-past-it"],
)
def test_the_worse_mornings_must_fall_within_the_week(older_worse: int, stops: bool) -> None:
    found = _rated(Story(), {older_worse + 2: 4, older_worse: 6, 0: 8})

    assert len(found.signals.worse_days) == 2
    assert ("stop-worsening" in found.gate.stops) is stops


@pytest.mark.parametrize(
    ("pains", "stops"),
    [
        ({3: 4, 2: 6, 1: 6, 0: 8}, True),  # worse, not, worse: both in the last three
        ({6: 4, 5: 4, 4: 4, 3: 6, 2: 5, 1: 5, 0: 8}, False),  # worse, not, not, worse
    ],
    ids=["two-of-three", "two-of-four"],
)
def test_the_worse_mornings_must_fall_among_the_last_three_rated_days(
    pains: dict[int, int], stops: bool
) -> None:
    found = _rated(Story(), pains)

    assert len(found.signals.worse_days) == 2
    assert ("stop-worsening" in found.gate.stops) is stops
    assert found.signals.worsening_now


@pytest.mark.parametrize(
    ("before", "after", "rose"), [(4, 6, True), (4, 5, False), (4, 4, False)], ids=str
)
def test_pain_rose_after_the_session_at_two_points_not_one(
    before: int, after: int, rose: bool
) -> None:
    story = Story()
    story.session(Felt.PULL, before=before, after=after)
    story.next_morning()

    found = story.verdict()

    assert found.signals.pain_rose_after is rose
    assert ("pain-rose" in codes(found)) is rose
    assert found.plan.hold_s == (30 if rose else 35)
    if rose:
        assert "rose 2 or more points" in found.plan.reason


@settings(max_examples=60, deadline=None)
@given(earlier=st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=3),
       top=st.sampled_from([9, 10]))  # fmt: skip
def test_reaching_9_or_10_from_lower_always_warns_and_never_lengthens_the_hold(
    earlier: list[int], top: int
) -> None:
    story = Story()
    for n, pain in enumerate(earlier):
        if n:
            story.next_morning()
        story.rate(pain)
        story.session(Felt.PULL)
    last_hold = story.sessions[-1].settings.hold_s
    story.next_morning()
    story.rate(top)

    found = story.verdict()

    assert "pain-severe" in codes(found)
    assert found.signals.worsening_now
    assert found.plan.hold_s <= last_hold
    assert found.gate.status is GateStatus.RECHECK  # the emergency questions come again
