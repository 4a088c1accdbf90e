"""MediaPipe's PoseLandmarker (BlazePose) with the model this package ships; never downloads.

The model is `models/pose_landmarker_full.task` beside this module: the BlazePose person
detector and full landmark model in MediaPipe's bundle format, built by
`scripts/build_pose_bundles.py` (models/README.md says from what). It is package data, read
through `importlib.resources`. Importing this module imports mediapipe (heavy): only the
commands that use a camera or a video do.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np

from stretchcoach.adapters.pose import VisionUnavailable
from stretchcoach.adapters.pose.landmarks import pose_from_landmarks
from stretchcoach.domain.form.pose import Pose

MODEL_FILE = "pose_landmarker_full.task"
CONFIDENCE = 0.5  # to find a person, to trust they are there, to keep tracking them


def bundled_model() -> Traversable:
    """The pose model shipped with this package (a MediaPipe .task bundle)."""
    return resources.files(__package__).joinpath("models", MODEL_FILE)


def pose_from_mediapipe(result: Any, size: tuple[int, int]) -> Pose | None:
    """A PoseLandmarker result as a pose in pixels of a `size` = (width, height) frame, with
    its world landmarks (metres, origin between the hips) as the 3-D points; None when it
    found nobody."""
    if not result.pose_landmarks:
        return None
    image = [(p.x, p.y, p.visibility or 0.0) for p in result.pose_landmarks[0]]
    world = None
    if result.pose_world_landmarks:
        world = [(p.x, p.y, p.z) for p in result.pose_world_landmarks[0]]
    return pose_from_landmarks(image, size, world)


def _model_bytes(model: Path | None) -> bytes:
    where: Traversable | Path = bundled_model() if model is None else model
    try:
        return where.read_bytes()
    except OSError as error:
        raise VisionUnavailable(
            f"the pose model {where.name!r} cannot be read ({error.strerror or error}); "
            "reinstall stretchcoach, which ships it (stretchcoach never downloads a model)"
        ) from None


class MediaPipePoseEstimator:
    """One person's pose per RGB frame, on the CPU, offline.

    `video=True` tracks the person from frame to frame (faster, steadier), and needs each
    frame's time; use False for unrelated still images. `model` is another .task bundle to
    load instead of the shipped one (for comparing models).

    In video mode MediaPipe smooths the landmarks of a single person over time and cannot be
    told not to; it is given each frame's own time, so the smoothing follows the movement as
    filmed (the same in `analyze` as live, and as on the phone). The form coach smooths its
    angles on top, in one documented place (domain/form/filters.py).
    """

    name = "mediapipe-pose-full"

    def __init__(self, *, video: bool = True, model: Path | None = None) -> None:
        try:
            import mediapipe
            from mediapipe.tasks.python import BaseOptions, vision
        except ImportError as error:
            raise VisionUnavailable(
                "the camera coach needs the vision extra: "
                f"pip install 'stretchcoach[vision]' ({error})"
            ) from None
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=_model_bytes(model)),
            running_mode=vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE,
            num_poses=1,
            min_pose_detection_confidence=CONFIDENCE,
            min_pose_presence_confidence=CONFIDENCE,
            min_tracking_confidence=CONFIDENCE,
        )
        try:
            self._landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as error:
            name = MODEL_FILE if model is None else model.name
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise VisionUnavailable(
                f"the pose model {name!r} could not be loaded ({reason})"
            ) from None
        self._mp = mediapipe
        self._video = video
        self._last_ms = -1

    def estimate(self, rgb: np.ndarray[Any, Any], t_s: float) -> Pose | None:
        """The pose in an RGB uint8 image (height x width x 3) taken at `t_s` seconds on its
        source's clock, or None if nobody is there. In video mode the times must go forward;
        two frames within the same millisecond are kept a millisecond apart."""
        height, width = rgb.shape[:2]
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=_contiguous(rgb))
        if self._video:
            self._last_ms = max(round(t_s * 1000), self._last_ms + 1)
            result = self._landmarker.detect_for_video(image, self._last_ms)
        else:
            result = self._landmarker.detect(image)
        return pose_from_mediapipe(result, (width, height))

    def close(self) -> None:
        self._landmarker.close()


def _contiguous(rgb: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """MediaPipe reads the pixels in place: one C-ordered uint8 block (a copy only if not)."""
    return np.ascontiguousarray(rgb, dtype=np.uint8)


@contextlib.contextmanager
def native_logs_silenced() -> Iterator[None]:
    """Hide what MediaPipe, TensorFlow Lite and absl print straight to file descriptor 2, for
    a while.

    They write below Python, from the model's own threads and at moments of their choosing
    (XNNPACK start-up, feedback tensors), so descriptor 2 itself points at /dev/null for the
    duration, while Python's `sys.stderr` keeps writing where it wrote before. For the CLI,
    around a whole camera or video run.
    """
    fd = 2
    sys.stderr.flush()
    saved = os.dup(fd)
    original = sys.stderr
    try:
        on_fd = original.fileno() == fd
    except (AttributeError, OSError, ValueError):  # a replaced or captured stderr
        on_fd = False
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), fd)
        if on_fd:
            sys.stderr = open(saved, "w", closefd=False, encoding=original.encoding)  # noqa: SIM115 - restored below
        yield
    finally:
        if sys.stderr is not original:
            sys.stderr.close()
            sys.stderr = original
        os.dup2(saved, fd)
        os.close(saved)
