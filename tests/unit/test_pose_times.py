"""The pose model follows a person through a video by time: it is given each frame's own."""

from __future__ import annotations

import itertools

import numpy as np

from stretchcoach.domain.form.synthetic import Key, scripted
from stretchcoach.services.analyze import analyze_video
from stretchcoach.services.form import Frame, LiveFormCoach
from stretchcoach.testing import ReplayPoseEstimator, stamp_index

FPS = 25.0


class Clip:
    """A recording of `count` frames at FPS, each stamped with its number."""

    fps = FPS

    def __init__(self, count: int) -> None:
        self.count, self.index = count, -1
        self.retrieved: list[int] = []

    def grab(self) -> bool:
        self.index += 1
        return self.index < self.count

    def retrieve(self) -> Frame:
        self.retrieved.append(self.index)
        rgb = np.zeros((48, 160, 3), np.uint8)
        stamp_index(rgb, self.index)
        return Frame(self.index, self.index / FPS, rgb, 0.5)

    def close(self) -> None:
        return None


def test_analyze_gives_the_model_the_time_of_each_frame_it_looks_at() -> None:
    poses = scripted([Key(0.0), Key(4.0)], fps=FPS)  # sitting still: a frame stride
    estimator, clip = ReplayPoseEstimator(poses), Clip(len(poses))

    result = analyze_video(clip, estimator, name="clip.mp4", timer=lambda: 0.0)

    assert result.frames_analysed < result.frames_read  # the frames between pass unseen
    assert estimator.times == [index / FPS for index in clip.retrieved]
    gaps = [b - a for a, b in itertools.pairwise(estimator.times)]
    assert max(gaps) > 1.5 / FPS  # where frames pass unseen, their time passes all the same


def test_the_live_coach_gives_the_model_the_camera_time_of_each_frame() -> None:
    estimator = ReplayPoseEstimator([], stamped=False)
    coach = LiveFormCoach(Clip(0), estimator)
    image = np.zeros((48, 160, 3), np.uint8)

    for index, t_s in enumerate([10.0, 10.04, 10.2]):
        coach.process(Frame(index, t_s, image, 0.5))

    assert estimator.times == [10.0, 10.04, 10.2]
