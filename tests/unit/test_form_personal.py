"""The hold start learned per person from their own holds, so someone tight is not left waiting."""

from __future__ import annotations

import pytest

from stretchcoach.domain.form.personal import UsualForm
from stretchcoach.domain.form.state import FormTracker
from stretchcoach.domain.form.synthetic import Key, scripted
from stretchcoach.domain.values import Side

FPS = 30.0


@pytest.mark.parametrize(
    ("folds", "start"),
    [
        ((), 12.0),
        ((130.0,), 12.0),
        ((114.0,), 12.0),
        ((110.0,), 10.0),
        ((106.0,), 8.0),
        ((98.0,), 8.0),
        ((104.0, 120.0, 106.0), 8.0),
        ((120.0, 104.0, 104.0, 104.0, 104.0, 104.0), 8.0),
        ((104.0, 104.0, 104.0, 120.0, 120.0, 120.0), 12.0),
    ],
    ids=[
        "no-holds-yet",
        "flexible",
        "holds-at-24",
        "holds-at-20",
        "tight-holds-at-16",
        "never-below-8",
        "median",
        "only-the-last-five-a",
        "only-the-last-five-b",
    ],
)
def test_the_hold_start_is_half_the_lean_the_person_usually_holds(
    folds: tuple[float, ...], start: float
) -> None:
    usual = UsualForm({Side.LEFT: folds})

    assert usual.start_lean_deg(Side.LEFT) == start
    assert usual.start_lean_deg(Side.RIGHT) == 12.0  # nothing learned on that leg
    assert usual.start_lean_deg(None) == 12.0


def test_the_usual_depth_is_the_most_recent_figure_per_leg() -> None:
    usual = UsualForm({Side.LEFT: (110.0, 104.0), Side.RIGHT: ()})

    assert usual.depth_deg == {Side.LEFT: 104.0}
    assert usual.with_hold(Side.RIGHT, 99.0).depth_deg == {Side.LEFT: 104.0, Side.RIGHT: 99.0}


def tight_hold(start_s: float, lean: float) -> list[Key]:
    """Leg out, a slow lean to `lean`, held 10 s, back up."""
    return [
        Key(start_s),
        Key(start_s + 1.0),
        Key(start_s + 3.0, lean_deg=lean),
        Key(start_s + 13.0, lean_deg=lean),
        Key(start_s + 15.0),
        Key(start_s + 17.0),
    ]


def test_someone_tight_is_not_left_waiting_once_the_coach_knows_them() -> None:
    poses = scripted(tight_hold(0.0, 10.0), fps=FPS, noise_px=1.5)

    def holds(tracker: FormTracker) -> int:
        for i, pose in enumerate(poses):
            tracker.update(i / FPS, pose, brightness=0.5)
        tracker.finish(len(poses) / FPS)
        return len(tracker.holds)

    assert holds(FormTracker()) == 0  # 10° never reaches the first-time 12°
    assert holds(FormTracker(usual=UsualForm({Side.LEFT: (106.0, 105.0)}))) == 1


def test_the_first_hold_of_a_session_teaches_the_next() -> None:
    keys = tight_hold(0.0, 14.0)[:-1] + tight_hold(17.0, 10.0)
    poses = scripted(keys, fps=FPS, noise_px=1.5)
    tracker = FormTracker()

    for i, pose in enumerate(poses):
        tracker.update(i / FPS, pose, brightness=0.5)
    tracker.finish(len(poses) / FPS)

    first, second = tracker.holds
    assert first.max_hip_flexion_deg == pytest.approx(104, abs=2)
    assert tracker.usual.start_lean_deg(Side.LEFT) == 8.0
    assert second.good_form_s > 9.0


def test_a_session_asking_for_a_hold_takes_a_still_lean_short_of_the_start() -> None:
    poses = scripted(tight_hold(0.0, 9.5), fps=FPS, noise_px=1.5)
    asked, unasked, wrong_leg = FormTracker(), FormTracker(), FormTracker()
    asked.expected_side, wrong_leg.expected_side = Side.LEFT, Side.RIGHT

    for tracker in (asked, unasked, wrong_leg):
        for i, pose in enumerate(poses):
            tracker.update(i / FPS, pose, brightness=0.5)
        tracker.finish(len(poses) / FPS)

    (hold,) = asked.holds
    assert 3.5 < hold.start_s < 5.5  # 1.5 s after the lean settled at 9.5°
    assert hold.good_form_s > 8.0
    assert unasked.holds == [] and wrong_leg.holds == []  # a video alone never guesses


def test_sitting_tall_during_a_hold_is_not_taken_for_a_stretch() -> None:
    poses = scripted([Key(0.0, lean_deg=3.0), Key(12.0, lean_deg=3.0)], fps=FPS, noise_px=1.5)
    tracker = FormTracker()
    tracker.expected_side = Side.LEFT

    for i, pose in enumerate(poses):
        tracker.update(i / FPS, pose, brightness=0.5)

    assert tracker.holds == [] and tracker.state.value == "leg_raised"
