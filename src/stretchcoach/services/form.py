"""The camera form coach as use cases: what it needs from outside, the live coach for a
guided session, per-hold form metrics in the store, and the flexibility trend.

Frames and poses come in through two small ports, so tests replay poses and another pose
estimator can replace MediaPipe without touching anything here.
"""

from __future__ import annotations

import threading
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

    def estimate(self, rgb: Image) -> Pose | None: ...

    def close(self) -> None: ...


# -- the live coach in a guided session ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormUpdate:
    """What the guided session should do now: open or close the gate, maybe say something."""

    form_ok: bool
    correction: Correction | None
    reading: FormReading | None
    failed: str | None = None  # the camera stopped: the session carries on without it


class LiveFormCoach:
    """Watches a camera on its own thread; the session polls it between its own deadlines.

    The camera thread owns the tracker; `poll()` hands over the latest verdict and the
    newest correction, and tells the thread which hold (leg) the session is on, so each
    hold's metrics are added up over exactly the time the runner spent on it.
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
        self._tracker = FormTracker(thresholds, reference_deg=reference_deg, usual=usual)
        self._corrector = Corrector(thresholds)
        self._on_frame = on_frame
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._phase: Phase | None = None
        self._builders: dict[int, HoldFormBuilder] = {}
        self._finished: dict[int, HoldForm] = {}
        self._reading: FormReading | None = None
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
            if phase is not self._phase:
                self._end_phase()
                self._phase = phase
            reading, correction, self._correction = self._reading, self._correction, None
            failed = self._failed
        if failed is not None:
            return FormUpdate(True, None, reading, failed)
        if phase is None or not phase.is_hold:
            return FormUpdate(True, correction, reading)
        ok = reading is not None and reading.form_ok and reading.side is phase.side
        return FormUpdate(ok, correction, reading)

    def hold_form(self, hold_number: int) -> HoldForm | None:
        """The metrics of a hold once the session has moved past it (or now, if current)."""
        with self._lock:
            if hold_number in self._finished:
                return self._finished[hold_number]
            builder = self._builders.get(hold_number)
            return builder.build() if builder is not None else None

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
        pose = self._estimator.estimate(frame.rgb)
        with self._lock:
            asked = self._phase
        # the same judgement as analyze, but knowing which leg the session asks to stretch
        self._tracker.expected_side = asked.side if asked is not None and asked.is_hold else None
        reading = self._tracker.update(frame.t_s, pose, brightness=frame.brightness)
        with self._lock:
            phase = self._phase
            in_hold = phase is not None and phase.is_hold
            expected = phase.side if phase is not None and in_hold else None
            wanted = in_hold or reading.view is not None
            correction = self._corrector.next(reading, expected_side=expected) if wanted else None
            if phase is not None and phase.is_hold and expected is not None:
                assert phase.hold_number is not None
                builder = self._builders.get(phase.hold_number)
                if builder is None:
                    builder = self._builders[phase.hold_number] = HoldFormBuilder(
                        expected, frame.t_s
                    )
                builder.add(reading, form_ok=reading.form_ok and reading.side is expected)
            self._reading = reading
            if correction is not None:
                self._correction = correction
        if self._on_frame is not None:
            self._on_frame(frame, pose, reading)
        return reading

    def _end_phase(self) -> None:
        phase = self._phase
        if phase is not None and phase.hold_number is not None:
            builder = self._builders.pop(phase.hold_number, None)
            if builder is not None:
                self._finished[phase.hold_number] = builder.build()
