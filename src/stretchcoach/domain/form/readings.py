"""What the form coach reads off each frame, and one hold's tally of those readings."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum

from stretchcoach.domain.form.geometry import ViewIssue
from stretchcoach.domain.form.metrics import Fault, HoldForm
from stretchcoach.domain.values import Side

MAX_STEP_S = 0.5  # a gap longer than this between frames is not counted as good-form time
HELD_S = 1.0  # the flexibility figure is the deepest fold held this long in good form


class Posture(StrEnum):
    """What stands between a person with a leg out and this stretch, besides the faults."""

    NOT_SEATED = "not_seated"  # standing, kneeling or lunging: not this stretch
    BOTH_LEGS = "both_legs"  # both legs out straight: a two-leg fold, not a one-leg hold


class FormState(StrEnum):
    NOT_IN_VIEW = "not_in_view"
    SEATED = "seated"
    LEG_RAISED = "leg_raised"
    STRETCHING = "stretching"
    RELEASED = "released"


@dataclass(frozen=True, slots=True)
class FormReading:
    """The coach's view of one frame, smoothed."""

    t_s: float
    state: FormState
    side: Side | None
    form_ok: bool
    faults: frozenset[Fault]
    new_faults: frozenset[Fault]  # faults that began with this frame
    view: ViewIssue | None  # the view problem, once it has lasted long enough to matter
    knee_deg: float | None  # the raised leg's knee
    hip_flexion_deg: float | None  # on the raised side
    trunk_lean_deg: float | None
    back_curl_deg: float | None
    speed_deg_s: float  # how fast the fold deepens (negative: coming up)
    measured: bool  # whether this frame's pose was good enough to measure
    hold_ended: HoldForm | None = None
    posture: Posture | None = None  # what keeps a hold from starting, when not a fault
    settling: bool = False  # stretching in good form, not yet long enough to count


class HoldFormBuilder:
    """Adds up one hold's metrics from readings: good-form time, extremes, fault counts."""

    def __init__(self, side: Side, start_s: float) -> None:
        self.side = side
        self.start_s = start_s
        self.end_s = start_s
        self.good_form_s = 0.0
        self.max_good_deg: float | None = None
        self.min_knee_deg: float | None = None
        self.faults: dict[Fault, int] = {}
        self._last_t: float | None = None
        self._good_since: float | None = None
        self._good_depths: deque[tuple[float, float]] = deque()
        self._settling_s = 0.0

    def add(
        self, reading: FormReading, *, form_ok: bool | None = None, settling: bool | None = None
    ) -> None:
        """Count one reading; `form_ok` and `settling` override the reading's own verdict
        (the guided session also needs the right leg).

        Time spent settling into a stretch in good form counts as good form once the hold
        does: the first seconds were right, they only had to be seen to last."""
        ok = reading.form_ok if form_ok is None else form_ok
        pending = reading.settling if settling is None else settling
        step = 0.0
        if self._last_t is not None:
            step = min(max(reading.t_s - self._last_t, 0.0), MAX_STEP_S)
        if ok:
            self.good_form_s += step + self._settling_s
            self._settling_s = 0.0
        elif pending:
            self._settling_s += step
        else:
            self._settling_s = 0.0
        self._last_t = reading.t_s
        self.end_s = max(self.end_s, reading.t_s)
        for fault in reading.new_faults:
            self.faults[fault] = self.faults.get(fault, 0) + 1
        if not ok:
            self._good_since = None
            self._good_depths.clear()
        if not reading.measured or reading.side is not self.side:
            return
        if reading.knee_deg is not None:
            self.min_knee_deg = _min(self.min_knee_deg, reading.knee_deg)
        if ok and reading.hip_flexion_deg is not None:
            self._hold_depth(reading.t_s, reading.hip_flexion_deg)

    def _hold_depth(self, t_s: float, depth: float) -> None:
        """Keep the deepest fold held for `HELD_S` in good form: a bounce's peak or a
        passing overshoot is not flexibility."""
        if self._good_since is None:
            self._good_since = t_s
        window = self._good_depths
        window.append((t_s, depth))
        while window[0][0] < t_s - HELD_S:
            window.popleft()
        if t_s - self._good_since >= HELD_S:
            held = min(d for _, d in window)
            self.max_good_deg = _max(self.max_good_deg, held)

    def build(self, end_s: float | None = None) -> HoldForm:
        return HoldForm(
            side=self.side,
            start_s=round(self.start_s, 3),
            end_s=round(self.end_s if end_s is None else end_s, 3),
            good_form_s=round(self.good_form_s, 3),
            max_hip_flexion_deg=round_1(self.max_good_deg),
            min_knee_deg=round_1(self.min_knee_deg),
            faults={f: self.faults[f] for f in Fault if f in self.faults},
        )


def round_1(value: float | None) -> float | None:
    """To a tenth, as stored and shown."""
    return None if value is None else round(value, 1)


def _min(a: float | None, b: float) -> float:
    return b if a is None else min(a, b)


def _max(a: float | None, b: float) -> float:
    return b if a is None else max(a, b)
