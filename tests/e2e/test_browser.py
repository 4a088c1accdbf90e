"""The web app in a real Chromium at phone size, against a real `stretchcoach serve` process.

A whole session at speed, a reload in the middle that resumes, a connection that drops
mid-session (the service worker and the outbox keep it going), logging pain on the body
map, the history page. Screenshots of every page land in test-artifacts/ to look at.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from stretchcoach.domain.adherence import MorningWindow
from stretchcoach.domain.safety import QUESTIONS

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
# How many holds wait in the outbox of the person this browser last saw logged in (app.js
# keys it by the user; the session page itself names nobody).
OUTBOX_LENGTH = (
    "JSON.parse(localStorage.getItem('sc-outbox:' + localStorage.getItem('sc-user')) || '[]')"
    ".length"
)
SPEED = 40  # a 245 s session in about 6 s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db_url: str, *extra: str, env: dict[str, str] | None = None) -> tuple[Any, str]:
    """`stretchcoach serve` as its own process group (with `--workers` it has children), its
    output in a file: a pipe nobody reads would stall a chatty server, and a child would keep
    it open after the parent was killed, so reading it would never end."""
    port = free_port()
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 (closed by _end)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stretchcoach",
            "serve",
            "--port",
            str(port),
            "--db",
            db_url,
            *extra,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    server.log = log  # type: ignore[attr-defined]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # a cold start on a busy two-core machine
    while True:
        try:
            httpx.get(f"{base}/manifest.webmanifest", timeout=2)
            return server, base
        except httpx.TransportError:
            if server.poll() is not None or time.monotonic() > deadline:
                output = _end(server, signal.SIGKILL)
                pytest.fail(f"stretchcoach serve did not start: {output}")
            time.sleep(0.2)


def _end(server: Any, how: signal.Signals) -> str:
    """Signal the server's whole process group, wait for the parent, and return its output."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, how)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    log = server.log
    log.seek(0)
    output: str = log.read()
    log.close()
    return output


def stop_server(server: Any) -> str:
    """Stop the server (and its workers); what it printed."""
    return _end(server, signal.SIGTERM)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (scripts/test.sh installs it)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    server, base = start_server(f"sqlite:///{tmp_path / 'browser.db'}")
    yield base
    stop_server(server)


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, base_url=base_url)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], errors


def api(page: Any, path: str) -> Any:
    response = page.request.get(path)
    assert response.ok, response.text()
    return response.json()


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


NUMB_Q = "Any new numbness or pins and needles?"
WEAKER_Q = "Is a leg or foot getting weaker?"
CHANGED_Q = "Any change in peeing, your bowels, the feeling between your legs, or in sex?"


def check_in(
    page: Any,
    score: int,
    sites: tuple[str, ...] = (),
    *,
    numb: tuple[str, ...] = ("No",),
    weaker: str = "No",
    changed: tuple[str, ...] = ("No",),
    shots: str = "",
) -> None:
    """The morning check-in on the session page, after Begin: a pain tap, the places (boxes
    named like "Thigh (left)"), the three questions by their answers' words, then today's
    plan (or why there is none)."""
    page.get_by_role("group", name="How is the pain right now?").get_by_role(
        "button", name=str(score), exact=True
    ).click()
    if score:
        if shots:
            page.screenshot(path=str(ARTIFACTS / f"{shots}-where.png"), full_page=True)
        for site in sites:
            page.locator(f'#where input[value="{site}"]').check()
        page.get_by_role("button", name="Next").click()
    for question, answers in ((NUMB_Q, numb), (WEAKER_Q, (weaker,)), (CHANGED_Q, changed)):
        group = page.get_by_role("group", name=question)
        for answer in answers:
            group.get_by_label(answer, exact=True).check()
    if shots:
        page.screenshot(path=str(ARTIFACTS / f"{shots}-questions.png"), full_page=True)
    page.get_by_role("button", name="See today's plan").click()
    page.wait_for_selector("#today:not([hidden])")


def agree(page: Any) -> None:
    """Say yes on the first visit (keep my records), as the page's button does."""
    page.goto("/welcome")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.request.post(
        "/api/consent",
        data=json.dumps({"agree": True}),
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    assert response.status == 200, response.text()


def controlled(page: Any) -> None:
    """Wait until the service worker controls the page. A worker that became active while the
    page was being opened claims the pages open then, not this one (it had not begun), so a
    page still uncontrolled once the worker is ready is opened again, as a person's next
    visit would be."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
    page.wait_for_function("() => !!navigator.serviceWorker.controller")


def pass_screen(page: Any) -> None:
    """Past the first visit, answer the warning-signs check with no to everything, so
    sessions may start."""
    agree(page)
    page.goto("/screen")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.request.post(
        "/api/screen",
        data=json.dumps({"answers": [False] * len(QUESTIONS)}),
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    assert response.status == 201, response.text()


def wait_for_holds(page: Any, count: int, timeout_s: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        current = api(page, "/api/sessions/current")["session"]
        if current and len(current["holds"]) >= count:
            return dict(current)
        assert time.monotonic() < deadline, f"fewer than {count} holds saved in time"
        page.wait_for_timeout(100)


RECORD_DEVICE_CALLS = """
window.__said = []; window.__buzzed = 0; window.__awake = 0;
if (window.speechSynthesis) {
  speechSynthesis.speak = (utterance) => { window.__said.push(utterance.text); };
}
navigator.vibrate = () => { window.__buzzed += 1; return true; };
Object.defineProperty(navigator, "wakeLock", { value: { request: async () => {
  window.__awake += 1; return { release: async () => {} };
} } });
"""


def test_a_whole_session_runs_at_speed_and_every_hold_is_saved(page: Any) -> None:
    pass_screen(page)
    page.add_init_script(RECORD_DEVICE_CALLS)  # see what it says, buzzes and keeps awake
    page.goto(f"/session?speed={SPEED}")
    page.get_by_role("button", name="Begin").click()
    page.get_by_role("button", name="Skip this").click()  # no pain rating before
    page.wait_for_selector("#run:not([hidden])")
    page.wait_for_selector("#session.kind-hold")
    shot(page, "session-running")

    page.wait_for_selector("#done:not([hidden])", timeout=30_000)

    shot(page, "session-done")
    assert "6 of 6 holds" in page.locator("#summary").inner_text()
    sessions = api(page, "/api/sessions")["sessions"]
    page.wait_for_function(f"() => {OUTBOX_LENGTH} === 0")
    sessions = api(page, "/api/sessions")["sessions"]
    assert len(sessions) == 1
    assert sessions[0]["status"] == "completed" and sessions[0]["practice"] is True
    holds = sessions[0]["holds"]
    assert [h["hold_number"] for h in holds] == [1, 2, 3, 4, 5, 6]
    assert [h["side"] for h in holds] == ["left", "right"] * 3
    assert all(h["completed"] for h in holds)
    said = page.evaluate("() => window.__said")
    assert said[0].startswith("Good morning") and said[-1] == "All done. Well done for today."
    assert sum("leg. Heel down, knee straight" in text for text in said) == 6
    assert page.evaluate("() => window.__buzzed") >= 12  # every phase change, and the end
    assert page.evaluate("() => window.__awake") >= 1


def test_a_reload_in_the_middle_resumes_where_the_session_was(page: Any) -> None:
    pass_screen(page)
    page.goto(f"/session?speed={SPEED}")
    page.get_by_role("button", name="Begin").click()
    page.get_by_role("button", name="Skip this").click()  # no pain rating before
    before = wait_for_holds(page, 2)

    page.reload()

    note = page.locator("#resume-note")
    note.wait_for(state="visible")
    shot(page, "session-resume")
    assert "hold" in note.inner_text()
    page.get_by_role("button", name="Carry on").click()
    page.wait_for_selector("#done:not([hidden])", timeout=40_000)
    page.wait_for_function(f"() => {OUTBOX_LENGTH} === 0")
    session = api(page, f"/api/sessions/{before['id']}")
    numbers = [h["hold_number"] for h in session["holds"]]
    assert numbers == [1, 2, 3, 4, 5, 6]
    assert session["status"] == "completed"
    assert len(api(page, "/api/sessions")["sessions"]) == 1


def test_holds_done_offline_are_sent_once_when_the_connection_is_back(page: Any) -> None:
    pass_screen(page)
    page.goto(f"/session?speed={SPEED}")
    controlled(page)  # the service worker keeps a copy of the page
    page.get_by_role("button", name="Begin").click()
    page.get_by_role("button", name="Skip this").click()  # no pain rating before
    started = wait_for_holds(page, 1)

    page.context.set_offline(True)
    page.wait_for_function(
        f"() => {OUTBOX_LENGTH} >= 1",
        timeout=20_000,
    )
    page.reload()  # offline: the service worker serves the page, this browser knows the state
    page.get_by_role("button", name="Carry on").click()
    page.wait_for_selector("#done:not([hidden])", timeout=40_000)
    shot(page, "session-offline-done")
    waiting = page.evaluate(f"() => {OUTBOX_LENGTH}")
    said_waiting = page.get_by_test_id("done-sync").inner_text()
    page.context.set_offline(False)
    page.wait_for_function(
        f"() => {OUTBOX_LENGTH} === 0",
        timeout=20_000,
    )

    assert waiting >= 2
    assert said_waiting == f"Waiting to send {waiting} items, kept on this phone."
    page.wait_for_function("() => document.getElementById('done-sync').textContent === 'Saved.'")
    session = api(page, f"/api/sessions/{started['id']}")
    assert [h["hold_number"] for h in session["holds"]] == [1, 2, 3, 4, 5, 6]
    assert session["status"] == "completed"


def test_pause_holds_the_countdown_and_skip_keeps_the_hold_as_ended_early(page: Any) -> None:
    pass_screen(page)
    page.goto("/session?speed=4")
    page.get_by_role("button", name="Begin").click()
    page.get_by_role("button", name="Skip this").click()  # no pain rating before
    page.get_by_role("button", name="Skip", exact=True).click()  # past getting ready, into hold 1
    page.get_by_role("button", name="Skip this step").click()  # it asks first
    page.wait_for_selector("#session.kind-hold")

    page.get_by_role("button", name="Pause").click()
    shown = page.locator("#countdown").inner_text()
    page.wait_for_timeout(1500)  # six seconds of session time
    still = page.locator("#countdown").inner_text()
    page.get_by_role("button", name="Resume").click()
    page.get_by_role("button", name="Skip", exact=True).click()
    page.get_by_role("button", name="Skip this hold").click()

    assert still == shown
    held = wait_for_holds(page, 1)["holds"][0]
    assert held["hold_number"] == 1 and held["completed"] is False
    assert 0 < held["held_s"] < 30


def test_pain_is_logged_by_tapping_the_body_map(page: Any) -> None:
    agree(page)
    page.goto("/journal")
    page.get_by_role("radio", name="7", exact=True).check()
    page.locator('.bodymap .spot[data-site="left:thigh"]').click()
    page.locator('.bodymap .spot[data-site="left:calf"]').click()
    page.locator('.bodymap .spot[data-site="right:buttock"]').click()
    page.locator('.bodymap .spot[data-site="right:buttock"]').click()  # changed my mind
    assert page.locator('input[value="left:thigh"]').is_checked()
    assert not page.locator('input[value="right:buttock"]').is_checked()
    assert page.get_by_role("radio", name="7", exact=True).is_checked()
    shot(page, "journal-filled")

    page.get_by_role("button", name="Save").click()

    page.wait_for_selector("text=Saved")
    entries = api(page, "/api/journal")["entries"]
    assert [(e["score"], e["sites"]) for e in entries] == [(7, ["left:calf", "left:thigh"])]


def test_the_pain_has_no_preset_value_and_a_double_tap_saves_once(page: Any) -> None:
    agree(page)
    page.goto("/journal")
    assert page.locator('input[name="score"]:checked').count() == 0

    page.get_by_role("button", name="Save").click()

    error = page.locator("#score-error")
    error.wait_for()
    assert "Please choose how much it hurts" in error.inner_text()
    shot(page, "journal-error")
    assert api(page, "/api/journal")["entries"] == []
    page.get_by_role("radio", name="4", exact=True).check()
    page.get_by_role("button", name="Save").dblclick()
    page.wait_for_selector("text=Saved")
    assert [e["score"] for e in api(page, "/api/journal")["entries"]] == [4]


def test_the_history_page_shows_the_calendar_and_trends(page: Any) -> None:
    pass_screen(page)
    page.goto("/journal")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    headers = {"X-CSRF-Token": token}
    settings = api(page, "/api/settings")
    del settings["calendar_url"]
    whole_day = settings | {"morning_start": "00:00", "morning_end": "23:59"}  # any hour counts
    page.request.put(
        "/api/settings",
        data=json.dumps(whole_day),
        headers=headers | {"Content-Type": "application/json"},
    )
    for score in (6, 4):
        page.request.post(
            "/api/journal",
            data=json.dumps({"score": score}),
            headers=headers | {"Content-Type": "application/json"},
        )
    session = page.request.post(
        "/api/sessions", data="{}", headers=headers | {"Content-Type": "application/json"}
    ).json()
    for phase in session["phases"]:
        if phase["hold_number"]:
            hold = {"hold_number": phase["hold_number"], "side": phase["side"], "held_s": 30}
            page.request.put(
                f"/api/sessions/{session['id']}/holds/{uuid.uuid4()}",
                data=json.dumps(hold | {"completed": True}),
                headers=headers | {"Content-Type": "application/json"},
            )
    page.request.post(
        f"/api/sessions/{session['id']}/finish",
        data=json.dumps({"status": "completed"}),
        headers=headers | {"Content-Type": "application/json"},
    )

    page.goto("/history")

    assert page.locator("svg.calendar rect.day.done").count() == 1
    assert page.locator("svg.line").count() == 2
    assert page.locator("ul.sessions > li").count() == 1
    shot(page, "history")
    with page.expect_download() as download:
        page.get_by_role("link", name="Report, last 30 days (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename.startswith("stretchcoach-report-")
    assert pdf.startswith(b"%PDF-") and b"/Count 2" in pdf  # two pages


PAGES = ["/", "/session", "/journal", "/history", "/learn", "/settings"]


def test_every_page_fits_a_phone_and_can_be_used_by_keyboard(page: Any) -> None:
    agree(page)
    for path in PAGES:
        page.goto(path)

        width = page.evaluate("() => document.documentElement.scrollWidth")
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement && document.activeElement.tagName")

        assert width <= PHONE["width"], f"{path} scrolls sideways: {width}px"
        assert focused in {"A", "BUTTON", "INPUT", "SELECT", "TEXTAREA"}, path
        shot(page, "page-" + (path.strip("/") or "today"))


@pytest.fixture
def clinic_url(tmp_path: Path) -> Iterator[str]:
    server, base = start_server(f"sqlite:///{tmp_path / 'clinic.db'}", "--accounts")
    yield base
    stop_server(server)


def register(page: Any, name: str, email: str, *, clinician: bool = False) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a long enough sentence")
    if clinician:
        page.get_by_label("A clinician looking after patients").check()
    page.get_by_role("button", name="Make my account").click()
    page.wait_for_load_state()


def approve(db_url: str, email: str) -> None:
    """The clinic's administrator approves a clinician, as on the server."""
    result = subprocess.run(
        [sys.executable, "-m", "stretchcoach", "accounts", "approve", email, "--db", db_url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_a_clinician_sees_a_patients_session_appear(
    browser: Any, clinic_url: str, tmp_path: Path
) -> None:
    contexts = [
        browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, base_url=clinic_url)
        for _ in range(2)
    ]
    doctor, patient = (c.new_page() for c in contexts)
    try:
        doctor.goto("/register")
        register(doctor, "Dr Ada", "ada@clinic.example", clinician=True)
        assert "waiting for your clinic to approve" in doctor.content()
        approve(f"sqlite:///{tmp_path / 'clinic.db'}", "ada@clinic.example")
        doctor.goto("/clinic")
        doctor.get_by_role("button", name="Invite a patient").click()
        link = doctor.get_by_test_id("invite-link").inner_text().strip()

        patient.goto(link)
        patient.get_by_role("link", name="Make one").click()
        register(patient, "Sam", "sam@example.org")
        patient.goto(link)
        patient.get_by_role("button", name="Accept and share").click()
        doctor.goto("/clinic")
        row = doctor.locator("tr", has_text="Sam")
        assert "0 / 0" in row.inner_text()

        patient.goto("/")  # the first visit, then the warning-signs check, come first
        patient.get_by_role("button", name="Yes, keep my records").click()
        patient.wait_for_url("**/screen")
        for no in patient.locator('input[type="radio"][value="no"]').all():
            no.check()
        patient.get_by_role("button", name="Save my answers").click()
        patient.get_by_test_id("screen-result").wait_for()
        patient.clock.install()  # a real-time session, with the browser's clock sped up
        patient.goto("/session")
        patient.get_by_role("button", name="Begin").click()
        patient.get_by_role("button", name="Skip this").click()  # no pain rating before
        patient.wait_for_selector("#run:not([hidden])")
        for _ in range(30):
            patient.clock.run_for(10_000)
        patient.wait_for_selector("#done:not([hidden])")
        patient.wait_for_function(f"() => {OUTBOX_LENGTH} === 0")

        ran = api(patient, "/api/sessions")["sessions"][0]
        doctor.reload()
        row = doctor.locator("tr", has_text="Sam")
        # Days done are mornings, as the patient's own figures count them: this session
        # counts only if it began inside the morning window in the patient's zone.
        began = datetime.fromisoformat(ran["started_at"]).astimezone(ZoneInfo(ran["time_zone"]))
        in_the_morning = MorningWindow().contains(began.time())
        assert ("1 / 1" if in_the_morning else "0 / 0") in row.inner_text()
        assert ("no morning stretch" in row.inner_text()) is not in_the_morning
        shot(doctor, "clinic-dashboard")
        row.get_by_role("link", name="Sam").click()
        assert "none in 30 days" not in doctor.get_by_test_id("last-session").inner_text()
        shot(doctor, "clinic-patient")
    finally:
        for context in contexts:
            context.close()


def test_settings_offer_the_phones_own_time_zone(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport=PHONE, base_url=base_url, timezone_id="Asia/Tokyo")
    try:
        settings = context.new_page()
        agree(settings)
        settings.goto("/settings")
        # the first visit already set the phone's zone; another saved since is offered back
        assert settings.get_by_label("Time zone").input_value() == "Asia/Tokyo"
        settings.get_by_label("Time zone").fill("Europe/London")
        settings.get_by_role("button", name="Save settings").click()
        settings.wait_for_selector("text=Saved.")

        settings.get_by_role("button", name="Use Asia/Tokyo").click()
        settings.get_by_role("button", name="Save settings").click()

        settings.wait_for_selector("text=Saved.")
        assert api(settings, "/api/settings")["time_zone"] == "Asia/Tokyo"
        shot(settings, "settings-saved")
    finally:
        context.close()


def test_the_warning_signs_check_comes_first_and_works_by_keyboard_on_a_phone(page: Any) -> None:
    page.goto("/")  # the first visit comes before it
    page.get_by_role("button", name="Yes, keep my records").click()
    page.wait_for_url("**/screen")
    first = page.locator('input[name="saddle-numbness"][value="yes"]')
    first.focus()
    last = QUESTIONS[-1].code
    for number in range(len(QUESTIONS)):
        if number < len(QUESTIONS) - 1:  # the last question is left open at first
            page.keyboard.press("ArrowRight")  # from Yes to No, which checks it
        page.keyboard.press("Tab")  # on to the next question, then the button
    page.keyboard.press("Enter")

    error = page.locator(f"#{last}-error")
    error.wait_for()
    assert page.locator('input[name="cancer"][value="no"]').is_checked()  # answers kept
    shot(page, "screen-unanswered")
    page.locator(f'input[name="{last}"][value="yes"]').focus()
    page.keyboard.press("ArrowRight")  # No
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    page.wait_for_selector("[data-testid=screen-result]")
    shot(page, "screen-clear")
    assert "you can stretch today" in page.locator("[data-testid=screen-result]").inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("link", name="Start the stretch").click()
    page.wait_for_url("**/session")
    assert api(page, "/api/screen")["status"] == "clear"


def test_a_camera_session_on_a_phone_without_a_camera_goes_on_timed(
    page: Any, tmp_path: Path
) -> None:
    import sqlite3

    pass_screen(page)
    page.add_init_script(RECORD_DEVICE_CALLS)
    page.goto(f"/session?camera=1&speed={SPEED}")
    page.get_by_role("button", name="Begin").click()
    page.get_by_role("button", name="Skip this").click()
    page.wait_for_selector("#setup:not([hidden])")
    check = page.locator("#setup-check")
    page.wait_for_function(
        "() => document.getElementById('setup-check').textContent.includes('timed without')"
    )
    told = check.inner_text()
    page.get_by_role("button", name="Start the holds").click()

    page.wait_for_selector("#done:not([hidden])", timeout=30_000)

    page.wait_for_function(f"() => {OUTBOX_LENGTH} === 0")
    sessions = api(page, "/api/sessions")["sessions"]
    assert told == "The camera was not allowed, so the holds are timed without it."
    assert page.locator("#camera-note").inner_text() == told  # once, where the holds run
    assert len(sessions) == 1 and sessions[0]["status"] == "completed"
    assert [h["completed"] for h in sessions[0]["holds"]] == [True] * 6  # none lost
    with closing(sqlite3.connect(tmp_path / "browser.db")) as connection:  # the page's store
        (forms,) = connection.execute("SELECT count(*) FROM hold_form").fetchone()
    assert forms == 0  # the record that the camera was not used
