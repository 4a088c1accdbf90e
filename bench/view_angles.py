"""How far off the angles read when the camera is not exactly side-on: 3-D against image plane.

Synthetic seated figures (knee 150-180°, lean 0-40°, back curl 5-30°, thigh 0-10° above level)
are built in 3-D, turned 0°, 30°, 45° and 60° from side-on toward the camera and projected
into the picture. Each is measured twice: from its world points (3-D, what the coach uses)
and from its image points (the image-plane fallback). The 3-D figures also get the model's
own shake: the frame-to-frame spread of MediaPipe's world points measured on real still
clips (the side-view photographs in tests/footage, filmed as a webcam would) is printed first
and used as the noise.

Usage: python bench/view_angles.py [--poses 400]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
from pathlib import Path

import numpy as np

from stretchcoach.adapters.pose.mediapipe_pose import MediaPipePoseEstimator, native_logs_silenced
from stretchcoach.adapters.video.opencv_video import VideoFile
from stretchcoach.domain.form.geometry import Measures, measure
from stretchcoach.domain.form.pose import Pose
from stretchcoach.domain.form.synthetic import Figure, jittered, seated_pose
from stretchcoach.domain.values import Side
from stretchcoach.testing import write_camera_clip

FOOTAGE = Path(__file__).parents[1] / "tests" / "footage"


def model_shake(clips: int | None = None) -> tuple[float, float]:
    """The median frame-to-frame spread of the world points (x/y, and depth), metres, and
    print the spread of the 3-D and image-plane knee angle, on real still clips (the first
    `clips` of them; all by default)."""
    with (FOOTAGE / "labels.tsv").open(encoding="utf-8", newline="") as handle:
        side_views = [
            r["file"] for r in csv.DictReader(handle, delimiter="\t") if r["view"] == "side"
        ]
    flat_sd: list[float] = []
    depth_sd: list[float] = []
    knee3, knee2 = [], []
    with tempfile.TemporaryDirectory() as folder, native_logs_silenced():
        for index, name in enumerate(side_views[:clips]):
            clip = Path(folder) / f"{index}.mp4"
            write_camera_clip(FOOTAGE / name, clip, seconds=2.0, fps=24.0, seed=index)
            source, model = VideoFile(clip), MediaPipePoseEstimator(video=True)
            poses: list[Pose] = []
            while source.grab():
                frame = source.retrieve()
                pose = model.estimate(frame.rgb, frame.t_s)
                if pose is not None and pose.world is not None:
                    poses.append(pose)
            source.close()
            model.close()
            if len(poses) < 10:
                continue
            world = np.stack([p.world for p in poses if p.world is not None])
            sd = world.std(axis=0)  # per joint, per axis
            flat_sd.append(float(np.median(sd[:, :2])))
            depth_sd.append(float(np.median(sd[:, 2])))
            m3 = [measure(p) for p in poses]
            m2 = [measure(Pose(p.xy, p.visibility, p.width, p.height)) for p in poses]
            for side in Side:
                knee3.append(statistics.pstdev(m.leg(side).knee_deg for m in m3))
                knee2.append(statistics.pstdev(m.leg(side).knee_deg for m in m2))
    print(f"real still clips: {len(flat_sd)} side views, 2 s at 24 fps each")
    print(
        f"  world point shake (median sd): x/y {statistics.median(flat_sd) * 100:.1f} cm, "
        f"depth {statistics.median(depth_sd) * 100:.1f} cm"
    )
    print(
        f"  knee angle shake (median sd): 3-D {statistics.median(knee3):.1f}°, "
        f"image plane {statistics.median(knee2):.1f}°"
    )
    return statistics.median(flat_sd), statistics.median(depth_sd)


def errors(measured: Measures, truth: dict[str, float]) -> dict[str, float]:
    leg = measured.leg(Side.LEFT)
    return {
        "knee": abs(leg.knee_deg - truth["knee"]),
        "hip": abs(leg.hip_flexion_deg - truth["hip"]),
        "lean": abs(measured.trunk_lean_deg - truth["lean"]),
        "curl": abs(measured.back_curl_deg - truth["curl"]),
    }


def angle_errors(count: int, shake_m: float, depth_m: float) -> None:
    rng = np.random.default_rng(7)
    print(f"\n{count} random seated figures per view; mean |error| (95th percentile), degrees")
    print(f"{'view':>5} {'measure':>8} {'knee':>14} {'hip flexion':>14} {'lean':>14} {'curl':>14}")
    for view in (0.0, 30.0, 45.0, 60.0):
        rows: dict[str, list[dict[str, float]]] = {"3-D": [], "3-D+shake": [], "image": []}
        for _ in range(count):
            knee, lean = rng.uniform(150, 180), rng.uniform(0, 40)
            curl, thigh = rng.uniform(5, 30), rng.uniform(0, 10)
            facing = int(rng.choice([1, -1]))
            pose = seated_pose(
                lean_deg=lean,
                knee_deg=knee,
                curl_deg=curl,
                thigh_deg=thigh,
                yaw_deg=view,
                figure=Figure(facing=facing, hip_x=320.0, hip_y=240.0),
            )
            truth = {"knee": knee, "hip": 90 + thigh + lean, "lean": lean, "curl": curl}
            rows["3-D"].append(errors(measure(pose), truth))
            shaken = jittered(pose, rng, 0.0, sigma_m=shake_m, depth_sigma_m=depth_m)
            rows["3-D+shake"].append(errors(measure(shaken), truth))
            flat = Pose(pose.xy, pose.visibility, pose.width, pose.height)
            rows["image"].append(errors(measure(flat), truth))
        for label, found in rows.items():
            cells = []
            for key in ("knee", "hip", "lean", "curl"):
                values = np.array([e[key] for e in found])
                cells.append(f"{values.mean():5.1f} ({np.percentile(values, 95):4.1f})")
            print(f"{view:4.0f}° {label:>10} " + " ".join(f"{c:>14}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--poses", type=int, default=400)
    parser.add_argument("--tiny", action="store_true", help="a tiny run (the tests run it)")
    args = parser.parse_args()
    if args.tiny:
        args.poses = 10
    flat, depth = model_shake(1 if args.tiny else None)
    depth_extra = max(0.0, (depth**2 - flat**2)) ** 0.5
    angle_errors(args.poses, flat, depth_extra)


if __name__ == "__main__":
    main()
