"""`stretchcoach analyze`: in-process through a replaying estimator, and as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from stretchcoach.adapters.video.opencv_video import VideoFile
from stretchcoach.cli import analyze as analyze_cli
from stretchcoach.cli.app import run
from stretchcoach.domain.form.pose import Pose
from stretchcoach.domain.form.synthetic import (
    RECORDED_CALM_LEAN,
    RECORDED_FPS,
    Key,
    scripted,
)
from stretchcoach.domain.values import Side
from stretchcoach.services.analyze import analyze_video
from stretchcoach.testing import ReplayPoseEstimator, write_synthetic_video

pytestmark = [pytest.mark.e2e, pytest.mark.vision]
FPS = 30.0

# starts mid-hold on the left, a clean right hold with a bent knee, ends mid-hold on the left
SCRIPT = [
    Key(0.0, lean_deg=30),
    Key(3.0, lean_deg=30),
    Key(5.0),
    Key(6.0, raised=Side.RIGHT),
    Key(9.0, lean_deg=30, raised=Side.RIGHT),
    Key(12.0, lean_deg=30, raised=Side.RIGHT),
    Key(12.5, lean_deg=30, knee_deg=140, raised=Side.RIGHT),
    Key(14.0, lean_deg=30, knee_deg=140, raised=Side.RIGHT),
    Key(14.5, lean_deg=30, raised=Side.RIGHT),
    Key(20.0, lean_deg=30, raised=Side.RIGHT),
    Key(22.0, raised=Side.RIGHT),
    Key(23.0),
    Key(26.0, lean_deg=30),
    Key(28.0, lean_deg=30),
]


@pytest.fixture(scope="module")
def poses() -> list[Pose | None]:
    return scripted(SCRIPT, fps=FPS, noise_px=1.5)


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory, poses: list[Pose | None]) -> Path:
    path = tmp_path_factory.mktemp("videos") / "morning.mp4"
    write_synthetic_video(path, poses, fps=FPS)
    return path


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch, poses: list[Pose | None]) -> ReplayPoseEstimator:
    estimator = ReplayPoseEstimator(poses)
    monkeypatch.setattr(analyze_cli, "make_estimator", lambda: estimator)
    return estimator


def test_every_hold_in_a_video_is_found_with_its_form(
    video: Path, replay: ReplayPoseEstimator, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    annotated = tmp_path / "annotated.mp4"

    code = run(["analyze", str(video), "--json", "--annotate", str(annotated)])

    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["frames_read"] == 840  # 28 s at 30 fps
    assert 0 < result["frames_analysed"] < result["frames_read"]  # steady stretches are skipped
    assert result["processed_fps"] > 0
    first, middle, last = result["holds"]
    assert (first["side"], first["start_s"]) == ("left", 0.0)  # began before the video did
    assert first["end_s"] == pytest.approx(4.6, abs=0.3)  # the lean falls under 6°
    assert middle["side"] == "right"
    assert middle["faults"]["knee_bent"] == 1
    assert middle["min_knee_deg"] == pytest.approx(140, abs=5)
    assert middle["max_hip_flexion_deg"] == pytest.approx(120, abs=3)
    assert middle["good_form_s"] < middle["duration_s"] - 1.5
    assert last["side"] == "left"
    assert last["end_s"] == pytest.approx(27.97, abs=0.01)  # ended with the video
    assert replay.closed
    assert annotated.stat().st_size > 10_000


def test_the_recorded_calm_lean_is_one_good_hold_through_analyze_and_its_frame_stride(
    tmp_path: Path,
) -> None:
    poses = scripted(
        RECORDED_CALM_LEAN, fps=RECORDED_FPS, yaw_deg=40.0, noise_px=1.5, noise_m=0.008
    )
    path = tmp_path / "recorded.mp4"
    write_synthetic_video(path, poses, fps=RECORDED_FPS)
    source = VideoFile(path)

    result = analyze_video(source, ReplayPoseEstimator(poses), name=path.name, timer=lambda: 0.0)
    source.close()

    (hold,) = result.holds
    assert hold.side is Side.LEFT and hold.faults == {}
    assert hold.good_form_s >= 6.0
    assert result.frames_analysed < result.frames_read  # the still hold is looked at less


def test_the_text_report_lists_the_holds(
    video: Path, replay: ReplayPoseEstimator, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["analyze", str(video)])

    out = " ".join(capsys.readouterr().out.split())
    assert code == 0
    assert "840 frames read" in out
    assert "knee bent ×1" in out
    assert "not a clinical measurement" in out


def test_a_video_with_nobody_in_it_leaves_no_half_written_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.mp4"
    write_synthetic_video(empty, scripted([Key(0.0), Key(1.0)], fps=FPS), fps=FPS)
    monkeypatch.setattr(analyze_cli, "make_estimator", lambda: ReplayPoseEstimator([]))

    code = run(["analyze", str(empty), "--annotate", str(tmp_path / "out.mp4")])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Error: no person found in 'empty.mp4'") and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.mp4"]


# -- real processes, the real bundled model -------------------------------------------------


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    return subprocess.run(
        [sys.executable, "-m", "stretchcoach", "analyze", *args],
        env=env | {"COLUMNS": "100"},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_a_file_that_is_not_a_video_gets_one_line_and_exit_2(tmp_path: Path) -> None:
    notes = tmp_path / "notes.mp4"
    notes.write_text("not a video")

    result = cli(str(notes))

    assert result.returncode == 2
    assert result.stderr == (
        f"Error: {str(notes)!r} is not a video we can read; "
        "use a video file such as .mp4, .mov, .avi or .webm\n"
    )
    assert result.stdout == ""


def test_the_real_model_finds_nobody_in_a_drawn_stick_figure(tmp_path: Path) -> None:
    stick = tmp_path / "stick.mp4"
    write_synthetic_video(stick, scripted(SCRIPT[:2], fps=FPS), fps=FPS)
    out = tmp_path / "out.mp4"

    result = cli(str(stick), "--annotate", str(out))

    assert result.returncode == 2, result.stdout
    assert result.stderr == (
        "Error: no person found in 'stick.mp4'; film from the side with your whole body in view\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stick.mp4"]


def test_the_real_model_reads_a_real_person(tmp_path: Path) -> None:
    import cv2
    from skimage import data

    photo = cv2.cvtColor(cv2.resize(data.astronaut(), (640, 480)), cv2.COLOR_RGB2BGR)
    path = tmp_path / "astronaut.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), FPS, (640, 480))
    for shift in range(45):
        writer.write(np.roll(photo, shift, axis=1))
    writer.release()

    result = cli(str(path), "--json")

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert report["frames_read"] == 45
    assert report["frames_with_person"] == report["frames_analysed"] > 0
    assert report["holds"] == []  # a portrait from the front: no legs, no stretch


def test_a_camera_that_cannot_open_stops_the_session_before_it_begins(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    env |= {"STRETCHCOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}

    def stretchcoach(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "stretchcoach", *args],
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )

    assert stretchcoach("screen", "--answers", "none").returncode == 0
    started = stretchcoach("start", "--camera", "9", "--no-voice")
    listed = stretchcoach("history", "--json")

    errors = [line for line in started.stderr.splitlines() if line.startswith("Error:")]
    assert started.returncode == 2
    assert errors == [
        "Error: camera 9 could not be opened; check it is connected and free, "
        "or try another number with --camera N"
    ]
    assert json.loads(listed.stdout) == []
