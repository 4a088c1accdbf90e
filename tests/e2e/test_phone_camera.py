"""The camera session on a phone, in a real Chromium with a fake camera, against a real
`stretchcoach serve`: the pose model runs in the page on the app's own copy of MediaPipe, the
landmarks go over the session's WebSocket, and the server's form coach gates the hold.

The fake camera plays a clip made here from two real photographs of tests/footage, turned
so the coach reads them as one leg out in front with a lean: a V-sit (mirrored, turned 50°)
that it reads as a straight left leg with a tall back, then a man pulling his chin to his
chest (turned 15°) that it reads as the same lean with the back rounded. Neither is a real
hamstring stretch (none is openly licensed, tests/footage/README.md); they give the coach
real pictures of a right and a wrong form. The clip shows the right form for at most
GOOD_S at a time and the hold needs more than that, so the gate must close mid-hold.

The model (MediaPipe Tasks' PoseLandmarker, the lite bundle, on the CPU in WebAssembly) runs
against the server's own floor of 8 poses a second: Chromium here has no GPU (MediaPipe takes
each frame in through WebGL, drawn on the CPU by SwiftShader) and gives about 21 a second on
a busy machine (docs/benchmarks.md); the page streams 12, about half a core. Every request
the page makes is logged: none may leave the app, and the CSP refuses nothing.
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stretchcoach.domain.form.coach import (
    FAULT_WORDS,
    LEAN_WORDS,
    POSTURE_WORDS,
    RAISE_WORDS,
    VIEW_WORDS,
)

from .test_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    RECORD_DEVICE_CALLS,
    pass_screen,
    start_server,
    stop_server,
)
from .test_phone_pages import AXE

pytestmark = [pytest.mark.e2e, pytest.mark.vision]

FOOTAGE = Path(__file__).resolve().parents[1] / "footage"
WIDTH, HEIGHT, FPS = 480, 360, 5
GOOD_S, BAD_S = 3, 3
SPEED = 5  # a 30 s hold needs 6 s of good form: twice GOOD_S, so the gate must close
PHONE = {"width": 360, "height": 780}
# (photograph, mirrored, turned by degrees, crop as x0, x1, y0, y1 fractions of the photo)
GOOD = ("Jackknife_Sit-Up__1.jpg", True, -50.0, (0.2, 0.75, 0.06, 0.78))
BAD = ("Chin_To_Chest_Stretch__1.jpg", False, -15.0, (0.16, 0.92, 0.12, 0.98))
# Every socket message the page sends (to check that nothing but numbers leaves the phone)
# and receives (what the server's coach said, frame by frame).
RECORD_SOCKET = """
window.__sent = []; window.__heard = [];
const listen = WebSocket.prototype.addEventListener;
WebSocket.prototype.addEventListener = function (type, handler, ...rest) {
  const heard = (event) => { window.__heard.push(event.data); handler(event); };
  return listen.call(this, type, type === "message" ? heard : handler, ...rest);
};
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  window.__sent.push(data);
  return send.call(this, data);
};
"""
# What the run screen showed, at every change (the page is busy with the model between frames,
# so looking in from outside would miss changes).
RECORD_SCREEN = """
window.__seen = [];
document.addEventListener("DOMContentLoaded", () => {
  const $ = (id) => document.getElementById(id);
  const note = () => window.__seen.push({
    kind: $("session").className,
    count: $("countdown").textContent,
    status: $("form-status").hidden ? "" : $("form-status").textContent,
    cue: $("cue").textContent,
    note: $("camera-note").hidden ? "" : $("camera-note").textContent,
  });
  const watch = { subtree: true, childList: true, characterData: true, attributes: true };
  new MutationObserver(note).observe($("session"), watch);
});
"""


def still(spec: tuple[str, bool, float, tuple[float, float, float, float]]) -> Any:
    """One photograph, cropped to the person, mirrored, turned and fitted to the frame."""
    import cv2

    name, mirrored, degrees, (x0, x1, y0, y1) = spec
    photo = cv2.imread(str(FOOTAGE / name))
    h, w = photo.shape[:2]
    photo = photo[int(y0 * h) : int(y1 * h), int(x0 * w) : int(x1 * w)]
    if mirrored:
        photo = cv2.flip(photo, 1)
    h, w = photo.shape[:2]
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(turn[0, 0]), abs(turn[0, 1])
    size = (int(h * sin + w * cos), int(h * cos + w * sin))
    turn[0, 2] += size[0] / 2 - w / 2
    turn[1, 2] += size[1] / 2 - h / 2
    photo = cv2.warpAffine(photo, turn, size, borderMode=cv2.BORDER_REPLICATE)
    scale = min(WIDTH / size[0], HEIGHT / size[1])
    small = cv2.resize(photo, (int(size[0] * scale), int(size[1] * scale)))
    frame = np.full((HEIGHT, WIDTH, 3), 40, np.uint8)
    top, left = (HEIGHT - small.shape[0]) // 2, (WIDTH - small.shape[1]) // 2
    frame[top : top + small.shape[0], left : left + small.shape[1]] = small
    return frame


def write_y4m(path: Path, frames: list[Any]) -> None:
    """A raw 4:2:0 video, the format Chromium's fake camera plays (and loops)."""
    import cv2

    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in frames:
            out.write(b"FRAME\n")
            out.write(cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420).tobytes())


@pytest.fixture
def camera_phone(tmp_path: Path) -> Iterator[tuple[Any, Path]]:
    from playwright.sync_api import sync_playwright

    clip = tmp_path / "stretch.y4m"
    good, bad = still(GOOD), still(BAD)
    write_y4m(clip, [good] * (GOOD_S * FPS) + [bad] * (BAD_S * FPS))
    db = tmp_path / "camera.db"
    env = {k: v for k, v in os.environ.items() if k != "STRETCHCOACH_CAMERA_MIN_FPS"}
    server, base = start_server(f"sqlite:///{db}", env=env)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=[
                    *[a for a in CHROMIUM_ARGS if a != "--disable-gpu"],
                    "--enable-unsafe-swiftshader",  # WebGL on the CPU: there is no GPU here
                    "--use-fake-device-for-media-stream",
                    "--use-fake-ui-for-media-stream",
                    f"--use-file-for-fake-video-capture={clip}",
                ],
            )
            context = browser.new_context(
                viewport=PHONE, is_mobile=True, has_touch=True, base_url=base
            )
            context.set_default_timeout(30_000)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda m: errors.extend(csp_refusals(m.text)))
            asked: list[str] = []
            context.on("request", lambda request: asked.append(request.url))
            yield page, db
            browser.close()
            assert errors == [], errors
            elsewhere = [url for url in asked if not url.startswith(base + "/")]
            assert elsewhere == [], elsewhere  # the model and its runtime come from the app
            model = f"{base}/static/vendor/mediapipe-tasks-vision/pose_landmarker_lite.task"
            assert model in asked
    finally:
        stop_server(server)


def csp_refusals(text: str) -> list[str]:
    """A console message of the browser refusing something under the page's CSP."""
    return [text] if "Content Security Policy" in text else []


def axe_problems(page: Any, where: str = "document") -> list[str]:
    """axe-core's serious problems in `where` (a CSS selector, or the whole page). axe comes
    in with the page (RECORD_SCREEN's init script, past the page's CSP), so a check costs the
    page only the check itself."""
    result = page.evaluate(f"async () => await axe.run({where}, {{ resultTypes: ['violations'] }})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_camera_session_counts_only_good_form_and_keeps_the_hold_and_its_form(
    camera_phone: tuple[Any, Path],
) -> None:
    page, db = camera_phone
    pass_screen(page)
    page.add_init_script(RECORD_DEVICE_CALLS + RECORD_SOCKET + RECORD_SCREEN)
    page.add_init_script(AXE.read_text())
    page.goto(f"/session?camera=1&speed={SPEED}")
    page.get_by_role("button", name="Begin").click()
    page.get_by_role("button", name="Skip this").click()
    page.wait_for_selector("#setup:not([hidden])")
    # The whole set-up screen is checked while the model loads: a second of the page's time
    # once the poses flow would cost the phone its 8 a second (the server counts any 3 s),
    # so then only the check that turned green is.
    setup_problems = axe_problems(page)
    check = page.locator("#setup-check")
    try:
        page.wait_for_function(SETUP_OK, timeout=60_000)
    except Exception:  # say what the page said instead
        pytest.fail(f"the set-up check never cleared: {check.inner_text()!r}")
    page.screenshot(path=str(ARTIFACTS / "camera-setup-360x780.png"))
    setup_problems += axe_problems(page, "document.getElementById('setup-check')")
    page.get_by_role("button", name="Start the holds").click()

    page.wait_for_function(WAITING_MID_HOLD, timeout=90_000)
    page.screenshot(path=str(ARTIFACTS / "camera-hold-360x780.png"))
    page.wait_for_function(
        "() => window.__seen.some((s) => s.kind.startsWith('kind-rest'))", timeout=90_000
    )
    seen = page.evaluate("window.__seen")
    first_rest = next(i for i, s in enumerate(seen) if s["kind"].startswith("kind-rest"))
    samples = seen[: first_rest + 1]
    hold = [s for s in samples if "kind-hold" in s["kind"]]
    counting = [int(s["count"]) for s in hold if s["status"] == "Good form: counting"]
    waiting_text = "Waiting for good form"
    waiting = [s for s in hold if s["status"] == waiting_text]
    mid_hold = [s for s in waiting if int(s["count"]) < 30]  # after some good form
    pairs = itertools.pairwise(hold)
    still_waiting = [(a, b) for a, b in pairs if a["status"] == b["status"] == waiting_text]
    corrections = set(VIEW_WORDS.values()) | {w.format(side="left") for w in FAULT_WORDS.values()}
    corrections |= {w.format(other="right") for w in POSTURE_WORDS.values()}
    corrections |= {RAISE_WORDS.format(side="left"), LEAN_WORDS}
    said = page.evaluate("window.__said")
    sent = [json.loads(m) for m in page.evaluate("window.__sent")]
    heard = [json.loads(m) for m in page.evaluate("window.__heard")]
    slow = [m for m in heard if m["type"] == "too_slow"]
    rate = collections.Counter(int(m["t"]) for m in sent if m["type"] == "frame")
    assert all(s["note"] == "" for s in samples), (slow, sorted(rate.items()))  # camera on
    page.get_by_role("button", name="Stop").click()
    page.get_by_role("button", name="Stop", exact=True).last.click()
    page.wait_for_selector("#done:not([hidden])")
    form = kept_form(db, deadline_s=20)

    assert setup_problems == []
    assert len(set(counting)) >= 2, hold  # the countdown ran while the form was right
    assert mid_hold, hold  # ... and stopped when it was not
    assert all(a["count"] == b["count"] for a, b in still_waiting), still_waiting
    hold_phase = next(m["phase"] for m in sent if m["type"] == "frame" and m["phase"] > 0)
    in_hold = [m for m in heard if m["type"] == "form" and m["phase"] == hold_phase]
    opened = next(i for i, m in enumerate(in_hold) if m["gate"])
    assert any(not m["gate"] for m in in_hold[opened:]), in_hold  # closed after good form
    # A correction while the gate was shut (said once: the coach does not repeat itself
    # within 10 s, so it may have come before the first good form).
    closed = [m for m in in_hold if not m["gate"] and m["correction"] in corrections]
    assert closed, [(m["t"], m["gate"], m["state"], m["correction"]) for m in in_hold]
    assert {m["correction"] for m in closed} & set(said)  # and the phone said it aloud
    frames = [m for m in sent if m["type"] == "frame"]
    assert frames and all(set(m) <= FRAME_KEYS for m in frames)
    assert all(len(json.dumps(m)) < 8192 for m in sent)  # numbers only, never a picture
    assert form["hold_number"] == 1 and form["side"] == "left" and form["completed"] == 1
    assert form["good_form_s"] > 0, form


SETUP_OK = "() => document.getElementById('setup-check').classList.contains('ok')"
WAITING_MID_HOLD = """() => window.__seen.some(
  (s) => (s.status === "Waiting for good form" && Number(s.count) < 30) || s.note
)"""  # or the camera was given up: the assertions below say why
FRAME_KEYS = {"type", "t", "phase", "phase_s", "size", "brightness", "image", "world"}


def kept_form(db: Path, *, deadline_s: float) -> dict[str, Any]:
    """The first hold and its form, once the outbox has sent both."""
    deadline = time.monotonic() + deadline_s
    query = (
        "SELECT holds.hold_number, holds.side, holds.completed, hold_form.good_form_s "
        "FROM holds JOIN hold_form ON hold_form.hold_id = holds.id ORDER BY hold_number"
    )
    while True:
        with closing(sqlite3.connect(db)) as connection:
            connection.row_factory = sqlite3.Row
            rows = [dict(r) for r in connection.execute(query)]
        if rows or time.monotonic() > deadline:
            assert rows, "no hold with its form was kept"
            return rows[0]
        time.sleep(0.2)
