"""Shared fixtures: real databases (SQLite files and PostgreSQL), the routine, a fake clock."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.domain.routine import Routine
from stretchcoach.testing import FakeClock

PG_ADMIN_URL = os.environ.get(
    "STRETCHCOACH_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def pytest_configure(config: pytest.Config) -> None:
    """No test writes in the real data folder of whoever runs the suite (the server's key,
    a pending journal, a default database): each test process, and every process it starts,
    gets a data folder of its own unless a test names one."""
    import tempfile

    folder = tempfile.mkdtemp(prefix="stretchcoach-test-data-")
    config.stash[_DATA_HOME] = folder
    os.environ["XDG_DATA_HOME"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    if folder := config.stash.get(_DATA_HOME, None):
        shutil.rmtree(folder, ignore_errors=True)


_DATA_HOME = pytest.StashKey[str]()


@pytest.fixture
def routine() -> Routine:
    return load_builtin()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'stretchcoach.db'}"


def _pg_admin() -> object:
    import psycopg

    try:
        return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        message = f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {error}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = _pg_admin()
    assert isinstance(admin, psycopg.Connection)
    name = f"stretchcoach_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'stretchcoach.db'}"
    request.applymarker(pytest.mark.postgres)
    url: str = request.getfixturevalue("postgres_url")
    return url
