"""Angles from one pose: knees, hip flexion, trunk lean, back shape, which leg is up, the view.

All pure numpy on image coordinates (x right, y down). Nothing here depends on where the
person sits (bed edge, chair, floor) or which way they face: every "forward" is taken from
the person's own facing direction, so a mirrored pose gives the same angles with the legs'
sides swapped.

Conventions, in degrees:
- knee angle: hip-knee-ankle; 180 is a straight knee.
- hip flexion: how far the trunk has folded toward the thigh, 180 minus the trunk-to-thigh
  angle; sitting tall with the leg out level is about 90, leaning forward makes it larger.
- trunk lean: the hip-to-shoulder line from vertical, positive forward (toward the feet).
- back curl: how far the shoulder-to-ear line bends forward off the hip-to-shoulder line; a
  tall back keeps ear, shoulder and hip nearly in one line, a rounded back curls them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from stretchcoach.domain.form.pose import FloatArray, Joint, Pose, joint
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
    """Read every angle the coach needs off one pose."""
    facing = facing_of(pose)
    hips = _mid(pose, Joint.LEFT_HIP, Joint.RIGHT_HIP)
    shoulders = _mid(pose, Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER)
    ears = _mid(pose, Joint.LEFT_EAR, Joint.RIGHT_EAR)
    trunk = shoulders - hips
    trunk_px = float(np.hypot(*trunk))
    lean = forward_angle_deg(trunk, facing)
    curl = _wrap(forward_angle_deg(ears - shoulders, facing) - lean)
    spread = max(
        float(np.hypot(*(pose.point(Joint.LEFT_SHOULDER) - pose.point(Joint.RIGHT_SHOULDER)))),
        float(np.hypot(*(pose.point(Joint.LEFT_HIP) - pose.point(Joint.RIGHT_HIP)))),
    ) / max(trunk_px, _EPS)
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


_HEAD = (Joint.LEFT_EAR, Joint.RIGHT_EAR, Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER)
_LEGS = (Joint.LEFT_KNEE, Joint.RIGHT_KNEE, Joint.LEFT_ANKLE, Joint.RIGHT_ANKLE)
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
) -> ViewIssue | None:
    """What stops us trusting this frame's angles, or None when the view is good.

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
    limit = t.side_on_max_ratio if side_on else t.side_on_ok_ratio
    if measure(pose).side_spread > limit:
        return ViewIssue.NOT_SIDE_ON
    return None


def _seen_pairs(pose: Pose, pairs: tuple[tuple[Joint, Joint], ...], t: FormThresholds) -> bool:
    return all(max(pose.seen(a), pose.seen(b)) >= t.min_visibility for a, b in pairs)
