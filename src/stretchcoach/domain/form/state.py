"""The form state machine: poses over time become states, faults and per-hold form metrics.

    NOT_IN_VIEW <-> SEATED <-> LEG_RAISED <-> STRETCHING -> RELEASED -> SEATED | LEG_RAISED

Every landmark and every angle is smoothed (One Euro filters) and every decision has two
thresholds and a minimum duration, so camera noise cannot flicker a state or a fault. A
stretch runs from the lean passing `lean_enter_deg` (sitting, one leg out with its knee
straight, the other not) until the person comes back up, lowers the leg or leaves the view.
The form is right while stretching with no fault active, once it has been right for
`hold_confirm_s`: only then does the guided session's hold timer count, and a stretch
shorter than that (a lean to point at the foot) is no hold at all.
"""

from __future__ import annotations

from dataclasses import replace

from stretchcoach.domain.form.faults import Debounced, FaultWatch
from stretchcoach.domain.form.filters import OneEuroFilter, PointsFilter
from stretchcoach.domain.form.geometry import (
    Measures,
    ViewIssue,
    both_legs_out,
    measure,
    raised_side,
    seated,
    view_issue,
)
from stretchcoach.domain.form.metrics import Fault, HoldForm
from stretchcoach.domain.form.personal import UsualForm
from stretchcoach.domain.form.pose import Pose
from stretchcoach.domain.form.readings import (
    FormReading,
    FormState,
    HoldFormBuilder,
    Posture,
    round_1,
)
from stretchcoach.domain.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds
from stretchcoach.domain.values import Side


class FormTracker:
    """Feeds on (time, pose) pairs and keeps the state, the faults and the finished holds.

    `usual` is what earlier holds taught about this person (their figures per leg): where
    their holds start. `reference_deg` is each side's usual deepest fold (by default the
    usual one); going well past it quickly is "too deep too fast". Each finished hold
    updates both.
    """

    def __init__(
        self,
        thresholds: FormThresholds = DEFAULT_THRESHOLDS,
        *,
        reference_deg: dict[Side, float] | None = None,
        usual: UsualForm | None = None,
    ) -> None:
        t = self.thresholds = thresholds
        self.usual = usual or UsualForm()
        start = self.usual.depth_deg if reference_deg is None else reference_deg
        self.reference_deg: dict[Side, float] = dict(start)
        self.holds: list[HoldForm] = []
        self.state = FormState.NOT_IN_VIEW
        self._side: Side | None = None
        self._view_bad = Debounced(t.view_enter_s, t.view_leave_s)
        self._view_bad.on = True  # nothing is trusted until the view has been good a while
        self._view_issue: ViewIssue | None = ViewIssue.NO_PERSON
        self._side_on = True
        self._last_seen_t: float | None = None
        self._good_since: float | None = None
        self._filters: dict[str, OneEuroFilter] = {}
        self._faults = FaultWatch(thresholds)
        self._below_since: float | None = None
        self._hold: HoldFormBuilder | None = None
        self._released_at: float | None = None
        self._still_lean_since: float | None = None
        self.expected_side: Side | None = None  # the leg a guided session asks to stretch now
        self._last: FormReading | None = None
        self._points = PointsFilter(
            min_cutoff_hz=t.landmark_min_cutoff_hz, beta=t.landmark_beta, d_cutoff_hz=1.0
        )
        self._world = PointsFilter(
            min_cutoff_hz=t.landmark_min_cutoff_hz, beta=t.landmark_beta, d_cutoff_hz=1.0
        )
        self._seated = False
        self._both_legs = Debounced(t.both_legs_enter_s, t.both_legs_leave_s)
        self._right_since: float | None = None  # the form right, without a break, since
        self._confirmed = False  # the stretch's form has been right `hold_confirm_s`: a hold

    @property
    def steady(self) -> bool:
        """Nothing is changing: a caller may look at fewer frames until something does.

        A fault that stays (a knee kept bent) is steady too; a fault or a view problem about
        to start or stop, a hold about to end, or any movement is not."""
        last = self._last
        if last is not None and last.state is FormState.NOT_IN_VIEW and last.view is not None:
            return True  # nobody there for a while now
        if last is None or not last.measured or last.state is FormState.RELEASED:
            return False
        if self._faults.changing or self._view_bad.changing or self._below_since is not None:
            return False
        if self._both_legs.changing or last.settling:
            return False
        return not last.new_faults and abs(last.speed_deg_s) < self.thresholds.steady_deg_s

    def update(
        self, t_s: float, pose: Pose | None, *, brightness: float | None = None
    ) -> FormReading:
        """Take one frame's pose (None when nobody was found) and return the reading."""
        th = self.thresholds
        m = measure(self._filtered(t_s, pose)) if pose is not None else None
        issue = view_issue(
            pose, brightness=brightness, side_on=self._side_on, thresholds=th, measures=m
        )
        self._side_on = issue is not ViewIssue.NOT_SIDE_ON
        if issue is not None:
            self._view_issue = issue
        self._view_bad.update(t_s, issue is not None)
        if issue is not None:
            self._good_since = None
        elif self._good_since is None:
            self._good_since = t_s
        if pose is None:
            self._points.reset()
            self._world.reset()
        if issue is not None or m is None or self._view_bad.on:
            return self._unmeasured(t_s, now_good=issue is None)
        self._view_issue = None
        self._last_seen_t = t_s
        return self._measured(t_s, m)

    def finish(self, t_s: float) -> HoldForm | None:
        """End a hold still open at `t_s`, the end of the video (a video that stops mid-hold
        keeps the part it showed, if long enough to be a hold); a person already out of view
        ended it when last seen."""
        if self._hold is None:
            return None
        still_seen = self._last is not None and self._last.measured
        end = t_s if still_seen or self._last_seen_t is None else min(self._last_seen_t, t_s)
        return self._close_hold(end)

    # -- internals ---------------------------------------------------------------------------

    def _filtered(self, t_s: float, pose: Pose) -> Pose:
        """The pose with its landmarks smoothed over time: a still body reads still. Picture
        points are filtered in frame heights, world points in metres."""
        xy = self._points(t_s, pose.xy / pose.height) * pose.height
        world = None if pose.world is None else self._world(t_s, pose.world)
        return Pose(xy, pose.visibility, pose.width, pose.height, world)

    def _unmeasured(self, t_s: float, *, now_good: bool = False) -> FormReading:
        """A frame whose angles are not trusted; `now_good` when its view is good but has not
        been good long enough yet (no view problem is reported for it)."""
        th = self.thresholds
        ended: HoldForm | None = None
        lost_for = t_s - self._last_seen_t if self._last_seen_t is not None else None
        if self._view_bad.on:
            if self._hold is not None and (lost_for is None or lost_for >= th.hold_lost_s):
                ended = self._close_hold(self._last_seen_t or t_s)
            if self._hold is None:
                self.state = FormState.NOT_IN_VIEW
                self._side = None
                self._faults.clear()
                self._faults.reset_signals()
        last = self._last
        in_grace = not self._view_bad.on and last is not None
        reading = FormReading(
            t_s=t_s,
            state=self.state,
            side=self._side,
            form_ok=in_grace and last is not None and last.form_ok,
            faults=self._faults.active,
            new_faults=frozenset(),
            view=self._view_issue if self._view_bad.on and not now_good else None,
            knee_deg=last.knee_deg if last else None,
            hip_flexion_deg=last.hip_flexion_deg if last else None,
            trunk_lean_deg=last.trunk_lean_deg if last else None,
            back_curl_deg=last.back_curl_deg if last else None,
            speed_deg_s=0.0,
            measured=False,
            hold_ended=ended,
            settling=in_grace and last is not None and last.settling,
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
        speed = self._faults.speed(t_s, depth)

        self._seated = seated(m, was_seated=self._seated, thresholds=th)
        both = both_legs_out(
            m, was_out=self._both_legs.on, knee_straight_deg=th.knee_bent_deg, thresholds=th
        )
        self._both_legs.update(t_s, both and measured_leg is not None)
        one_leg = not (self._both_legs.on or self._both_legs.rising)
        can_start = (
            measured_leg is not None
            and self._seated
            and one_leg
            and smoothed[measured_leg][0] >= self._faults.knee.start_deg
            and Fault.KNEE_BENT not in self._faults.active
        )
        ready = self._ready_to_start(t_s, side, lean, speed, can_start=can_start)
        ended = self._advance_state(t_s, side, lean, can_start=ready)
        new_faults = self._judge(t_s, knee, curl, depth, speed)
        active = self._faults.active
        right = (
            self.state is FormState.STRETCHING
            and not active
            and not self._faults.rising
            and self._below_since is None
            and one_leg
            and self._seated
        )
        settling = self._confirm(t_s, right)
        posture = None
        if not self._seated:
            posture = Posture.NOT_SEATED
        elif self._both_legs.on:
            posture = Posture.BOTH_LEGS
        reading = FormReading(
            t_s=t_s,
            state=self.state,
            side=self._side,
            form_ok=right and not settling,
            faults=active,
            new_faults=new_faults,
            view=None,
            knee_deg=round_1(knee),
            hip_flexion_deg=round_1(depth),
            trunk_lean_deg=round(lean, 1),
            back_curl_deg=round(curl, 1),
            speed_deg_s=round(speed, 1),
            measured=True,
            hold_ended=ended,
            posture=posture,
            settling=settling,
        )
        if self._hold is not None:
            self._hold.add(reading)
        self._last = reading
        return reading

    def _confirm(self, t_s: float, right: bool) -> bool:
        """Whether the stretch is still settling: its form right, but not yet for
        `hold_confirm_s` without a break. Once that long, the stretch is a hold for good."""
        if self.state is not FormState.STRETCHING:
            self._right_since, self._confirmed = None, False
            return False
        if not right:
            self._right_since = None
            return False
        if self._confirmed:
            return False
        if self._right_since is None:
            self._right_since = t_s
        self._confirmed = t_s - self._right_since >= self.thresholds.hold_confirm_s
        return not self._confirmed

    def _ready_to_start(
        self, t_s: float, side: Side | None, lean: float, speed: float, *, can_start: bool
    ) -> bool:
        """Whether a hold may start: sitting with the knee straight (`can_start`) and the
        lean at the person's start. Also, while a session asks for a hold on this leg
        (`expected_side`), once they have leaned at least `lean_enter_min_deg` and held still
        there for `settle_s`: that is as far as they go, so someone too tight for the start
        is not left waiting for a first hold. Without a session asking (a recorded video),
        only the start counts."""
        th = self.thresholds
        if not can_start:
            self._still_lean_since = None
            return False
        if side is not None and lean >= self.usual.start_lean_deg(side, thresholds=th):
            return True
        leaning_still = abs(speed) < th.still_deg_s and lean >= th.lean_enter_min_deg
        if side is None or side is not self.expected_side or not leaning_still:
            self._still_lean_since = None
            return False
        if self._still_lean_since is None:
            self._still_lean_since = t_s
        return t_s - self._still_lean_since >= th.settle_s

    def _advance_state(
        self, t_s: float, side: Side | None, lean: float, *, can_start: bool
    ) -> HoldForm | None:
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
        elif can_start:
            self.state = FormState.STRETCHING
            self._below_since = None
            start = self._good_since if previous is FormState.NOT_IN_VIEW else None
            self._hold = HoldFormBuilder(side, t_s if start is None else start)
        else:
            self.state = FormState.LEG_RAISED
        return None

    def _judge(
        self, t_s: float, knee: float | None, curl: float, depth: float | None, speed: float
    ) -> frozenset[Fault]:
        watching = self.state in (FormState.LEG_RAISED, FormState.STRETCHING)
        if not watching or knee is None or depth is None:
            self._faults.clear()
            return frozenset()
        hold = self._hold
        return self._faults.update(
            t_s,
            stretching=self.state is FormState.STRETCHING,
            knee=knee,
            curl=curl,
            depth=depth,
            speed=speed,
            hold_start_s=hold.start_s if hold else None,
            reference_deg=self.reference_deg.get(hold.side) if hold else None,
        )

    def _close_hold(self, end_s: float) -> HoldForm | None:
        """Close the open stretch; it is a hold (kept, returned) only if it lasted
        `hold_confirm_s`: a lean to point at the foot is not one."""
        assert self._hold is not None
        form = self._hold.build(end_s)
        self._hold = None
        self._faults.reset_signals()
        if form.duration_s < self.thresholds.hold_confirm_s:
            return None
        self.holds.append(form)
        if form.max_hip_flexion_deg is not None:
            previous = self.reference_deg.get(form.side)
            self.reference_deg[form.side] = max(previous or 0.0, form.max_hip_flexion_deg)
            self.usual = self.usual.with_hold(form.side, form.max_hip_flexion_deg)
        return form


def _with_reach(m: Measures, reach: dict[Side, float]) -> Measures:
    return replace(
        m,
        left=replace(m.left, reach=reach[Side.LEFT]),
        right=replace(m.right, reach=reach[Side.RIGHT]),
    )
