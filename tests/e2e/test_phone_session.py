"""A whole session on a small phone, as a person in pain does it, in a real Chromium against a
real `stretchcoach serve`: the pain before, how each hold felt (by tap, no voice needed), a
gentler hold on the leg that tingled, the pain after, the advice for next time from the
clinical core, and everything reaching the history and the clinician's report.

The browser's clock is Playwright's, moved on by the test, so a real-time (not practice)
session runs in seconds and each question can be answered while it is on screen.
"""

from __future__ import annotations

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
    pass_screen,
)

pytestmark = pytest.mark.e2e

__all__ = ["base_url", "browser"]  # fixtures used here

PHONES = {"320x640": {"width": 320, "height": 640}, "360x780": {"width": 360, "height": 780}}


@pytest.fixture(params=list(PHONES), ids=list(PHONES))
def phone(request: pytest.FixtureRequest, browser: Any, base_url: str) -> Iterator[Any]:
    size = PHONES[request.param]
    context = browser.new_context(viewport=size, is_mobile=True, has_touch=True, base_url=base_url)
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


def test_a_whole_session_asks_pain_and_feel_and_the_answers_reach_history_and_report(
    phone: Any,
) -> None:
    page = phone
    pass_screen(page)
    page.add_init_script(RECORD_DEVICE_CALLS)
    page.clock.install()
    page.goto("/session")

    reason = page.get_by_test_id("plan-reason")
    reason.wait_for()
    assert reason.inner_text().startswith("Today: ")
    shot(page, "phone-intro")
    page.get_by_role("button", name="Begin").click()
    group = page.get_by_role("group", name="How is the pain right now?")
    shot(page, "phone-pain-before")
    group.get_by_role("button", name="5", exact=True).click()
    page.wait_for_selector("#run:not([hidden])")

    answers = {1: "Tingling or shooting below the knee", 3: "A mild pull in the thigh"}
    answers |= {4: "A mild pull in the thigh", 5: "Nothing much"}  # hold 2 is left unanswered
    seen_gentler_on: list[int] = []
    for number in range(1, 7):
        run_until(
            page,
            f"{FELT_SHOWN} && document.getElementById('felt-question')"
            f".textContent.includes('hold {number} ')",
        )
        if number == 1:
            shot(page, "phone-felt-question")
        if number in answers:
            page.get_by_role("button", name=answers[number]).click()
            assert page.locator("#felt").is_hidden()
        if number < 6:
            run_until(page, HOLD_RUNNING)
            assert page.locator("#felt").is_hidden()  # the next hold has begun
            if page.locator("#gentler").is_visible():
                seen_gentler_on.append(number + 1)
                if number + 1 == 3:
                    shot(page, "phone-gentler-hold")

    page.wait_for_selector("#done:not([hidden])")
    assert hold_number_asked(page) == 6  # the last hold's question stays on the done screen
    page.get_by_role("button", name="A mild pull in the thigh").click()
    page.get_by_role("group", name="How is the pain now?").get_by_role(
        "button", name="3", exact=True
    ).click()
    page.get_by_role("group", name="How is the pain now?").get_by_role(
        "button", name="3", exact=True
    ).click(force=True)  # a second tap saves nothing more
    page.wait_for_function(f"() => {OUTBOX_LENGTH} === 0")
    page.get_by_test_id("advice-reason").wait_for()
    shot(page, "phone-done")

    assert seen_gentler_on == [3, 5]  # the left leg, after hold 1 tingled; never the right
    said = page.evaluate("() => window.__said")
    assert sum(GENTLER_CUE in text for text in said) == 2
    assert page.get_by_test_id("done-sync").inner_text() == "Saved."
    assert page.get_by_test_id("advice-reason").inner_text().startswith("Next time: ")
    session = api(page, "/api/sessions")["sessions"][0]
    assert session["status"] == "completed" and session["practice"] is False
    assert [h["felt"] for h in session["holds"]] == [
        "nerve",
        None,
        "pull",
        "pull",
        "nothing",
        "pull",
    ]
    entries = api(page, "/api/journal")["entries"]
    assert sorted((e["context"], e["score"], e["session_id"]) for e in entries) == [
        ("after", 3, session["id"]),
        ("before", 5, session["id"]),
    ]
