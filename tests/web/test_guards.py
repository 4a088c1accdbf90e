"""What every request passes: local mode answers this machine only, bodies are small, nothing
personal is kept by a browser, and the security headers are on every answer."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from stretchcoach.web.guards import MAX_BODY_BYTES, is_loopback_host

from .conftest import PASSWORD, assert_error, csrf_of, make_client


def _call(app: Any, path: str, *, client: str = "127.0.0.1", **headers: str) -> httpx.Response:
    """One GET through the ASGI app as if from `client`, with these headers."""

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=(client, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
            return await http.get(path, headers=headers)

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("localhost", True),
        ("localhost:8000", True),
        ("127.0.0.1:8000", True),
        ("127.1.2.3", True),
        ("[::1]:8000", True),
        ("app.localhost:8000", True),
        ("evil.example", False),
        ("evil.example:8000", False),
        ("localhost.evil.example", False),
        ("127.0.0.1.nip.io", False),
        ("192.168.1.20:8000", False),
        ("", False),
        ("[::1", False),
    ],
    ids=lambda value: str(value) or "empty",
)
def test_loopback_host_names(host: str, allowed: bool) -> None:
    assert is_loopback_host(host) is allowed


@pytest.mark.parametrize("path", ["/api/me", "/journal", "/api/journal"])
def test_local_mode_refuses_a_rebound_host_name(local_app: Any, path: str) -> None:
    response = _call(local_app, path, host="attacker.example:8000")

    assert response.status_code == 403
    assert "attacker.example" in response.text
    assert response.headers["cache-control"] == "no-store"
    if path.startswith("/api/"):
        assert_error(response, 403, "forbidden")


def test_local_mode_refuses_a_rebound_write_before_anything_is_saved(local_app: Any) -> None:
    with make_client(local_app) as browser:
        token = csrf_of(browser)
        attacker = make_client(local_app, base_url="http://attacker.example:8000")
        attacker.cookies.update(browser.cookies)
        response = attacker.post("/api/journal", json={"score": 3}, headers={"X-CSRF-Token": token})

        assert_error(response, 403, "forbidden")
        assert browser.get("/api/journal").json()["entries"] == []


def test_local_mode_answers_this_machine_only_whatever_the_forwarded_headers_say(
    local_app: Any,
) -> None:
    from_network = _call(
        local_app, "/api/me", client="203.0.113.9", **{"X-Forwarded-For": "127.0.0.1"}
    )
    from_here = _call(
        local_app, "/api/me", **{"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    )

    assert_error(from_network, 403, "forbidden")
    assert from_here.status_code == 200
    assert "strict-transport-security" not in from_here.headers


def test_local_mode_ignores_a_forwarded_https_claim_for_cookies(local_app: Any) -> None:
    response = _call(local_app, "/welcome", **{"X-Forwarded-Proto": "https"})

    assert "secure" not in response.headers["set-cookie"].lower()


def test_accounts_mode_keeps_the_proxy_behaviour_and_sends_hsts_over_https(
    accounts_app: Any,
) -> None:
    proxied = _call(
        accounts_app, "/login", host="stretch.example.org", **{"X-Forwarded-Proto": "https"}
    )
    plain = _call(accounts_app, "/login", host="stretch.example.org")

    assert proxied.status_code == plain.status_code == 200
    assert proxied.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "strict-transport-security" not in plain.headers


def test_every_answer_has_a_permissions_policy_with_the_camera_for_this_site_only(
    client: httpx.Client,
) -> None:
    for path in ("/", "/static/app.css", "/api/me", "/nowhere"):
        policy = client.get(path).headers["permissions-policy"]

        assert "camera=(self)" in policy and "microphone=()" in policy
        assert "geolocation=()" in policy


PERSONAL_PAGES = [
    "/",
    "/journal",
    "/history",
    "/settings",
    "/session",
    "/account",
    "/account/export",
    "/api/me",
    "/api/me/export",
    "/api/journal",
    "/api/settings",
    "/api/report.pdf",
    "/api/sessions/current",
]


def test_nothing_personal_may_be_kept_by_a_browser_or_a_proxy(client: httpx.Client) -> None:
    answers = {path: client.get(path) for path in PERSONAL_PAGES}

    assert {path: r.status_code for path, r in answers.items() if r.status_code >= 400} == {}
    assert {path: r.headers.get("cache-control") for path, r in answers.items()} == dict.fromkeys(
        PERSONAL_PAGES, "no-store"
    )
    assert "no-store" not in client.get("/static/app.css").headers.get("cache-control", "")


def test_the_clinic_pages_are_not_kept_either(accounts_app: Any, sign_up: Any) -> None:
    doctor = sign_up(accounts_app, "doc@clinic.example", role="clinician")

    for path in ("/clinic", "/api/clinic/patients", "/api/me"):
        response = doctor.get(path)
        assert response.headers["cache-control"] == "no-store", path


def _raw_post(app: Any, path: str, headers: list[tuple[bytes, bytes]], chunks: int) -> Any:
    """POST a body of `chunks` × 64 KiB straight through ASGI; count what the app read."""
    chunk = b" " * 65536
    read = {"chunks": 0}
    sent: list[Any] = []

    async def receive() -> Any:
        if read["chunks"] >= chunks:
            return {"type": "http.request", "body": b"", "more_body": False}
        read["chunks"] += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), (b"content-type", b"application/json"), *headers],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], json.loads(body), read["chunks"] * len(chunk)


HUNDRED_MB = 100 * 1024 * 1024


def test_a_huge_declared_body_is_refused_before_a_byte_is_read(client: httpx.Client) -> None:
    app = client._transport._asgi.app  # type: ignore[attr-defined]
    length = [(b"content-length", str(HUNDRED_MB).encode())]

    status, body, read = _raw_post(app, "/api/journal", length, chunks=HUNDRED_MB // 65536)

    assert status == 413 and body["error"]["code"] == "too_large"
    assert read == 0


def test_a_huge_streamed_body_is_refused_after_the_limit(client: httpx.Client) -> None:
    app = client._transport._asgi.app  # type: ignore[attr-defined]
    csrf = [(b"x-csrf-token", client.headers["X-CSRF-Token"].encode())]
    cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())

    status, body, read = _raw_post(
        app, "/api/journal", [*csrf, (b"cookie", cookies.encode())], chunks=HUNDRED_MB // 65536
    )

    assert status == 413 and body["error"] == {
        "code": "too_large",
        "message": body["error"]["message"],
        "field": None,
    }
    assert read <= MAX_BODY_BYTES + 65536


def test_a_body_under_the_limit_is_read_as_usual(client: httpx.Client) -> None:
    response = client.post("/api/journal", json={"score": 2, "note": "x" * 400})

    assert response.status_code == 201, response.text


def test_a_large_form_is_refused_with_the_same_shape(accounts_app: Any) -> None:
    browser = make_client(accounts_app)
    token = csrf_of(browser, "/login")

    response = browser.post(
        "/api/login",
        content=json.dumps({"email": "a@b.org", "password": PASSWORD, "pad": "x" * MAX_BODY_BYTES}),
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )

    assert_error(response, 413, "too_large")
