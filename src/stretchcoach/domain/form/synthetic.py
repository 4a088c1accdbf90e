"""A stick figure sitting side-on, posed by angles: known answers for tests, benchmarks, demos.

`seated_pose(lean_deg=30)` is a person on a bed edge, left leg out straight, leaning 30°
forward; every angle the geometry reads off it is known exactly. With `yaw_deg` the figure
is built in 3-D (metres, as MediaPipe's world landmarks), turned that far from side-on
toward the camera and projected into the picture, so the pose has both: the image points a
camera would see at that angle and the world points.
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
    yaw_deg: float | None = None,
    other_drop_deg: float | None = None,
) -> Pose:
    """A seated person; `raised=None` leaves both legs as `other` says.

    `thigh_deg` lifts the raised thigh above level; `curl_deg` bends the shoulder-to-ear line
    forward off the trunk line (a rounded back when large). `yaw_deg` (0 side-on, 90 facing
    the camera) builds the figure in 3-D instead, with world points; without it the pose is
    drawn flat in the image, side-on, with no world points. `other_drop_deg` (3-D only) is
    `seated_body`'s.
    """
    if other_drop_deg is not None and yaw_deg is None:
        raise ValueError("other_drop_deg needs a 3-D figure: give yaw_deg too")
    if yaw_deg is not None:
        body = seated_body(
            raised=raised,
            lean_deg=lean_deg,
            knee_deg=knee_deg,
            curl_deg=curl_deg,
            thigh_deg=thigh_deg,
            other=other,
            other_drop_deg=other_drop_deg,
        )
        return viewed(body, yaw_deg=yaw_deg, figure=figure, visibility=visibility)
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


TRUNK_M = 0.5  # the 3-D figure's mid-hip to mid-shoulder, metres
_HALF_WIDTH_M = {"ear": 0.07, "shoulder": 0.17, "hip": 0.1}


def seated_body(
    *,
    raised: Side | None = Side.LEFT,
    lean_deg: float = 0.0,
    knee_deg: float = 180.0,
    curl_deg: float = 10.0,
    thigh_deg: float = 0.0,
    other: OtherLeg = OtherLeg.HANGING,
    other_drop_deg: float | None = None,
) -> FloatArray:
    """The seated figure in 3-D, metres, in its own frame: x forward, y down, z to its left,
    origin between the hips (a right-handed frame, like the camera's).

    `other_drop_deg` points the other (folded) thigh that far below level, as a tracker may
    read a thigh folded on the floor; None leaves it where `other` puts it."""
    forward, up, left = np.eye(3)[0], -np.eye(3)[1], np.eye(3)[2]

    def direction(deg_from_up: float) -> FloatArray:
        r = math.radians(deg_from_up)
        result: FloatArray = up * math.cos(r) + forward * math.sin(r)
        return result

    thigh_len, shank_len = 0.95 * TRUNK_M, 0.9 * TRUNK_M
    shoulder = direction(lean_deg) * TRUNK_M
    ear = shoulder + direction(lean_deg + curl_deg) * 0.32 * TRUNK_M
    nose = ear + direction(lean_deg + curl_deg + 70.0) * 0.12 * TRUNK_M
    body = np.zeros((JOINT_COUNT, 3))
    for side in Side:
        out = left * (1.0 if side is Side.LEFT else -1.0)
        hip = out * _HALF_WIDTH_M["hip"]
        body[joint(side, "ear")] = ear + out * _HALF_WIDTH_M["ear"]
        body[joint(side, "shoulder")] = shoulder + out * _HALF_WIDTH_M["shoulder"]
        body[joint(side, "hip")] = hip
        mode = OtherLeg.RAISED if side is raised else other
        lift = thigh_deg if side is raised else 0.0
        knee = hip + direction(90.0 - lift) * thigh_len
        if mode is OtherLeg.RAISED:
            bend = 180.0 - (knee_deg if side is raised else 180.0)
            shank_dir = direction(90.0 - lift + bend)
        elif mode is OtherLeg.HANGING:
            shank_dir = direction(180.0)
        else:  # folded on the floor: knee out to the side, foot by the other knee
            knee = hip + (direction(100.0) * 0.6 + out * 0.5) * thigh_len
            shank_dir = direction(95.0) * 0.5 - out * 0.85
            shank_dir = shank_dir / float(np.linalg.norm(shank_dir))
        if other_drop_deg is not None and side is not raised:
            drop, aside = math.radians(other_drop_deg), math.radians(40.0)
            level = forward * math.cos(aside) + out * math.sin(aside)
            knee = hip + (level * math.cos(drop) - up * math.sin(drop)) * thigh_len
        ankle = knee + shank_dir * shank_len
        body[joint(side, "knee")] = knee
        body[joint(side, "ankle")] = ankle
        body[joint(side, "heel")] = ankle - up * 0.05 * TRUNK_M
        toes = forward if mode is OtherLeg.RAISED else direction(90.0)
        body[joint(side, "foot")] = ankle + shank_dir * 0.02 * TRUNK_M + toes * 0.15 * TRUNK_M
    body[Joint.NOSE] = nose
    return body


def viewed(
    body: FloatArray, *, yaw_deg: float, figure: Figure = Figure(), visibility: float = 0.95
) -> Pose:
    """A 3-D figure as a camera sees it, turned `yaw_deg` from side-on toward the camera.

    The figure faces image right (`figure.facing` +1) or left (-1) at 0°; at 90° it faces the
    camera. The picture is a straight (orthographic) projection scaled so the trunk is
    `figure.trunk_px` long, with the hips at (`hip_x`, `hip_y`).
    """
    f = figure
    r = math.radians(yaw_deg)
    # the body's forward, down and left axes in camera coordinates (x right, y down, z away)
    fwd = np.array([f.facing * math.cos(r), 0.0, -math.sin(r)])
    down = np.array([0.0, 1.0, 0.0])
    left = np.cross(fwd, down) * -1.0  # left = up x forward, up = -down
    rotation = np.stack([fwd, down, left], axis=1)
    world: FloatArray = body @ rotation.T
    scale = f.trunk_px / TRUNK_M
    xy = world[:, :2] * scale + (f.hip_x, f.hip_y)
    return Pose(xy, np.full(JOINT_COUNT, visibility), f.width, f.height, world)


def jittered(
    pose: Pose,
    rng: np.random.Generator,
    sigma_px: float,
    *,
    sigma_m: float = 0.0,
    depth_sigma_m: float = 0.0,
) -> Pose:
    """The pose with Gaussian noise on every joint, as a real estimator adds: `sigma_px` in
    the picture, `sigma_m` on each world coordinate and `depth_sigma_m` more on depth, the
    coordinate a single camera guesses worst."""
    noise = rng.normal(0.0, sigma_px, pose.xy.shape)
    world = pose.world
    if world is not None and (sigma_m or depth_sigma_m):
        world = world + rng.normal(0.0, sigma_m, world.shape)
        world[:, 2] += rng.normal(0.0, depth_sigma_m, world.shape[0])
    return Pose(pose.xy + noise, pose.visibility.copy(), pose.width, pose.height, world)


@dataclass(frozen=True, slots=True)
class Key:
    """A moment in a scripted movement; numbers ease linearly to the next key."""

    t_s: float
    lean_deg: float = 0.0
    knee_deg: float = 180.0
    curl_deg: float = 10.0
    thigh_deg: float = 0.0  # the raised thigh above level
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
    yaw_deg: float | None = None,
    noise_m: float = 0.0,
    depth_noise_m: float = 0.0,
    other_drop_deg: float | None = None,
) -> list[Pose | None]:
    """The pose of every frame of a scripted movement (None where nobody is present).

    With `yaw_deg` the figure is 3-D, seen that far off side-on, and `noise_m` and
    `depth_noise_m` shake its world points as `jittered` says."""
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
            thigh_deg=ease("thigh_deg"),
            other=other,
            figure=figure,
            yaw_deg=yaw_deg,
            other_drop_deg=other_drop_deg,
        )
        noisy = noise_px or noise_m or depth_noise_m
        poses.append(
            jittered(pose, rng, noise_px, sigma_m=noise_m, depth_sigma_m=depth_noise_m)
            if noisy
            else pose
        )
    return poses


def eased(t0_s: float, t1_s: float, start: Key, end: Key, steps: int = 8) -> list[Key]:
    """A calm movement from `start` to `end` between two times: slow at both ends, quickest
    in the middle (smoothstep), as people move; `end` also gives the thigh and the leg."""
    keys = []
    for i in range(steps + 1):
        w = i / steps
        s = w * w * (3 - 2 * w)
        keys.append(
            Key(
                t0_s + (t1_s - t0_s) * w,
                lean_deg=start.lean_deg + (end.lean_deg - start.lean_deg) * s,
                knee_deg=start.knee_deg + (end.knee_deg - start.knee_deg) * s,
                curl_deg=start.curl_deg + (end.curl_deg - start.curl_deg) * s,
                thigh_deg=end.thigh_deg,
                raised=end.raised,
            )
        )
    return keys


# A real recorded session's readings (24 fps, side view): sitting up with the leg out (hip
# 88°), a lean to her usual depth (hip 113°) in about 1.3 s, then perfectly still for 6 s
# with knee 168-171°, lean 15-20° and back curl 13-24, then back up. The thigh rests 5°
# above level, so hip flexion = 95 + lean.
RECORDED_FPS = 24.0
RECORDED_USUAL_DEG = 113.0
_UPRIGHT = Key(0.0, lean_deg=-7.0, knee_deg=170.0, curl_deg=14.0, thigh_deg=5.0)
RECORDED_CALM_LEAN = [
    _UPRIGHT,
    Key(2.0, lean_deg=-7.0, knee_deg=170.0, curl_deg=14.0, thigh_deg=5.0),
    *eased(
        2.0, 3.3, _UPRIGHT, Key(0.0, lean_deg=18.0, knee_deg=169.0, curl_deg=16.0, thigh_deg=5.0)
    ),
    Key(5.0, lean_deg=17.0, knee_deg=171.0, curl_deg=24.0, thigh_deg=5.0),
    Key(7.0, lean_deg=19.0, knee_deg=168.0, curl_deg=13.0, thigh_deg=5.0),
    Key(9.3, lean_deg=18.0, knee_deg=170.0, curl_deg=20.0, thigh_deg=5.0),
    Key(10.3, lean_deg=-5.0, knee_deg=170.0, curl_deg=14.0, thigh_deg=5.0),
    Key(11.5, lean_deg=-5.0, knee_deg=170.0, curl_deg=14.0, thigh_deg=5.0),
]
RECORDED_STILL_S = (3.6, 9.2)  # the still hold, once the lean has settled
