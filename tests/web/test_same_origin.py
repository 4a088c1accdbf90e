"""Writes come from stretchcoach's own pages only, in local and accounts mode: the Origin (or
Sec-Fetch-Site) of every POST, PUT, PATCH and DELETE is this server's, and the CSRF token is
signed with the server's key, so a cookie another page sets is worthless."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from stretchcoach.domain.csrf import browser_csrf, session_csrf

from .conftest import (
    PASSWORD,
    app_routes,
    assert_error,
    csrf_of,
    make_client,
    pass_screen,
    text_of,
)

ELSEWHERE = "nothing was changed: this came from another page"
ANOTHER_SITE = "nothing was changed: this came from a page on another site"
CSRF_REFUSED = "did not come from stretchcoach"
SOCKET_ELSEWHERE = "this socket opens only from stretchcoach's own pages"
OUT_OF_DATE = "this page's token is out of date: reload the page"
MODES = ["local", "accounts"]


@pytest.fixture(params=MODES)
def mode_app(request: pytest.FixtureRequest, make_app: Any) -> Any:
    """The app in each mode (accounts with cheap password hashing)."""
    from stretchcoach.web.security import Argon2Hasher

    app = make_app(mode=request.param)
    app.state.password_hasher = Argon2Hasher(time_cost=1, memory_cost=1024)
    return app


@pytest.fixture
def browser(mode_app: Any, sign_up: Any) -> Iterator[httpx.Client]:
    """A browser on http://localhost with its token, logged in when the mode has accounts."""
    if mode_app.state.mode == "accounts":
        yield sign_up(mode_app, "ann@example.org")
        return
    with make_client(mode_app) as local:
        local.headers["X-CSRF-Token"] = csrf_of(local)
        yield local


def scores(browser: httpx.Client) -> list[int]:
    return [entry["score"] for entry in browser.get("/api/journal").json()["entries"]]


def web_key(tmp_path: Path) -> bytes:
    """The key the app made in its data folder (the web fixtures' XDG_DATA_HOME)."""
    return bytes.fromhex((tmp_path / "data" / "stretchcoach" / "web.key").read_text())


@pytest.mark.parametrize(
    ("headers", "status", "reason"),
    [
        ({}, 201, None),
        ({"Origin": "http://localhost"}, 201, None),
        ({"Origin": "http://localhost:80"}, 201, None),
        ({"Origin": "http://localhost:9000"}, 403, ELSEWHERE),
        ({"Origin": "http://127.0.0.1"}, 403, ELSEWHERE),
        ({"Origin": "https://localhost"}, 403, ELSEWHERE),
        ({"Origin": "null"}, 403, ELSEWHERE),
        ({"Sec-Fetch-Site": "same-origin"}, 201, None),
        ({"Sec-Fetch-Site": "none"}, 201, None),
        ({"Sec-Fetch-Site": "same-site"}, 403, ANOTHER_SITE),
        ({"Sec-Fetch-Site": "cross-site"}, 403, ANOTHER_SITE),
        ({"Origin": "http://localhost", "Sec-Fetch-Site": "same-site"}, 403, ANOTHER_SITE),
        ({"Origin": "http://localhost:9000", "Sec-Fetch-Site": "same-origin"}, 403, ELSEWHERE),
        ({"Origin": "http://localhost:9000", "Sec-Fetch-Site": "same-site"}, 403, ELSEWHERE),
    ],
    ids=[
        "no-browser-headers-token-decides",
        "same-origin",
        "same-origin-port-written",
        "another-port",
        "another-name-for-this-machine",
        "another-scheme",
        "null-origin",
        "fetch-site-same-origin",
        "fetch-site-none",
        "fetch-site-same-site",
        "fetch-site-cross-site",
        "origin-same-but-fetch-site-same-site",
        "origin-foreign-but-fetch-site-same-origin",
        "both-say-another-port-the-origin-is-named",
    ],
)
def test_a_journal_entry_is_saved_only_from_this_origin(
    browser: httpx.Client, headers: dict[str, str], status: int, reason: str | None
) -> None:
    response = browser.post("/api/journal", json={"score": 3}, headers=headers)

    if status == 201:
        assert response.status_code == 201, response.text
        assert scores(browser) == [3]
    else:
        message = assert_error(response, 403, "forbidden")
        assert reason is not None and message.startswith(reason), message
        assert message.endswith("Use stretchcoach at http://localhost"), message
        assert scores(browser) == []


def test_every_route_that_changes_something_checks_the_origin(
    mode_app: Any, browser: httpx.Client
) -> None:
    writes = sorted(
        (method, path)
        for method, path in app_routes(mode_app)
        if method not in ("GET", "HEAD", "OPTIONS")
    )
    foreign = {"Origin": "http://localhost:9000"}

    answers = {
        (method, path): browser.request(
            method, path.replace("{", "").replace("}", ""), headers=foreign
        )
        for method, path in writes
    }

    assert len(writes) >= 30
    refused = {key: a.status_code for key, a in answers.items() if a.status_code == 403}
    assert refused.keys() == answers.keys(), {k: a.text for k, a in answers.items()}
    assert all(ELSEWHERE in text_of(a) for a in answers.values())


def test_a_form_posted_from_another_port_gets_a_plain_page_and_saves_nothing(
    browser: httpx.Client,
) -> None:
    token = browser.headers["X-CSRF-Token"]
    form = {"score": "4", "csrf_token": token, "context": "standalone"}

    refused = browser.post("/journal", data=form, headers={"Origin": "http://localhost:9000"})
    saved = browser.post("/journal", data=form, headers={"Origin": "http://localhost"})

    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("text/html")
    page = text_of(refused)
    assert "That did not work" in page and ELSEWHERE in page and "Back to today" in page
    assert saved.status_code in (200, 303), saved.text
    assert scores(browser) == [4]


def test_a_csrf_cookie_set_by_another_page_is_worthless_in_local_mode(make_app: Any) -> None:
    app = make_app()
    with make_client(app) as attacker:
        forged = "x" * 43  # a well-formed cookie value another port's page set itself
        attacker.cookies.set("sc_csrf", forged, domain="localhost")

        answers = [
            attacker.post("/api/journal", json={"score": 7}, headers={"X-CSRF-Token": forged}),
            attacker.post("/journal", data={"score": "7", "csrf_token": forged}),
        ]
        journal = attacker.get("/api/journal").json()["entries"]

    assert [a.status_code for a in answers] == [403, 403]
    assert CSRF_REFUSED in assert_error(answers[0], 403, "forbidden")
    assert journal == []


def test_a_login_with_a_csrf_cookie_set_by_another_page_is_refused(make_accounts_app: Any) -> None:
    app = make_accounts_app()
    with make_client(app) as owner:
        owner.headers["X-CSRF-Token"] = csrf_of(owner, "/login")
        account = {"email": "ann@example.org", "password": PASSWORD, "display_name": "Ann"}
        assert owner.post("/api/accounts", json=account).status_code == 201
    with make_client(app) as attacker:
        attacker.cookies.set("sc_csrf", "y" * 43, domain="localhost")

        login = attacker.post(
            "/api/login",
            json={"email": "ann@example.org", "password": PASSWORD},
            headers={"X-CSRF-Token": "y" * 43},
        )

    assert CSRF_REFUSED in assert_error(login, 403, "forbidden")
    assert "sc_session" not in login.cookies


def test_a_token_signed_with_another_key_is_refused(browser: httpx.Client, tmp_path: Path) -> None:
    bound_to = browser.cookies.get("sc_session")
    sign = session_csrf if bound_to else browser_csrf
    bound_to = bound_to or browser.cookies["sc_csrf"]
    other_key = os.urandom(32)

    refused = browser.post(
        "/api/journal",
        json={"score": 2},
        headers={"X-CSRF-Token": sign(other_key, bound_to)},
    )
    with_the_servers_key = browser.post(
        "/api/journal",
        json={"score": 5},
        headers={"X-CSRF-Token": sign(web_key(tmp_path), bound_to)},
    )

    assert CSRF_REFUSED in assert_error(refused, 403, "forbidden")
    assert with_the_servers_key.status_code == 201, with_the_servers_key.text
    assert scores(browser) == [5]


def test_the_token_is_not_the_cookie_and_the_key_file_is_the_owners_alone(
    browser: httpx.Client, tmp_path: Path
) -> None:
    key_file = tmp_path / "data" / "stretchcoach" / "web.key"

    assert browser.headers["X-CSRF-Token"] not in browser.cookies.values()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(web_key(tmp_path)) == 32


def test_a_new_key_means_new_tokens_and_pages_open_before_ask_to_be_reloaded(
    make_app: Any, tmp_path: Path
) -> None:
    first = make_app()
    with make_client(first) as before:
        old_token = csrf_of(before)
        cookies = dict(before.cookies)
    (tmp_path / "data" / "stretchcoach" / "web.key").unlink()  # the key is rotated
    second = make_app()  # and the server restarted
    with make_client(second) as after:
        after.cookies.update(cookies)
        stale = after.post("/api/journal", json={"score": 1}, headers={"X-CSRF-Token": old_token})
        fresh = after.post(
            "/api/journal", json={"score": 2}, headers={"X-CSRF-Token": csrf_of(after)}
        )
        saved = scores(after)

    assert "reload the page" in assert_error(stale, 403, "forbidden")
    assert fresh.status_code == 201, fresh.text
    assert saved == [2]


def test_behind_an_https_proxy_the_origin_is_the_proxys_address(make_accounts_app: Any) -> None:
    # uvicorn's --proxy-headers (serve --accounts) gives the app the scheme the proxy reports;
    # the phone's own address is https://stretch.example.org.
    app = make_accounts_app()
    with make_client(app, base_url="https://stretch.example.org") as phone:
        phone.headers["X-CSRF-Token"] = csrf_of(phone, "/login")
        account = {
            "email": "bo@example.org",
            "password": PASSWORD,
            "display_name": "Bo",
            "role": "patient",
        }
        signed_up = phone.post(
            "/api/accounts", json=account, headers={"Origin": "https://stretch.example.org"}
        )
        phone.headers["X-CSRF-Token"] = signed_up.json()["csrf_token"]

        plain_http = phone.post(
            "/api/journal", json={"score": 3}, headers={"Origin": "http://stretch.example.org"}
        )
        same = phone.post(
            "/api/journal", json={"score": 4}, headers={"Origin": "https://stretch.example.org"}
        )
        saved = scores(phone)

    assert signed_up.status_code == 201, signed_up.text
    assert ELSEWHERE in assert_error(plain_http, 403, "forbidden")
    assert same.status_code == 201, same.text
    assert saved == [4]


@pytest.mark.parametrize(
    ("origin", "token", "closed_with"),
    [
        ("http://localhost", "own", None),
        ("http://localhost:9000", "own", (1008, SOCKET_ELSEWHERE)),
        ("http://127.0.0.1", "own", (1008, SOCKET_ELSEWHERE)),
        (None, "own", (1008, SOCKET_ELSEWHERE)),
        ("http://localhost", "another-key", (1008, OUT_OF_DATE)),
        ("http://localhost", "the-cookie", (1008, OUT_OF_DATE)),
    ],
    ids=["same", "another-port", "another-name", "no-origin", "another-key", "the-cookie-itself"],
)
def test_the_camera_socket_opens_only_from_this_origin_with_a_signed_token(
    mode_app: Any,
    browser: httpx.Client,
    origin: str | None,
    token: str,
    closed_with: tuple[int, str] | None,
) -> None:
    import warnings

    from starlette.websockets import WebSocketDisconnect

    with warnings.catch_warnings():  # as tests/web/test_camera_socket.py: httpx still works
        warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
        from starlette.testclient import TestClient as SocketClient

    pass_screen(browser)
    session = browser.post("/api/sessions", json={}).json()
    url = f"ws://localhost/api/sessions/{session['id']}/camera"
    bound_to = browser.cookies.get("sc_session") or browser.cookies["sc_csrf"]
    sign = session_csrf if browser.cookies.get("sc_session") else browser_csrf
    sent = {
        "own": browser.headers["X-CSRF-Token"],
        "another-key": sign(os.urandom(32), bound_to),
        "the-cookie": bound_to,
    }[token]
    headers = {"origin": origin} if origin else {}
    phone = SocketClient(
        mode_app, base_url="http://localhost", client=("127.0.0.1", 50000), cookies=browser.cookies
    )

    with (
        phone,
        pytest.raises(WebSocketDisconnect) as ended,
        phone.websocket_connect(url, headers=headers) as socket,
    ):
        socket.send_json({"type": "hello", "csrf": sent})
        ready = socket.receive_json()
        assert closed_with is None, ready
        assert ready["type"] == "ready"
        socket.send_json({"type": "end"})
        socket.receive_json()

    if closed_with is not None:
        assert (ended.value.code, ended.value.reason) == closed_with
    else:
        assert ended.value.code == 1000
