"""Frames in through OpenCV: a video file or a webcam, as RGB images with a time and a brightness.

Importing this module imports cv2 (heavy): only the commands that need it do.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from stretchcoach.errors import InvalidInput
from stretchcoach.services.form import Frame

VIDEO_HINT = "use a video file such as .mp4, .mov, .avi or .webm"
FALLBACK_FPS = 30.0


def brightness_of(rgb: np.ndarray[Any, Any]) -> float:
    """Mean brightness 0..1 from a sparse grid of pixels (cheap, and enough to judge light)."""
    return float(rgb[::16, ::16].mean()) / 255.0


class _Capture:
    """What files and cameras share: grab, retrieve as RGB, close."""

    fps: float

    def __init__(self, capture: Any) -> None:
        self._cap = capture
        self._index = -1
        self._t_s = 0.0

    def grab(self) -> bool:
        if not self._cap.grab():
            return False
        self._index += 1
        self._t_s = self._time_of(self._index)
        return True

    def retrieve(self) -> Frame:
        ok, bgr = self._cap.retrieve()
        if not ok or bgr is None:
            raise InvalidInput("a frame could not be decoded")
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        return Frame(self._index, self._t_s, rgb, brightness_of(rgb))

    def close(self) -> None:
        self._cap.release()

    def _time_of(self, index: int) -> float:
        raise NotImplementedError


class VideoFile(_Capture):
    """A recorded video; frame times come from the frame number and the file's frame rate."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise InvalidInput(f"no file at {str(path)!r}; {VIDEO_HINT}")
        capture = cv2.VideoCapture(str(path))
        if not capture.isOpened():
            capture.release()
            raise InvalidInput(f"{str(path)!r} is not a video we can read; {VIDEO_HINT}")
        super().__init__(capture)
        fps = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if 1.0 <= fps <= 240.0 else FALLBACK_FPS
        self.width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
        self.height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        self.frame_count = max(0, int(capture.get(cv2.CAP_PROP_FRAME_COUNT)))
        if self.width <= 0 or self.height <= 0:
            capture.release()
            raise InvalidInput(f"{str(path)!r} has no picture in it; {VIDEO_HINT}")

    def _time_of(self, index: int) -> float:
        return index / self.fps


class Camera(_Capture):
    """A live camera; frame times are real seconds (monotonic) from when it opened."""

    def __init__(self, index: int, *, width: int = 640, height: int = 480) -> None:
        capture = cv2.VideoCapture(index)
        if not capture.isOpened():
            capture.release()
            raise InvalidInput(
                f"camera {index} could not be opened; check it is connected and free, "
                "or try another number with --camera N"
            )
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the newest frame, not a queue of stale ones
        super().__init__(capture)
        fps = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if fps > 0 else FALLBACK_FPS
        self._origin = time.monotonic()

    def _time_of(self, index: int) -> float:
        return time.monotonic() - self._origin
