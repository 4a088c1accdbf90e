"""The camera form coach's cost: the whole pipeline against the pose model alone, and
`analyze` of 60 s recordings against the model alone on the same frames.

The model runs for real on real pixels. For the per-frame overhead: scikit-image's
astronaut photograph at 640x480, shifted a little each frame so it is a moving picture, with
the form coach (geometry, filters, state machine, corrections) fed a scripted stretch of the
same length (a 3-D figure seen 30° off side-on, shaken as the model shakes its points).
For `analyze`, 640x360 recordings of real people: the photographs in
tests/footage filmed as a webcam would (mirrored, dimmer, sensor noise), 10 s each, at 30
and 24 fps, once with the model's own poses (real people holding still) and once with the
model run on every frame it is asked for but the coach fed a scripted morning of movement
(leans, a bent knee, bouncing): analyze looks at every frame while anything moves, so that
is the harder case. Each `analyze` is timed beside the model alone reading every frame of
the same file (decode included), alternating, and the medians compared.

Usage: python bench/vision_pipeline.py [--rounds 5] [--frames 150] [--parts overhead,analyze,real]
       python bench/vision_pipeline.py --parts cli --rounds 5 --python new=.venv/bin/python \
           --python old=/path/to/old/.venv/bin/python@/path/to/old/src
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from skimage import data

from stretchcoach.adapters.pose.mediapipe_pose import MediaPipePoseEstimator, native_logs_silenced
from stretchcoach.adapters.video.opencv_video import VideoFile, brightness_of
from stretchcoach.domain.form.coach import Corrector
from stretchcoach.domain.form.pose import Pose
from stretchcoach.domain.form.state import FormTracker
from stretchcoach.domain.form.synthetic import Key, scripted
from stretchcoach.domain.values import Side
from stretchcoach.services.analyze import STEADY_HZ, analyze_video
from stretchcoach.testing import read_index, stamp_index

FPS = 30.0
SIZE = (640, 480)

# a morning in 60 s: sit, left leg out, lean, hold 20 s with a knee wobble, up, right leg ...
MORNING = [
    Key(0.0, raised=None),
    Key(3.0, raised=None),
    Key(4.0),
    Key(7.0, lean_deg=30),
    Key(15.0, lean_deg=30),
    Key(15.5, lean_deg=30, knee_deg=145),
    Key(17.0, lean_deg=30, knee_deg=145),
    Key(17.5, lean_deg=30),
    Key(27.0, lean_deg=30),
    Key(29.0, raised=None),
    Key(33.0, raised=None),
    Key(34.0, raised=Side.RIGHT),
    Key(37.0, lean_deg=30, raised=Side.RIGHT),
    Key(45.0, lean_deg=30, raised=Side.RIGHT),
    Key(45.0, lean_deg=30, bounce_deg=6, raised=Side.RIGHT),
    Key(48.0, lean_deg=30, bounce_deg=6, raised=Side.RIGHT),
    Key(48.0, lean_deg=30, raised=Side.RIGHT),
    Key(57.0, lean_deg=30, raised=Side.RIGHT),
    Key(59.0, raised=None),
    Key(60.0, raised=None),
]


# the scripted person is 3-D, seen 30° off side-on, shaken as the model shakes its points
SHAKE: dict[str, float] = {
    "yaw_deg": 30.0,
    "noise_px": 1.5,
    "noise_m": 0.008,
    "depth_noise_m": 0.009,
}


def frames(count: int) -> list[np.ndarray[Any, Any]]:
    photo = cv2.resize(data.astronaut(), SIZE)
    return [np.roll(photo, i % 40 - 20, axis=1) for i in range(count)]


class ModelThenScript:
    """The real model on the real frame, then the scripted pose for the coach."""

    name = "mediapipe+script"

    def __init__(self, model: MediaPipePoseEstimator, poses: list[Pose | None]) -> None:
        self.model, self.poses = model, poses

    def estimate(self, rgb: np.ndarray[Any, Any], t_s: float) -> Pose | None:
        self.model.estimate(rgb, t_s)
        index = read_index(rgb)
        return self.poses[index] if index < len(self.poses) else None

    def close(self) -> None:
        self.model.close()


def overhead(rounds: int, count: int) -> None:
    images = frames(count)
    poses = scripted(MORNING, fps=FPS, duration_s=count / FPS, **SHAKE)
    model_s: list[float] = []
    pipeline_s: list[float] = []
    for _ in range(rounds):
        model = MediaPipePoseEstimator(video=True)
        start = time.perf_counter()
        for i, rgb in enumerate(images):
            model.estimate(rgb, i / FPS)
        model_s.append(time.perf_counter() - start)
        model.close()

        model = MediaPipePoseEstimator(video=True)
        tracker, corrector = FormTracker(), Corrector()
        start = time.perf_counter()
        for i, rgb in enumerate(images):
            model.estimate(rgb, i / FPS)
            reading = tracker.update(i / FPS, poses[i], brightness=brightness_of(rgb))
            corrector.next(reading, expected_side=Side.LEFT)
        pipeline_s.append(time.perf_counter() - start)
        model.close()
    model_fps = count / statistics.median(model_s)
    pipe_fps = count / statistics.median(pipeline_s)
    print(f"frames={count} size={SIZE[0]}x{SIZE[1]} rounds={rounds}")
    print(f"model alone:            median {model_fps:6.1f} frames/s")
    print(f"model + form coach:     median {pipe_fps:6.1f} frames/s")
    print(f"ratio of times pipeline/model: {model_fps / pipe_fps:.3f}")
    tracker = FormTracker()
    start = time.perf_counter()
    for i, pose in enumerate(poses):
        tracker.update(i / FPS, pose, brightness=0.5)
    per_frame = (time.perf_counter() - start) / len(poses) * 1e6
    print(f"form coach alone: {per_frame:.0f} µs per frame")


def clip_60s(folder: Path) -> Path:
    path = folder / "morning.mp4"
    photo = cv2.cvtColor(cv2.resize(data.astronaut(), SIZE), cv2.COLOR_RGB2BGR)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), FPS, SIZE)
    for i in range(int(60 * FPS)):
        frame = np.roll(photo, i % 40 - 20, axis=1)
        stamp_index(frame, i)
        writer.write(frame)
    writer.release()
    return path


def analyze_60s(rounds: int) -> None:
    poses = scripted(MORNING, fps=FPS, **SHAKE)
    with tempfile.TemporaryDirectory() as folder:
        path = clip_60s(Path(folder))
        for stride_label, steady_hz in (("every frame", FPS), ("stride while steady", STEADY_HZ)):
            elapsed: list[float] = []
            for _ in range(rounds):
                source = VideoFile(path)
                estimator = ModelThenScript(MediaPipePoseEstimator(video=True), poses)
                result = analyze_video(
                    source,
                    estimator,
                    name=path.name,
                    timer=time.perf_counter,
                    steady_hz=steady_hz,
                )
                source.close()
                estimator.close()
                elapsed.append(result.elapsed_s)
            median = statistics.median(elapsed)
            print(
                f"analyze 60 s clip, {stride_label:20s}: median {median:5.1f} s "
                f"({60 / median:4.1f}x real time), {result.frames_analysed}/{result.frames_read} "
                f"frames analysed"
            )
            for hold in result.holds:
                faults = ", ".join(f"{f.value}x{n}" for f, n in hold.faults.items()) or "none"
                print(
                    f"    {hold.side.value:5s} {hold.start_s:5.1f}-{hold.end_s:5.1f} s, "
                    f"good form {hold.good_form_s:4.1f} s, deepest {hold.max_hip_flexion_deg}°, "
                    f"faults: {faults}"
                )


REAL_SIZE = (640, 360)
PEOPLE = [  # side and oblique views of real people sitting, a leg out or not
    "Seated_Hamstring__0.jpg",
    "Chin_To_Chest_Stretch__1.jpg",
    "Neck-SMR__0.jpg",
    "Seated_Cable_Rows__0.jpg",
    "Leg_Extensions__1.jpg",
    "Calves-SMR__0.jpg",
]
FOOTAGE = Path(__file__).parents[1] / "tests" / "footage"


def real_recording(folder: Path, fps: float) -> Path:
    """60 s of real people at 640x360, `fps`, each frame stamped with its number."""
    width, height = REAL_SIZE
    path = folder / f"people-{fps:.0f}fps.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, REAL_SIZE)
    rng = np.random.default_rng(0)
    noise = [rng.standard_normal((height, width, 3), dtype=np.float32) * 4 for _ in range(4)]
    index = 0
    for name in PEOPLE:
        photo = cv2.flip(cv2.imread(str(FOOTAGE / name)), 1)
        scaled = cv2.resize(photo, (width, round(photo.shape[0] * width / photo.shape[1])))
        top = (scaled.shape[0] - height) // 2
        canvas = np.zeros((height, width, 3), np.float32)
        if top >= 0:
            canvas[:] = scaled[top : top + height]
        else:
            canvas[-top : -top + scaled.shape[0]] = scaled
        canvas *= 0.75
        for i in range(round(10 * fps)):
            frame = np.clip(canvas + np.roll(noise[i % 4], i // 4, axis=1), 0, 255)
            frame = frame.astype(np.uint8)
            stamp_index(frame, index)
            writer.write(frame)
            index += 1
    writer.release()
    return path


def model_alone(path: Path) -> float:
    """Seconds for the model on every frame of the file, decode included."""
    source, model = VideoFile(path), MediaPipePoseEstimator(video=True)
    start = time.perf_counter()
    while source.grab():
        frame = source.retrieve()
        model.estimate(frame.rgb, frame.t_s)
    elapsed = time.perf_counter() - start
    source.close()
    model.close()
    return elapsed


def analyze_real(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for fps in (30.0, 24.0):
            path = real_recording(Path(folder), fps)
            script = scripted(MORNING, fps=fps, **SHAKE)
            for label, scripted_poses in (
                ("real people, still", None),
                ("scripted morning", script),
            ):
                alone: list[float] = []
                whole: list[float] = []
                result = None
                for _ in range(rounds):
                    alone.append(model_alone(path))
                    source = VideoFile(path)
                    model = MediaPipePoseEstimator(video=True)
                    estimator = (
                        model if scripted_poses is None else ModelThenScript(model, scripted_poses)
                    )
                    result = analyze_video(
                        source, estimator, name=path.name, timer=time.perf_counter
                    )
                    source.close()
                    estimator.close()
                    whole.append(result.elapsed_s)
                assert result is not None
                a, w = statistics.median(alone), statistics.median(whole)
                print(
                    f"640x360 {fps:.0f} fps, 60 s, {label:18s}: model alone every frame "
                    f"{a:5.1f} s ({60 / a:4.1f}x real time); analyze {w:5.1f} s "
                    f"({result.frames_read / w:4.0f} video-fps, {60 / w:4.1f}x real time, "
                    f"{a / w:4.1f}x the model alone), "
                    f"{result.frames_analysed}/{result.frames_read} frames analysed, "
                    f"{len(result.holds)} holds"
                )


def cli_analyze(rounds: int, pythons: list[str]) -> None:
    """`stretchcoach analyze --json` of the 60 s, 30 fps recording of real people, as a person
    runs it (a new process: imports and model loading included), by each Python given as
    LABEL=PYTHON or LABEL=PYTHON@SRC (to import another checkout's src), alternating rounds.
    Video-fps is what analyze itself reports: frames read per second of its analysis. On a
    machine others share, the CPU time of the whole command is the steadier comparison."""
    runs = {}
    for spec in pythons:
        label, _, rest = spec.partition("=")
        python, _, src = rest.partition("@")
        runs[label] = (python, src)
    fps: dict[str, list[float]] = {label: [] for label in runs}
    wall: dict[str, list[float]] = {label: [] for label in runs}
    cpu: dict[str, list[float]] = {label: [] for label in runs}
    holds: dict[str, set[int]] = {label: set() for label in runs}
    with tempfile.TemporaryDirectory() as folder:
        path = real_recording(Path(folder), 30.0)
        for _ in range(rounds):
            for label, (python, src) in runs.items():
                env = {**os.environ, "NO_COLOR": "1"}
                if src:
                    env["PYTHONPATH"] = src
                start, used = time.perf_counter(), children_cpu_s()
                done = subprocess.run(
                    [python, "-m", "stretchcoach", "analyze", str(path), "--json"],
                    capture_output=True,
                    text=True,
                    check=True,
                    env=env,
                )
                wall[label].append(time.perf_counter() - start)
                cpu[label].append(children_cpu_s() - used)
                result = json.loads(done.stdout)
                fps[label].append(result["frames_read"] / result["elapsed_s"])
                holds[label].add(len(result["holds"]))
    first = next(iter(runs))
    for label, (python, _) in runs.items():
        version = subprocess.run(
            [python, "-c", SETTING], capture_output=True, text=True, check=True
        ).stdout.strip()
        median_fps = statistics.median(fps[label])
        each = ", ".join(f"{f:.0f}" for f in fps[label])
        print(
            f"{label:12s} {version}\n    analyze: median {median_fps:4.0f} video-fps "
            f"({median_fps / 30:4.1f}x real time), best {max(fps[label]):4.0f} (runs {each}); "
            f"{median_fps / statistics.median(fps[first]):4.2f}x {first}\n"
            f"    whole command: median {statistics.median(wall[label]):5.1f} s wall, "
            f"{statistics.median(cpu[label]):5.1f} s CPU; "
            f"CPU {statistics.median(cpu[first]) / statistics.median(cpu[label]):4.2f}x "
            f"less than {first}; holds found: {', '.join(map(str, sorted(holds[label])))}"
        )


def children_cpu_s() -> float:
    """CPU seconds (user + system) used so far by the processes this one waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


SETTING = """
import platform
import resource
from importlib.metadata import version
print(f"Python {platform.python_version()}, mediapipe {version('mediapipe')}, "
      f"numpy {version('numpy')}, OpenCV {version('opencv-contrib-python')}")
"""


def setting() -> str:
    """What the numbers were measured with."""
    from importlib.metadata import version

    packages = ("mediapipe", "numpy", "opencv-contrib-python")
    found = ", ".join(f"{name} {version(name)}" for name in packages)
    return f"Python {platform.python_version()}, {found}, {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--frames", type=int, default=150)
    parser.add_argument(
        "--parts", default="overhead,analyze,real", help="which of overhead, analyze, real, cli"
    )
    parser.add_argument(
        "--python",
        action="append",
        default=[],
        help="for cli: LABEL=PYTHON or LABEL=PYTHON@SRC, each run in turn (default: this one)",
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    print(setting())
    with native_logs_silenced():
        if "overhead" in parts:
            overhead(args.rounds, args.frames)
        if "analyze" in parts:
            analyze_60s(max(1, args.rounds // 2))
        if "real" in parts:
            analyze_real(max(1, args.rounds // 2))
    if "cli" in parts:
        cli_analyze(args.rounds, args.python or [f"this={sys.executable}"])


if __name__ == "__main__":
    main()
