"""Vectors in the room: the 3-D maths behind the form angles, on MediaPipe-style world points.

World points are metres, origin between the hips, x to the image's right, y downward, z away
from the camera (right-handed). "Level" means square to y; the camera is taken to be level,
as a phone propped on a shelf or a laptop on a table is near enough.
"""

from __future__ import annotations

import math

import numpy as np

from stretchcoach.domain.form.pose import FloatArray, Joint, joint
from stretchcoach.domain.values import Side

UP = np.array([0.0, -1.0, 0.0])  # world y points down
_ZERO3 = np.zeros(3)
_EPS = 1e-9


def norm(v: FloatArray) -> float:
    """The length of a small vector (faster than numpy.linalg.norm on 2 or 3 numbers)."""
    return math.sqrt(float(np.dot(v, v)))


def horizontal(v: FloatArray) -> FloatArray:
    """`v` made level: its vertical part taken away."""
    flat: FloatArray = v - float(np.dot(v, UP)) * UP
    return flat


def angle_3d(u: FloatArray, v: FloatArray) -> float:
    """The unsigned angle between two vectors, 0..180 degrees."""
    nu, nv = norm(u), norm(v)
    if nu < _EPS or nv < _EPS:
        return 0.0
    cos = float(np.dot(u, v)) / (nu * nv)
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def sagittal_deg(v: FloatArray, forward: FloatArray) -> float:
    """The direction of `v` from straight up, positive forward, in the body's side plane."""
    return math.degrees(math.atan2(float(np.dot(v, forward)), float(np.dot(v, UP))))


def forward_of(w: FloatArray, ears: FloatArray, trunk_m: float) -> FloatArray:
    """The person's forward direction, level and square to the hip line: where the thighs
    point, else the nose, else the normal of the hip line (the least sure: the model can swap
    left and right, which turns that normal round but leaves the line itself where it is)."""
    lateral = horizontal(w[Joint.RIGHT_HIP] - w[Joint.LEFT_HIP])
    size = norm(lateral)
    across = lateral / size if size > _EPS else _ZERO3

    def square(v: FloatArray) -> FloatArray:
        result: FloatArray = v - float(np.dot(v, across)) * across
        return result

    thighs = square(
        horizontal(sum((w[joint(s, "knee")] - w[joint(s, "hip")] for s in Side), _ZERO3))
    )
    if norm(thighs) > 0.3 * max(trunk_m, _EPS):
        return thighs / norm(thighs)
    nose = square(horizontal(w[Joint.NOSE] - ears))
    if norm(nose) > 0.05 * max(trunk_m, _EPS):
        return nose / norm(nose)
    normal: FloatArray = np.cross(UP, lateral)
    size = norm(normal)
    return normal / size if size > _EPS else np.array([1.0, 0.0, 0.0])


def view_off_side_deg(w: FloatArray) -> float:
    """How far the camera sits off the person's side line: the shoulder and hip lines' angle
    off the camera's depth axis, 0 exactly side-on, 90 facing the camera (or back to it)."""
    lateral = (w[Joint.RIGHT_SHOULDER] - w[Joint.LEFT_SHOULDER]) + (
        w[Joint.RIGHT_HIP] - w[Joint.LEFT_HIP]
    )
    return math.degrees(math.atan2(abs(float(lateral[0])), abs(float(lateral[2])) + _EPS))
