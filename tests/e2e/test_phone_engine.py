"""The phone's session engine (static/engine.js) in a real Chromium: a page that was not
running (a locked screen, a frozen tab) does not count that time and says so, as the terminal
does, and the hold then carries on from where it was seen and is kept whole.

The rules themselves are compared with the runner's in tests/unit/test_engine_conformance.py;
this checks that the page follows what the engine says.
"""

from __future__ import annotations

from typing import Any

import pytest

from stretchcoach.domain.cues import STALLED_CUE

from .test_browser import ARTIFACTS, api, base_url, browser, check_in, page, pass_screen
from .test_phone_session import FELT_SHOWN, HOLD_RUNNING, run_until

pytestmark = pytest.mark.e2e

__all__ = ["base_url", "browser", "page"]  # fixtures used here

SIZES = [(320, 640, ""), (360, 780, ""), (360, 780, "html { font-size: 200% }")]


def test_a_page_that_slept_through_a_hold_does_not_count_that_time_and_says_so(page: Any) -> None:
    pass_screen(page)
    page.clock.install()
    page.goto("/session")
    page.get_by_role("button", name="Begin").click()
    check_in(page, 0)
    page.get_by_role("button", name="Start the holds").click()
    page.wait_for_selector("#run:not([hidden])")
    run_until(page, HOLD_RUNNING)
    page.clock.run_for(10_000)
    seen = page.locator("#countdown").inner_text()

    page.clock.fast_forward(40_000)  # the page ran nothing for 40 s: past the hold's end
    page.clock.run_for(200)

    title = page.locator("#phase-title").inner_text()
    now = int(page.locator("#countdown").inner_text())
    assert 18 <= int(seen) <= 21  # about 10 s into the hold (the page's time also flows)
    assert int(seen) - 1 <= now <= int(seen)  # carried on from where it was, not 40 s on
    assert title.endswith("hold 1 of 3")
    assert page.locator("#cue").inner_text() == STALLED_CUE
    for width, height, style in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        if style:
            page.add_style_tag(content=style)
        big = "-200" if style else ""
        page.screenshot(path=str(ARTIFACTS / f"phone-stalled-{width}x{height}{big}.png"))
    run_until(page, FELT_SHOWN)
    holds = wait_for_saved(page)
    assert [(h["hold_number"], h["held_s"], h["completed"]) for h in holds] == [(1, 30.0, True)]


def wait_for_saved(page: Any) -> list[dict[str, Any]]:
    for _ in range(100):
        session = api(page, "/api/sessions/current")["session"]
        if session and session["holds"]:
            return list(session["holds"])
        page.clock.run_for(100)  # the outbox's own timers, if it is waiting to retry
        page.wait_for_timeout(100)
    raise AssertionError("hold 1 never reached the server")
