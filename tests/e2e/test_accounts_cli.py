"""`stretchcoach accounts` as a clinic's administrator runs it on the server: real processes
on a real database, the link it prints working in the web app."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.services.accounts import register
from stretchcoach.web.security import Argon2Hasher

from .test_journal_cli import cli

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough sentence"


@pytest.fixture
def clinic_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    engine = open_store(url)
    uow = SqlUnitOfWork(engine)
    hasher = Argon2Hasher(time_cost=1, memory_cost=1024)
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    for email, name, role in [
        ("dr.ada@clinic.example", "Dr Ada", "clinician"),
        ("dr.bo@clinic.example", "Dr Bo", "clinician"),
        ("sam@example.org", "Sam", "patient"),
    ]:
        register(email, PASSWORD, name, role, uow=uow, hasher=hasher, now=now)
    engine.dispose()
    return url


def test_an_admin_lists_and_approves_waiting_clinicians(clinic_db: str) -> None:
    before = cli(clinic_db, "accounts", "waiting")
    approved = cli(clinic_db, "accounts", "approve", "Dr.Ada@clinic.example")
    after = cli(clinic_db, "accounts", "waiting")

    assert before.returncode == 0, before.stderr
    assert [line.split("\t")[0] for line in before.stdout.splitlines()] == [
        "dr.ada@clinic.example",
        "dr.bo@clinic.example",
    ]
    assert approved.returncode == 0, approved.stderr
    assert "approved: Dr Ada <dr.ada@clinic.example>" in approved.stdout
    assert [line.split("\t")[0] for line in after.stdout.splitlines()] == ["dr.bo@clinic.example"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["approve", "sam@example.org"], "only clinicians need approval"),
        (["approve", "nobody@example.org"], "no account has the email"),
        (["approve", "bad\x1bemail@example.org"], "control character"),
        (["reset", "nobody@example.org"], "no account has the email"),
        (["reset", "sam@example.org", "--url", "stretch.example.org"], "is not an address"),
    ],
    ids=["patient", "unknown-approve", "escape", "unknown-reset", "bad-url"],
)
def test_a_wrong_request_is_one_line_and_exit_2(
    clinic_db: str, args: list[str], message: str
) -> None:
    result = cli(clinic_db, "accounts", *args)

    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_reset_link_from_the_command_line_sets_a_new_password_on_the_web(
    clinic_db: str,
) -> None:
    from tests.web.conftest import csrf_of, make_client

    from stretchcoach.config import Settings
    from stretchcoach.web.app import create_app

    result = cli(clinic_db, "accounts", "reset", "sam@example.org", "--url", "https://s.example/")
    found = re.search(r"^https://s\.example/reset/([A-Za-z0-9_-]+)$", result.stdout, re.M)
    assert result.returncode == 0 and found, result.stdout + result.stderr

    app = create_app(Settings(database_url=clinic_db, accounts=True), mode="accounts")
    app.state.password_hasher = Argon2Hasher(time_cost=1, memory_cost=1024)
    try:
        with make_client(app) as browser:
            browser.headers["X-CSRF-Token"] = csrf_of(browser, "/login")
            reset = browser.post(f"/api/resets/{found.group(1)}", json={"new_password": "x" * 12})
            login = browser.post(
                "/api/login", json={"email": "sam@example.org", "password": "x" * 12}
            )
    finally:
        app.state.engine.dispose()

    assert "valid once for 24 hours" in result.stdout
    assert reset.status_code == 204
    assert login.status_code == 200
