"""The login limits against a real `stretchcoach serve --accounts --workers 2` on PostgreSQL
(the clinic's set-up), with real argon2: 40 wrong passwords at once, spread over both workers,
get no more than the limit checked, and the owner, from their own address, still logs in.
(SQLite's counters take the same 40 parallel tries in tests/integration.)"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from stretchcoach.services.accounts import MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS

from .test_browser import start_server, stop_server

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough sentence"
BURST = 40


@pytest.fixture
def server(postgres_url: str) -> Any:
    process, base = start_server(postgres_url, "--accounts", "--workers", "2")
    yield base
    stop_server(process)


def _client(base: str, address: str) -> httpx.Client:
    """A browser at `address` (as the same-host proxy reports it in X-Forwarded-For)."""
    client = httpx.Client(base_url=base, timeout=60, headers={"X-Forwarded-For": address})
    client.headers["X-CSRF-Token"] = client.get("/api/csrf").json()["csrf_token"]
    return client


def _burst(base: str, address: str, emails: list[str]) -> list[int]:
    clients = [_client(base, address) for _ in emails]

    def attempt(pair: tuple[httpx.Client, str]) -> int:
        client, email = pair
        body = {"email": email, "password": "not the password at all"}
        return client.post("/api/login", json=body).status_code

    try:
        with ThreadPoolExecutor(max_workers=len(emails)) as pool:
            return list(pool.map(attempt, zip(clients, emails, strict=True)))
    finally:
        for client in clients:
            client.close()


def test_forty_wrong_passwords_at_once_get_no_more_than_the_limit_checked(server: str) -> None:
    owner = _client(server, "198.51.100.7")
    body = {"email": "ann@example.org", "password": PASSWORD, "display_name": "Ann"}
    assert owner.post("/api/accounts", json=body).status_code == 201
    owner.cookies.clear()
    owner.headers["X-CSRF-Token"] = owner.get("/api/csrf").json()["csrf_token"]

    one_account = _burst(server, "203.0.113.9", ["ann@example.org"] * BURST)
    many_accounts = _burst(server, "203.0.113.10", [f"u{n}@example.org" for n in range(BURST)])
    back_home = owner.post("/api/login", json={"email": "ann@example.org", "password": PASSWORD})
    owner.close()

    _checked_at_most(one_account, MAX_FAILURES_PER_ACCOUNT)
    _checked_at_most(many_accounts, MAX_FAILURES_PER_ADDRESS)
    assert back_home.status_code == 200


def _checked_at_most(statuses: list[int], limit: int) -> None:
    """Exactly `limit` wrong passwords were checked (401) and the rest were told to wait
    (429); on a machine too busy to hash them all within the wait, some were instead told
    the server is busy (503), which checks nothing, so then at most `limit` were checked."""
    assert set(statuses) <= {401, 429, 503}, statuses
    assert statuses.count(401) <= limit, statuses
    if 503 not in statuses:
        assert statuses.count(401) == limit and 429 in statuses, statuses  # the rest wait


def test_a_local_server_answers_only_this_machine_by_name(tmp_path: Any) -> None:
    process, base = start_server(f"sqlite:///{tmp_path / 'local.db'}")
    try:
        rebound = httpx.get(f"{base}/api/me", headers={"Host": "attacker.example:8000"})
        forwarded = httpx.get(
            f"{base}/api/me", headers={"X-Forwarded-For": "203.0.113.9", "Host": "localhost"}
        )
    finally:
        stop_server(process)

    assert rebound.status_code == 403 and rebound.json()["error"]["code"] == "forbidden"
    assert "attacker.example" in rebound.json()["error"]["message"]
    assert forwarded.status_code == 200
