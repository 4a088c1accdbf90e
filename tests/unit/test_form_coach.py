"""Corrections, smoothing, and the camera coach gating a guided session's holds."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pytest

from stretchcoach.cli.camera import with_default_index
from stretchcoach.domain.clock import Clock
from stretchcoach.domain.form.coach import Corrector, correction_for
from stretchcoach.domain.form.filters import OneEuroFilter
from stretchcoach.domain.form.geometry import ViewIssue
from stretchcoach.domain.form.metrics import Fault
from stretchcoach.domain.form.pose import Pose
from stretchcoach.domain.form.readings import FormReading, FormState
from stretchcoach.domain.form.synthetic import Figure, Key, scripted
from stretchcoach.domain.form.thresholds import DEFAULT_THRESHOLDS
from stretchcoach.domain.routine import Routine, choose_settings
from stretchcoach.domain.runner import HoldResult, Runner
from stretchcoach.domain.timeline import Phase, PhaseKind, build_timeline
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services.form import Frame, LiveFormCoach
from stretchcoach.services.guided import GuidedSession
from stretchcoach.services.safekeeping import Kept
from stretchcoach.testing import FakeClock, FakeSpeaker, RecordingView, ReplayPoseEstimator


def reading(
    t_s: float = 0.0,
    *,
    state: FormState = FormState.STRETCHING,
    side: Side | None = Side.LEFT,
    faults: frozenset[Fault] = frozenset(),
    view: ViewIssue | None = None,
) -> FormReading:
    return FormReading(
        t_s=t_s,
        state=state,
        side=side,
        form_ok=not faults and view is None and state is FormState.STRETCHING,
        faults=faults,
        new_faults=faults,
        view=view,
        knee_deg=170.0,
        hip_flexion_deg=115.0,
        trunk_lean_deg=25.0,
        back_curl_deg=10.0,
        speed_deg_s=0.0,
        measured=view is None,
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (reading(), None),
        (reading(faults=frozenset({Fault.KNEE_BENT})), "Straighten your left knee."),
        (
            reading(side=Side.RIGHT, faults=frozenset({Fault.KNEE_BENT})),
            "Straighten your right knee.",
        ),
        (reading(faults=frozenset({Fault.BACK_ROUNDED})), "Sit tall, shoulders back."),
        (reading(faults=frozenset({Fault.TOO_FAST})), "Slower."),
        (reading(faults=frozenset({Fault.BOUNCING, Fault.TOO_FAST})), "No bouncing, hold still."),
        (reading(faults=frozenset({Fault.TOO_DEEP_TOO_FAST})), "Ease off a little."),
        (reading(view=ViewIssue.NOT_SIDE_ON), "Turn a little more side-on to the camera."),
        (reading(view=ViewIssue.FEET_OUT), "Move the camera so your feet are in the picture too."),
        (
            reading(view=ViewIssue.FEET_OUT, faults=frozenset({Fault.KNEE_BENT})),
            "Move the camera so your feet are in the picture too.",
        ),
    ],
    ids=[
        "all-good",
        "knee-left",
        "knee-right",
        "back",
        "speed",
        "bounce-beats-speed",
        "deep",
        "side-on",
        "feet",
        "view-first",
    ],
)
def test_the_most_important_correction_is_chosen(given: FormReading, expected: str | None) -> None:
    correction = correction_for(given)

    assert (correction.text if correction else None) == expected


def test_the_wrong_leg_is_named() -> None:
    correction = correction_for(reading(side=Side.RIGHT), expected_side=Side.LEFT)

    assert correction is not None
    assert correction.text == "Other leg, please: raise your left leg."


def test_corrections_are_spaced_out_and_not_repeated_too_soon() -> None:
    corrector = Corrector()
    knee = frozenset({Fault.KNEE_BENT})
    back = frozenset({Fault.BACK_ROUNDED})

    # one correction per 3 s at most, the same one not again within 10 s
    moments = [(0.0, knee), (1.0, knee), (2.0, back), (3.5, back), (4.0, knee), (9.5, knee)]
    moments += [(10.5, knee), (12.0, back), (13.6, back)]

    said = [
        (t, c.text)
        for t, faults in moments
        if (c := corrector.next(reading(t, faults=faults))) is not None
    ]

    assert said == [
        (0.0, "Straighten your left knee."),
        (3.5, "Sit tall, shoulders back."),
        (10.5, "Straighten your left knee."),
        (13.6, "Sit tall, shoulders back."),
    ]


def test_the_one_euro_filter_smooths_noise_and_follows_a_movement() -> None:
    rng = np.random.default_rng(3)
    f = OneEuroFilter(min_cutoff_hz=1.0, beta=0.02)
    still = [f(i / 30, 100 + rng.normal(0, 2)) for i in range(300)]
    ramp = [f(10 + i / 30, 100 + 20 * i / 30) for i in range(60)]

    assert np.std(still[60:]) < 0.8  # from 2° of noise
    assert ramp[-1] == pytest.approx(140, abs=6)  # little lag on a 20°/s movement


def test_the_one_euro_filter_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="positive"):
        OneEuroFilter(min_cutoff_hz=0)


# -- the camera in a guided session -----------------------------------------------------------

FPS = 15.0
GET_READY = 15.0


class StillFrames:
    """A frame source that never runs: the test feeds frames itself, in step with the clock."""

    fps = FPS

    def grab(self) -> bool:
        return False

    def retrieve(self) -> Frame:
        raise AssertionError("not used")

    def close(self) -> None:
        return None


@dataclass
class CameraInStep:
    """Keys that never come; while waiting, the camera's frames reach the coach on time."""

    coach: LiveFormCoach
    frames: int
    interactive: bool = True
    sent: int = 0
    image: np.ndarray = field(default_factory=lambda: np.zeros((4, 4, 3), np.uint8))

    def wait(self, clock: Clock, deadline: float | None) -> str | None:
        target = deadline if deadline is not None else clock.monotonic() + 0.25
        while self.sent < self.frames and self.sent / FPS <= target:
            clock.sleep_until(self.sent / FPS)
            self.coach.process(Frame(self.sent, self.sent / FPS, self.image, 0.5))
            self.sent += 1
        clock.sleep_until(target)
        return None


def person() -> list[Pose | None]:
    """Left leg out; lean in as the hold starts; knee bends 10-15 s in; right leg next."""
    g = GET_READY
    keys = [Key(0.0), Key(g), Key(g + 3, lean_deg=30), Key(g + 10, lean_deg=30)]
    keys += [Key(g + 10.5, lean_deg=30, knee_deg=140), Key(g + 15, lean_deg=30, knee_deg=140)]
    keys += [Key(g + 15.5, lean_deg=30), Key(g + 38, lean_deg=30), Key(g + 40)]
    right = [Key(g + 41, raised=Side.RIGHT), Key(g + 44, lean_deg=30, raised=Side.RIGHT)]
    right += [Key(g + 90, lean_deg=30, raised=Side.RIGHT)]
    return scripted(keys + right, fps=FPS, noise_px=1.0)


def test_a_camera_hold_counts_only_good_form_and_says_why_it_waits(routine: Routine) -> None:
    clock = FakeClock()
    timeline = build_timeline(routine, choose_settings(routine, reps_per_side=1))
    poses = person()
    coach = LiveFormCoach(StillFrames(), ReplayPoseEstimator(poses, stamped=False))
    speaker, saved = FakeSpeaker(), []
    saved_forms = []

    def save(result: HoldResult) -> Kept:
        saved.append(result)
        saved_forms.append(coach.hold_form(result.hold_number))
        return Kept.SAVED

    guided = GuidedSession(
        runner=Runner(timeline, clock),
        clock=clock,
        speaker=speaker,
        view=RecordingView(),
        keys=CameraInStep(coach, len(poses)),
        save_hold=save,
        form=coach,
    )

    status = guided.run()

    assert status is SessionStatus.COMPLETED
    assert [h.completed for h in saved] == [True, True]
    assert "Straighten your left knee." in speaker.said
    left, right = saved_forms
    assert left is not None and right is not None
    assert left.faults == {Fault.KNEE_BENT: 1}
    assert left.min_knee_deg == pytest.approx(140, abs=5)
    # the 30 s the session counted, and the first seconds in good form it waited to see last
    assert left.good_form_s == pytest.approx(30 + DEFAULT_THRESHOLDS.hold_confirm_s, abs=1.0)
    assert left.duration_s > 35  # the hold waited while the knee was bent
    assert right.side is Side.RIGHT and right.faults == {}
    assert right.max_hip_flexion_deg == pytest.approx(120, abs=3)


def test_without_a_person_the_hold_waits_and_the_camera_says_so(routine: Routine) -> None:
    clock = FakeClock()
    timeline = build_timeline(routine, choose_settings(routine, reps_per_side=1))
    coach = LiveFormCoach(StillFrames(), ReplayPoseEstimator([], stamped=False))
    speaker = FakeSpeaker()
    guided = GuidedSession(
        runner=Runner(timeline, clock),
        clock=clock,
        speaker=speaker,
        view=RecordingView(),
        keys=CameraInStep(coach, math.ceil(60 * FPS)),
        save_hold=lambda result: Kept.SAVED,
        form=coach,
    )
    guided._handle(guided.runner.advance())

    while clock.monotonic() < 60:
        guided.keys.wait(clock, clock.monotonic() + 0.05)
        guided._check_form()
        guided.runner.advance()

    snapshot = guided.runner.snapshot()
    assert snapshot.phase is not None and snapshot.phase.is_hold
    assert snapshot.gated and snapshot.elapsed_s < 1.0
    assert "I can't see you yet. Sit where the camera sees all of you." in speaker.said


def test_when_the_camera_stops_the_session_carries_on_ungated() -> None:
    coach = LiveFormCoach(StillFrames(), ReplayPoseEstimator([], stamped=False))
    hold = build_hold_phase()

    coach.start()
    coach.close()
    update = coach.poll(hold)

    assert update.form_ok
    assert update.failed is not None and update.failed.startswith("The camera stopped")


def build_hold_phase() -> Phase:
    return Phase(1, PhaseKind.HOLD, 30.0, "hold", "", "", side=Side.LEFT, hold_number=1)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["start", "--camera"], ["start", "--camera", "0"]),
        (["start", "--camera", "--hold", "40"], ["start", "--camera", "0", "--hold", "40"]),
        (["start", "--camera", "2"], ["start", "--camera", "2"]),
        (["start"], ["start"]),
        (["history", "--json"], ["history", "--json"]),
    ],
    ids=["bare-last", "bare-before-option", "with-index", "no-camera", "other-command"],
)
def test_a_bare_camera_option_means_the_first_camera(argv: list[str], expected: list[str]) -> None:
    assert with_default_index(argv) == expected


def test_set_up_problems_are_raised_before_the_first_hold(routine: Routine) -> None:
    clock = FakeClock()
    timeline = build_timeline(routine, choose_settings(routine, reps_per_side=1))
    facing_us = Figure(spread=0.8)
    poses = scripted([Key(0.0, raised=None), Key(14.0, raised=None)], fps=FPS, figure=facing_us)
    coach = LiveFormCoach(StillFrames(), ReplayPoseEstimator(poses, stamped=False))
    speaker, view = FakeSpeaker(), RecordingView()
    guided = GuidedSession(
        runner=Runner(timeline, clock),
        clock=clock,
        speaker=speaker,
        view=view,
        keys=CameraInStep(coach, len(poses)),
        save_hold=lambda result: Kept.SAVED,
        form=coach,
    )
    guided._handle(guided.runner.advance())

    while clock.monotonic() < 12:
        guided.keys.wait(clock, clock.monotonic() + 0.05)
        if guided._check_form():
            guided._handle([], redraw=True)

    assert "Turn a little more side-on to the camera." in [notice for _, _, notice in view.frames]
    assert (
        speaker.said.count("Turn a little more side-on to the camera.") == 1
    )  # after the get-ready cue
    assert speaker.said[0] == timeline[0].cue
