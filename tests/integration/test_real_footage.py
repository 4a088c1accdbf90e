"""`analyze` on real people: 39 public-domain photographs, each filmed as a webcam would see it.

None of them is a correct one-leg hold (tests/footage/README.md): the coach must stay silent
on every `none` (sitting, standing folds, lying stretches, leg raises, squats, kneeling), and
never count a `bad` fold (bent knees, rounded back) as good form. A two-leg fold (`both`) is
a real hamstring stretch but not a one-leg hold: it must never count in good form either.

The photographs are split once, by a hash of the file name (labels.tsv's `set`): 28 `dev`
that thresholds may be tuned on, and 11 `held` aside that none is. The same guarantees are
checked on both; bench/real_footage.py reports the two scores apart (docs/form.md).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from stretchcoach.adapters.pose.mediapipe_pose import MediaPipePoseEstimator, native_logs_silenced
from stretchcoach.adapters.video.opencv_video import VideoFile
from stretchcoach.domain.form.geometry import ViewIssue
from stretchcoach.errors import InvalidInput
from stretchcoach.services.analyze import VideoAnalysis, analyze_video
from stretchcoach.testing import write_camera_clip

pytestmark = pytest.mark.vision

FOOTAGE = Path(__file__).parents[1] / "footage"
CLIP_S = 4.0  # long enough for a stretch to count (2 s of steady form), were one there
CLIP_FPS = 24.0


@dataclass(frozen=True)
class Photo:
    file: str
    label: str
    side: str
    view: str
    set: str  # dev: thresholds may be tuned on it; held: set aside, never tuned on

    @property
    def stem(self) -> str:
        return self.file.removesuffix(".jpg")


def photos() -> list[Photo]:
    with (FOOTAGE / "labels.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [Photo(r["file"], r["label"], r["side"], r["view"], r["set"]) for r in rows]


PHOTOS = photos()
# a front view the model reads 54° off the side line: at the 55° limit, refused only at times
AT_THE_EDGE = {"Kettlebell_Turkish_Get-Up_Squat_style__1"}


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every photograph as a short webcam clip, made once per test session."""
    folder = tmp_path_factory.mktemp("footage")
    made = {}
    for seed, photo in enumerate(PHOTOS):
        path = folder / f"{photo.stem}.mp4"
        write_camera_clip(FOOTAGE / photo.file, path, seconds=CLIP_S, fps=CLIP_FPS, seed=seed)
        made[photo.file] = path
    return made


def analyze(path: Path) -> VideoAnalysis | None:
    """The service as `stretchcoach analyze` calls it; None when nobody is found at all."""
    source = VideoFile(path)
    estimator = MediaPipePoseEstimator(video=True)
    try:
        with native_logs_silenced():
            return analyze_video(source, estimator, name=path.name, timer=time.perf_counter)
    except InvalidInput:
        return None
    finally:
        source.close()
        estimator.close()


def test_the_set_is_all_there_with_its_source_line_and_its_held_aside_part() -> None:
    assert len(PHOTOS) == 39
    assert {p.label for p in PHOTOS} == {"none", "both", "bad"}
    held = {p.file for p in PHOTOS if p.set == "held"}
    assert held == {p.file for p in PHOTOS if held_aside(p.file)}
    assert (len(held), len(PHOTOS) - len(held)) == (11, 28)
    assert all((FOOTAGE / p.file).is_file() for p in PHOTOS)
    assert "yuhonas/free-exercise-db" in (FOOTAGE / "README.md").read_text(encoding="utf-8")


def held_aside(file: str) -> bool:
    """The split, fixed before anything was measured: a third of the names by their hash."""
    return int(hashlib.sha256(file.encode()).hexdigest(), 16) % 3 == 0


@pytest.mark.parametrize("photo", PHOTOS, ids=[f"{p.set}-{p.stem}" for p in PHOTOS])
def test_the_coach_never_invents_a_hold_or_praises_a_bad_one(
    photo: Photo, clips: dict[str, Path]
) -> None:
    result = analyze(clips[photo.file])

    holds = result.holds if result is not None else ()
    if photo.view == "front" and photo.stem not in AT_THE_EDGE and result is not None:
        assert result.view_issue is ViewIssue.NOT_SIDE_ON  # and analyze says why
    if photo.label == "none":
        assert holds == ()
    else:  # bad, and both: a two-leg fold is not a one-leg hold
        assert all(h.good_form_s == 0 for h in holds)


@pytest.mark.e2e
@pytest.mark.parametrize(
    "stem",
    [
        "Single-Leg_Leg_Extension__1",
        "Anterior_Tibialis-SMR__0",
        "Standing_Gastrocnemius_Calf_Stretch__1",
    ],
    ids=["leg-raised-no-lean", "bad-bent-knees", "standing-fold"],
)
def test_the_real_cli_finds_no_hold_on_real_people_who_are_not_holding(
    stem: str, clips: dict[str, Path]
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "stretchcoach", "analyze", str(clips[f"{stem}.jpg"]), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["holds"] == []
    assert result["frames_read"] == round(CLIP_S * CLIP_FPS)
    assert done.stderr == ""


@pytest.mark.e2e
def test_the_real_cli_says_why_a_video_filmed_from_the_front_has_no_hold(
    clips: dict[str, Path],
) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "stretchcoach",
            "analyze",
            str(clips["Kettlebell_Seated_Press__0.jpg"]),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
    )

    assert done.returncode == 0, done.stderr
    assert "No holds found: the camera was too far round from the side" in done.stdout
    assert done.stderr == ""
