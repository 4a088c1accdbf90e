"""The real pose model this package ships, offline, on real photographs (scikit-image's
astronaut and tests/footage)."""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import cv2
import numpy as np
import pytest

from stretchcoach.adapters.pose import VisionUnavailable
from stretchcoach.adapters.pose.mediapipe_pose import (
    MediaPipePoseEstimator,
    bundled_model,
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


def test_the_model_is_the_bundle_shipped_beside_the_adapter_as_its_readme_says() -> None:
    model = bundled_model()
    folder = resources.files("stretchcoach.adapters.pose") / "models"

    digest = hashlib.sha256(model.read_bytes()).hexdigest()

    readme = folder.joinpath("README.md").read_text(encoding="utf-8")
    assert model.name == "pose_landmarker_full.task"
    assert re.search(rf"`{model.name}`.*?sha256 `{digest}`", readme, re.DOTALL)


def test_the_landmarks_on_a_real_photograph_are_where_a_body_is(
    astronaut: np.ndarray, still_estimator: MediaPipePoseEstimator
) -> None:
    pose = still_estimator.estimate(astronaut, 0.0)

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
    assert still_estimator.estimate(np.full((480, 640, 3), 128, np.uint8), 0.0) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, r"'absent\.task' cannot be read"),
        (b"not a model", r"'absent\.task' could not be loaded"),
    ],
    ids=["missing", "not-a-model"],
)
def test_a_model_that_cannot_be_loaded_is_one_clear_line_not_a_download(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "absent.task"
    if content is not None:
        path.write_bytes(content)

    with native_logs_silenced(), pytest.raises(VisionUnavailable, match=message) as caught:
        MediaPipePoseEstimator(model=path)

    assert "\n" not in str(caught.value)


def test_video_mode_takes_frames_whose_times_stand_still_or_go_back(
    astronaut: np.ndarray,
) -> None:
    estimator = MediaPipePoseEstimator(video=True)

    with native_logs_silenced():
        poses = [estimator.estimate(astronaut, t_s) for t_s in (1.0, 1.0, 1.0004, 0.5, 2.0)]
    estimator.close()

    assert all(pose is not None for pose in poses)


def test_video_mode_finds_the_same_body_as_a_still(
    astronaut: np.ndarray, still_estimator: MediaPipePoseEstimator
) -> None:
    estimator = MediaPipePoseEstimator(video=True)

    with native_logs_silenced():
        tracked = [estimator.estimate(astronaut, i / 30) for i in range(10)][-1]
    estimator.close()
    still = still_estimator.estimate(astronaut, 0.0)

    assert tracked is not None and still is not None
    head = [Joint.NOSE, Joint.LEFT_EAR, Joint.RIGHT_EAR, Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER]
    gaps = [np.linalg.norm(tracked.point(j) - still.point(j)) for j in head]
    assert max(gaps) < 20  # pixels in a 512x512 photograph: the shoulders are 200 apart


def test_the_model_logs_can_be_silenced_without_hiding_python_errors(
    capfd: pytest.CaptureFixture[str], astronaut: np.ndarray
) -> None:
    with native_logs_silenced():
        estimator = MediaPipePoseEstimator(video=True)
        estimator.estimate(astronaut, 0.0)
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

    pose = still_estimator.estimate(rgb, 0.0)

    assert pose is not None and pose.world is not None
    hips = (pose.world[Joint.LEFT_HIP] + pose.world[Joint.RIGHT_HIP]) / 2
    shoulders = (pose.world[Joint.LEFT_SHOULDER] + pose.world[Joint.RIGHT_SHOULDER]) / 2
    assert np.linalg.norm(hips) < 0.05  # the origin sits between the hips
    assert 0.3 < np.linalg.norm(shoulders - hips) < 0.8  # a trunk, in metres
    m = measure(pose)
    assert m.view_deg is not None and m.view_deg < 30  # side-on
    assert min(m.left.knee_deg, m.right.knee_deg) > 160  # legs straight
    assert abs(m.trunk_lean_deg) < 12  # sitting tall: no hold
