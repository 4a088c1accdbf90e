"""The camera form coach as use cases: what it needs from outside, the live coach for a
guided session, per-hold form metrics in the store, and the flexibility trend.

Frames and poses come in through two small ports, so tests replay poses and another pose
estimator can replace MediaPipe without touching anything here.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from stretchcoach.domain.form.coach import Correction, Corrector
from stretchcoach.domain.form.metrics import HoldForm
from stretchcoach.domain.form.personal import UsualForm
from stretchcoach.domain.form.pose import Pose
from stretchcoach.domain.form.readings import FormReading, HoldFormBuilder
from stretchcoach.domain.form.state import FormTracker
from stretchcoach.domain.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds
from stretchcoach.domain.timeline import Phase
from stretchcoach.domain.values import Side

Image = np.ndarray[Any, Any]


@dataclass(frozen=True, slots=True, eq=False)
class Frame:
    """One RGB image (height x width x 3, uint8) at `t_s` seconds on its source's clock."""

    index: int
    t_s: float
    rgb: Image
    brightness: float  # mean brightness 0..1, for the "more light" check


class FrameSource(Protocol):
    """Frames from a video file or a camera, in order."""

    fps: float

    def grab(self) -> bool:
        """Move to the next frame without decoding it fully; False at the end."""
        ...

    def retrieve(self) -> Frame:
        """The frame last grabbed."""
        ...

    def close(self) -> None: ...


class PoseEstimator(Protocol):
    """One person's pose in an image, or None when nobody is found."""

    name: str

    def estimate(self, rgb: Image, t_s: float) -> Pose | None:
        """The pose in a frame taken at `t_s` seconds on its source's clock (times go forward
        within one estimator's life)."""
        ...

    def close(self) -> None: ...


# -- the coach of one guided session, fed poses ------------------------------------------------

SETUP_CUE_AFTER_S = 5.0  # outside a hold, set-up corrections wait for the phase's own cue


def worth_saying(phase: Phase | None, phase_elapsed_s: float) -> bool:
    """Whether a correction is spoken now: always during a hold; before one (the set-up:
    light, side-on, whole body in view) only once the phase's own cue has had its time."""
    return phase is not None and (phase.is_hold or phase_elapsed_s >= SETUP_CUE_AFTER_S)


class PoseRate:
    """How many poses a second a source gives, over the last `window_s` of its own clock;
    `too_slow` once a long enough stretch of them came slower than `min_fps` (the web app's
    `Settings.camera_min_fps`: below 8 the coach's quarter-second decisions are guesses)."""

    def __init__(self, *, min_fps: float, window_s: float = 3.0) -> None:
        self.min_fps = min_fps
        self._window_s = window_s
        self._times: deque[float] = deque()
        self.fps: float | None = None

    def add(self, t_s: float) -> float | None:
        """Count a pose at `t_s`; the rate over the window, once it spans most of it."""
        times = self._times
        times.append(t_s)
        while times[0] < t_s - self._window_s:
            times.popleft()
        span = times[-1] - times[0]
        self.fps = round((len(times) - 1) / span, 1) if span >= 0.8 * self._window_s else None
        return self.fps

    @property
    def too_slow(self) -> bool:
        return self.fps is not None and self.fps < self.min_fps


@dataclass(frozen=True, slots=True)
class FormUpdate:
    """What the guided session should do now: open or close the gate, maybe say something."""

    form_ok: bool
    correction: Correction | None
    reading: FormReading | None
    failed: str | None = None  # the camera stopped: the session carries on without it


class SessionFormCoach:
    """The form coach of one guided session, fed one pose at a time, wherever it came from:
    the terminal's camera thread (LiveFormCoach) or the landmarks a phone sends.

    It knows which phase the session is in (`enter`), judges each pose with the same tracker
    and corrector as `analyze`, gates holds on the right leg in good form, and adds up each
    hold's metrics over exactly the time the session spent on it. Not thread-safe: one
    caller at a time.
    """

    def __init__(
        self,
        thresholds: FormThresholds = DEFAULT_THRESHOLDS,
        *,
        reference_deg: dict[Side, float] | None = None,
        usual: UsualForm | None = None,
    ) -> None:
        self._tracker = FormTracker(thresholds, reference_deg=reference_deg, usual=usual)
        self._corrector = Corrector(thresholds)
        self.phase: Phase | None = None
        self.reading: FormReading | None = None
        self._builders: dict[int, HoldFormBuilder] = {}
        self._finished: dict[int, HoldForm] = {}

    def enter(self, phase: Phase | None) -> tuple[int, HoldForm] | None:
        """The session is now in `phase`; returns the number and form of the hold it just
        left, if the coach saw any of it."""
        if phase == self.phase:
            return None
        left, self.phase = self.phase, phase
        if left is None or left.hold_number is None:
            return None
        builder = self._builders.pop(left.hold_number, None)
        if builder is None:
            return None
        form = self._finished[left.hold_number] = builder.build()
        return left.hold_number, form

    def see(
        self, t_s: float, pose: Pose | None, *, brightness: float | None = None
    ) -> tuple[FormReading, Correction | None]:
        """Judge one pose (None: nobody found) at `t_s` seconds on the source's clock; the
        reading and the correction worth making now, if any.

        In a hold there is always something to say while the gate is shut: a problem with the
        view, the posture, the leg or the form, or what comes next (raise the leg, lean in),
        named once it has lasted a moment and repeated every so often (`Corrector`)."""
        phase = self.phase
        in_hold = phase is not None and phase.is_hold
        expected = phase.side if phase is not None and in_hold else None
        # the same judgement as analyze, but knowing which leg the session asks to stretch
        self._tracker.expected_side = expected
        reading = self._tracker.update(t_s, pose, brightness=brightness)
        wanted = in_hold or reading.view is not None
        correction = self._corrector.next(reading, expected_side=expected) if wanted else None
        if phase is not None and expected is not None:
            assert phase.hold_number is not None
            builder = self._builders.get(phase.hold_number)
            if builder is None:
                builder = self._builders[phase.hold_number] = HoldFormBuilder(expected, t_s)
            on_leg = reading.side is expected
            builder.add(
                reading, form_ok=reading.form_ok and on_leg, settling=reading.settling and on_leg
            )
        self.reading = reading
        return reading, correction

    def gate(self) -> bool:
        """Whether the session's clock may count now: always outside a hold; in a hold, only
        while the person stretches the leg it asks for, in good form."""
        phase, reading = self.phase, self.reading
        if phase is None or not phase.is_hold:
            return True
        return reading is not None and reading.form_ok and reading.side is phase.side

    def hold_form(self, hold_number: int) -> HoldForm | None:
        """The metrics of a hold once the session has moved past it (or now, if current)."""
        if hold_number in self._finished:
            return self._finished[hold_number]
        builder = self._builders.get(hold_number)
        return builder.build() if builder is not None else None


class LiveFormCoach:
    """Watches a camera on its own thread; the session polls it between its own deadlines.

    The camera thread feeds each frame's pose to a SessionFormCoach; `poll()` hands over the
    latest verdict and the newest correction, and tells the coach which phase (leg) the
    session is on, so each hold's metrics are added up over exactly the time the runner
    spent on it.
    """

    def __init__(
        self,
        source: FrameSource,
        estimator: PoseEstimator,
        *,
        thresholds: FormThresholds = DEFAULT_THRESHOLDS,
        reference_deg: dict[Side, float] | None = None,
        usual: UsualForm | None = None,
        on_frame: Callable[[Frame, Pose | None, FormReading], None] | None = None,
    ) -> None:
        self._source = source
        self._estimator = estimator
        self._coach = SessionFormCoach(thresholds, reference_deg=reference_deg, usual=usual)
        self._on_frame = on_frame
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._correction: Correction | None = None
        self._failed: str | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="form-coach", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._source.close()
        self._estimator.close()

    def poll(self, phase: Phase | None) -> FormUpdate:
        """The verdict for the session's current phase; only holds are gated, but the set-up
        (light, side-on, whole body in view) is worth putting right before a hold too."""
        with self._lock:
            self._coach.enter(phase)
            reading, correction, self._correction = self._coach.reading, self._correction, None
            failed = self._failed
            gate = self._coach.gate()
        if failed is not None:
            return FormUpdate(True, None, reading, failed)
        return FormUpdate(gate, correction, reading)

    def hold_form(self, hold_number: int) -> HoldForm | None:
        """The metrics of a hold once the session has moved past it (or now, if current)."""
        with self._lock:
            return self._coach.hold_form(hold_number)

    # -- the camera thread ---------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if not self._source.grab():
                    raise RuntimeError("the camera gave no picture")
                self.process(self._source.retrieve())
        except Exception as error:  # the session must go on without the camera
            with self._lock:
                self._failed = f"The camera stopped ({error}); timing holds without it."

    def process(self, frame: Frame) -> FormReading:
        """Analyse one frame (the camera thread calls this; tests may call it directly)."""
        pose = self._estimator.estimate(frame.rgb, frame.t_s)
        with self._lock:
            reading, correction = self._coach.see(frame.t_s, pose, brightness=frame.brightness)
            if correction is not None:
                self._correction = correction
        if self._on_frame is not None:
            self._on_frame(frame, pose, reading)
        return reading
