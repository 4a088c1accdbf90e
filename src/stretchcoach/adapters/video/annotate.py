"""Draw what the coach sees on a frame (skeleton, angles, state) and write it to a video.

The video is written to a temporary file beside the target and moved into place only when
the analysis succeeds, so a failed run never leaves half a video behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np

from stretchcoach.adapters import files
from stretchcoach.domain.form.coach import FAULT_LABELS
from stretchcoach.domain.form.pose import Joint, Pose
from stretchcoach.domain.form.readings import FormReading, FormState
from stretchcoach.errors import InvalidInput

BONES = [
    (Joint.LEFT_EAR, Joint.LEFT_SHOULDER),
    (Joint.LEFT_SHOULDER, Joint.LEFT_HIP),
    (Joint.LEFT_HIP, Joint.LEFT_KNEE),
    (Joint.LEFT_KNEE, Joint.LEFT_ANKLE),
    (Joint.LEFT_ANKLE, Joint.LEFT_HEEL),
    (Joint.LEFT_HEEL, Joint.LEFT_FOOT),
    (Joint.LEFT_ANKLE, Joint.LEFT_FOOT),
    (Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER),
    (Joint.LEFT_HIP, Joint.RIGHT_HIP),
]
BONES += [(a.mirror, b.mirror) for a, b in BONES[:7]]

# colours are BGR, as OpenCV draws
GOOD = (80, 200, 60)
FAULT = (0, 140, 255)
IDLE = (200, 200, 200)
PANEL = (30, 30, 30)
TEXT = (245, 245, 245)

STATE_WORDS = {
    FormState.NOT_IN_VIEW: "not in view",
    FormState.SEATED: "seated",
    FormState.LEG_RAISED: "leg raised",
    FormState.STRETCHING: "stretching",
    FormState.RELEASED: "released",
}


def draw(bgr: np.ndarray[Any, Any], pose: Pose | None, reading: FormReading | None) -> None:
    """Draw the skeleton, the angles and the state onto a BGR frame, in place."""
    colour = IDLE
    if reading is not None and reading.state is FormState.STRETCHING:
        colour = GOOD if reading.form_ok else FAULT
    if pose is not None:
        pixels = np.rint(pose.xy).astype(int)
        pts = {j: (int(pixels[j][0]), int(pixels[j][1])) for j in Joint}
        for a, b in BONES:
            near = (
                reading is not None
                and reading.side is not None
                and a.name.startswith(reading.side.value.upper())
            )
            cv2.line(bgr, pts[a], pts[b], colour, 4 if near else 2, cv2.LINE_AA)
        for j in Joint:
            cv2.circle(bgr, pts[j], 4, colour, -1, cv2.LINE_AA)
        if reading is not None and reading.measured and reading.side is not None:
            side = reading.side.value.upper()
            knee, hip = Joint[f"{side}_KNEE"], Joint[f"{side}_HIP"]
            _label(bgr, f"{reading.knee_deg:.0f}", (pts[knee][0] + 8, pts[knee][1] - 8))
            _label(bgr, f"{reading.hip_flexion_deg:.0f}", (pts[hip][0] + 8, pts[hip][1] + 20))
    _panel(bgr, reading, colour)


def _panel(bgr: np.ndarray[Any, Any], reading: FormReading | None, colour: tuple[int, ...]) -> None:
    lines: list[str] = []
    if reading is None:
        lines.append("looking for you...")
    else:
        state = STATE_WORDS[reading.state]
        side = f" - {reading.side.value} leg" if reading.side else ""  # Hershey fonts are ASCII
        lines.append(f"{state}{side}")
        if reading.measured and reading.knee_deg is not None:
            lines.append(
                f"knee {reading.knee_deg:.0f}  hip {reading.hip_flexion_deg:.0f}  "
                f"lean {reading.trunk_lean_deg:.0f}  back {reading.back_curl_deg:.0f}"
            )
        if reading.view is not None:
            lines.append(f"view: {reading.view.value.replace('_', ' ')}")
        if reading.faults:
            lines.append(", ".join(FAULT_LABELS[f] for f in sorted(reading.faults)))
        elif reading.form_ok:
            lines.append("good form")
    height = 24 * len(lines) + 12
    width = min(bgr.shape[1], 12 + 11 * max(len(line) for line in lines))
    overlay = bgr[0:height, 0:width]
    overlay[:] = (overlay * 0.35 + np.array(PANEL) * 0.65).astype(bgr.dtype)
    cv2.rectangle(bgr, (0, 0), (6, height), colour, -1)
    for i, line in enumerate(lines):
        cv2.putText(
            bgr, line, (14, 22 + 24 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.6, TEXT, 1, cv2.LINE_AA
        )


def _label(bgr: np.ndarray[Any, Any], text: str, at: tuple[int, int]) -> None:
    cv2.putText(bgr, text, at, cv2.FONT_HERSHEY_SIMPLEX, 0.6, PANEL, 4, cv2.LINE_AA)
    cv2.putText(bgr, text, at, cv2.FONT_HERSHEY_SIMPLEX, 0.6, TEXT, 1, cv2.LINE_AA)


class AnnotatedVideo:
    """An .mp4 (or .avi) written next to its target and moved into place on `commit()`."""

    def __init__(self, target: Path, *, fps: float, size: tuple[int, int]) -> None:
        suffix = target.suffix.lower()
        if suffix not in (".mp4", ".avi", ".mov"):
            raise InvalidInput(
                f"--annotate {str(target)!r}: the file name must end in .mp4 or .avi"
            )
        if not target.parent.is_dir():
            raise InvalidInput(f"--annotate {str(target)!r}: the folder does not exist")
        self.target, self._tmp = target, files.scratch_beside(target)
        fourcc = cv2.VideoWriter.fourcc(*("MJPG" if suffix == ".avi" else "mp4v"))
        self._writer = cv2.VideoWriter(str(self._tmp), fourcc, fps, size)
        if not self._writer.isOpened():
            self.discard()
            raise InvalidInput(f"--annotate {str(target)!r}: cannot write a video there")

    def write(
        self, rgb: np.ndarray[Any, Any], pose: Pose | None, reading: FormReading | None
    ) -> None:
        bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
        draw(bgr, pose, reading)
        self._writer.write(bgr)

    def commit(self) -> None:
        self._writer.release()
        files.publish(self._tmp, self.target)

    def discard(self) -> None:
        if hasattr(self, "_writer"):
            self._writer.release()
        files.discard(self._tmp)
