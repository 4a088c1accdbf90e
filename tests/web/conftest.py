"""Web fixtures: an app on a fresh database, and an httpx client that calls it in-process.

`client` is a plain `httpx.Client` whose transport runs the ASGI app directly (no server,
no sockets); it already carries this browser's CSRF token in the X-CSRF-Token header, and
has agreed on the first visit to keep its records (`agree`) and answered the warning-signs
check with no to everything (`pass_screen`), so sessions start; `new_client` has agreed but
not answered the check.
`assert_error` checks the one error shape every API error has.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from stretchcoach.config import Settings
from stretchcoach.testing import FakeClock

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


_addresses = itertools.count(1)


def next_loopback_address() -> str:
    """A loopback address of its own for each test browser (127.0.0.0/8 is all this machine).

    Like separate phones, so the per-address limits (sign-ups, logins) count each apart.
    """
    n = next(_addresses)
    last, rest = n % 255 + 1, n // 255  # 1 to 255: never .0, and never one address twice
    return f"127.{rest // 256 % 256}.{rest % 256}.{last}"


class InProcessTransport(httpx.BaseTransport):
    """Runs each request through the ASGI app on a private event loop."""

    def __init__(self, app: Any) -> None:
        self._asgi = httpx.ASGITransport(app=app, client=(next_loopback_address(), 40000))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def call() -> httpx.Response:
            body = request.read()
            forwarded = httpx.Request(
                request.method, request.url, headers=request.headers, content=body
            )
            response = await self._asgi.handle_async_request(forwarded)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        return asyncio.run(call())


def make_client(app: Any, *, base_url: str = "http://localhost") -> httpx.Client:
    return httpx.Client(
        transport=InProcessTransport(app), base_url=base_url, follow_redirects=False
    )


def csrf_of(client: httpx.Client, page: str = "/") -> str:
    """Open a page as a browser would and take the CSRF token it hands out."""
    response = client.get(page, follow_redirects=True)
    found = CSRF_META.search(response.text)
    assert found, f"no csrf meta on {page}: {response.status_code}"
    return found.group(1)


def app_routes(app: Any) -> set[tuple[str, str]]:
    """Every (method, path) the app routes, inside the routers it includes too."""
    from fastapi.routing import APIRoute

    found = set()
    stack = list(app.router.routes)
    while stack:
        route = stack.pop()
        if isinstance(route, APIRoute):
            found |= {(method, route.path) for method in route.methods}
        elif hasattr(route, "original_router"):
            stack.extend(route.original_router.routes)
    return found


def text_of(response: httpx.Response) -> str:
    """A page's text as a person reads it: the HTML's entities unescaped."""
    return html.unescape(response.text)


def assert_error(response: httpx.Response, status: int, code: str, field: str | None = None) -> str:
    """The response is the API's one error shape; returns the message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "field"}, body
    assert body["error"]["code"] == code, body
    assert body["error"]["field"] == field, body
    message = body["error"]["message"]
    assert isinstance(message, str) and message
    return message


def agree(browser: httpx.Client) -> None:
    """Say yes on the first visit: keep my records here."""
    response = browser.post("/api/consent", json={"agree": True})
    assert response.status_code == 200, response.text
    assert response.json()["consent"] is not None


def pass_screen(browser: httpx.Client) -> None:
    """Answer the warning-signs check with no to every question, as `screen --answers none`."""
    from stretchcoach.domain.safety import QUESTIONS

    response = browser.post("/api/screen", json={"answers": [False] * len(QUESTIONS)})
    assert response.status_code == 201, response.text


@pytest.fixture
def web_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_app(
    tmp_path: Path, web_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    """Build apps on a database URL (SQLite in tmp_path by default); disposed afterwards.

    The data folder (where the app keeps the key that signs its CSRF tokens) is in tmp_path.
    """
    from stretchcoach.web.app import create_app

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    built: list[Any] = []

    def build(url: str | None = None, *, mode: str = "local") -> Any:
        settings = Settings(
            database_url=url or f"sqlite:///{tmp_path / 'web.db'}",
            time_zone="Europe/London",
            accounts=mode == "accounts",
        )
        app = create_app(settings, mode=mode)  # type: ignore[arg-type]
        app.state.clock = web_clock
        built.append(app)
        return app

    yield build
    for app in built:
        app.state.engine.dispose()


@pytest.fixture
def local_app(make_app: Any) -> Any:
    return make_app()


@pytest.fixture
def new_client(local_app: Any) -> Iterator[httpx.Client]:
    """A browser on the local app, with its CSRF token set on every request, past the first
    visit (agreed to keep records); no screen yet."""
    with make_client(local_app) as browser:
        browser.headers["X-CSRF-Token"] = csrf_of(browser)
        agree(browser)
        yield browser


@pytest.fixture
def client(new_client: httpx.Client) -> httpx.Client:
    """A browser on the local app that has answered the warning-signs check: all no."""
    pass_screen(new_client)
    return new_client


# -- accounts mode (engineer B): apps with logins, and browsers that have signed up ----------

PASSWORD = "a long enough secret"


@pytest.fixture
def make_accounts_app(make_app: Any) -> Any:
    """Build accounts-mode apps; argon2 with small costs so a test signs up in milliseconds."""
    from stretchcoach.web.security import Argon2Hasher

    def build(url: str | None = None) -> Any:
        app = make_app(url, mode="accounts")
        app.state.password_hasher = Argon2Hasher(time_cost=1, memory_cost=1024)
        return app

    return build


@pytest.fixture
def accounts_app(make_accounts_app: Any) -> Any:
    return make_accounts_app()


def approve(app: Any, email: str) -> None:
    """A clinic admin approves the clinician (as `stretchcoach accounts approve EMAIL`)."""
    from stretchcoach.adapters.store.uow import SqlUnitOfWork
    from stretchcoach.services.accounts import approve_clinician

    approve_clinician(email, uow=SqlUnitOfWork(app.state.engine), now=app.state.clock.now())


@pytest.fixture
def sign_up() -> Iterator[Any]:
    """`sign_up(app, email, role=...)`: a browser that registered and is logged in.

    Clinicians come approved unless `approved=False`; patients have agreed on the first
    visit to keep their records unless `agreed=False`.
    """
    opened: list[httpx.Client] = []

    def register(
        app: Any,
        email: str,
        *,
        role: str = "patient",
        name: str | None = None,
        approved: bool = True,
        agreed: bool = True,
    ) -> httpx.Client:
        browser = make_client(app)
        opened.append(browser)
        browser.headers["X-CSRF-Token"] = csrf_of(browser, "/login")
        response = browser.post(
            "/api/accounts",
            json={
                "email": email,
                "password": PASSWORD,
                "display_name": name or email.split("@")[0].title(),
                "role": role,
            },
        )
        assert response.status_code == 201, response.text
        browser.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        if role == "patient" and agreed:
            agree(browser)
        if role == "clinician" and approved:
            approve(app, email)
        return browser

    yield register
    for browser in opened:
        browser.close()
