"""MediaPipe Pose (BlazePose) with the model files its PyPI wheel bundles; never downloads.

mediapipe 0.10.14 ships pose_detection.tflite and pose_landmark_full.tflite inside the
wheel, and the legacy `solutions.pose` graph loads them from site-packages. Importing this
module imports mediapipe (heavy): only the commands that use a camera or a video do.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from stretchcoach.adapters.pose import VisionUnavailable
from stretchcoach.adapters.pose.landmarks import pose_from_landmarks
from stretchcoach.domain.form.pose import Pose

MODEL_FILES = {
    0: ("pose_landmark/pose_landmark_lite.tflite",),
    1: ("pose_landmark/pose_landmark_full.tflite",),
    2: ("pose_landmark/pose_landmark_heavy.tflite",),
}
DETECTOR_FILE = "pose_detection/pose_detection.tflite"


def pose_from_mediapipe(
    landmarks: Any, size: tuple[int, int], world_landmarks: Any = None
) -> Pose | None:
    """Convert MediaPipe's normalised landmarks (or None) into a pose in pixels, with its
    world landmarks (metres, origin between the hips) as the pose's 3-D points when given."""
    if landmarks is None:
        return None
    image = [(p.x, p.y, p.visibility) for p in landmarks.landmark]
    world = None
    if world_landmarks is not None:
        world = [(p.x, p.y, p.z) for p in world_landmarks.landmark]
    return pose_from_landmarks(image, size, world)


def bundled_model_paths(model_complexity: int = 1) -> list[Path]:
    """Where the wheel keeps the model files this estimator needs."""
    try:
        import mediapipe
    except ImportError as error:
        raise VisionUnavailable(
            f"the camera coach needs the vision extra: pip install 'stretchcoach[vision]' ({error})"
        ) from None
    modules = Path(mediapipe.__file__).parent / "modules"
    return [modules / DETECTOR_FILE, *(modules / f for f in MODEL_FILES[model_complexity])]


class MediaPipePoseEstimator:
    """One person's pose per RGB frame, on the CPU, offline.

    `video=True` tracks the person from frame to frame (faster, steadier); use False for
    unrelated still images. The model's own landmark smoothing is off: the form coach does
    its own smoothing, in one documented place.
    """

    name = "mediapipe-pose-full"

    def __init__(self, *, video: bool = True, model_complexity: int = 1) -> None:
        if model_complexity not in MODEL_FILES:
            raise ValueError("model_complexity is 0, 1 or 2")
        missing = [p for p in bundled_model_paths(model_complexity) if not p.is_file()]
        if missing:
            names = ", ".join(p.name for p in missing)
            raise VisionUnavailable(
                f"the pose model is missing ({names}); reinstall mediapipe==0.10.14, "
                "whose wheel carries it (stretchcoach never downloads a model)"
            )
        os.environ.setdefault("GLOG_minloglevel", "2")  # keep MediaPipe's C++ logs quiet
        from mediapipe.python.solutions import pose as mp_pose

        self._pose = mp_pose.Pose(
            static_image_mode=not video,
            model_complexity=model_complexity,
            smooth_landmarks=False,
            enable_segmentation=False,
            min_detection_confidence=0.5,
            min_tracking_confidence=0.5,
        )

    def estimate(self, rgb: np.ndarray[Any, Any]) -> Pose | None:
        """The pose in an RGB uint8 image (height x width x 3), or None if nobody is there."""
        height, width = rgb.shape[:2]
        with warnings.catch_warnings():
            # protobuf deprecates an API mediapipe 0.10.14 still calls on every frame
            warnings.filterwarnings("ignore", "SymbolDatabase.GetPrototype", UserWarning)
            result = self._pose.process(rgb)
        return pose_from_mediapipe(
            result.pose_landmarks, (width, height), result.pose_world_landmarks
        )

    def close(self) -> None:
        self._pose.close()


@contextlib.contextmanager
def native_logs_silenced() -> Iterator[None]:
    """Hide what TensorFlow Lite and absl print straight to file descriptor 2, for a while.

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
