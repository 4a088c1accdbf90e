"""A body pose as the domain sees it: named joints in image pixels, each with a visibility,
and, when the estimator gives them, the same joints in metres in 3-D.

Any pose estimator converts its own result into a `Pose` at one seam (the MediaPipe adapter
does it in `pose_from_mediapipe`); nothing in the domain knows where the numbers came from.
Image coordinates: x to the right, y downward, in pixels of a `width` x `height` frame.
World coordinates (`Pose.world`): metres, origin between the hips, x to the image's right,
y downward, z away from the camera (a right-handed frame, MediaPipe's world landmarks).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from stretchcoach.domain.values import Side

FloatArray = npt.NDArray[np.float64]


class Joint(IntEnum):
    """The joints the form coach uses, in the row order of `Pose.xy`."""

    NOSE = 0
    LEFT_EAR = 1
    RIGHT_EAR = 2
    LEFT_SHOULDER = 3
    RIGHT_SHOULDER = 4
    LEFT_HIP = 5
    RIGHT_HIP = 6
    LEFT_KNEE = 7
    RIGHT_KNEE = 8
    LEFT_ANKLE = 9
    RIGHT_ANKLE = 10
    LEFT_HEEL = 11
    RIGHT_HEEL = 12
    LEFT_FOOT = 13
    RIGHT_FOOT = 14

    @property
    def mirror(self) -> Joint:
        """The same joint on the other side of the body (the nose is its own mirror)."""
        if self is Joint.NOSE:
            return self
        return Joint(self + 1 if self % 2 else self - 1)


JOINT_COUNT = len(Joint)

_BY_SIDE = {
    Side.LEFT: {
        "ear": Joint.LEFT_EAR,
        "shoulder": Joint.LEFT_SHOULDER,
        "hip": Joint.LEFT_HIP,
        "knee": Joint.LEFT_KNEE,
        "ankle": Joint.LEFT_ANKLE,
        "heel": Joint.LEFT_HEEL,
        "foot": Joint.LEFT_FOOT,
    },
    Side.RIGHT: {
        "ear": Joint.RIGHT_EAR,
        "shoulder": Joint.RIGHT_SHOULDER,
        "hip": Joint.RIGHT_HIP,
        "knee": Joint.RIGHT_KNEE,
        "ankle": Joint.RIGHT_ANKLE,
        "heel": Joint.RIGHT_HEEL,
        "foot": Joint.RIGHT_FOOT,
    },
}


def joint(side: Side, part: str) -> Joint:
    """`joint(Side.LEFT, "knee")` -> `Joint.LEFT_KNEE`."""
    return _BY_SIDE[side][part]


@dataclass(frozen=True, slots=True, eq=False)
class Pose:
    """One person's joints in one frame.

    `xy` has a row per `Joint` (pixels; points may lie outside the frame when the estimator
    guesses a joint it cannot see), `visibility` a 0..1 likelihood per joint that it is seen.
    `world` has the same joints in metres in 3-D (see the module docstring), or is None when
    the estimator gives none: angles then fall back to the image plane.
    """

    xy: FloatArray
    visibility: FloatArray
    width: int
    height: int
    world: FloatArray | None = None

    def __post_init__(self) -> None:
        if self.xy.shape != (JOINT_COUNT, 2) or self.visibility.shape != (JOINT_COUNT,):
            raise ValueError(
                f"a pose needs {JOINT_COUNT} joints, got xy {self.xy.shape} and "
                f"visibility {self.visibility.shape}"
            )
        if self.world is not None and self.world.shape != (JOINT_COUNT, 3):
            raise ValueError(f"world points need {JOINT_COUNT} joints, got {self.world.shape}")

    def point(self, j: Joint) -> FloatArray:
        point: FloatArray = self.xy[j]
        return point

    def seen(self, j: Joint) -> float:
        return float(self.visibility[j])

    def in_frame(self, j: Joint, *, margin: float = 0.0) -> bool:
        """Whether a joint lies inside the frame, `margin` (a fraction of the frame) inside."""
        x, y = self.xy[j]
        mx, my = margin * self.width, margin * self.height
        return bool(mx <= x <= self.width - mx and my <= y <= self.height - my)

    def transformed(self, *, scale: float = 1.0, dx: float = 0.0, dy: float = 0.0) -> Pose:
        """The same pose scaled about the origin and shifted (a camera closer or aside)."""
        width = max(1, round(self.width * scale))
        height = max(1, round(self.height * scale))
        world = None if self.world is None else self.world.copy()  # metres: no camera change
        return Pose(self.xy * scale + (dx, dy), self.visibility.copy(), width, height, world)

    def mirrored(self) -> Pose:
        """The pose as a mirror shows it: x flipped, and left and right swapped.

        A person raising the left leg looks, in a mirror, like one raising the right leg.
        """
        order = [Joint(i).mirror for i in range(JOINT_COUNT)]
        xy = self.xy[order].copy()
        xy[:, 0] = self.width - xy[:, 0]
        world = None
        if self.world is not None:
            world = self.world[order].copy()
            world[:, 0] = -world[:, 0]
        return Pose(xy, self.visibility[order].copy(), self.width, self.height, world)


def pose_from_points(
    points: dict[Joint, tuple[float, float]],
    *,
    width: int,
    height: int,
    visibility: float | dict[Joint, float] = 1.0,
) -> Pose:
    """Build a pose from named points; joints not given sit at (0, 0), unseen."""
    xy = np.zeros((JOINT_COUNT, 2), dtype=np.float64)
    vis = np.zeros(JOINT_COUNT, dtype=np.float64)
    for j, (x, y) in points.items():
        xy[j] = (x, y)
        vis[j] = visibility if isinstance(visibility, float) else visibility.get(j, 1.0)
    return Pose(xy, vis, width, height)
