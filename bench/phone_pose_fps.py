"""How fast the phone's pose model runs in headless Chromium on this machine.

The page loads the app's own copy of MediaPipe Pose (static/vendor/mediapipe-pose, the lite
model the camera session uses) from a real `stretchcoach serve`, as the session page does,
and runs it on a real photograph from tests/footage (480x360, as the e2e test's fake camera
gives it), one frame after another. MediaPipe's pose graph runs on WebGL; this machine has no
GPU, so Chromium draws WebGL on the CPU (SwiftShader). Reported: the time to load the model
and give the first pose, then the median time per frame and the frames per second that
makes, per Chromium set-up, side by side, over a few rounds (a fresh browser each).

Usage: python bench/phone_pose_fps.py [--frames 20] [--rounds 3]
"""

from __future__ import annotations

import argparse
import base64
import statistics
import tempfile
from pathlib import Path

import cv2
from playwright.sync_api import sync_playwright
from serving import serving

FOOTAGE = Path(__file__).resolve().parents[1] / "tests" / "footage"
PHOTO = "Seated_Cable_Rows__0.jpg"  # a person seated side-on, the whole body in the picture
CHROMIUM = "/usr/bin/chromium"
SETUPS = {
    "WebGL on the CPU (--enable-unsafe-swiftshader)": ["--enable-unsafe-swiftshader"],
    "the e2e tests' flags (--disable-gpu)": ["--disable-gpu"],
}
RUN = """
async (args) => {
  const t0 = performance.now();
  await new Promise((ok, bad) => {
    const s = document.createElement('script');
    s.src = '/static/vendor/mediapipe-pose/pose.js';
    s.onload = ok; s.onerror = bad; document.head.append(s);
  });
  const img = new Image(); img.src = args.src; await img.decode();
  const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
  c.getContext('2d').drawImage(img, 0, 0);
  const pose = new Pose({locateFile: (f) => '/static/vendor/mediapipe-pose/' + f});
  pose.setOptions({modelComplexity: 0, smoothLandmarks: false, enableSegmentation: false});
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


def photo_url() -> str:
    image = cv2.imread(str(FOOTAGE / PHOTO))
    scale = min(480 / image.shape[1], 360 / image.shape[0])
    small = cv2.resize(image, (int(image.shape[1] * scale), int(image.shape[0] * scale)))
    ok, png = cv2.imencode(".png", small)
    assert ok
    return "data:image/png;base64," + base64.b64encode(png.tobytes()).decode()


def measure(base: str, flags: list[str], frames: int, src: str) -> dict[str, float]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", *flags]
        )
        page = browser.new_page()
        page.set_default_timeout(600_000)
        page.goto(f"{base}/static/app.css")  # the app's origin and its CSP
        try:
            result = page.evaluate(RUN, {"src": src, "frames": frames})
        except Exception:  # no WebGL at all: the page would time the holds instead
            browser.close()
            return {"error": 1.0}
        browser.close()
    per_frame = statistics.median(result["times"])
    return {
        "first_s": result["first"] / 1000,
        "ms": per_frame,
        "fps": 1000 / per_frame,
        "found": result["found"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    src = photo_url()
    with tempfile.TemporaryDirectory() as tmp, serving(f"sqlite:///{tmp}/bench.db") as (base, _):
        print(f"photo={PHOTO} 480x360 frames={args.frames} rounds={args.rounds} model=lite")
        for name, flags in SETUPS.items():
            rounds = [measure(base, flags, args.frames, src) for _ in range(args.rounds)]
            if any("error" in r for r in rounds):
                print(f"{name}: the model did not run (no WebGL)")
                continue
            first = statistics.median(r["first_s"] for r in rounds)
            ms = statistics.median(r["ms"] for r in rounds)
            found = min(r["found"] for r in rounds)
            print(
                f"{name}: first pose after {first:.1f} s, then {ms:.0f} ms a frame = "
                f"{1000 / ms:.1f} fps (a person found in {found:.0f} of "
                f"{args.frames + 1} frames)",
                flush=True,
            )


if __name__ == "__main__":
    main()
