"""The real bundled pose model, offline, on a real photograph (scikit-image's astronaut)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from stretchcoach.adapters.pose import VisionUnavailable
from stretchcoach.adapters.pose.mediapipe_pose import (
    MediaPipePoseEstimator,
    bundled_model_paths,
    native_logs_silenced,
)
from stretchcoach.domain.form.geometry import measure
from stretchcoach.domain.form.pose import Joint

pytestmark = pytest.mark.vision


@pytest.fixture(scope="module")
def astronaut() -> np.ndarray:
    from skimage import data

    image: np.ndarray = data.astronaut()
    return image


@pytest.fixture(scope="module")
def still_estimator() -> Iterator[MediaPipePoseEstimator]:
    estimator = MediaPipePoseEstimator(video=False)
    yield estimator
    estimator.close()


def test_the_model_files_come_from_the_installed_wheel() -> None:
    site = Path(importlib.util.find_spec("mediapipe").origin).parent  # type: ignore[union-attr]

    paths = bundled_model_paths()

    assert [p.name for p in paths] == ["pose_detection.tflite", "pose_landmark_full.tflite"]
    assert all(p.is_file() and site in p.parents for p in paths)


def test_the_landmarks_on_a_real_photograph_are_where_a_body_is(
    astronaut: np.ndarray, still_estimator: MediaPipePoseEstimator
) -> None:
    pose = still_estimator.estimate(astronaut)

    assert pose is not None
    assert (pose.width, pose.height) == (512, 512)
    y = {j: pose.point(j)[1] for j in Joint}
    x = {j: pose.point(j)[0] for j in Joint}
    assert y[Joint.NOSE] < y[Joint.LEFT_SHOULDER] and y[Joint.NOSE] < y[Joint.RIGHT_SHOULDER]
    assert y[Joint.LEFT_SHOULDER] < y[Joint.LEFT_HIP]
    # a person facing the camera: their left shoulder is on the image's right
    assert x[Joint.LEFT_SHOULDER] > x[Joint.NOSE] > x[Joint.RIGHT_SHOULDER]
    head = [Joint.NOSE, Joint.LEFT_EAR, Joint.RIGHT_EAR, Joint.LEFT_SHOULDER]
    assert all(pose.seen(j) > 0.9 for j in head)
    assert all(pose.in_frame(j) for j in head)
    # the photograph stops at the waist: the legs are guessed, below the frame, unsure
    assert not pose.in_frame(Joint.LEFT_ANKLE)
    assert pose.seen(Joint.LEFT_ANKLE) < 0.5


def test_an_empty_picture_has_nobody_in_it(still_estimator: MediaPipePoseEstimator) -> None:
    assert still_estimator.estimate(np.full((480, 640, 3), 128, np.uint8)) is None


def test_a_missing_model_is_a_clear_error_not_a_download() -> None:
    # the heavy model is not in the wheel: asking for it must fail, not fetch it
    with pytest.raises(VisionUnavailable, match=r"pose_landmark_heavy\.tflite"):
        MediaPipePoseEstimator(model_complexity=2)


def test_the_model_logs_can_be_silenced_without_hiding_python_errors(
    capfd: pytest.CaptureFixture[str], astronaut: np.ndarray
) -> None:
    with native_logs_silenced():
        estimator = MediaPipePoseEstimator(video=True)
        estimator.estimate(astronaut)
        estimator.close()
        print("python still speaks", file=sys.stderr)

    err = capfd.readouterr().err
    assert "XNNPACK" not in err
    assert "python still speaks" in err


def test_the_world_points_are_metres_around_the_hips_and_give_the_angles_in_3d(
    still_estimator: MediaPipePoseEstimator,
) -> None:
    # a real person seen from the side, sitting tall with both legs straight out
    photo = Path(__file__).parents[1] / "footage" / "Chin_To_Chest_Stretch__1.jpg"
    rgb = cv2.cvtColor(cv2.imread(str(photo)), cv2.COLOR_BGR2RGB)

    pose = still_estimator.estimate(rgb)

    assert pose is not None and pose.world is not None
    hips = (pose.world[Joint.LEFT_HIP] + pose.world[Joint.RIGHT_HIP]) / 2
    shoulders = (pose.world[Joint.LEFT_SHOULDER] + pose.world[Joint.RIGHT_SHOULDER]) / 2
    assert np.linalg.norm(hips) < 0.05  # the origin sits between the hips
    assert 0.3 < np.linalg.norm(shoulders - hips) < 0.8  # a trunk, in metres
    m = measure(pose)
    assert m.view_deg is not None and m.view_deg < 30  # side-on
    assert min(m.left.knee_deg, m.right.knee_deg) > 160  # legs straight
    assert abs(m.trunk_lean_deg) < 12  # sitting tall: no hold
