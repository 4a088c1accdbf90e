"""Angles from one pose: knees, hip flexion, trunk lean, back shape, which leg is up, the view.

All pure numpy. When the pose has world points (metres, 3-D) every angle is measured in 3-D,
so turning toward the camera changes none of them; otherwise they are measured in the image
plane (x right, y down), which is only right seen from the side. Nothing here depends on
where the person sits (bed edge, chair, floor) or which way they face: every "forward" is
taken from the person's own facing direction, so a mirrored pose gives the same angles with
the legs' sides swapped.

Conventions, in degrees:
- knee angle: hip-knee-ankle; 180 is a straight knee.
- hip flexion: how far the trunk has folded toward the thigh, 180 minus the trunk-to-thigh
  angle; sitting tall with the leg out level is about 90, leaning forward makes it larger.
- trunk lean: the hip-to-shoulder line from vertical, positive forward (toward the feet).
- back curl: how far the shoulder-to-ear line bends forward off the hip-to-shoulder line; a
  tall back keeps ear, shoulder and hip nearly in one line, a rounded back curls them.
  In 3-D the curl is the ear-shoulder-hip line's bend at the shoulder (negative when the
  head tips back), and the lean is read in the body's own side plane (vertical, through
  "forward"), as a camera exactly side-on would see it.
- view: how far the camera sits off the side line, 0 = exactly side-on, 90 = facing it (3-D
  only; the image-plane fallback has the shoulder or hip spread instead).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from stretchcoach.domain.form.pose import FloatArray, Joint, Pose, joint
from stretchcoach.domain.form.space import (
    UP,
    angle_3d,
    forward_of,
    horizontal,
    norm,
    sagittal_deg,
    view_off_side_deg,
)
from stretchcoach.domain.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds
from stretchcoach.domain.values import Side

_EPS = 1e-9


class ViewIssue(StrEnum):
    """Why the camera's view cannot be trusted for an angle right now."""

    NO_PERSON = "no_person"
    TOO_DARK = "too_dark"
    HEAD_OUT = "head_out"
    FEET_OUT = "feet_out"
    NOT_SIDE_ON = "not_side_on"


@dataclass(frozen=True, slots=True)
class LegMeasure:
    knee_deg: float
    hip_flexion_deg: float
    reach: float  # how far forward the ankle is from the hip, over the leg's length (0..~1)
    thigh_drop_deg: float = 0.0  # the thigh below level: ~0 sitting, ~90 standing or kneeling


@dataclass(frozen=True, slots=True)
class Measures:
    """Everything read off one pose."""

    facing: int  # +1 when the person faces image right, -1 when they face left
    left: LegMeasure
    right: LegMeasure
    trunk_lean_deg: float
    back_curl_deg: float
    side_spread: float  # shoulder or hip spread over trunk length: ~0 side-on, ~0.8 facing us
    trunk_px: float
    view_deg: float | None = None  # camera off the side line (3-D only): 0 side-on, 90 facing

    def leg(self, side: Side) -> LegMeasure:
        return self.left if side is Side.LEFT else self.right


def angle_at_deg(a: FloatArray, b: FloatArray, c: FloatArray) -> float:
    """The angle a-b-c at b, 0..180."""
    return angle_between_deg(a - b, c - b)


def angle_between_deg(u: FloatArray, v: FloatArray) -> float:
    """The unsigned angle between two vectors, 0..180."""
    nu, nv = float(np.hypot(*u)), float(np.hypot(*v))
    if nu < _EPS or nv < _EPS:
        return 0.0
    cos = float(np.dot(u, v)) / (nu * nv)
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def forward_angle_deg(v: FloatArray, facing: int) -> float:
    """The direction of `v` from straight up, positive toward where the person faces."""
    return math.degrees(math.atan2(float(v[0]) * facing, -float(v[1])))


def _mid(pose: Pose, a: Joint, b: Joint) -> FloatArray:
    """The midpoint of a left/right pair, leaning on whichever is seen better."""
    wa, wb = pose.seen(a) + 0.05, pose.seen(b) + 0.05
    result: FloatArray = (pose.point(a) * wa + pose.point(b) * wb) / (wa + wb)
    return result


def facing_of(pose: Pose) -> int:
    """Which way the person faces in the image: the knees point forward, else the nose."""
    knees = sum(
        float(pose.point(joint(s, "knee"))[0] - pose.point(joint(s, "hip"))[0]) for s in Side
    )
    hips = _mid(pose, Joint.LEFT_HIP, Joint.RIGHT_HIP)
    shoulders = _mid(pose, Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER)
    trunk = float(np.hypot(*(shoulders - hips))) + _EPS
    if abs(knees) > 0.15 * trunk:
        return 1 if knees > 0 else -1
    ears = _mid(pose, Joint.LEFT_EAR, Joint.RIGHT_EAR)
    return 1 if pose.point(Joint.NOSE)[0] >= ears[0] else -1


def measure(pose: Pose) -> Measures:
    """Read every angle the coach needs off one pose: in 3-D when it has world points."""
    if pose.world is not None:
        return _measure_3d(pose, pose.world)
    return _measure_2d(pose)


def _picture(pose: Pose) -> tuple[int, FloatArray, float, float]:
    """What only the picture tells: the facing, the trunk in pixels, its length, the spread."""
    facing = facing_of(pose)
    hips = _mid(pose, Joint.LEFT_HIP, Joint.RIGHT_HIP)
    shoulders = _mid(pose, Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER)
    trunk = shoulders - hips
    trunk_px = norm(trunk)
    spread = max(
        norm(pose.point(Joint.LEFT_SHOULDER) - pose.point(Joint.RIGHT_SHOULDER)),
        norm(pose.point(Joint.LEFT_HIP) - pose.point(Joint.RIGHT_HIP)),
    ) / max(trunk_px, _EPS)
    return facing, trunk, trunk_px, spread


def _measure_2d(pose: Pose) -> Measures:
    facing, trunk, trunk_px, spread = _picture(pose)
    shoulders = _mid(pose, Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER)
    ears = _mid(pose, Joint.LEFT_EAR, Joint.RIGHT_EAR)
    lean = forward_angle_deg(trunk, facing)
    curl = _wrap(forward_angle_deg(ears - shoulders, facing) - lean)
    return Measures(
        facing=facing,
        left=_leg(pose, Side.LEFT, trunk, facing),
        right=_leg(pose, Side.RIGHT, trunk, facing),
        trunk_lean_deg=lean,
        back_curl_deg=curl,
        side_spread=spread,
        trunk_px=trunk_px,
    )


def _leg(pose: Pose, side: Side, trunk: FloatArray, facing: int) -> LegMeasure:
    hip, knee, ankle = (pose.point(joint(side, p)) for p in ("hip", "knee", "ankle"))
    thigh, shank = knee - hip, ankle - knee
    length = float(np.hypot(*thigh)) + float(np.hypot(*shank))
    reach = float(ankle[0] - hip[0]) * facing / length if length > _EPS else 0.0
    return LegMeasure(
        knee_deg=angle_at_deg(hip, knee, ankle),
        hip_flexion_deg=180.0 - angle_between_deg(trunk, thigh),
        reach=reach,
        thigh_drop_deg=math.degrees(math.atan2(float(thigh[1]), abs(float(thigh[0])) + _EPS)),
    )


def _measure_3d(pose: Pose, world: FloatArray) -> Measures:
    """The same measures from metric 3-D points: the angles a side-on camera would read,
    whichever way the body is turned to the camera."""
    w = world

    def mid(a: Joint, b: Joint) -> FloatArray:
        result: FloatArray = (w[a] + w[b]) / 2.0
        return result

    hips = mid(Joint.LEFT_HIP, Joint.RIGHT_HIP)
    shoulders = mid(Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER)
    ears = mid(Joint.LEFT_EAR, Joint.RIGHT_EAR)
    trunk = shoulders - hips
    trunk_m = norm(trunk)
    forward = forward_of(w, ears, trunk_m)
    lean = sagittal_deg(trunk, forward)
    # the back: how far the ear-shoulder-hip line bends at the shoulder (in 3-D), forward
    # (rounding) or back (the head tipped back) as the side plane says
    bend = 180.0 - angle_3d(ears - shoulders, hips - shoulders)
    curl = bend if _wrap(sagittal_deg(ears - shoulders, forward) - lean) >= 0 else -bend
    view = view_off_side_deg(w)
    facing, _, trunk_px, spread = _picture(pose)
    return Measures(
        facing=facing,
        left=_leg_3d(w, Side.LEFT, trunk, forward),
        right=_leg_3d(w, Side.RIGHT, trunk, forward),
        trunk_lean_deg=lean,
        back_curl_deg=curl,
        side_spread=spread,
        trunk_px=trunk_px,
        view_deg=view,
    )


def _leg_3d(w: FloatArray, side: Side, trunk: FloatArray, forward: FloatArray) -> LegMeasure:
    hip, knee, ankle = (w[joint(side, p)] for p in ("hip", "knee", "ankle"))
    thigh, shank = knee - hip, ankle - knee
    length = norm(thigh) + norm(shank)
    reach = float(np.dot(ankle - hip, forward)) / length if length > _EPS else 0.0
    level = norm(horizontal(thigh))
    return LegMeasure(
        knee_deg=angle_3d(hip - knee, ankle - knee),
        hip_flexion_deg=180.0 - angle_3d(trunk, thigh),
        reach=reach,
        thigh_drop_deg=math.degrees(math.atan2(-float(np.dot(thigh, UP)), level + _EPS)),
    )


def _wrap(deg: float) -> float:
    return (deg + 180.0) % 360.0 - 180.0


def raised_side(
    m: Measures, *, previous: Side | None, thresholds: FormThresholds = DEFAULT_THRESHOLDS
) -> Side | None:
    """The leg held out straight in front, with hysteresis on `previous`.

    A leg is raised when its ankle reaches well forward of the hip (a hanging or folded leg
    reaches about half as far). The leg already raised keeps the title until it comes down
    or the other leg clearly reaches further.
    """
    t = thresholds
    reach = {side: m.leg(side).reach for side in Side}
    if previous is not None and reach[previous] >= t.raised_leave:
        other = previous.other
        if not (reach[other] >= t.raised_enter and reach[other] > reach[previous] + t.side_margin):
            return previous
    best = max(Side, key=lambda s: (reach[s], m.leg(s).knee_deg))
    return best if reach[best] >= t.raised_enter else None


def seated(
    m: Measures, *, was_seated: bool = False, thresholds: FormThresholds = DEFAULT_THRESHOLDS
) -> bool:
    """Whether the person sits (bed edge, chair, floor), from both thighs and the hips' height.

    Sitting keeps one thigh near level and the other no steeper than a thigh folded on the
    floor, and the knees on average not far below the hips. Standing, kneeling and lunging
    put one thigh nearly upright and the hips well above the knees. Each test has a looser
    value to stay seated (`was_seated`), so a thigh the tracker misreads by 10° cannot
    flicker it; no single thigh decides.
    """
    t = thresholds
    drops = sorted((m.left.thigh_drop_deg, m.right.thigh_drop_deg))
    hips = sum(math.sin(math.radians(max(-90.0, min(90.0, d)))) for d in drops) / 2.0
    if was_seated:
        return (
            drops[0] < t.seated_level_leave_deg
            and drops[1] < t.seated_other_leave_deg
            and hips < t.seated_hips_leave_ratio
        )
    return (
        drops[0] < t.seated_level_deg
        and drops[1] < t.seated_other_deg
        and hips < (t.seated_hips_ratio)
    )


def both_legs_out(
    m: Measures,
    *,
    was_out: bool = False,
    knee_straight_deg: float,
    thresholds: FormThresholds = DEFAULT_THRESHOLDS,
) -> bool:
    """Both legs out straight in front (a two-leg fold), not one: both ankles reach forward
    as a raised leg does and both knees are straighter than `knee_straight_deg`. Staying out
    (`was_out`) needs only the looser reach and 7° less knee."""
    t = thresholds
    reach = t.raised_leave if was_out else t.raised_enter
    knee = knee_straight_deg - (7.0 if was_out else 0.0)
    return all(m.leg(s).reach >= reach and m.leg(s).knee_deg >= knee for s in Side)


_HEAD = (Joint.LEFT_EAR, Joint.RIGHT_EAR, Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER)
_LEGS = (Joint.LEFT_KNEE, Joint.RIGHT_KNEE, Joint.LEFT_ANKLE, Joint.RIGHT_ANKLE)
_FEET = ((Joint.LEFT_HEEL, Joint.RIGHT_HEEL), (Joint.LEFT_FOOT, Joint.RIGHT_FOOT))
_PAIRS = (
    (Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER),
    (Joint.LEFT_HIP, Joint.RIGHT_HIP),
    (Joint.LEFT_KNEE, Joint.RIGHT_KNEE),
    (Joint.LEFT_ANKLE, Joint.RIGHT_ANKLE),
)


def view_issue(
    pose: Pose | None,
    *,
    brightness: float | None = None,
    side_on: bool = True,
    thresholds: FormThresholds = DEFAULT_THRESHOLDS,
    measures: Measures | None = None,
) -> ViewIssue | None:
    """What stops us trusting this frame's angles, or None when the view is good.

    `measures` are the pose's own, when the caller has them already.

    `side_on` is the hysteresis memory for the side-on test: when the last verdict was not
    side-on, the spread must fall further before the view is trusted again.
    """
    t = thresholds
    if brightness is not None and brightness < t.min_brightness:
        return ViewIssue.TOO_DARK
    if pose is None or not any(
        max(pose.seen(a), pose.seen(b)) >= t.min_visibility for a, b in _PAIRS[:2]
    ):
        return ViewIssue.NO_PERSON
    if not all(pose.in_frame(j, margin=t.frame_margin) for j in _HEAD) or not _seen_pairs(
        pose, _PAIRS[:1], t
    ):
        return ViewIssue.HEAD_OUT
    if not all(pose.in_frame(j, margin=t.frame_margin) for j in _LEGS) or not _seen_pairs(
        pose, _PAIRS[2:], t
    ):
        return ViewIssue.FEET_OUT
    if not all(_one_seen_in_frame(pose, pair, t) for pair in _FEET):
        return ViewIssue.FEET_OUT  # the model has lost the feet: it guesses the lower legs
    m = measures if measures is not None else measure(pose)
    if m.trunk_lean_deg < -t.lean_back_max_deg:
        return ViewIssue.FEET_OUT  # "forward" comes from the legs: they are misread
    if not side_on_enough(m, side_on=side_on, thresholds=t):
        return ViewIssue.NOT_SIDE_ON
    return None


def side_on_enough(
    m: Measures, *, side_on: bool = True, thresholds: FormThresholds = DEFAULT_THRESHOLDS
) -> bool:
    """Whether the camera is close enough to the side line to trust the angles: in 3-D up to
    about 45° off it; in the image plane only nearly side-on (a spread of 0.45, about 30°)."""
    t = thresholds
    if m.view_deg is not None:
        return m.view_deg <= (t.view_max_deg if side_on else t.view_ok_deg)
    return m.side_spread <= (t.side_on_max_ratio if side_on else t.side_on_ok_ratio)


def _one_seen_in_frame(pose: Pose, pair: tuple[Joint, Joint], t: FormThresholds) -> bool:
    return any(
        pose.seen(j) >= t.min_visibility and pose.in_frame(j, margin=t.frame_margin) for j in pair
    )


def _seen_pairs(pose: Pose, pairs: tuple[tuple[Joint, Joint], ...], t: FormThresholds) -> bool:
    return all(max(pose.seen(a), pose.seen(b)) >= t.min_visibility for a, b in pairs)
