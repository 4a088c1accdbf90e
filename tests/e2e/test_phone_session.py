"""A whole session on a small phone, as a person in pain does it, in a real Chromium against a
real `stretchcoach serve`: the pain before, how each hold felt (by tap, no voice needed), a
gentler hold on the leg that tingled, the pain after, the advice for next time from the
clinical core, and everything reaching the history and the clinician's report.

The browser's clock is Playwright's, moved on by the test, so a real-time (not practice)
session runs in seconds and each question can be answered while it is on screen.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from stretchcoach.domain.clinical import GENTLER_CUE

from .test_browser import (
    ARTIFACTS,
    OUTBOX_LENGTH,
    RECORD_DEVICE_CALLS,
    api,
    base_url,
    browser,
    check_in,
    pass_screen,
)
from .test_phone_pages import axe_problems

pytestmark = pytest.mark.e2e

__all__ = ["base_url", "browser"]  # fixtures used here

PHONES = {"320x640": {"width": 320, "height": 640}, "360x780": {"width": 360, "height": 780}}


@pytest.fixture(params=list(PHONES), ids=list(PHONES))
def phone(request: pytest.FixtureRequest, browser: Any, base_url: str) -> Iterator[Any]:
    size = PHONES[request.param]
    context = browser.new_context(  # bypass_csp: axe-core is added to some pages
        viewport=size, is_mobile=True, has_touch=True, base_url=base_url, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.size_name = request.param
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], errors


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}-{page.size_name}.png"), full_page=False)


def run_until(page: Any, condition: str, *, limit_s: int = 120) -> None:
    """Move the browser's clock on a second at a time until `condition` (JS) holds."""
    for _ in range(limit_s):
        if page.evaluate(f"() => Boolean({condition})"):
            return
        page.clock.run_for(1000)
    raise AssertionError(f"not within {limit_s} s of session time: {condition}")


FELT_SHOWN = "!document.getElementById('felt').hidden"
HOLD_RUNNING = "document.getElementById('session').className.startsWith('kind-hold')"


def hold_number_asked(page: Any) -> int:
    text = page.locator("#felt-question").inner_text()
    return int(text.split("hold ", 1)[1].split(" ", 1)[0])


ANSWERS = {
    1: "Tingling or shooting below the knee",
    3: "A mild pull in the thigh",
    4: "A mild pull in the thigh",
    5: "Nothing much",
    6: "A mild pull in the thigh",
}  # hold 2 is left unanswered
FELTS = ["nerve", None, "pull", "pull", "nothing", "pull"]


def run_session(page: Any, *, offline_after: int | None = None) -> list[int]:
    """Pain 5 before, the ANSWERS, pain 3 after (tapped twice); the holds that were gentler.

    With `offline_after`, the connection drops once that hold is answered."""
    page.add_init_script(RECORD_DEVICE_CALLS)
    page.clock.install()
    page.goto("/session")
    reason = page.get_by_test_id("plan-reason")
    reason.wait_for()
    assert reason.inner_text().startswith("From your last mornings: ")
    shot(page, "phone-intro")
    page.get_by_role("button", name="Begin").click()
    shot(page, "phone-pain-before")
    check_in(page, 5, ("left:thigh",), shots=f"phone-checkin-{page.viewport_size['width']}")
    assert page.get_by_test_id("today-plan").inner_text().startswith("Today: ")
    shot(page, "phone-today-plan")
    page.get_by_role("button", name="Start the holds").click()
    page.wait_for_selector("#run:not([hidden])")

    gentler_on: list[int] = []
    for number in range(1, 7):
        asked = f"document.getElementById('felt-question').textContent.includes('hold {number} ')"
        run_until(page, f"{FELT_SHOWN} && {asked}")
        if number == 1:
            shot(page, "phone-felt-question")
        if number == 6:
            page.wait_for_selector("#done:not([hidden])")  # the question stays on the done screen
        if number in ANSWERS:
            page.get_by_role("button", name=ANSWERS[number]).click()
            assert page.locator("#felt").is_hidden()
        if number == offline_after:
            page.context.set_offline(True)
        if number < 6:
            run_until(page, HOLD_RUNNING)
            assert page.locator("#felt").is_hidden()  # the next hold has begun
            if page.locator("#gentler").is_visible():
                gentler_on.append(number + 1)
                if number + 1 == 3:
                    shot(page, "phone-gentler-hold")

    after = page.get_by_role("group", name="How is the pain now?")
    after.get_by_role("button", name="3", exact=True).click()
    after.get_by_role("button", name="3", exact=True).click(force=True)  # saves nothing more
    return gentler_on


def report_text(page: Any) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    response = page.request.get("/api/report.pdf")
    assert response.ok, response.text()
    pages = PdfReader(BytesIO(response.body())).pages
    return " ".join(" ".join(p.extract_text().split()) for p in pages)


def check_everything_arrived(page: Any) -> None:
    session = api(page, "/api/sessions")["sessions"][0]
    assert session["status"] == "completed" and session["practice"] is False
    assert [h["felt"] for h in session["holds"]] == FELTS
    entries = api(page, "/api/journal")["entries"]
    assert sorted((e["context"], e["score"], e["session_id"]) for e in entries) == [
        ("after", 3, session["id"]),
        ("before", 5, session["id"]),
    ]
    report = report_text(page)
    assert "5 holds rated: 3 a mild pull behind the thigh" in report
    assert "1 nothing much, 1 tingling" in report


def test_a_whole_session_asks_pain_and_feel_and_ends_with_the_advice(phone: Any) -> None:
    pass_screen(phone)

    gentler_on = run_session(phone)

    phone.wait_for_function(f"() => {OUTBOX_LENGTH} === 0")
    phone.get_by_test_id("advice-reason").wait_for()
    shot(phone, "phone-done")
    assert gentler_on == [3, 5]  # the left leg, after hold 1 tingled; never the right
    said = phone.evaluate("() => window.__said")
    assert sum(GENTLER_CUE in text for text in said) == 2
    assert phone.get_by_test_id("done-sync").inner_text() == "Saved."
    assert phone.get_by_test_id("advice-reason").inner_text().startswith("Next time: ")
    assert axe_problems(phone) == []  # the done screen, with its answers and advice
    check_everything_arrived(phone)


def test_a_session_finished_offline_is_sent_from_another_page_once_back(phone: Any) -> None:
    pass_screen(phone)

    run_session(phone, offline_after=4)

    waiting = phone.get_by_test_id("done-sync").inner_text()
    shot(phone, "phone-done-offline")
    assert waiting.startswith("Waiting to send ") and waiting.endswith(" kept on this phone.")
    count = int(waiting.split()[3])
    assert count == phone.evaluate(f"() => {OUTBOX_LENGTH}") >= 6  # 2 holds, 2 answers, ...
    context = phone.context
    other = context.new_page()
    phone.close()  # the session page is gone before the connection is back
    context.set_offline(False)

    other.goto("/learn")

    other.wait_for_function(f"() => {OUTBOX_LENGTH} === 0")
    check_everything_arrived(other)


def test_the_service_worker_sends_what_a_page_could_not_and_the_page_hears_it_went(
    browser: Any, base_url: str
) -> None:
    context = browser.new_context(viewport=PHONES["320x640"], base_url=base_url)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/learn")
        page.evaluate("() => navigator.serviceWorker.ready")
        entry_id = str(uuid.uuid4())
        page.evaluate("() => { window.fetch = () => Promise.reject(new TypeError('offline')); }")

        page.evaluate(
            """(id) => scOutbox.enqueue({key: id, method: "PUT", url: `/api/journal/${id}`,
                 body: {score: 4, context: "standalone"}})""",
            entry_id,
        )

        entries = wait_for_entries(context, page, base_url)
        assert [(e["id"], e["score"]) for e in entries] == [(entry_id, 4)]
        page.wait_for_function("() => scOutbox.count() === 0")  # told by the service worker
    finally:
        context.close()


def fire_sync(context: Any, page: Any, base_url: str) -> None:
    """Fire the outbox's sync as the browser does on reconnecting (DevTools protocol)."""
    cdp = context.new_cdp_session(page)
    registrations: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(
            r["registrationId"] for r in event["registrations"] if not r["isDeleted"]
        ),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(500)
    for registration in registrations:
        cdp.send(
            "ServiceWorker.dispatchSyncEvent",
            {
                "origin": base_url,
                "registrationId": registration,
                "tag": "sc-outbox",
                "lastChance": False,
            },
        )


def wait_for_entries(context: Any, page: Any, base_url: str) -> list[Any]:
    """The journal once something is in it; after a second, the sync is fired in case the
    browser has not fired it yet."""
    for tick in range(100):
        entries: list[Any] = context.request.get("/api/journal").json()["entries"]
        if entries:
            return entries
        if tick == 10:
            fire_sync(context, page, base_url)
        page.wait_for_timeout(100)
    return []


def test_the_controls_stay_in_reach_and_stop_and_skip_ask_first_by_keyboard(phone: Any) -> None:
    page = phone
    pass_screen(page)
    page.clock.install()
    page.goto("/session")
    page.get_by_role("button", name="Begin").click()
    page.get_by_role("button", name="Skip this").click()
    run_until(page, HOLD_RUNNING)
    page.mouse.wheel(0, 2000)  # scrolled down mid-hold, the controls are still there
    height = page.viewport_size["height"]
    for name in ("Pause", "Skip", "Stop"):
        box = page.get_by_role("button", name=name, exact=True).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, name

    page.get_by_role("button", name="Skip", exact=True).focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    shot(page, "phone-confirm-skip")
    assert axe_problems(page) == []
    page.keyboard.press("Escape")  # changed my mind: the hold carries on
    assert dialog.is_hidden()
    assert "kind-hold" in page.locator("#session").get_attribute("class")
    page.get_by_role("button", name="Stop", exact=True).focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("dialog").inner_text().startswith("Stop the session now?")
    focused = "() => document.activeElement && document.activeElement.textContent.trim()"
    page.wait_for_function(f"({focused})() === 'Carry on'")  # the safe answer comes first
    page.keyboard.press("Tab")
    page.wait_for_function(f"({focused})() === 'Stop'")
    page.keyboard.press("Enter")

    page.wait_for_selector("#done:not([hidden])")
    assert page.locator("#done-title").inner_text() == "Stopped"
    page.wait_for_function(f"() => {OUTBOX_LENGTH} === 0")
    session = api(page, "/api/sessions")["sessions"][0]
    assert session["status"] == "stopped"
    assert [h["completed"] for h in session["holds"]] == [False]
