"""`stretchcoach remind --push-test` as a real process: a test notification to every phone of
the local user (or of `--user EMAIL` on a clinic's database), checked by a push service that
decrypts it and verifies the server's signature; one line says what happened."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.push_service import Phone, PushService

from stretchcoach import bootstrap
from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.config import Settings
from stretchcoach.domain.push import parse_endpoint_rules
from stretchcoach.domain.user import LOCAL_USER_ID
from stretchcoach.services.accounts import register
from stretchcoach.services.push import subscribe
from stretchcoach.services.users import ensure_local_user
from stretchcoach.web.security import Argon2Hasher

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def remind(db_url: str, service: PushService, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    env |= {
        "STRETCHCOACH_DATABASE_URL": db_url,
        "STRETCHCOACH_PUSH_TEST_ENDPOINTS": f"{service.base}",
        "STRETCHCOACH_PUSH_CONTACT": "mailto:clinic@example.org",
    }
    return subprocess.run(
        [sys.executable, "-m", "stretchcoach", "remind", *args],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


@pytest.fixture
def service() -> Iterator[PushService]:
    with PushService() as running:
        yield running


@pytest.fixture
def store(tmp_path: Path, service: PushService) -> Iterator[tuple[str, Any]]:
    """A database with the local user and a clinic patient, and the server's key made."""
    url = f"sqlite:///{tmp_path / 'push.db'}"
    engine = open_store(url)
    uow = SqlUnitOfWork(engine)
    ensure_local_user(uow=uow, now=NOW)
    hasher = Argon2Hasher(time_cost=1, memory_cost=1024)
    register("sam@example.org", "a long enough sentence", "Sam", uow=uow, hasher=hasher, now=NOW)
    push = bootstrap.web_push(Settings(database_url=url), uow, now=NOW)
    service.server_public_key = push.public_key
    yield url, uow
    engine.dispose()


def phone_of(user_id: str, uow: Any, service: PushService) -> Phone:
    phone = service.new_phone()
    keys = phone.to_json()["keys"]
    subscribe(
        user_id,
        endpoint=phone.endpoint,
        p256dh=keys["p256dh"],
        auth=keys["auth"],
        uow=uow,
        now=NOW,
        resolve=lambda host, port: [],
        test_rules=parse_endpoint_rules(service.base),
    )
    return phone


def test_a_test_reminder_reaches_every_phone_of_the_local_user(
    store: tuple[str, Any], service: PushService
) -> None:
    url, uow = store
    phones = [phone_of(LOCAL_USER_ID, uow, service) for _ in range(2)]

    done = remind(url, service, "--push-test")

    assert done.returncode == 0, done.stderr
    assert done.stdout == "Sent a test reminder to 2 of 2 phones.\n"
    assert [p.titles for p in phones] == [["stretchcoach"], ["stretchcoach"]]
    assert service.problems == []


def test_user_names_whose_phones_on_a_clinic_database(
    store: tuple[str, Any], service: PushService
) -> None:
    url, uow = store
    with uow:
        sam = uow.accounts.user_id_for_email("sam@example.org")
    mine, sams = phone_of(LOCAL_USER_ID, uow, service), phone_of(sam, uow, service)
    gone = phone_of(sam, uow, service)
    gone.gone = True

    done = remind(url, service, "--push-test", "--user", "Sam@Example.org")
    again = remind(url, service, "--push-test", "--user", "sam@example.org")

    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "Sent a test reminder to 1 of 2 phones. 1 no longer take reminders and were removed.\n"
    )
    assert again.stdout == "Sent a test reminder to 1 of 1 phone.\n"
    assert (mine.titles, sams.titles) == ([], ["stretchcoach", "stretchcoach"])


@pytest.mark.parametrize(
    ("args", "line", "code"),
    [
        (
            ["--push-test"],
            "No phone has asked for reminders yet: open the app on the phone, then Settings, "
            "and turn on reminders on this phone.",
            1,
        ),
        (["--push-test", "--user", "nobody@example.org"], "no account has the email", 2),
        (["--push-test", "--at", "07:00"], "--push-test sends a notification", 2),
        (["--user", "sam@example.org"], "--user goes with --push-test", 2),
        ([], "say when: --at HH:MM", 2),
    ],
    ids=["no-phone", "unknown-user", "with-at", "user-alone", "nothing"],
)
def test_what_cannot_be_sent_is_said_in_one_line(
    store: tuple[str, Any], service: PushService, args: list[str], line: str, code: int
) -> None:
    url, _uow = store

    done = remind(url, service, *args)

    out = (done.stdout + done.stderr).strip()
    assert done.returncode == code, out
    assert line in out
    assert len(out.splitlines()) == 1, out
    assert "Traceback" not in out


@pytest.mark.parametrize(
    ("contact", "warned"), [(None, True), ("mailto:physio@back-clinic.example", False)]
)
def test_serve_says_when_reminders_would_sign_as_nobody(
    tmp_path: Path, contact: str | None, warned: bool
) -> None:
    from .test_browser import start_server, stop_server

    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    if contact is not None:
        env["STRETCHCOACH_PUSH_CONTACT"] = contact
    server, _ = start_server(f"sqlite:///{tmp_path / 'clinic.db'}", "--accounts", env=env)
    output = stop_server(server)

    said = [line for line in output.splitlines() if "names nobody" in line]
    assert len(said) == (1 if warned else 0), output
    if warned:
        assert "iPhones refuse it" in said[0] and "STRETCHCOACH_PUSH_CONTACT" in said[0]
