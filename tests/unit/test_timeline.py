"""The routine and a session's settings expand into the right phases."""

from __future__ import annotations

import pytest

from stretchcoach.domain.routine import Routine, choose_settings
from stretchcoach.domain.timeline import PhaseKind, build_timeline, hold_sides
from stretchcoach.domain.values import Order, Side
from stretchcoach.errors import InvalidInput


def test_default_session_alternates_legs_three_times_each_left_first(routine: Routine) -> None:
    timeline = build_timeline(routine, choose_settings(routine))

    sides = [p.side for p in timeline.holds]

    assert sides == [Side.LEFT, Side.RIGHT] * 3
    assert [p.duration_s for p in timeline.holds] == [30.0] * 6


def test_phases_are_get_ready_then_holds_with_a_rest_between_and_none_after(
    routine: Routine,
) -> None:
    timeline = build_timeline(routine, choose_settings(routine, reps_per_side=2))

    kinds = [p.kind for p in timeline]

    H, R = PhaseKind.HOLD, PhaseKind.REST
    assert kinds == [PhaseKind.GET_READY, H, R, H, R, H, R, H]
    assert [p.index for p in timeline] == list(range(len(timeline)))


def test_right_leg_first_starts_on_the_right(routine: Routine) -> None:
    timeline = build_timeline(routine, choose_settings(routine, first_side=Side.RIGHT))

    assert timeline.holds[0].side is Side.RIGHT
    assert timeline.holds[1].side is Side.LEFT
    assert "right" in timeline[0].cue


def test_rest_cue_names_the_leg_that_comes_next(routine: Routine) -> None:
    timeline = build_timeline(routine, choose_settings(routine))

    rest = timeline[2]

    assert rest.kind is PhaseKind.REST
    assert rest.side is Side.RIGHT
    assert "right" in rest.cue
    assert "switch" in rest.cue.lower()


def test_blocked_order_does_all_holds_of_one_leg_first(routine: Routine) -> None:
    settings = choose_settings(routine)
    blocked = type(settings)(30, 3, Side.LEFT, 10, order=Order.BLOCKED)

    assert hold_sides(blocked) == [Side.LEFT] * 3 + [Side.RIGHT] * 3
    timeline = build_timeline(routine, blocked)
    assert "same leg" in timeline[2].cue.lower()


def test_holds_are_numbered_across_the_session_and_within_each_leg(routine: Routine) -> None:
    timeline = build_timeline(routine, choose_settings(routine))

    numbers = [(p.hold_number, p.rep) for p in timeline.holds]

    assert numbers == [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3)]
    assert timeline.holds[2].title == "Left leg · hold 2 of 3"


def test_total_time_is_get_ready_plus_holds_plus_rests(routine: Routine) -> None:
    timeline = build_timeline(routine, choose_settings(routine, hold_s=45, rest_s=5))

    assert timeline.total_s == 15 + 6 * 45 + 5 * 5


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"hold_s": 29.9}, "30 to 60 seconds"),
        ({"hold_s": 61}, "30 to 60 seconds"),
        ({"reps_per_side": 0}, "at least 1"),
        ({"reps_per_side": -3}, "at least 1"),
        ({"reps_per_side": 11}, "1 to 10"),
        ({"rest_s": 1}, "3 to 120 seconds"),
    ],
    ids=["hold-short", "hold-long", "reps-zero", "reps-negative", "reps-many", "rest-short"],
)
def test_settings_outside_the_routine_range_are_refused_with_what_is_allowed(
    routine: Routine, options: dict[str, float], expected: str
) -> None:
    with pytest.raises(InvalidInput, match=expected):
        choose_settings(routine, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("hold_s", [30, 45, 60], ids=["low-edge", "middle", "high-edge"])
def test_holds_inside_the_allowed_range_are_accepted(routine: Routine, hold_s: float) -> None:
    assert choose_settings(routine, hold_s=hold_s).hold_s == hold_s
