"""Reminders by notification in a real Chromium against a real `stretchcoach serve`.

Headless Chromium has no push service to subscribe with (`pushManager.subscribe` fails
there), so the subscription's way in is tested on the endpoint itself (tests/web/
test_push.py), and here: the offer (never on a first visit; on the done screen after a
session, remembered when declined; in Settings), the words when the phone cannot sign up,
and the service worker showing what the server pushed with its two buttons. A real serve
reminds a test phone at its local time through the test's own push service, which decrypts
it; that message is then delivered to the page's service worker (DevTools' push delivery).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from tests.push_service import PushService

from .test_browser import (
    ARTIFACTS,
    SPEED,
    agree,
    api,
    browser,
    pass_screen,
    start_server,
    stop_server,
)
from .test_phone_session import run_until

pytestmark = pytest.mark.e2e

__all__ = ["browser"]  # a fixture used here

ZONE = "Europe/London"
SIZES = {
    "320x640": ({"width": 320, "height": 640}, False),
    "360x780": ({"width": 360, "height": 780}, False),
    "360x780-200pct": ({"width": 360, "height": 780}, True),
}


@pytest.fixture
def service() -> Iterator[PushService]:
    with PushService() as running:
        yield running


@pytest.fixture
def served(tmp_path: Path, service: PushService) -> Iterator[tuple[str, str]]:
    url = f"sqlite:///{tmp_path / 'push.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    env |= {"STRETCHCOACH_PUSH_TEST_ENDPOINTS": service.base, "STRETCHCOACH_TIME_ZONE": ZONE}
    env |= {"STRETCHCOACH_REMIND_EVERY_S": "1"}  # the round each second, not each 30
    server, base = start_server(url, env=env)
    yield base, url
    stop_server(server)


def new_page(browser: Any, base: str, *, size: str = "360x780", allow: bool = True) -> Any:
    viewport, big_text = SIZES[size]
    context = browser.new_context(
        viewport=viewport, is_mobile=True, has_touch=True, base_url=base, timezone_id=ZONE
    )
    context.set_default_timeout(15_000)
    if allow:
        context.grant_permissions(["notifications"], origin=base)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    if big_text:
        page.add_init_script(
            "document.addEventListener('DOMContentLoaded', () => "
            "document.documentElement.style.fontSize = '200%')"
        )
    return page


def run_a_session(page: Any) -> None:
    """A practice session to its done screen, on Playwright's clock moved on by the test: the
    offer comes after any session, so its minutes need not be waited out in real time."""
    if not getattr(page, "clock_installed", False):
        page.clock.install()
        page.clock_installed = True
    page.goto(f"/session?speed={SPEED}")
    page.get_by_role("button", name="Begin").click()
    page.get_by_role("button", name="Skip this").click()
    page.wait_for_selector("#run:not([hidden])")
    run_until(page, "!document.getElementById('done').hidden")


def csrf(page: Any) -> dict[str, str]:
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    return {"X-CSRF-Token": token, "Content-Type": "application/json"}


def test_a_first_visit_offers_no_reminder(browser: Any, served: tuple[str, str]) -> None:
    page = new_page(browser, served[0])

    page.goto("/")
    first = page.url
    offered_on_welcome = page.locator("#push, #push-offer").count()
    agree(page)
    page.goto("/settings")

    assert first.endswith("/welcome") and offered_on_welcome == 0
    assert page.locator("#push").count() == 0
    assert page.get_by_role("heading", name="Reminder in your calendar").is_visible()
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_done_screen_offers_a_reminder_once_and_not_now_is_remembered(
    browser: Any, served: tuple[str, str], size: str
) -> None:
    page = new_page(browser, served[0], size=size)
    pass_screen(page)
    run_a_session(page)

    offer = page.locator("#push-offer")
    offer.wait_for(state="visible")
    offer.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"push-offer-{size}.png"), full_page=True)
    page.get_by_role("button", name="Remind me", exact=True).click()
    said = page.locator("#push-offer-said")
    said.filter(has_text="could not sign up").wait_for()
    page.screenshot(path=str(ARTIFACTS / f"push-offer-said-{size}.png"), full_page=True)
    width = page.viewport_size["width"]
    for button in ("Remind me", "Not now"):
        box = page.get_by_role("button", name=button, exact=True).bounding_box()
        assert box["height"] >= 48 and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Not now").click()
    hidden_after_no = offer.is_hidden()
    run_a_session(page)
    page.wait_for_timeout(500)

    assert hidden_after_no
    assert offer.is_hidden()
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_settings_turns_reminders_on_where_the_phone_allows_and_says_why_not(
    browser: Any, served: tuple[str, str], size: str
) -> None:
    page = new_page(browser, served[0], size=size, allow=False)
    pass_screen(page)
    run_a_session(page)

    page.goto("/settings")
    section = page.locator("#push")
    section.wait_for(state="visible")
    page.locator("#push-said").filter(has_text="Off on this phone.").wait_for()
    page.locator("#reminder_at").fill("06:45")
    button = page.get_by_role("button", name="Remind me on this phone at 06:45")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    button.click()
    page.locator("#push-said").filter(has_text="turned off for this app").wait_for()
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"push-settings-{size}.png"))

    assert box["height"] >= 48 and box["x"] + box["width"] <= page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    assert page.errors == []
    page.context.close()


def test_serve_reminds_a_phone_at_its_local_time_and_the_worker_shows_it_with_two_buttons(
    browser: Any, served: tuple[str, str], service: PushService
) -> None:
    base, _url = served
    page = new_page(browser, base)
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.goto("/settings")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone = service.new_phone()
    service.server_public_key = api(page, "/api/push/key")["public_key"]
    kept = page.request.post(
        "/api/push/subscriptions", data=json.dumps(phone.to_json()), headers=csrf(page)
    )
    assert kept.status == 201, kept.text()
    settings = api(page, "/api/settings")
    settings.pop("calendar_url")
    settings["reminder_at"] = datetime.now(ZoneInfo(ZONE)).strftime("%H:%M")
    saved = page.request.put("/api/settings", data=json.dumps(settings), headers=csrf(page))
    assert saved.status == 200, saved.text()

    deadline = time.monotonic() + 45  # the server's round runs every second here
    while not phone.received and time.monotonic() < deadline:
        time.sleep(0.5)
    assert phone.titles == ["Your morning stretch"], service.problems
    live = next(r for r in registrations if not r["isDeleted"])
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": base,
            "registrationId": live["registrationId"],
            "data": json.dumps(phone.received[0]),
        },
    )
    page.wait_for_function(
        "navigator.serviceWorker.ready.then(r => r.getNotifications()).then(n => n.length > 0)"
    )
    shown = page.evaluate(
        """async () => (await (await navigator.serviceWorker.ready).getNotifications())
             .map((n) => ({title: n.title, body: n.body, tag: n.tag, data: n.data,
                           actions: n.actions.map((a) => [a.action, a.title])}))"""
    )

    assert shown == [
        {
            "title": "Your morning stretch",
            "body": phone.received[0]["body"],
            "tag": "morning-stretch",
            "data": {"url": "/"},
            "actions": [["done", "Done today"], ["snooze", "Later (30 min)"]],
        }
    ]
    assert page.errors == []
    page.context.close()
