"""Landmark sequences rebuilt from what the tracker read on real people, for tests and the bench.

Photographs and videos of people nobody here filmed (docs/form.md, "Real people") showed the
coach misjudging some holds. The pictures cannot ship, so each case is rebuilt here from the
geometry the tracker measured on it, on the 3-D stick figure of `synthetic.py`, with the
model's shake on every world point: a bent thigh read 50° below level, a straight knee read
at 157°, a still photograph's jitter for a minute, a two-leg fold, a rounded-back reach, a
0.75 s lean, and a deep fold whose feet the model lost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stretchcoach.domain.form.pose import Joint, Pose, joint
from stretchcoach.domain.form.synthetic import Figure, Key, OtherLeg, eased, scripted
from stretchcoach.domain.values import Side

FPS = 24.0  # the clips' frame rate
# The model's shake: pixels in the picture, metres on world points, more in depth (docs/form.md).
SHAKE_PX, SHAKE_M, SHAKE_DEPTH_M = 1.5, 0.008, 0.02


@dataclass(frozen=True, slots=True, eq=False)
class PeopleCase:
    """One rebuilt case: its poses, and what a right coach makes of them."""

    name: str
    poses: list[Pose | None]
    fps: float
    correct_hold: bool  # a correct one-leg hold: it must be found, in good form
    side: Side | None  # the stretched leg, as the picture shows it
    what: str  # what the tracker read on the real person


def _lean_and_hold(lean: float, hold_s: float, *, knee_deg: float) -> list[Key]:
    """Sit tall 2 s with the leg out, lean in calmly over 1.5 s, hold, come back up."""
    start = Key(0.0, knee_deg=knee_deg)
    keys = [start, Key(2.0, knee_deg=knee_deg)]
    keys += eased(2.0, 3.5, start, Key(0.0, lean_deg=lean, knee_deg=knee_deg))
    keys += [Key(3.5 + hold_s, lean_deg=lean, knee_deg=knee_deg)]
    keys += [Key(5.0 + hold_s, knee_deg=knee_deg), Key(6.5 + hold_s, knee_deg=knee_deg)]
    return keys


def bent_thigh(*, drop_deg: float = 50.0, mirrored: bool = False, seed: int = 0) -> PeopleCase:
    """A correct head-to-knee hold on the floor: the left leg out straight, the right folded
    in, its thigh read `drop_deg` below level (50°; the mirrored clip read 42°)."""
    keys = _lean_and_hold(25.0, 12.0, knee_deg=172.0)
    poses = _filmed(keys, yaw_deg=20.0, seed=seed, other=OtherLeg.FOLDED, other_drop_deg=drop_deg)
    side = Side.RIGHT if mirrored else Side.LEFT
    return PeopleCase(
        f"bent thigh at {drop_deg:.0f}°" + (" (mirrored)" if mirrored else ""),
        _mirror(poses) if mirrored else poses,
        FPS,
        True,
        side,
        f"a correct hold whose folded thigh the tracker read {drop_deg:.0f}° below level",
    )


def knee_157(*, seed: int = 0) -> PeopleCase:
    """A correct hold whose straight knee the tracker reads at 157°, 30° off side-on."""
    keys = _lean_and_hold(22.0, 20.0, knee_deg=157.0)
    poses = _filmed(keys, yaw_deg=30.0, seed=seed)
    return PeopleCase(
        "knee read at 157°", poses, FPS, True, Side.LEFT, "a straight knee read at 157°"
    )


def still_minute(*, seed: int = 0) -> PeopleCase:
    """A still photograph of a correct hold filmed for 60 s: only the tracker's jitter moves.
    The jitter is the model's shake plus a slow wander of about a centimetre, as a model's
    guesses drift on a still picture."""
    keys = [Key(0.0, lean_deg=24.0, knee_deg=166.0), Key(60.0, lean_deg=24.0, knee_deg=166.0)]
    poses = _filmed(keys, yaw_deg=15.0, seed=seed)
    return PeopleCase(
        "still photo, 60 s",
        _wander(poses, seed=seed),
        FPS,
        True,
        Side.LEFT,
        "a still photograph of a correct hold: 4 bouncing faults in 60 s",
    )


def two_leg_fold(*, seed: int = 0) -> PeopleCase:
    """A two-leg fold on the floor (both knees straight, both feet forward), mirrored."""
    keys = _lean_and_hold(25.0, 9.5, knee_deg=174.0)
    poses = _filmed(keys, yaw_deg=20.0, seed=seed, other=OtherLeg.RAISED)
    return PeopleCase(
        "two-leg fold (mirrored)",
        _mirror(poses),
        FPS,
        False,
        None,
        "a mirrored two-leg fold counted as a 9.5 s one-leg hold with no fault",
    )


def rounded_reach(*, seed: int = 0) -> PeopleCase:
    """A reach toward the foot led by the upper back: the trunk line tips 35° in 0.9 s while
    the ear–shoulder–hip line bends 32°, and the knee reads 158° as the arms pull."""
    start = Key(0.0, lean_deg=0.0, knee_deg=170.0, curl_deg=10.0)
    reached = Key(0.0, lean_deg=35.0, knee_deg=158.0, curl_deg=32.0)
    keys = [start, Key(2.0, knee_deg=170.0), *eased(2.0, 2.9, start, reached)]
    keys += [Key(12.0, lean_deg=35.0, knee_deg=158.0, curl_deg=32.0), Key(13.5, knee_deg=170.0)]
    keys += [Key(14.5, knee_deg=170.0)]
    poses = _filmed(keys, yaw_deg=25.0, seed=seed)
    return PeopleCase(
        "rounded-back reach",
        poses,
        FPS,
        False,
        Side.LEFT,
        "a rounded-back reach called knee bent and too deep too fast",
    )


def short_lean(*, seed: int = 0) -> PeopleCase:
    """Pointing at the foot: a lean to 20° for 0.75 s and straight back up."""
    start = Key(0.0, knee_deg=172.0)
    keys = [start, Key(2.0, knee_deg=172.0)]
    keys += eased(2.0, 2.3, start, Key(0.0, lean_deg=20.0, knee_deg=172.0), steps=4)
    keys += eased(3.05, 3.35, Key(0.0, lean_deg=20.0, knee_deg=172.0), start, steps=4)
    keys += [Key(6.0, knee_deg=172.0)]
    poses = _filmed(keys, yaw_deg=10.0, seed=seed)
    return PeopleCase(
        "0.75 s lean", poses, FPS, False, Side.LEFT, "a 0.75 s lean counted as a hold"
    )


def feet_lost(*, seed: int = 0) -> PeopleCase:
    """A deep fold (lean 80°) seen 35° off side-on with the feet out of the picture: the model
    guesses the lower legs folded back under the body, so the lean reads about −95°."""
    keys = [Key(0.0, lean_deg=80.0, knee_deg=175.0), Key(8.0, lean_deg=80.0, knee_deg=175.0)]
    figure = Figure(hip_x=420.0, hip_y=260.0, trunk_px=170.0)
    poses = _filmed(keys, yaw_deg=35.0, seed=seed, figure=figure)
    return PeopleCase(
        "deep fold, feet lost",
        [_lose_feet(p) for p in poses],
        FPS,
        False,
        None,
        "a deep fold 30–45° off side-on, feet out of frame, read as a lean of −93°",
    )


def all_cases(seed: int = 0) -> list[PeopleCase]:
    """Every rebuilt case, in the order docs/form.md lists them."""
    return [
        bent_thigh(seed=seed),
        bent_thigh(drop_deg=42.0, mirrored=True, seed=seed),
        knee_157(seed=seed),
        still_minute(seed=seed),
        two_leg_fold(seed=seed),
        rounded_reach(seed=seed),
        short_lean(seed=seed),
        feet_lost(seed=seed),
    ]


def _filmed(
    keys: list[Key],
    *,
    yaw_deg: float,
    seed: int,
    other: OtherLeg = OtherLeg.HANGING,
    other_drop_deg: float | None = None,
    figure: Figure | None = None,
) -> list[Pose | None]:
    """The scripted movement as the model sees it: 3-D, `yaw_deg` off side-on, shaken."""
    return scripted(
        keys,
        fps=FPS,
        figure=figure or Figure(),
        other=other,
        noise_px=SHAKE_PX,
        seed=seed,
        yaw_deg=yaw_deg,
        noise_m=SHAKE_M,
        depth_noise_m=SHAKE_DEPTH_M,
        other_drop_deg=other_drop_deg,
    )


def _mirror(poses: list[Pose | None]) -> list[Pose | None]:
    return [None if p is None else p.mirrored() for p in poses]


def _wander(poses: list[Pose | None], *, seed: int) -> list[Pose | None]:
    """Add a slow random wander (about a centimetre, over a second or so) to every joint."""
    rng = np.random.default_rng(seed + 1000)
    drift = np.zeros((len(Joint), 3))
    out: list[Pose | None] = []
    for pose in poses:
        drift = 0.95 * drift + rng.normal(0.0, 0.003, drift.shape)
        if pose is None or pose.world is None:
            out.append(pose)
            continue
        scale = 170.0 / 0.5  # pixels per metre of the default figure, near enough
        xy = pose.xy + drift[:, :2] * scale
        out.append(Pose(xy, pose.visibility.copy(), pose.width, pose.height, pose.world + drift))
    return out


def _lose_feet(pose: Pose | None) -> Pose | None:
    """The feet past the frame's edge; the model's guess of the lower legs folded back under
    the hips (knees behind them in depth and picture), seen only dimly."""
    if pose is None or pose.world is None:
        return pose
    xy, world, seen = pose.xy.copy(), pose.world.copy(), pose.visibility.copy()
    hips = (world[Joint.LEFT_HIP] + world[Joint.RIGHT_HIP]) / 2.0
    hips_xy = (xy[Joint.LEFT_HIP] + xy[Joint.RIGHT_HIP]) / 2.0
    for side in Side:
        for part in ("heel", "foot"):
            j = joint(side, part)
            xy[j] = (pose.width + 40.0, xy[j][1])
            seen[j] = 0.1
        knee, ankle = joint(side, "knee"), joint(side, "ankle")
        # the guess: the thigh back and down from the hip, the shin folded under it
        world[knee] = world[joint(side, "hip")] + (hips - world[knee]) * 0.9 + (0.0, 0.2, 0.0)
        world[ankle] = world[knee] + (0.0, 0.3, 0.0)
        xy[knee] = xy[joint(side, "hip")] + (hips_xy - xy[knee]) * 0.3 + (0.0, 40.0)
        xy[ankle] = xy[knee] + (10.0, 60.0)
        seen[knee], seen[ankle] = 0.7, 0.55
    return Pose(xy, seen, pose.width, pose.height, world)
