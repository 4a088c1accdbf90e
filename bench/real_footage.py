"""What the form coach makes of each real photograph in tests/footage, filmed as a webcam
would (the same clips as tests/integration/test_real_footage.py): a Markdown table for
docs/form.md, and the score of each part of the set: `dev` (thresholds may be tuned on it)
and `held` (set aside: never tuned on), reported apart.

A verdict is right when the coach counts no hold on a `none` and no good form on a `bad` or
a `both` (a two-leg fold is not a one-leg hold). There is no correct one-leg hold in the set,
so this scores only the coach's silence; the correct holds are scored on the rebuilt
sequences (bench/real_people.py).

For each clip: how many frames the model found a person in, the camera's angle off the side
line (3-D, median), which leg the coach calls raised against the label's (mirrored, as the
clip shows it), the raised knee in
3-D and in the image plane (median), the coach's state at the end, what `analyze` reports and
what the coach would say.

Usage: python bench/real_footage.py [--tiny] [--model other.task]  (another pose model, to compare)
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from stretchcoach.adapters.pose.mediapipe_pose import MediaPipePoseEstimator, native_logs_silenced
from stretchcoach.adapters.video.opencv_video import VideoFile
from stretchcoach.domain.form.coach import FAULT_LABELS, correction_for
from stretchcoach.domain.form.geometry import measure
from stretchcoach.domain.form.pose import Pose
from stretchcoach.domain.form.readings import FormReading, FormState
from stretchcoach.domain.form.state import FormTracker
from stretchcoach.errors import InvalidInput
from stretchcoach.services.analyze import analyze_video
from stretchcoach.testing import write_camera_clip

FOOTAGE = Path(__file__).parents[1] / "tests" / "footage"
CLIP_S, CLIP_FPS = 4.0, 24.0  # as the test films them
# the clips are mirrored: a person stretching their right leg, mirrored, stretches their left
MIRRORED = {"left": "right", "right": "left"}


class Recording:
    """The real model, keeping every pose it gave."""

    name = "mediapipe-recording"

    def __init__(self, model: Path | None) -> None:
        self.model = MediaPipePoseEstimator(video=True, model=model)
        self.poses: list[Pose | None] = []

    def estimate(self, rgb: np.ndarray[Any, Any], t_s: float) -> Pose | None:
        pose = self.model.estimate(rgb, t_s)
        self.poses.append(pose)
        return pose

    def close(self) -> None:
        self.model.close()


def says(reading: FormReading) -> str:
    correction = correction_for(reading)
    if correction is not None:
        return f"“{correction.text}”"
    return {
        FormState.SEATED: "nothing: no leg out",
        FormState.LEG_RAISED: "nothing: a leg out, no lean",
        FormState.STRETCHING: "nothing: the form is right",
    }.get(reading.state, "nothing")


def median(values: list[float]) -> str:
    return f"{statistics.median(values):.0f}" if values else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="a tiny run: two clips")
    parser.add_argument("--model", type=Path, help="a .task bundle instead of the shipped one")
    args = parser.parse_args()
    with (FOOTAGE / "labels.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    if args.tiny:
        rows = rows[:2]
    print(
        "| photo | set | label, view, leg as filmed | person | view° | leg (coach) | "
        "knee 3-D / image | state | analyze | the coach says |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    right: dict[str, list[bool]] = {"dev": [], "held": []}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, native_logs_silenced():
        for seed, row in enumerate(rows):
            clip = Path(folder) / "clip.mp4"
            write_camera_clip(FOOTAGE / row["file"], clip, seconds=CLIP_S, fps=CLIP_FPS, seed=seed)
            source, estimator = VideoFile(clip), Recording(args.model)
            verdict = True
            try:
                result = analyze_video(
                    source, estimator, name=clip.name, timer=time.perf_counter, steady_hz=CLIP_FPS
                )
                holds = (
                    "; ".join(
                        f"hold {h.side.value}, good form {h.good_form_s:.1f} s"
                        + "".join(f", {FAULT_LABELS[f]}" for f in h.faults)
                        for h in result.holds
                    )
                    or "no hold"
                )
                good = any(h.good_form_s > 0 for h in result.holds)
                verdict = not result.holds if row["label"] == "none" else not good
            except InvalidInput:
                holds = "nobody found"
            source.close()
            estimator.close()
            seen = [p for p in estimator.poses if p is not None]
            tracker = FormTracker()
            reading = None
            for index, pose in enumerate(estimator.poses):
                reading = tracker.update(index / CLIP_FPS, pose, brightness=0.5)
            views, knees3, knees2, sides = [], [], [], []
            for pose in seen:
                m3 = measure(pose)
                m2 = measure(Pose(pose.xy, pose.visibility, pose.width, pose.height))
                leg = max(m3.left, m3.right, key=lambda leg: leg.reach)
                side = "left" if leg is m3.left else "right"
                sides.append(side)
                views.append(m3.view_deg or 0.0)
                knees3.append(leg.knee_deg)
                knees2.append(m2.left.knee_deg if side == "left" else m2.right.knee_deg)
            coach_side = reading.side.value if reading is not None and reading.side else "–"
            state = reading.state.value.replace("_", " ") if reading is not None else "–"
            right[row["set"]].append(verdict)
            print(
                f"| {row['file'].removesuffix('.jpg')} | {row['set']} | "
                f"{row['label']}, {row['view']}, "
                f"{MIRRORED.get(row['side'], row['side'])} | "
                f"{len(seen)}/{len(estimator.poses)} | {median(views)} | "
                f"{coach_side} | {median(knees3)} / {median(knees2)} | {state} | {holds} | "
                f"{says(reading) if reading is not None else '–'} |"
            )
    for part, verdicts in right.items():
        print(f"\n{part}: {sum(verdicts)} of {len(verdicts)} right", end="")
    print(f"\n\n{len(rows)} clips in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
