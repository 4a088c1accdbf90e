"""From a camera frame to its spoken correction: how long, in a live guided session.

A camera thread delivers 640x480 frames at 30 fps in real time (the astronaut photograph,
shifted a little each frame, so the real model does its real work); the live form coach
analyses them on its own thread while a loop polls it every 50 ms, as the guided session
does. The coach is fed a scripted stretch with a fault every few seconds. Latency is the
wall time from a frame being delivered to the session receiving the correction it caused.
It also reports how long after a fault begins the coach is sure of it (the debounce and the
smoothing: time in the movement, not computer time).

Usage: python bench/vision_latency.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import cv2
import numpy as np
from skimage import data

from stretchcoach.adapters.pose.mediapipe_pose import MediaPipePoseEstimator, native_logs_silenced
from stretchcoach.adapters.video.opencv_video import brightness_of
from stretchcoach.domain.form.pose import Pose
from stretchcoach.domain.form.synthetic import Key, scripted
from stretchcoach.domain.timeline import Phase, PhaseKind
from stretchcoach.domain.values import Side
from stretchcoach.services.form import Frame, LiveFormCoach
from stretchcoach.services.guided import FORM_POLL_S

FPS = 30.0
HOLD = Phase(1, PhaseKind.HOLD, 999.0, "hold", "", "", side=Side.LEFT, hold_number=1)
FAULT_EVERY_S = 4.5


def script(seconds: float) -> tuple[list[Pose | None], list[float]]:
    """A long left hold; every 8 s the knee bends for 2 s, or the back rounds."""
    keys = [Key(0.0), Key(2.0), Key(4.0, lean_deg=30)]
    onsets: list[float] = []
    t = 4.0 + FAULT_EVERY_S
    while t + 3 < seconds:
        bad: dict[str, float] = {"knee_deg": 140} if len(onsets) % 2 == 0 else {"curl_deg": 50}
        keys += [Key(t, lean_deg=30), Key(t + 0.3, lean_deg=30, **bad)]
        keys += [Key(t + 2.3, lean_deg=30, **bad), Key(t + 2.6, lean_deg=30)]
        onsets.append(t)
        t += FAULT_EVERY_S
    keys.append(Key(seconds, lean_deg=30))
    # a 3-D figure 30° off side-on, shaken as the model shakes its world points
    poses = scripted(keys, fps=FPS, yaw_deg=30.0, noise_px=1.5, noise_m=0.008, depth_noise_m=0.009)
    return poses, onsets


class LiveCamera:
    """Frames at 30 fps of real time; each frame's time is when it was delivered."""

    fps = FPS

    def __init__(self, seconds: float) -> None:
        photo = cv2.resize(data.astronaut(), (640, 480))
        self._images = [np.roll(photo, i % 40 - 20, axis=1) for i in range(60)]
        self._count = int(seconds * FPS)
        self._index = -1
        self._origin = time.monotonic()

    def grab(self) -> bool:
        self._index += 1
        if self._index >= self._count:
            return False
        due = self._origin + self._index / FPS
        time.sleep(max(0.0, due - time.monotonic()))
        return True

    def retrieve(self) -> Frame:
        rgb = self._images[self._index % len(self._images)]
        return Frame(self._index, time.monotonic() - self._origin, rgb, brightness_of(rgb))

    def close(self) -> None:
        return None


class ModelThenScript:
    name = "mediapipe+script"

    def __init__(self, poses: list[Pose | None]) -> None:
        self.model = MediaPipePoseEstimator(video=True)
        self.poses = poses
        self.calls = 0
        self.lag: list[float] = []

    def estimate(self, rgb: np.ndarray[Any, Any], t_s: float) -> Pose | None:
        self.model.estimate(rgb, t_s)
        index, self.calls = self.calls, self.calls + 1
        return self.poses[index] if index < len(self.poses) else None

    def close(self) -> None:
        self.model.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warm-up", type=float, default=2.0, help="seconds not counted")
    args = parser.parse_args()
    poses, onsets = script(args.seconds)
    published: list[tuple[float, float]] = []  # (frame delivered, reading ready), monotonic
    polls: list[float] = []
    heard: list[tuple[float, float, str]] = []  # (frame time, received, text)
    with native_logs_silenced():
        camera = LiveCamera(args.seconds)
        origin = camera._origin

        def on_frame(frame: Frame, pose: Pose | None, reading: object) -> None:
            published.append((origin + frame.t_s, time.monotonic()))

        estimator = ModelThenScript(poses)
        coach = LiveFormCoach(camera, estimator, on_frame=on_frame)
        coach.start()
        end = time.monotonic() + args.seconds + 0.5
        while time.monotonic() < end:
            update = coach.poll(HOLD)
            now = time.monotonic()
            polls.append(now)
            if update.correction is not None:
                heard.append((update.correction.at_s, now - origin, update.correction.text))
            time.sleep(FORM_POLL_S)
        coach.close()

    counted = [(d, r) for d, r in published if d - origin >= args.warm_up]
    latencies = []
    for delivered, ready in counted:
        received = next((p for p in polls if p >= ready), None)
        if received is not None:
            latencies.append((received - delivered) * 1000)
    processing = [(r - d) * 1000 for d, r in counted]
    print(
        f"live run: {args.seconds:.0f} s at {FPS:.0f} fps, poll every {FORM_POLL_S * 1000:.0f} ms"
    )
    print(f"frames analysed: {estimator.calls} ({estimator.calls / args.seconds:.1f} per second)")
    print(f"first {args.warm_up:.0f} s not counted (the model loads on the first frames)")
    print(f"frame -> reading ready:   {_stats(processing)}")
    print(f"frame -> session has it:  {_stats(latencies)}")
    spoken = [(received - t) * 1000 for t, received, _ in heard if t >= args.warm_up]
    print(f"frame -> correction, the {len(spoken)} corrections spoken: {_stats(spoken)}")
    delays = []
    for onset in onsets:
        after = [t for t, _, _ in heard if onset <= t <= onset + 3]
        if after:
            delays.append((min(after) - onset) * 1000)
    print(f"fault begins -> correction (movement time, debounce + smoothing): {_stats(delays)}")


def _stats(ms: list[float]) -> str:
    if not ms:
        return "no samples"
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(ordered):5.0f} ms, p95 {p95:5.0f} ms, "
        f"max {ordered[-1]:5.0f} ms (n={len(ordered)})"
    )


if __name__ == "__main__":
    main()
