"""The form state machine: poses over time become states, faults and per-hold form metrics.

    NOT_IN_VIEW <-> SEATED <-> LEG_RAISED <-> STRETCHING -> RELEASED -> SEATED | LEG_RAISED

Every angle is smoothed (One Euro filter) and every decision has two thresholds and a
minimum duration, so camera noise cannot flicker a state or a fault. A hold is one stretch:
from the lean passing `lean_enter_deg` until the person comes back up, lowers the leg or
leaves the view. The form is right while stretching with no fault active; only then does
the guided session's hold timer count.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace
from enum import StrEnum

from stretchcoach.domain.form.filters import OneEuroFilter
from stretchcoach.domain.form.geometry import Measures, ViewIssue, measure, raised_side, view_issue
from stretchcoach.domain.form.metrics import Fault, HoldForm
from stretchcoach.domain.form.pose import Pose
from stretchcoach.domain.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds
from stretchcoach.domain.values import Side

MAX_STEP_S = 0.5  # a gap longer than this between frames is not counted as good-form time
SPEED_SPAN_S = 0.3  # speed is the change of the smoothed depth over this span
HELD_S = 1.0  # the flexibility figure is the deepest fold held this long in good form


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

    def add(self, reading: FormReading, *, form_ok: bool | None = None) -> None:
        """Count one reading; `form_ok` overrides the reading's own verdict (the guided
        session also needs the right leg)."""
        ok = reading.form_ok if form_ok is None else form_ok
        if self._last_t is not None and ok:
            self.good_form_s += min(max(reading.t_s - self._last_t, 0.0), MAX_STEP_S)
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
            max_hip_flexion_deg=_round(self.max_good_deg),
            min_knee_deg=_round(self.min_knee_deg),
            faults={f: self.faults[f] for f in Fault if f in self.faults},
        )


class _Debounced:
    """A yes/no that flips only after its raw value has held the other way long enough."""

    def __init__(self, enter_s: float, leave_s: float) -> None:
        self.on = False
        self._enter_s, self._leave_s = enter_s, leave_s
        self._since: float | None = None

    def update(self, t: float, raw: bool) -> bool:
        """Feed a raw verdict; returns True when the state flipped on at this call."""
        if raw == self.on:
            self._since = None
            return False
        if self._since is None:
            self._since = t
        if t - self._since >= (self._enter_s if raw else self._leave_s):
            self.on, self._since = raw, None
            return raw
        return False

    def force_off(self) -> None:
        self.on, self._since = False, None


class FormTracker:
    """Feeds on (time, pose) pairs and keeps the state, the faults and the finished holds.

    `reference_deg` is each side's usual deepest fold (from earlier holds or sessions);
    going well past it quickly is "too deep too fast". Each finished hold updates it.
    """

    def __init__(
        self,
        thresholds: FormThresholds = DEFAULT_THRESHOLDS,
        *,
        reference_deg: dict[Side, float] | None = None,
    ) -> None:
        t = self.thresholds = thresholds
        self.reference_deg: dict[Side, float] = dict(reference_deg or {})
        self.holds: list[HoldForm] = []
        self.state = FormState.NOT_IN_VIEW
        self._side: Side | None = None
        self._view_bad = _Debounced(t.view_enter_s, t.view_leave_s)
        self._view_bad.on = True  # nothing is trusted until the view has been good a while
        self._view_issue: ViewIssue | None = ViewIssue.NO_PERSON
        self._side_on = True
        self._last_seen_t: float | None = None
        self._good_since: float | None = None
        self._filters: dict[str, OneEuroFilter] = {}
        self._depth_history: deque[tuple[float, float]] = deque()
        self._faults = {
            Fault.KNEE_BENT: _Debounced(t.fault_enter_s, t.fault_leave_s),
            Fault.BACK_ROUNDED: _Debounced(t.fault_enter_s, t.fault_leave_s),
            Fault.BOUNCING: _Debounced(0.0, t.fault_leave_s),
            Fault.TOO_DEEP_TOO_FAST: _Debounced(0.0, 0.0),
            Fault.TOO_FAST: _Debounced(t.fault_enter_s, t.fault_leave_s),
        }
        self._reversals: deque[float] = deque()
        self._zig_extreme: float | None = None
        self._zig_dir = 0
        self._deep_peak: float | None = None
        self._below_since: float | None = None
        self._hold: HoldFormBuilder | None = None
        self._released_at: float | None = None
        self._last: FormReading | None = None

    @property
    def steady(self) -> bool:
        """Nothing is changing: a caller may look at fewer frames until something does."""
        last = self._last
        if last is not None and last.state is FormState.NOT_IN_VIEW and last.view is not None:
            return True  # nobody there for a while now
        if last is None or not last.measured or last.faults:
            return False
        if last.state is FormState.RELEASED:
            return False
        return abs(last.speed_deg_s) < self.thresholds.slow_deg_s

    def update(
        self, t_s: float, pose: Pose | None, *, brightness: float | None = None
    ) -> FormReading:
        """Take one frame's pose (None when nobody was found) and return the reading."""
        th = self.thresholds
        issue = view_issue(pose, brightness=brightness, side_on=self._side_on, thresholds=th)
        self._side_on = issue is not ViewIssue.NOT_SIDE_ON
        if issue is not None:
            self._view_issue = issue
        self._view_bad.update(t_s, issue is not None)
        if issue is not None:
            self._good_since = None
        elif self._good_since is None:
            self._good_since = t_s
        if issue is not None or pose is None or self._view_bad.on:
            return self._unmeasured(t_s)
        self._view_issue = None
        self._last_seen_t = t_s
        m = measure(pose)
        return self._measured(t_s, m)

    def finish(self, t_s: float) -> HoldForm | None:
        """End a hold still open at `t_s`, the end of the video (a video that stops mid-hold
        keeps the part it showed); a person already out of view ended it when last seen."""
        if self._hold is None:
            return None
        still_seen = self._last is not None and self._last.measured
        end = t_s if still_seen or self._last_seen_t is None else min(self._last_seen_t, t_s)
        return self._close_hold(end)

    # -- internals ---------------------------------------------------------------------------

    def _unmeasured(self, t_s: float) -> FormReading:
        th = self.thresholds
        ended: HoldForm | None = None
        lost_for = t_s - self._last_seen_t if self._last_seen_t is not None else None
        if self._view_bad.on:
            if self._hold is not None and (lost_for is None or lost_for >= th.hold_lost_s):
                ended = self._close_hold(self._last_seen_t or t_s)
            if self._hold is None:
                self.state = FormState.NOT_IN_VIEW
                self._side = None
                self._clear_faults()
                self._reset_signals()
        last = self._last
        in_grace = not self._view_bad.on and last is not None
        reading = FormReading(
            t_s=t_s,
            state=self.state,
            side=self._side,
            form_ok=in_grace and last is not None and last.form_ok,
            faults=frozenset(f for f, d in self._faults.items() if d.on),
            new_faults=frozenset(),
            view=self._view_issue if self._view_bad.on else None,
            knee_deg=last.knee_deg if last else None,
            hip_flexion_deg=last.hip_flexion_deg if last else None,
            trunk_lean_deg=last.trunk_lean_deg if last else None,
            back_curl_deg=last.back_curl_deg if last else None,
            speed_deg_s=0.0,
            measured=False,
            hold_ended=ended,
        )
        if self._hold is not None:
            self._hold.add(reading)
        self._last = reading
        return reading

    def _smooth(self, name: str, t_s: float, value: float) -> float:
        f = self._filters.get(name)
        if f is None:
            th = self.thresholds
            f = self._filters[name] = OneEuroFilter(
                min_cutoff_hz=th.filter_min_cutoff_hz,
                beta=th.filter_beta,
                d_cutoff_hz=th.filter_d_cutoff_hz,
            )
        return f(t_s, value)

    def _measured(self, t_s: float, raw: Measures) -> FormReading:
        th = self.thresholds
        lean = self._smooth("lean", t_s, raw.trunk_lean_deg)
        curl = self._smooth("curl", t_s, raw.back_curl_deg)
        smoothed = {
            side: (
                self._smooth(f"knee-{side}", t_s, raw.leg(side).knee_deg),
                self._smooth(f"hip-{side}", t_s, raw.leg(side).hip_flexion_deg),
                self._smooth(f"reach-{side}", t_s, raw.leg(side).reach),
            )
            for side in Side
        }
        m = _with_reach(raw, {s: v[2] for s, v in smoothed.items()})
        stretching = self.state is FormState.STRETCHING
        side = self._side if stretching else raised_side(m, previous=self._side, thresholds=th)
        measured_leg = side
        if stretching:
            # Mid-hold the side is settled; measure whichever leg is out, so a model that
            # swaps its left and right labels (it can, seen exactly side-on) cannot end the
            # hold or move it to the other leg.
            measured_leg = max(Side, key=lambda s: m.leg(s).reach)
            if m.leg(measured_leg).reach < th.raised_leave:
                side = measured_leg = None  # the leg came down
        knee = smoothed[measured_leg][0] if measured_leg else None
        depth = smoothed[measured_leg][1] if measured_leg else None
        speed = self._speed(t_s, depth)

        ended = self._advance_state(t_s, side, lean)
        new_faults = self._update_faults(t_s, knee, curl, depth, speed)
        active = frozenset(f for f, d in self._faults.items() if d.on)
        reading = FormReading(
            t_s=t_s,
            state=self.state,
            side=self._side,
            form_ok=self.state is FormState.STRETCHING and not active and self._below_since is None,
            faults=active,
            new_faults=new_faults,
            view=None,
            knee_deg=_round(knee),
            hip_flexion_deg=_round(depth),
            trunk_lean_deg=round(lean, 1),
            back_curl_deg=round(curl, 1),
            speed_deg_s=round(speed, 1),
            measured=True,
            hold_ended=ended,
        )
        if self._hold is not None:
            self._hold.add(reading)
        self._last = reading
        return reading

    def _advance_state(self, t_s: float, side: Side | None, lean: float) -> HoldForm | None:
        th = self.thresholds
        previous = self.state
        ended: HoldForm | None = None
        if self.state is FormState.STRETCHING:
            coming_up = side is None or lean < th.lean_leave_deg
            if not coming_up:
                self._below_since = None
                return None
            if self._below_since is None:
                self._below_since = t_s
            if t_s - self._below_since < th.release_s:
                return None
            ended = self._close_hold(self._below_since)
            self.state = FormState.RELEASED
            self._released_at = t_s
            self._side = side
            return ended
        if (
            self.state is FormState.RELEASED
            and self._released_at is not None
            and t_s - self._released_at < th.release_s
        ):
            return None
        self._side = side
        if side is None:
            self.state = FormState.SEATED
        elif lean >= th.lean_enter_deg:
            self.state = FormState.STRETCHING
            self._below_since = None
            start = self._good_since if previous is FormState.NOT_IN_VIEW else None
            self._hold = HoldFormBuilder(side, t_s if start is None else start)
        else:
            self.state = FormState.LEG_RAISED
        return None

    def _speed(self, t_s: float, depth: float | None) -> float:
        if depth is None:
            self._depth_history.clear()
            return 0.0
        history = self._depth_history
        history.append((t_s, depth))
        horizon = max(SPEED_SPAN_S, self.thresholds.deep_window_s, self.thresholds.bounce_window_s)
        while history and t_s - history[0][0] > horizon:
            history.popleft()
        past = [(t, d) for t, d in history if t_s - t >= SPEED_SPAN_S]
        t0, d0 = past[-1] if past else history[0]
        return (depth - d0) / (t_s - t0) if t_s > t0 else 0.0

    def _update_faults(
        self, t_s: float, knee: float | None, curl: float, depth: float | None, speed: float
    ) -> frozenset[Fault]:
        th = self.thresholds
        f = self._faults
        onsets: set[Fault] = set()
        watching = self.state in (FormState.LEG_RAISED, FormState.STRETCHING)
        stretching = self.state is FormState.STRETCHING
        if not watching or knee is None or depth is None:
            self._clear_faults()
            return frozenset()

        bent = knee < (th.knee_straight_deg if f[Fault.KNEE_BENT].on else th.knee_bent_deg)
        rounded = curl > (th.back_tall_deg if f[Fault.BACK_ROUNDED].on else th.back_round_deg)
        fast = stretching and speed > (th.slow_deg_s if f[Fault.TOO_FAST].on else th.fast_deg_s)
        bouncing = stretching and self._bouncing(t_s, depth)
        deep = stretching and self._too_deep(t_s, depth)
        for fault, raw in (
            (Fault.KNEE_BENT, bent),
            (Fault.BACK_ROUNDED, rounded),
            (Fault.TOO_FAST, fast),
            (Fault.BOUNCING, bouncing),
            (Fault.TOO_DEEP_TOO_FAST, deep),
        ):
            if f[fault].update(t_s, raw):
                onsets.add(fault)
        return frozenset(onsets)

    def _bouncing(self, t_s: float, depth: float) -> bool:
        """Count reversals of the fold bigger than the noise, over a sliding window."""
        th = self.thresholds
        extreme, direction = self._zig_extreme, self._zig_dir
        if extreme is None:
            self._zig_extreme, self._zig_dir = depth, 0
        elif direction == 0:
            if abs(depth - extreme) >= th.bounce_min_deg:
                self._zig_extreme, self._zig_dir = depth, 1 if depth > extreme else -1
        elif direction * (depth - extreme) > 0:
            self._zig_extreme = depth  # still going the same way: a new extreme
        elif abs(depth - extreme) >= th.bounce_min_deg:
            self._reversals.append(t_s)
            self._zig_extreme, self._zig_dir = depth, -direction
        while self._reversals and t_s - self._reversals[0] > th.bounce_window_s:
            self._reversals.popleft()
        return len(self._reversals) >= th.bounce_reversals

    def _too_deep(self, t_s: float, depth: float) -> bool:
        """Past the usual depth soon after the lean began, or a deep plunge; easing off clears it.

        The usual depth is this side's reference (earlier holds); with none yet, a plunge is
        the fold deepening by `deep_plunge_deg` within `deep_window_s`.
        """
        th = self.thresholds
        hold = self._hold
        if self._faults[Fault.TOO_DEEP_TOO_FAST].on:
            assert self._deep_peak is not None
            self._deep_peak = max(self._deep_peak, depth)
            return depth > self._deep_peak - th.ease_off_deg
        if hold is None:
            return False
        reference = self.reference_deg.get(hold.side)
        early = t_s - hold.start_s <= th.deep_window_s
        past_usual = early and reference is not None and depth > reference + th.deep_margin_deg
        recent = [d for t, d in self._depth_history if t_s - t <= th.deep_window_s]
        plunge = bool(recent) and depth - min(recent) > th.deep_plunge_deg
        if past_usual or plunge:
            self._deep_peak = depth
        return past_usual or plunge

    def _close_hold(self, end_s: float) -> HoldForm:
        assert self._hold is not None
        form = self._hold.build(end_s)
        self._hold = None
        self.holds.append(form)
        if form.max_hip_flexion_deg is not None:
            previous = self.reference_deg.get(form.side)
            self.reference_deg[form.side] = max(previous or 0.0, form.max_hip_flexion_deg)
        self._reset_signals()
        return form

    def _clear_faults(self) -> None:
        for debounced in self._faults.values():
            debounced.force_off()

    def _reset_signals(self) -> None:
        self._reversals.clear()
        self._zig_extreme, self._zig_dir = None, 0
        self._deep_peak = None


def _with_reach(m: Measures, reach: dict[Side, float]) -> Measures:
    return replace(
        m,
        left=replace(m.left, reach=reach[Side.LEFT]),
        right=replace(m.right, reach=reach[Side.RIGHT]),
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _min(a: float | None, b: float) -> float:
    return b if a is None else min(a, b)


def _max(a: float | None, b: float) -> float:
    return b if a is None else max(a, b)
