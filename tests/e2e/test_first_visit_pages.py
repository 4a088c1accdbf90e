"""The first visit, offline pages and dark mode in Chromium, on a real `stretchcoach serve`.

The first visit is shown once and then never; a no keeps nothing in the database; the
offline page and the kept copy of the session page come back by themselves when the
connection does; offline, the session page never offers Begin; in dark mode every page is
free of serious accessibility problems (contrast included)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from stretchcoach.domain.consent import DECLINED_WORDS, KEPT_WORDS, KeptOn
from stretchcoach.domain.safety import EMERGENCY_SIGNS

from .test_browser import (
    ARTIFACTS,
    agree,
    browser,
    controlled,
    pass_screen,
    start_server,
    stop_server,
)
from .test_phone_pages import AXE, PHONES, axe_problems

pytestmark = pytest.mark.e2e

__all__ = ["browser"]  # fixtures used here

KEPT_TABLES = ("users", "consents", "user_settings", "sessions", "pain_entries", "screens")
SIZES = {**PHONES, "320x640-text200": PHONES["320x640"]}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    db = tmp_path / "first.db"
    process, base = start_server(f"sqlite:///{db}")
    yield base, db
    stop_server(process)


def new_phone(browser: Any, base: str, size: str = "360x780", **options: Any) -> Any:
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE} (scripts/test.sh installs it)")
    options = {"bypass_csp": True} | options  # axe is added to each page as a script
    context = browser.new_context(
        viewport=SIZES[size], is_mobile=True, has_touch=True, base_url=base, **options
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    if size.endswith("text200"):
        page.add_init_script(
            "document.addEventListener('DOMContentLoaded', () => "
            "{ document.documentElement.style.fontSize = '200%'; });"
        )
    return page


def rows(db: Path) -> dict[str, int]:
    with closing(sqlite3.connect(db)) as connection:
        return {
            t: connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in KEPT_TABLES
        }


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"first-visit-{name}.png"), full_page=True)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_first_visit_is_shown_once_and_then_never(
    browser: Any, server: tuple[str, Path], size: str
) -> None:
    base, db = server
    page = new_phone(browser, base, size)
    try:
        page.goto("/")
        page.wait_for_url("**/welcome")
        shot(page, f"welcome-{size}")
        text = " ".join(page.locator("main").inner_text().split())
        signs = page.locator("ul.signs li").count()
        sign_px = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('ul.signs li')).fontSize)"
        )
        body_px = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        problems = axe_problems(page)

        page.get_by_role("button", name="Yes, keep my records").click()
        page.wait_for_url("**/screen")
        again = [page.goto(path).url.removeprefix(base) for path in ("/", "/welcome", "/screen")]
    finally:
        page.context.close()

    assert page.url.endswith("/screen")
    assert signs == len(EMERGENCY_SIGNS)
    assert all(" ".join(sign.split()) in text for sign in EMERGENCY_SIGNS)
    assert KEPT_WORDS[KeptOn.DEVICE] in text
    # the emergency signs stand out in large type; with the text doubled, they keep its size
    assert sign_px >= (1 if size.endswith("text200") else 1.2) * body_px
    assert wide <= SIZES[size]["width"]
    assert problems == []
    assert again == ["/", "/", "/screen"]  # never shown again
    assert rows(db)["consents"] == 1


def test_saying_no_keeps_nothing_but_leaves_the_information_and_the_signs(
    browser: Any, server: tuple[str, Path]
) -> None:
    base, db = server
    before = rows(db)  # `serve` makes the local user as it starts, as the terminal does
    page = new_phone(browser, base, "320x640")
    try:
        page.goto("/")
        page.get_by_role("button", name="No, keep nothing").click()
        page.get_by_test_id("declined").wait_for()
        shot(page, "declined-320x640")
        said = page.get_by_test_id("declined").inner_text()
        signs = page.locator("ul.signs li").count()
        call = page.get_by_test_id("call").is_visible()
        page.goto("/journal")
        sent_back = page.url.removeprefix(base)
    finally:
        page.context.close()

    assert said == DECLINED_WORDS
    assert signs == len(EMERGENCY_SIGNS) and call
    assert sent_back == "/welcome"
    assert rows(db) == before
    assert before == dict.fromkeys(KEPT_TABLES, 0) | {"users": before["users"]}


def test_the_offline_page_tries_again_and_opens_the_page_when_the_connection_is_back(
    browser: Any, server: tuple[str, Path]
) -> None:
    base, _ = server
    page = new_phone(browser, base, "320x640")
    context = page.context
    try:
        agree(page)
        page.goto("/learn")
        controlled(page)

        context.set_offline(True)
        page.goto("/journal")
        page.get_by_role("heading", name="You are offline").wait_for()
        page.get_by_role("button", name="Try again").click()
        page.get_by_text("Still offline").wait_for()
        shot(page, "offline-320x640")
        problems = axe_problems(page)

        context.set_offline(False)
        page.wait_for_function("() => !document.getElementById('offline-page')", timeout=20_000)
        page.wait_for_load_state()
        heading = page.locator("h1").first.inner_text()
        where = page.url.removeprefix(base)
    finally:
        context.close()

    assert problems == []
    assert where == "/journal"
    assert heading != "You are offline"


def test_the_session_page_kept_offline_says_so_and_never_offers_begin(
    browser: Any, server: tuple[str, Path]
) -> None:
    base, _ = server
    page = new_phone(browser, base, "320x640")
    context = page.context
    try:
        pass_screen(page)
        page.goto("/learn")
        controlled(page)
        page.goto("/session?speed=40")  # a practice page: the one the phone keeps
        page.wait_for_function("async () => !!(await caches.match('/session'))")

        context.set_offline(True)
        page.goto("/session")
        page.get_by_test_id("offline-copy").wait_for()
        page.get_by_text("a new session starts once the connection is back").wait_for()
        shot(page, "session-offline-320x640")
        begin_offline = page.locator("#begin").is_visible()
        notice = page.get_by_test_id("offline-copy").inner_text()

        context.set_offline(False)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=offline-copy]')", timeout=20_000
        )
        page.locator("#begin:not([disabled])").wait_for()
        begin_back = page.locator("#begin").is_visible()
    finally:
        context.close()

    assert not begin_offline
    assert "You are offline." in notice
    assert begin_back


DARK_PAGES = ["/welcome", "/", "/session", "/journal", "/history", "/learn", "/settings", "/screen"]


def test_every_page_is_free_of_serious_problems_in_dark_mode(
    browser: Any, server: tuple[str, Path]
) -> None:
    base, _ = server
    page = new_phone(browser, base, "360x780", color_scheme="dark")
    found: dict[str, list[str]] = {}
    try:
        page.goto("/welcome")
        found["/welcome"] = axe_problems(page)
        shot(page, "dark-welcome-360x780")
        pass_screen(page)
        for path in DARK_PAGES[1:]:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            found[path] = axe_problems(page)
            shot(page, "dark-" + (path.strip("/") or "today") + "-360x780")
        dark = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    finally:
        page.context.close()

    assert found == {path: [] for path in DARK_PAGES}
    assert dark != "rgb(246, 244, 239)"  # not the light background
