"""BlazePose's 33 landmarks, as plain numbers, into the domain's `Pose`: the one seam where
MediaPipe's layout becomes our joints, for the Python model and for the phone's.

MediaPipe (in Python and in the browser) gives each landmark in the picture as x and y in
0..1 of the frame with a visibility, and in the room as x, y, z in metres (its world
landmarks). Nothing here imports mediapipe.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from stretchcoach.domain.form.pose import JOINT_COUNT, Joint, Pose

LANDMARK_COUNT = 33  # BlazePose's full body

# BlazePose's landmark numbers, by our joint names.
MEDIAPIPE_INDEX = {
    Joint.NOSE: 0,
    Joint.LEFT_EAR: 7,
    Joint.RIGHT_EAR: 8,
    Joint.LEFT_SHOULDER: 11,
    Joint.RIGHT_SHOULDER: 12,
    Joint.LEFT_HIP: 23,
    Joint.RIGHT_HIP: 24,
    Joint.LEFT_KNEE: 25,
    Joint.RIGHT_KNEE: 26,
    Joint.LEFT_ANKLE: 27,
    Joint.RIGHT_ANKLE: 28,
    Joint.LEFT_HEEL: 29,
    Joint.RIGHT_HEEL: 30,
    Joint.LEFT_FOOT: 31,
    Joint.RIGHT_FOOT: 32,
}
ORDER = [MEDIAPIPE_INDEX[Joint(i)] for i in range(JOINT_COUNT)]


def pose_from_landmarks(
    image: Sequence[Sequence[float]],
    size: tuple[int, int],
    world: Sequence[Sequence[float]] | None = None,
) -> Pose:
    """A pose from the 33 image landmarks (x, y in 0..1 of the frame, visibility 0..1) of a
    `size` = (width, height) frame, with the 33 world landmarks (x, y, z metres) when given.

    Raises ValueError, saying what is wrong, for a wrong count or a number that is not finite.
    """
    width, height = size
    if len(image) != LANDMARK_COUNT or (world is not None and len(world) != LANDMARK_COUNT):
        got = f"{len(image)} image" + ("" if world is None else f" and {len(world)} world")
        raise ValueError(f"a pose needs {LANDMARK_COUNT} landmarks, got {got}")
    picked = [image[i] for i in ORDER]
    if any(len(p) != 3 for p in picked):
        raise ValueError("each image landmark is three numbers: x, y, visibility")
    xy = np.array([(p[0] * width, p[1] * height) for p in picked], dtype=np.float64)
    visibility = np.clip(np.array([p[2] for p in picked], dtype=np.float64), 0.0, 1.0)
    metres = None
    if world is not None:
        chosen = [world[i] for i in ORDER]
        if any(len(p) != 3 for p in chosen):
            raise ValueError("each world landmark is three numbers: x, y, z")
        metres = np.array(chosen, dtype=np.float64)
    numbers = [xy, visibility] + ([] if metres is None else [metres])
    if not all(np.isfinite(a).all() for a in numbers):
        raise ValueError("a landmark has a number that is not finite")
    return Pose(xy, visibility, width, height, metres)


def landmarks_of(pose: Pose) -> tuple[list[list[float]], list[list[float]] | None]:
    """The inverse: a pose as the 33 image and world landmarks a phone sends (the joints the
    coach does not use at zero, unseen). For tests and benchmarks that stand in for a phone."""
    image = [[0.0, 0.0, 0.0] for _ in range(LANDMARK_COUNT)]
    world = [[0.0, 0.0, 0.0] for _ in range(LANDMARK_COUNT)]
    for j in Joint:
        n = MEDIAPIPE_INDEX[j]
        x, y = pose.xy[j]
        image[n] = [float(x) / pose.width, float(y) / pose.height, float(pose.visibility[j])]
        if pose.world is not None:
            world[n] = [float(v) for v in pose.world[j]]
    return image, world if pose.world is not None else None
