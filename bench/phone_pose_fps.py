"""How fast the phone's pose model runs in headless Chromium on this machine, before and after.

After: the app's own `@mediapipe/tasks-vision` PoseLandmarker (static/vendor/
mediapipe-tasks-vision: the SIMD WebAssembly runtime and the lite `.task` bundle), loaded from
a real `stretchcoach serve` under its CSP and run as camera.js runs it (VIDEO mode, one
pose, `detectForVideo` frame after frame, CPU delegate). Before: the legacy `@mediapipe/pose`
0.5.1675469404 solution the app used to ship (its graph runs on WebGL, which Chromium here
draws on the CPU with SwiftShader), taken from the npm tarball (`npm pack` into a temporary
folder, or --tarball) and served on the same origin. Both look at a real photograph from
tests/footage at 480x360, as the e2e test's fake camera gives it, in the browser flags the
camera e2e test uses, one after the other in each round (a fresh browser each), so both
see the same load on the machine.

Reported per runtime: the time from loading the library to the first pose (the wait on the
set-up screen), the median time a frame and the poses a second that makes, as medians over
the rounds, and the ratio after/before. --gpu also tries the GPU delegate once (one round);
--busy keeps one core busy with a spinning process for the whole run. No request may leave
the app's origin: the bench counts those and fails if there is one.

Usage: python bench/phone_pose_fps.py [--frames 60] [--rounds 3] [--tarball FILE] [--gpu]
       [--busy]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
from playwright.sync_api import sync_playwright
from serving import serving

FOOTAGE = Path(__file__).resolve().parents[1] / "tests" / "footage"
PHOTO = "Seated_Cable_Rows__0.jpg"  # a person seated side-on, the whole body in the picture
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--enable-unsafe-swiftshader"]  # as tests/e2e/test_phone_camera.py
LEGACY = "@mediapipe/pose@0.5.1675469404"
LEGACY_SHA256 = "8bb349a7b3a3ba699df23be804ddd3b3eab810b50b15406894be257859388a84"
LEGACY_PATH = "/bench-legacy/"  # served by the browser from the unpacked tarball
TYPES = {".js": "text/javascript", ".wasm": "application/wasm"}
LEGACY_RUN = """
async (args) => {
  const base = '/bench-legacy/';
  const c = await picture(args.src);
  const t0 = performance.now();
  await new Promise((ok, bad) => {
    const s = document.createElement('script');
    s.src = base + 'pose.js'; s.onload = ok; s.onerror = bad; document.head.append(s);
  });
  const pose = new Pose({locateFile: (f) => base + f});
  pose.setOptions({modelComplexity: 0, smoothLandmarks: false, enableSegmentation: false,
                   minDetectionConfidence: 0.5, minTrackingConfidence: 0.5});
  let found = 0; pose.onResults((r) => { if (r.poseLandmarks) found += 1; });
  await pose.initialize();
  await pose.send({image: c});
  const first = performance.now() - t0;
  const times = [];
  for (let i = 0; i < args.frames; i++) {
    const a = performance.now(); await pose.send({image: c}); times.push(performance.now() - a);
  }
  return {first, times, found};
}
"""
TASKS_RUN = """
async (args) => {
  const base = '/static/vendor/mediapipe-tasks-vision/';
  const c = await picture(args.src);
  const t0 = performance.now();
  const vision = await import(base + 'vision_bundle.mjs');
  const landmarker = await vision.PoseLandmarker.createFromOptions(
    {wasmLoaderPath: base + 'vision_wasm_internal.js',
     wasmBinaryPath: base + 'vision_wasm_internal.wasm'},
    {baseOptions: {modelAssetPath: base + 'pose_landmarker_lite.task',
                   delegate: args.delegate},
     runningMode: 'VIDEO', numPoses: 1, minPoseDetectionConfidence: 0.5,
     minPosePresenceConfidence: 0.5, minTrackingConfidence: 0.5});
  let found = landmarker.detectForVideo(c, performance.now()).landmarks.length;
  const first = performance.now() - t0;
  const times = [];
  for (let i = 0; i < args.frames; i++) {
    const a = performance.now();
    found += landmarker.detectForVideo(c, a).landmarks.length;
    times.push(performance.now() - a);
  }
  landmarker.close();
  return {first, times, found};
}
"""
PICTURE = """
window.picture = async (src) => {
  const img = new Image(); img.src = src; await img.decode();
  const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
  c.getContext('2d').drawImage(img, 0, 0);
  return c;
};
"""


def photo_url() -> str:
    image = cv2.imread(str(FOOTAGE / PHOTO))
    scale = min(480 / image.shape[1], 360 / image.shape[0])
    small = cv2.resize(image, (int(image.shape[1] * scale), int(image.shape[0] * scale)))
    ok, png = cv2.imencode(".png", small)
    assert ok
    return "data:image/png;base64," + base64.b64encode(png.tobytes()).decode()


def unpack_legacy(tarball: Path | None, folder: Path) -> Path:
    """The legacy solution's files, from its npm tarball, checked against its sha256."""
    if tarball is None:
        subprocess.run(
            ["npm", "pack", LEGACY, "--silent", "--pack-destination", str(folder)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = folder.glob("*.tgz")
    data = tarball.read_bytes()
    if hashlib.sha256(data).hexdigest() != LEGACY_SHA256:
        sys.exit(f"{tarball} is not {LEGACY}")
    with tarfile.open(tarball) as archive:
        archive.extractall(folder, filter="data")
    return folder / "package"


def measure(
    base: str, legacy: Path, run: str, args: dict[str, Any]
) -> dict[str, float | list[str]]:
    """One runtime in a fresh browser: the first pose's delay and each frame's time."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        page.set_default_timeout(600_000)
        elsewhere: list[str] = []
        page.on("request", lambda r: elsewhere.extend(outside(base, r.url)))

        def serve_legacy(route: Any) -> None:
            file = legacy / route.request.url.split(LEGACY_PATH, 1)[1].split("?")[0]
            kind = TYPES.get(file.suffix, "application/octet-stream")
            route.fulfill(status=200, body=file.read_bytes(), headers={"Content-Type": kind})

        page.route(f"{base}{LEGACY_PATH}**", serve_legacy)
        page.add_init_script(PICTURE)
        page.goto(f"{base}/static/app.css")  # the app's origin and its CSP
        result = page.evaluate(run, args)
        browser.close()
    per_frame = statistics.median(result["times"])
    return {
        "first_s": result["first"] / 1000,
        "ms": per_frame,
        "found": result["found"],
        "elsewhere": elsewhere,
    }


def outside(base: str, url: str) -> list[str]:
    """The address, if it is not the app's own (nor the photograph, a data: address)."""
    return [] if url.startswith((base, "data:")) else [url]


@contextlib.contextmanager
def one_core_busy(on: bool) -> Iterator[None]:
    spinner = subprocess.Popen([sys.executable, "-c", "while 1: pass"]) if on else None
    try:
        yield
    finally:
        if spinner is not None:
            spinner.kill()
            spinner.wait()


def summary(name: str, rounds: list[dict[str, Any]], frames: int) -> tuple[float, float]:
    first = statistics.median(r["first_s"] for r in rounds)
    ms = statistics.median(r["ms"] for r in rounds)
    found = min(r["found"] for r in rounds)
    each = ", ".join(f"{1000 / r['ms']:.1f}" for r in rounds)
    print(
        f"{name}: first pose after {first:.1f} s, then {ms:.1f} ms a frame = "
        f"{1000 / ms:.1f} poses/s (a person found in {found:.0f} of {frames + 1} frames; "
        f"rounds: {each} poses/s)",
        flush=True,
    )
    return first, 1000 / ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tarball", type=Path, help=f"`npm pack {LEGACY}`'s file")
    parser.add_argument("--gpu", action="store_true", help="try the GPU delegate once too")
    parser.add_argument("--busy", action="store_true", help="keep one core busy meanwhile")
    args = parser.parse_args()
    src = photo_url()
    with (
        tempfile.TemporaryDirectory() as tmp,
        serving(f"sqlite:///{tmp}/bench.db") as (base, _),
        one_core_busy(args.busy),
    ):
        legacy = unpack_legacy(args.tarball, Path(tmp))
        print(
            f"photo={PHOTO} 480x360 frames={args.frames} rounds={args.rounds} model=lite "
            f"flags={' '.join(FLAGS[1:])} one core busy={args.busy}",
            flush=True,
        )
        task = {"src": src, "frames": args.frames}
        before: list[dict[str, Any]] = []
        after: list[dict[str, Any]] = []
        for _ in range(args.rounds):
            before.append(measure(base, legacy, LEGACY_RUN, task))
            after.append(measure(base, legacy, TASKS_RUN, {**task, "delegate": "CPU"}))
        first_before, fps_before = summary("before: pose 0.5, WebGL", before, args.frames)
        first_after, fps_after = summary("after: tasks-vision 0.10.35, CPU", after, args.frames)
        print(
            f"after/before: {fps_after / fps_before:.1f}x the poses a second, the first pose "
            f"{first_before / first_after:.1f}x sooner",
            flush=True,
        )
        if args.gpu:
            gpu = measure(base, legacy, TASKS_RUN, {**task, "frames": 5, "delegate": "GPU"})
            summary("tasks-vision 0.10.35, GPU delegate (one round)", [gpu], 5)
            after.append(gpu)
        elsewhere = [url for r in before + after for url in r["elsewhere"]]
        if elsewhere:
            sys.exit(f"requests left the app's origin: {sorted(set(elsewhere))}")
        print("requests to anywhere but the app: none")


if __name__ == "__main__":
    main()
