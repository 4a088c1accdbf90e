"""The five faults, each judged with two thresholds and a minimum duration.

Knee and back are angles; speed, bouncing and depth are read off the smoothed fold (hip
flexion) over the last few seconds. The knee is judged against the hold's own straight
(`KneeBaseline`), so a straight knee the camera reads a little bent never flips. While the
back is rounded, the fold's speed and depth are not judged: a curling upper back tips the
trunk line forward quickly, and that is "sit tall", not "slower" or "ease off".
"""

from __future__ import annotations

import statistics
from collections import deque

from stretchcoach.domain.form.metrics import Fault
from stretchcoach.domain.form.thresholds import FormThresholds

SPEED_SPAN_S = 0.3  # speed is the change of the smoothed depth over this span


class Debounced:
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

    @property
    def rising(self) -> bool:
        """Off, but its raw value has been on for a while: it may be about to flip on."""
        return not self.on and self._since is not None

    @property
    def changing(self) -> bool:
        """Its raw value disagrees with it: it may be about to flip, either way."""
        return self._since is not None

    def force_off(self) -> None:
        self.on, self._since = False, None


class KneeBaseline:
    """The raised knee's own straight for one hold: the median reading over its first
    `knee_baseline_s`, from the leg going up, raised later if a whole window reads straighter
    (a leg still straightening as it went up). A knee is bent `knee_margin_deg` below it (never
    more lenient than `knee_bent_deg`, never stricter than `knee_floor_deg`), so a leg whose
    straight reads 157° is judged from 147°, and one that reads 175° from 155° as before.
    A leg raised bent (its median under `knee_bent_deg`) teaches nothing: the fixed values
    stay until a whole window reads straight."""

    def __init__(self, thresholds: FormThresholds) -> None:
        self._t = thresholds
        self._readings: deque[tuple[float, float]] = deque()
        self.straight_deg: float | None = None

    def add(self, t_s: float, knee_deg: float) -> None:
        """Add one reading of the raised leg's knee."""
        window = self._readings
        window.append((t_s, knee_deg))
        if t_s - window[0][0] < self._t.knee_baseline_s:
            return
        while t_s - window[1][0] >= self._t.knee_baseline_s:
            window.popleft()
        median = statistics.median(k for _, k in window)
        if median >= self._t.knee_bent_deg:
            self.straight_deg = max(self.straight_deg or 0.0, median)
        elif self.straight_deg is None:
            self.straight_deg = 0.0  # raised bent: the fixed values, until it reads straight

    def reset(self) -> None:
        self._readings.clear()
        self.straight_deg = None

    @property
    def bent_deg(self) -> float:
        """Below this the knee is bent; while the baseline is being learnt, only below
        `knee_floor_deg` (a hold cannot count that soon anyway: `hold_confirm_s`)."""
        t = self._t
        if self.straight_deg is None:
            return t.knee_floor_deg
        own = (self.straight_deg or 0.0) - t.knee_margin_deg
        return max(t.knee_floor_deg, min(t.knee_bent_deg, own)) if own > 0 else t.knee_bent_deg

    @property
    def start_deg(self) -> float:
        """A stretch starts only on a knee straighter than this: the hold's own bent limit
        once known, the fixed `knee_bent_deg` until then."""
        return self._t.knee_bent_deg if self.straight_deg is None else self.bent_deg

    @property
    def straight_again_deg(self) -> float:
        """Above this a bent knee is straight again (the same gap as the fixed values)."""
        return self.bent_deg + (self._t.knee_straight_deg - self._t.knee_bent_deg)


class FaultWatch:
    """Keeps the faults of the current stretch, their debouncing and the fold's recent past."""

    def __init__(self, thresholds: FormThresholds) -> None:
        t = self.thresholds = thresholds
        self._faults = {
            Fault.KNEE_BENT: Debounced(t.fault_enter_s, t.fault_leave_s),
            Fault.BACK_ROUNDED: Debounced(t.fault_enter_s, t.fault_leave_s),
            Fault.BOUNCING: Debounced(0.0, t.fault_leave_s),
            Fault.TOO_DEEP_TOO_FAST: Debounced(0.0, 0.0),
            Fault.TOO_FAST: Debounced(t.fault_enter_s, t.fault_leave_s),
        }
        self._depth_history: deque[tuple[float, float]] = deque()
        self._reversals: deque[float] = deque()
        self._zig_extreme: float | None = None
        self._zig_dir = 0
        self._deep_peak: float | None = None
        self._still_since: float | None = None
        self.knee = KneeBaseline(thresholds)

    @property
    def active(self) -> frozenset[Fault]:
        return frozenset(f for f, d in self._faults.items() if d.on)

    @property
    def rising(self) -> bool:
        """A fault is showing but has not lasted long enough to count yet: the form is not
        right in the meantime (a knee bent from the first frame never counts as good)."""
        return any(d.rising for d in self._faults.values())

    @property
    def changing(self) -> bool:
        """A fault may be about to start or stop."""
        return any(d.changing for d in self._faults.values())

    def speed(self, t_s: float, depth: float | None) -> float:
        """Record the fold (None: no raised leg) and return how fast it deepens, in °/s."""
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

    def update(
        self,
        t_s: float,
        *,
        stretching: bool,
        knee: float,
        curl: float,
        depth: float,
        speed: float,
        hold_start_s: float | None,
        reference_deg: float | None,
    ) -> frozenset[Fault]:
        """Judge one reading of a raised leg; returns the faults that began with it."""
        th = self.thresholds
        f = self._faults
        onsets: set[Fault] = set()

        self.knee.add(t_s, knee)
        k = self.knee
        bent = knee < (k.straight_again_deg if f[Fault.KNEE_BENT].on else k.bent_deg)
        rounded = curl > (th.back_tall_deg if f[Fault.BACK_ROUNDED].on else th.back_round_deg)
        back = f[Fault.BACK_ROUNDED]
        moving = stretching and not (rounded or back.on or back.rising)
        fast = moving and speed > (th.slow_deg_s if f[Fault.TOO_FAST].on else th.fast_deg_s)
        bouncing = stretching and self._bouncing(t_s, depth)
        deep = moving and self._too_deep(t_s, depth, speed, hold_start_s, reference_deg)
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

    def _too_deep(
        self,
        t_s: float,
        depth: float,
        speed: float,
        hold_start_s: float | None,
        reference: float | None,
    ) -> bool:
        """Well past the usual depth soon after the lean began, or a plunge; easing off or
        settling still clears it.

        The usual depth is this side's reference (earlier holds). A plunge is the fold
        deepening by `deep_plunge_deg` within `deep_window_s`, and past the usual depth too
        when there is one: a lean that stops at or near the usual depth is never too deep.
        Once the person has held still for `settle_s` the plunge is over and the fault clears
        where they are, so it can never outlast a still hold.
        """
        th = self.thresholds
        if self._faults[Fault.TOO_DEEP_TOO_FAST].on:
            assert self._deep_peak is not None
            self._deep_peak = max(self._deep_peak, depth)
            if abs(speed) >= th.still_deg_s:
                self._still_since = None
            elif self._still_since is None:
                self._still_since = t_s
            settled = self._still_since is not None and t_s - self._still_since >= th.settle_s
            return not settled and depth > self._deep_peak - th.ease_off_deg
        if hold_start_s is None:
            return False
        beyond = reference is None or depth > reference + th.deep_margin_deg
        early = t_s - hold_start_s <= th.deep_window_s
        past_usual = early and reference is not None and beyond
        recent = [d for t, d in self._depth_history if t_s - t <= th.deep_window_s]
        plunge = beyond and bool(recent) and depth - min(recent) > th.deep_plunge_deg
        if past_usual or plunge:
            self._deep_peak = depth
            self._still_since = None
        return past_usual or plunge

    def clear(self) -> None:
        """No raised leg to judge: every fault is off, and the next leg has its own straight."""
        for debounced in self._faults.values():
            debounced.force_off()
        self.knee.reset()

    def reset_signals(self) -> None:
        """A new stretch: forget the last one's bounces, depth peak and knee baseline."""
        self.knee.reset()
        self._reversals.clear()
        self._zig_extreme, self._zig_dir = None, 0
        self._deep_peak = None
