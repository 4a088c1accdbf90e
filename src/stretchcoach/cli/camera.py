"""The camera for `start --camera`: open it and the pose model before the session begins."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stretchcoach.domain.form.personal import UsualForm
    from stretchcoach.services.form import LiveFormCoach


CAMERA_OPTION = "--camera"
DEFAULT_INDEX = "0"


def with_default_index(argv: list[str]) -> list[str]:
    """Let `--camera` stand alone: `start --camera` means `start --camera 0`.

    Typer has no option with an optional value, so a bare `--camera` (last, or followed by
    another option) gets the first camera's number before parsing.
    """
    if "start" not in argv or CAMERA_OPTION not in argv:
        return argv
    result: list[str] = []
    for i, arg in enumerate(argv):
        result.append(arg)
        following = argv[i + 1] if i + 1 < len(argv) else None
        if arg == CAMERA_OPTION and (following is None or following.startswith("-")):
            result.append(DEFAULT_INDEX)
    return result


@contextlib.contextmanager
def camera_coach(index: int, *, usual: UsualForm) -> Iterator[LiveFormCoach]:
    """A live form coach watching camera `index`, running until the block ends.

    Raises InvalidInput (no such camera) or VisionUnavailable (no model) before anything
    starts, so a session never begins half-equipped.
    """
    from stretchcoach.adapters.pose.mediapipe_pose import (
        MediaPipePoseEstimator,
        native_logs_silenced,
    )
    from stretchcoach.adapters.video.opencv_video import Camera
    from stretchcoach.services.form import LiveFormCoach

    with native_logs_silenced():
        camera = Camera(index)
        try:
            estimator = MediaPipePoseEstimator(video=True)
        except BaseException:
            camera.close()
            raise
        coach = LiveFormCoach(camera, estimator, usual=usual)
        coach.start()
        try:
            yield coach
        finally:
            coach.close()
