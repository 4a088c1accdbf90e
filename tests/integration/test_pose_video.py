"""Frames in and annotated video out through OpenCV, on real files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stretchcoach.adapters.video.annotate import AnnotatedVideo, draw
from stretchcoach.adapters.video.opencv_video import VideoFile
from stretchcoach.domain.form.pose import Joint
from stretchcoach.domain.form.state import FormTracker
from stretchcoach.domain.form.synthetic import Key, scripted, seated_pose
from stretchcoach.errors import InvalidInput
from stretchcoach.testing import read_index, stamp_index, write_synthetic_video

pytestmark = pytest.mark.vision


def test_a_video_file_gives_its_frames_with_times_and_brightness(tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    write_synthetic_video(path, scripted([Key(0.0), Key(1.0)], fps=20), fps=20)

    video = VideoFile(path)
    frames = []
    while video.grab():
        frames.append(video.retrieve())
    video.close()

    assert video.fps == pytest.approx(20)
    assert [f.index for f in frames] == list(range(20))
    assert frames[5].t_s == pytest.approx(0.25)
    assert frames[0].rgb.shape == (480, 640, 3)
    assert 0.2 < frames[0].brightness < 0.5
    assert [read_index(f.rgb) for f in frames] == list(range(20))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no file at"),
        (b"hello, not a video", "is not a video we can read"),
        (b"", "is not a video we can read"),
    ],
    ids=["missing", "text", "empty"],
)
def test_what_is_not_a_video_is_refused_in_one_line(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "clip.mp4"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(InvalidInput, match=message) as caught:
        VideoFile(path)

    assert "\n" not in str(caught.value)


def test_an_annotated_video_appears_only_when_committed(tmp_path: Path) -> None:
    target = tmp_path / "out.mp4"
    kept = AnnotatedVideo(target, fps=10, size=(640, 480))
    dropped = AnnotatedVideo(tmp_path / "gone.mp4", fps=10, size=(640, 480))
    frame = np.zeros((480, 640, 3), np.uint8)
    reading = FormTracker().update(0.0, seated_pose(), brightness=0.5)

    for _ in range(5):
        kept.write(frame, seated_pose(), reading)
        dropped.write(frame, None, None)
    kept.commit()
    dropped.discard()

    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp4"]
    assert VideoFile(target).frame_count == 5


def test_an_annotation_target_must_be_a_video_name(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"must end in \.mp4"):
        AnnotatedVideo(tmp_path / "out.txt", fps=10, size=(64, 48))


def test_drawing_marks_the_skeleton_and_the_state() -> None:
    frame = np.zeros((480, 640, 3), np.uint8)
    tracker = FormTracker()
    for i in range(20):
        reading = tracker.update(i / 10, seated_pose(lean_deg=30), brightness=0.5)

    draw(frame, seated_pose(lean_deg=30), reading)

    assert frame[:60, :200].any()  # the state panel
    knee = seated_pose(lean_deg=30).point(Joint.LEFT_KNEE)
    assert frame[int(knee[1]) - 2 : int(knee[1]) + 3, int(knee[0]) - 2 : int(knee[0]) + 3].any()


def test_a_frame_number_stamp_reads_back() -> None:
    image = np.zeros((48, 160, 3), np.uint8)

    stamp_index(image, 12345)

    assert read_index(image) == 12345
