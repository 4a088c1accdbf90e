"""Another page on this machine cannot write to the local app, in a real Chromium.

`stretchcoach serve` (local mode: no login) runs on one port; a page on another localhost port
sets the `sc_csrf` cookie itself (cookies are not kept apart by port) and posts a journal
entry with fetch, with a form, and opens the camera socket. Every write is refused, nothing is
in the store, and the app's own pages still save, with that cookie still in the browser.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from .test_browser import ARTIFACTS, browser, start_server, stop_server

pytestmark = pytest.mark.e2e
__all__ = ["browser"]

FORGED = "f" * 43  # a well-formed sc_csrf value the other page makes up
ELSEWHERE = "nothing was changed: this came from another page"
SIZES = {"320x640": (320, 640), "360x780": (360, 780)}

ATTACK = """<!doctype html><meta charset="utf-8"><title>Free wallpapers</title>
<form id="form" method="post" action="{app}/journal">
  <input name="score" value="9"><input name="context" value="standalone">
  <input name="note" value="written by another page"><input name="csrf_token" value="{forged}">
  <button>Get wallpapers</button>
</form>
<script>
document.cookie = "sc_csrf={forged}; path=/";
window.attack = async () => {{
  const form = new URLSearchParams({{score: "9", context: "standalone", csrf_token: "{forged}"}});
  await fetch("{app}/journal", {{method: "POST", mode: "no-cors", credentials: "include",
                                body: form}});
  await fetch("{app}/api/journal", {{method: "POST", mode: "no-cors", credentials: "include",
    headers: {{"Content-Type": "text/plain"}}, body: JSON.stringify({{score: 9}})}});
  return await new Promise((done) => {{
    const socket = new WebSocket("{ws}/api/sessions/any/camera");
    let opened = false;
    socket.onopen = () => {{ opened = true; }};
    socket.onclose = (event) => done({{opened, code: event.code}});
  }});
}};
</script>"""


def _serve_page(html: str) -> tuple[ThreadingHTTPServer, str]:
    """The other page, on a port of its own on this machine."""
    body = html.encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The local app as a real process: its address and its SQLite file."""
    database = tmp_path / "local.db"
    env = os.environ | {"XDG_DATA_HOME": str(tmp_path / "data")}  # where web.key is kept
    server, base = start_server(f"sqlite:///{database}", env=env)
    yield base, database
    stop_server(server)


@pytest.fixture
def attacker(app: tuple[str, Path]) -> Iterator[str]:
    base = app[0]
    html = ATTACK.format(app=base, ws=base.replace("http://", "ws://"), forged=FORGED)
    server, address = _serve_page(html)
    yield address
    server.shutdown()
    server.server_close()


def saved_scores(database: Path) -> list[int]:
    """The journal as the store has it, read from the file itself."""
    with closing(sqlite3.connect(database)) as store:
        return [row[0] for row in store.execute("SELECT score FROM pain_entries ORDER BY id")]


def test_another_ports_page_cannot_write_and_the_apps_own_pages_still_save(
    browser: Any, app: tuple[str, Path], attacker: str, tmp_path: Path
) -> None:
    base, database = app
    context = browser.new_context(viewport={"width": 360, "height": 780})
    context.set_default_timeout(15_000)
    page = context.new_page()
    answers: list[tuple[str, int]] = []
    page.on(
        "response",
        lambda r: answers.append((r.url, r.status)) if r.url.startswith(base) else None,
    )

    page.goto(attacker)
    socket = page.evaluate("() => window.attack()")
    cookies = {c["name"]: c["value"] for c in context.cookies(base)}
    by_fetch = sorted(answers)
    with page.expect_navigation():
        page.click("text=Get wallpapers")
    refused_page = page.locator("body").inner_text()
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"foreign-page-refused-{name}.png"), full_page=True)
    page.add_style_tag(content="html { font-size: 200% }")
    page.screenshot(path=str(ARTIFACTS / "foreign-page-refused-large-text.png"), full_page=True)
    after_attack = saved_scores(database)

    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(base)  # a first visit: the welcome, answered on the app's own page
    page.get_by_role("button", name="Yes, keep my records").click()
    page.wait_for_url("**/screen")
    page.goto(f"{base}/journal")
    page.get_by_role("radio", name="6", exact=True).check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("text=Saved")
    after_own_page = saved_scores(database)
    key_file = tmp_path / "data" / "stretchcoach" / "web.key"
    context.close()

    assert cookies.get("sc_csrf") == FORGED  # the other page did set it for the app's host
    assert by_fetch == sorted([(f"{base}/journal", 403), (f"{base}/api/journal", 403)])
    assert socket == {"opened": False, "code": 1006}  # the handshake itself was refused
    assert "That did not work" in refused_page and ELSEWHERE in refused_page
    assert attacker in refused_page and f"Use stretchcoach at {base}" in refused_page
    assert after_attack == []
    assert after_own_page == [6]
    assert key_file.stat().st_mode & 0o777 == 0o600
