"""A stick figure sitting side-on, posed by angles: known answers for tests, benchmarks, demos.

`seated_pose(lean_deg=30)` is a person on a bed edge, left leg out straight, leaning 30°
forward; every angle the geometry reads off it is known exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from stretchcoach.domain.form.pose import JOINT_COUNT, FloatArray, Joint, Pose, joint
from stretchcoach.domain.values import Side


class OtherLeg(StrEnum):
    """What the leg not being stretched does."""

    HANGING = "hanging"  # bed edge or chair: thigh level, shin down
    FOLDED = "folded"  # on the floor: knee bent, foot by the other knee
    RAISED = "raised"  # out straight too (sitting on the floor with both legs long)


@dataclass(frozen=True, slots=True)
class Figure:
    """Where the figure sits in the frame and how big it is, in pixels."""

    hip_x: float = 260.0
    hip_y: float = 300.0
    trunk_px: float = 150.0
    width: int = 640
    height: int = 480
    facing: int = 1  # +1 faces image right
    far_offset_px: float = 4.0  # the far side drawn this far behind: a true side-on view
    spread: float = 0.0  # shoulder spread over trunk length: >0.45 is facing the camera


def _unit(deg_from_up: float, facing: int) -> FloatArray:
    """A unit vector `deg_from_up` degrees from straight up, toward where the figure faces."""
    r = math.radians(deg_from_up)
    return np.array([math.sin(r) * facing, -math.cos(r)])


def seated_pose(
    *,
    raised: Side | None = Side.LEFT,
    lean_deg: float = 0.0,
    knee_deg: float = 180.0,
    curl_deg: float = 10.0,
    thigh_deg: float = 0.0,
    other: OtherLeg = OtherLeg.HANGING,
    figure: Figure = Figure(),
    visibility: float = 0.95,
) -> Pose:
    """A seated person; `raised=None` leaves both legs as `other` says.

    `thigh_deg` lifts the raised thigh above level; `curl_deg` bends the shoulder-to-ear line
    forward off the trunk line (a rounded back when large).
    """
    f = figure
    thigh_len, shank_len = 0.95 * f.trunk_px, 0.9 * f.trunk_px
    hip = np.array([f.hip_x, f.hip_y])
    shoulder = hip + _unit(lean_deg, f.facing) * f.trunk_px
    ear = shoulder + _unit(lean_deg + curl_deg, f.facing) * 0.32 * f.trunk_px
    nose = ear + _unit(lean_deg + curl_deg + 70.0, f.facing) * 0.12 * f.trunk_px
    xy = np.zeros((JOINT_COUNT, 2))
    for side in Side:
        far = side is Side.RIGHT
        offset = np.array([-f.facing, -0.5]) * (f.far_offset_px if far else 0.0)
        spread = np.array([f.spread * f.trunk_px / 2 * (1 if far else -1), 0.0])
        xy[joint(side, "ear")] = ear + offset + spread * 0.4
        xy[joint(side, "shoulder")] = shoulder + offset + spread
        xy[joint(side, "hip")] = hip + offset + spread * 0.7
        mode = OtherLeg.RAISED if side is raised else other
        thigh_dir = _unit(90.0 - (thigh_deg if side is raised else 0.0), f.facing)
        knee = hip + offset + spread * 0.7 + thigh_dir * thigh_len
        if mode is OtherLeg.RAISED:
            bend = 180.0 - (knee_deg if side is raised else 180.0)
            shank_dir = _unit(90.0 - (thigh_deg if side is raised else 0.0) + bend, f.facing)
        elif mode is OtherLeg.HANGING:
            shank_dir = _unit(180.0, f.facing)
        else:
            knee = hip + offset + _unit(100.0, f.facing) * thigh_len * 0.6
            shank_dir = _unit(-95.0, f.facing)
        ankle = knee + shank_dir * shank_len
        xy[joint(side, "knee")] = knee
        xy[joint(side, "ankle")] = ankle
        xy[joint(side, "heel")] = ankle + _unit(180.0, f.facing) * 0.05 * f.trunk_px
        xy[joint(side, "foot")] = (
            ankle
            + shank_dir * 0.02 * f.trunk_px
            + _unit(0.0 if mode is OtherLeg.RAISED else 90.0, f.facing) * 0.15 * f.trunk_px
        )
    xy[Joint.NOSE] = nose
    return Pose(xy, np.full(JOINT_COUNT, visibility), f.width, f.height)


def jittered(pose: Pose, rng: np.random.Generator, sigma_px: float) -> Pose:
    """The pose with Gaussian noise on every joint, as a real estimator adds."""
    noise = rng.normal(0.0, sigma_px, pose.xy.shape)
    return Pose(pose.xy + noise, pose.visibility.copy(), pose.width, pose.height)


@dataclass(frozen=True, slots=True)
class Key:
    """A moment in a scripted movement; numbers ease linearly to the next key."""

    t_s: float
    lean_deg: float = 0.0
    knee_deg: float = 180.0
    curl_deg: float = 10.0
    bounce_deg: float = 0.0  # a sine wobble of the lean, this big either way ...
    bounce_hz: float = 1.5  # ... this often
    raised: Side | None = Side.LEFT
    present: bool = True  # False: nobody in the picture


def scripted(
    keys: list[Key],
    *,
    fps: float = 30.0,
    duration_s: float | None = None,
    figure: Figure = Figure(),
    other: OtherLeg = OtherLeg.HANGING,
    noise_px: float = 0.0,
    seed: int = 0,
) -> list[Pose | None]:
    """The pose of every frame of a scripted movement (None where nobody is present)."""
    rng = np.random.default_rng(seed)
    end = duration_s if duration_s is not None else keys[-1].t_s
    poses: list[Pose | None] = []
    for i in range(round(end * fps)):
        t = i / fps
        after = next((k for k in keys if k.t_s > t), keys[-1])
        before = next((k for k in reversed(keys) if k.t_s <= t), keys[0])
        span = after.t_s - before.t_s
        w = (t - before.t_s) / span if span > 0 else 0.0

        def ease(name: str, a: Key = before, b: Key = after, w: float = w) -> float:
            return float(getattr(a, name) * (1 - w) + getattr(b, name) * w)

        if not before.present:
            poses.append(None)
            continue
        wobble = before.bounce_deg * math.sin(2 * math.pi * before.bounce_hz * t)
        pose = seated_pose(
            raised=before.raised,
            lean_deg=ease("lean_deg") + wobble,
            knee_deg=ease("knee_deg"),
            curl_deg=ease("curl_deg"),
            other=other,
            figure=figure,
        )
        poses.append(jittered(pose, rng, noise_px) if noise_px else pose)
    return poses
