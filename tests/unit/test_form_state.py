"""The form state machine on scripted movements: holds, faults, noise, leaving the frame."""

from __future__ import annotations

import pytest

from stretchcoach.domain.form.metrics import Fault, HoldForm
from stretchcoach.domain.form.pose import Joint, Pose
from stretchcoach.domain.form.readings import FormReading, FormState
from stretchcoach.domain.form.state import FormTracker
from stretchcoach.domain.form.synthetic import Key, OtherLeg, scripted
from stretchcoach.domain.values import Side

FPS = 30.0

# sit tall with the left leg out, lean in over 3 s, hold, come back up over 2 s
CLEAN = [Key(0.0), Key(2.0), Key(5.0, lean_deg=30), Key(15.0, lean_deg=30), Key(17.0), Key(19.0)]


def run(
    poses: list[Pose | None], tracker: FormTracker | None = None, *, fps: float = FPS
) -> tuple[FormTracker, list[FormReading]]:
    tracker = tracker or FormTracker()
    readings = [tracker.update(i / fps, pose, brightness=0.5) for i, pose in enumerate(poses)]
    tracker.finish(len(poses) / fps)
    return tracker, readings


def only_hold(tracker: FormTracker) -> HoldForm:
    assert len(tracker.holds) == 1, tracker.holds
    return tracker.holds[0]


def changes(readings: list[FormReading]) -> list[FormState]:
    states = [r.state for r in readings]
    return [s for i, s in enumerate(states) if i == 0 or s is not states[i - 1]]


def test_a_clean_hold_is_one_hold_in_good_form() -> None:
    tracker, readings = run(scripted(CLEAN, noise_px=1.5))

    hold = only_hold(tracker)
    assert changes(readings) == [
        FormState.NOT_IN_VIEW,
        FormState.LEG_RAISED,
        FormState.STRETCHING,
        FormState.RELEASED,
        FormState.LEG_RAISED,
    ]
    assert hold.side is Side.LEFT
    assert hold.faults == {}
    assert 3.0 < hold.start_s < 4.0  # the lean passes 12° 1.2 s into a 3 s lean
    assert 15.0 < hold.end_s < 17.0
    assert hold.good_form_s == pytest.approx(hold.duration_s, abs=0.5)
    assert hold.max_hip_flexion_deg == pytest.approx(120, abs=3)
    assert hold.min_knee_deg == pytest.approx(180, abs=3)


def test_a_knee_that_bends_mid_hold_is_a_fault_and_pauses_good_form() -> None:
    keys = [*CLEAN[:3], Key(8.0, lean_deg=30), Key(8.5, lean_deg=30, knee_deg=140)]
    keys += [Key(11.0, lean_deg=30, knee_deg=140), Key(11.5, lean_deg=30), *CLEAN[3:]]

    tracker, readings = run(scripted(keys, noise_px=1.5))

    hold = only_hold(tracker)
    assert hold.faults == {Fault.KNEE_BENT: 1}
    assert hold.min_knee_deg == pytest.approx(140, abs=4)
    assert hold.duration_s - hold.good_form_s == pytest.approx(3.0, abs=0.8)
    bent = [r for r in readings if Fault.KNEE_BENT in r.faults]
    assert all(not r.form_ok for r in bent)
    assert 8.3 < bent[0].t_s < 9.2  # seen within about half a second


def test_bouncing_is_seen_and_the_hold_waits_for_stillness() -> None:
    keys = [*CLEAN[:3], Key(7.0, lean_deg=30), Key(7.0, lean_deg=30, bounce_deg=6, bounce_hz=1.5)]
    keys += [Key(11.0, lean_deg=30, bounce_deg=6, bounce_hz=1.5), Key(11.0, lean_deg=30)]
    keys += CLEAN[3:]

    tracker, readings = run(scripted(keys, noise_px=1.5))

    hold = only_hold(tracker)
    assert hold.faults.get(Fault.BOUNCING) == 1
    assert hold.max_hip_flexion_deg == pytest.approx(120, abs=2)  # not the bounces' peaks
    bouncing = [r.t_s for r in readings if Fault.BOUNCING in r.faults]
    assert 7.0 < bouncing[0] < 9.0
    assert bouncing[-1] < 14.0


def test_a_slow_lean_is_not_too_fast_but_a_sudden_one_is() -> None:
    fast = [Key(0.0), Key(2.0), Key(2.6, lean_deg=40), Key(10.0, lean_deg=40), Key(12.0), Key(13.0)]

    slow_tracker, _ = run(scripted(CLEAN, noise_px=1.5))
    fast_tracker, _ = run(scripted(fast, noise_px=1.5))

    assert Fault.TOO_FAST not in only_hold(slow_tracker).faults
    assert Fault.TOO_DEEP_TOO_FAST not in only_hold(slow_tracker).faults
    assert only_hold(fast_tracker).faults.get(Fault.TOO_FAST) == 1


def test_going_well_past_the_usual_depth_quickly_asks_to_ease_off() -> None:
    keys = [Key(0.0), Key(2.0), Key(4.0, lean_deg=45), Key(12.0, lean_deg=45), Key(14.0)]
    usual = FormTracker(reference_deg={Side.LEFT: 115.0})  # 25° of lean last time

    tracker, readings = run(scripted(keys, noise_px=1.0), usual)

    hold = only_hold(tracker)
    assert hold.faults.get(Fault.TOO_DEEP_TOO_FAST) == 1
    assert not any(r.form_ok for r in readings if 4.0 < r.t_s < 5.5)  # past usual: paused
    # once the person has held still a moment the plunge is over, and once the form has
    # been right for 2 s the still hold counts
    assert all(r.form_ok for r in readings if 8.0 < r.t_s < 12.0)
    eased = [Key(0.0), Key(2.0), Key(4.0, lean_deg=45), Key(5.0, lean_deg=45)]
    eased += [Key(6.0, lean_deg=32), Key(12.0, lean_deg=32), Key(14.0)]
    tracker, _ = run(scripted(eased, noise_px=1.0), FormTracker(reference_deg={Side.LEFT: 115.0}))
    assert only_hold(tracker).good_form_s > 4.0  # easing off lets the hold count again


def test_a_rounded_back_is_a_fault() -> None:
    keys = [*CLEAN[:3], Key(8.0, lean_deg=30), Key(9.0, lean_deg=30, curl_deg=50)]
    keys += [Key(12.0, lean_deg=30, curl_deg=50), Key(13.0, lean_deg=30), *CLEAN[3:]]

    tracker, _ = run(scripted(keys, noise_px=1.5))

    assert only_hold(tracker).faults == {Fault.BACK_ROUNDED: 1}


def test_leaving_the_frame_ends_the_hold_and_a_short_glitch_does_not() -> None:
    glitch = [*CLEAN[:3], Key(8.0, lean_deg=30), Key(8.0, lean_deg=30, present=False)]
    glitch += [Key(8.2, lean_deg=30), *CLEAN[3:]]
    leave = [*CLEAN[:3], Key(8.0, lean_deg=30), Key(8.0, present=False), Key(12.0, present=False)]

    glitch_tracker, glitch_readings = run(scripted(glitch, noise_px=1.5))
    leave_tracker, leave_readings = run(scripted(leave, duration_s=12.0, noise_px=1.5))

    assert only_hold(glitch_tracker).duration_s > 10.0
    assert FormState.NOT_IN_VIEW not in changes(glitch_readings)[1:]
    hold = only_hold(leave_tracker)
    assert hold.end_s == pytest.approx(8.0, abs=0.1)  # ends where the person was last seen
    assert leave_readings[-1].state is FormState.NOT_IN_VIEW
    assert leave_readings[-1].view is not None


def test_noise_never_flickers_the_state_or_raises_a_fault() -> None:
    steady = [Key(0.0, lean_deg=25), Key(30.0, lean_deg=25)]

    for seed in range(3):
        tracker, readings = run(scripted(steady, noise_px=3.0, seed=seed))

        assert changes(readings) == [FormState.NOT_IN_VIEW, FormState.STRETCHING]
        assert not any(r.faults for r in readings)
        assert only_hold(tracker).good_form_s > 29.0


@pytest.mark.parametrize("other", [OtherLeg.HANGING, OtherLeg.FOLDED], ids=["bed", "floor"])
@pytest.mark.parametrize("raised", [Side.LEFT, Side.RIGHT], ids=["left", "right"])
def test_holds_are_found_whatever_the_other_leg_does(other: OtherLeg, raised: Side) -> None:
    keys = [Key(k.t_s, lean_deg=k.lean_deg, raised=raised) for k in CLEAN]

    tracker, _ = run(scripted(keys, other=other, noise_px=1.5))

    assert only_hold(tracker).side is raised


def test_a_video_that_starts_and_ends_mid_hold_still_reports_it() -> None:
    mid_hold = [Key(0.0, lean_deg=30), Key(6.0, lean_deg=30)]

    tracker, _ = run(scripted(mid_hold, noise_px=1.5))

    hold = only_hold(tracker)
    assert hold.start_s == pytest.approx(0.0, abs=0.05)
    assert hold.end_s == pytest.approx(6.0, abs=0.1)


def test_each_finished_hold_becomes_the_usual_depth_for_its_side() -> None:
    tracker, _ = run(scripted(CLEAN, noise_px=1.0))

    assert tracker.reference_deg[Side.LEFT] == pytest.approx(120, abs=3)
    assert Side.RIGHT not in tracker.reference_deg


def test_a_model_that_swaps_left_and_right_mid_hold_does_not_break_the_hold() -> None:
    poses = scripted(CLEAN, noise_px=1.0)
    swapped = [p.mirrored().mirrored() if i < 270 else _swap_labels(p) for i, p in enumerate(poses)]

    tracker, _ = run(swapped)

    hold = only_hold(tracker)
    assert hold.side is Side.LEFT
    assert hold.duration_s > 10.0


def _swap_labels(pose: Pose | None) -> Pose | None:
    if pose is None:
        return None
    order = [Joint(i).mirror for i in range(len(Joint))]
    return Pose(pose.xy[order].copy(), pose.visibility[order].copy(), pose.width, pose.height)
