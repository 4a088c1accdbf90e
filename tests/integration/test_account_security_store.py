"""Migration 0008 and the login counters on SQLite and PostgreSQL: clinicians who existed stay
approved, the old attempts table goes (and comes back on downgrade), and taking a slot is
atomic when many threads take it at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from alembic import command
from sqlalchemy import insert, inspect, select

from stretchcoach.adapters.store import tables
from stretchcoach.adapters.store.accounts_repository import SqlAccountsRepository
from stretchcoach.adapters.store.engine import (
    alembic_config,
    create_store_engine,
    open_store,
    parse_url,
)
from stretchcoach.adapters.store.uow import SqlRows
from stretchcoach.domain.user import Role

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _alembic(engine: Any, action: str, target: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, target)


def _person(connection: Any, user_id: str, role: Role, email: str) -> None:
    connection.execute(
        insert(tables.users).values(id=user_id, display_name=user_id, role=role, created_at=AT)
    )
    connection.execute(
        insert(tables.credentials).values(
            user_id=user_id, email=email, password_hash="$argon2id$x", created_at=AT
        )
    )


def test_upgrading_approves_the_clinicians_there_already_and_downgrading_undoes_it(
    store_url: str,
) -> None:
    engine = create_store_engine(parse_url(store_url))
    try:
        for target in ("0006", "0005"):
            _alembic(engine, "upgrade", target)
        with engine.begin() as c:
            _person(c, "dr", Role.CLINICIAN, "dr@clinic.example")
            _person(c, "pat", Role.PATIENT, "pat@example.org")

        _alembic(engine, "upgrade", "heads")
        with engine.connect() as c:
            approved = c.execute(select(tables.clinician_approvals.c.user_id)).scalars().all()
            names = set(inspect(c).get_table_names())
        _alembic(engine, "downgrade", "0008-1")
        with engine.connect() as c:
            after_downgrade = set(inspect(c).get_table_names())
        _alembic(engine, "upgrade", "heads")
    finally:
        engine.dispose()

    assert approved == ["dr"]
    assert {"login_limits", "password_resets", "clinician_approvals"} <= names
    assert "login_attempts" not in names
    assert "login_attempts" in after_downgrade
    assert not {"login_limits", "password_resets", "clinician_approvals"} & after_downgrade


def test_parallel_tries_each_get_their_own_count(store_url: str) -> None:
    engine = open_store(store_url, pool_size=10)

    def take(_: int) -> int:
        with engine.begin() as connection:
            return SqlAccountsRepository(SqlRows(connection)).take_slot(
                "login:ann@example.org|203.0.113.9", now=AT, window=timedelta(minutes=15)
            )

    try:
        with ThreadPoolExecutor(max_workers=10) as pool:
            counts = sorted(pool.map(take, range(40)))
    finally:
        engine.dispose()

    assert counts == list(range(1, 41))


def test_a_window_that_has_passed_starts_again_at_one(store_url: str) -> None:
    engine = open_store(store_url)
    window = timedelta(minutes=15)
    try:
        with engine.begin() as connection:
            repo = SqlAccountsRepository(SqlRows(connection))
            first = [repo.take_slot("k", now=AT, window=window) for _ in range(3)]
            later = repo.take_slot("k", now=AT + window, window=window)
            again = repo.take_slot("k", now=AT + window + timedelta(minutes=1), window=window)
            repo.forget_slots(before=AT + 3 * window)
            left = connection.execute(select(tables.login_limits)).all()
    finally:
        engine.dispose()

    assert first == [1, 2, 3]
    assert (later, again) == (1, 2)
    assert left == []
