"""Analyse a recorded video: every hold in it, with its form, like a live session would see.

While nothing changes (someone holding still, or sitting), only every few frames are looked
at; as soon as anything moves, every frame is. A video that starts or ends mid-hold still
reports that hold, for the part it shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from stretchcoach.domain.form.geometry import ViewIssue
from stretchcoach.domain.form.metrics import HoldForm
from stretchcoach.domain.form.pose import Pose
from stretchcoach.domain.form.readings import FormReading
from stretchcoach.domain.form.state import FormTracker
from stretchcoach.domain.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds
from stretchcoach.errors import InvalidInput
from stretchcoach.services.form import FrameSource, Image, PoseEstimator

STEADY_HZ = 6.0  # frames looked at per second while nothing changes


class FrameSink(Protocol):
    """Where annotated frames go (every frame read, with the latest pose and reading)."""

    def write(self, rgb: Image, pose: Pose | None, reading: FormReading | None) -> None: ...


@dataclass(frozen=True, slots=True)
class VideoAnalysis:
    holds: tuple[HoldForm, ...]
    frames_read: int
    frames_analysed: int
    frames_with_person: int
    video_fps: float
    elapsed_s: float  # wall time the analysis took
    view_issue: ViewIssue | None = None  # what spoilt the view in most frames with a person

    @property
    def duration_s(self) -> float:
        return self.frames_read / self.video_fps if self.video_fps else 0.0

    @property
    def processed_fps(self) -> float:
        """Video frames got through per second of wall time."""
        return self.frames_read / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def speed_vs_realtime(self) -> float:
        return self.duration_s / self.elapsed_s if self.elapsed_s > 0 else 0.0


def analyze_video(
    source: FrameSource,
    estimator: PoseEstimator,
    *,
    name: str,
    timer: Callable[[], float],
    sink: FrameSink | None = None,
    thresholds: FormThresholds = DEFAULT_THRESHOLDS,
    steady_hz: float = STEADY_HZ,
) -> VideoAnalysis:
    """Find every hold in a video; InvalidInput when it has no frames or nobody in it."""
    started = timer()
    tracker = FormTracker(thresholds)
    stride = max(1, round(source.fps / steady_hz))
    read = analysed = with_person = 0
    next_due = 0
    pose: Pose | None = None
    reading: FormReading | None = None
    issues: Counter[ViewIssue | None] = Counter()
    t_s = 0.0
    while source.grab():
        index = read
        read += 1
        due = index >= next_due
        if not due and sink is None:
            continue
        frame = source.retrieve()
        t_s = frame.t_s
        if due:
            pose = estimator.estimate(frame.rgb, frame.t_s)
            reading = tracker.update(frame.t_s, pose, brightness=frame.brightness)
            analysed += 1
            with_person += pose is not None
            if pose is not None:
                issues[reading.view] += 1
            next_due = index + (stride if tracker.steady else 1)
        if sink is not None:
            sink.write(frame.rgb, pose, reading)
    if read == 0:
        raise InvalidInput(f"{name!r} has no frames we can read; use a video file such as .mp4")
    if with_person == 0:
        raise InvalidInput(
            f"no person found in {name!r}; film from the side with your whole body in view"
        )
    tracker.finish(max(t_s, (read - 1) / source.fps))  # the last frame, looked at or not
    return VideoAnalysis(
        holds=tuple(tracker.holds),
        frames_read=read,
        frames_analysed=analysed,
        frames_with_person=with_person,
        video_fps=source.fps,
        elapsed_s=timer() - started,
        view_issue=_most_of_the_time(issues),
    )


def _most_of_the_time(issues: Counter[ViewIssue | None]) -> ViewIssue | None:
    """The view problem of more than half the frames where someone was seen, if any."""
    worst, count = max(issues.items(), key=lambda item: item[1], default=(None, 0))
    return worst if count * 2 > sum(issues.values()) else None
