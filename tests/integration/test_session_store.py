"""Sessions and holds on a real database: SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, inspect, text

from stretchcoach.adapters.store.engine import open_store, parse_url
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.routine import Routine, choose_settings
from stretchcoach.domain.runner import HoldResult
from stretchcoach.domain.session import Hold, Owner
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import InvalidInput, NotFound, StoreUnavailable
from stretchcoach.services import session_case
from stretchcoach.services.sessions import (
    begin_session,
    close_abandoned,
    get_session,
    list_sessions,
)
from stretchcoach.services.users import ensure_local_user

NOW = datetime(2026, 3, 29, 6, 30, tzinfo=UTC)


@pytest.fixture
def engine(store_url: str) -> Engine:
    engine = open_store(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> SqlUnitOfWork:
    return SqlUnitOfWork(engine)


@pytest.fixture
def user_id(uow: SqlUnitOfWork) -> str:
    return ensure_local_user(uow=uow, now=NOW)


def hold(number: int, side: Side, held_s: float = 30.0) -> HoldResult:
    return HoldResult(number, side, max(held_s, 30.0), held_s, completed=held_s >= 30.0)


def record_hold(session_id: str, result: HoldResult, *, uow: SqlUnitOfWork, now: datetime) -> Hold:
    """Keep one ended hold as a session keeps it (services/session_case.py)."""
    kept = Hold.from_result(session_id, result, ended_at=now)
    session_case.record_hold(kept, keep=session_case.store_now(uow))
    return kept


def finish_session(
    session_id: str, status: SessionStatus, *, uow: SqlUnitOfWork, now: datetime
) -> None:
    session_case.finish(session_id, status, now=now, keep=session_case.store_now(uow))


def test_migrations_create_every_table_and_running_them_again_changes_nothing(
    store_url: str,
) -> None:
    first = open_store(store_url)
    tables = set(inspect(first).get_table_names())
    first.dispose()

    second = open_store(store_url)
    with second.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    second.dispose()

    assert {"users", "sessions", "holds", "pain_entries", "screens"} <= tables
    assert len(versions) >= 1


def test_a_session_and_its_holds_are_saved_and_read_back_exactly(
    uow: SqlUnitOfWork, user_id: str, routine: Routine
) -> None:
    settings = choose_settings(routine, hold_s=45, reps_per_side=2)
    session = begin_session(
        routine, settings, user_id=user_id, uow=uow, now=NOW, time_zone="Europe/London"
    )

    record_hold(session.id, hold(1, Side.LEFT, 45.0), uow=uow, now=NOW + timedelta(seconds=60))
    record_hold(session.id, hold(2, Side.RIGHT, 12.5), uow=uow, now=NOW + timedelta(seconds=90))
    finish_session(session.id, SessionStatus.STOPPED, uow=uow, now=NOW + timedelta(minutes=2))
    loaded = get_session(session.id, uow=uow)

    assert loaded.status is SessionStatus.STOPPED
    assert loaded.started_at == NOW
    assert loaded.started_at.tzinfo is not None
    assert loaded.ended_at == NOW + timedelta(minutes=2)
    assert loaded.time_zone == "Europe/London"
    assert loaded.settings == settings
    assert [(h.side, h.held_s, h.hold_number) for h in loaded.holds] == [
        (Side.LEFT, 45.0, 1),
        (Side.RIGHT, 12.5, 2),
    ]
    assert loaded.practice is False


def test_times_given_in_any_zone_come_back_as_the_same_instant_in_utc(
    uow: SqlUnitOfWork, user_id: str, routine: Routine
) -> None:
    local = datetime(2026, 3, 29, 8, 30, tzinfo=timezone(timedelta(hours=2)))

    session = begin_session(
        routine, choose_settings(routine), user_id=user_id, uow=uow, now=local, time_zone="UTC"
    )

    loaded = get_session(session.id, uow=uow)
    assert loaded.started_at == local
    assert loaded.started_at.utcoffset() == timedelta(0)


def test_a_fast_session_is_marked_as_practice(
    uow: SqlUnitOfWork, user_id: str, routine: Routine
) -> None:
    session = begin_session(
        routine,
        choose_settings(routine),
        user_id=user_id,
        uow=uow,
        now=NOW,
        time_zone="UTC",
        speed=30,
    )

    assert get_session(session.id, uow=uow).practice is True


def test_leaving_the_unit_of_work_without_commit_rolls_back(
    uow: SqlUnitOfWork, user_id: str, routine: Routine
) -> None:
    session = begin_session(
        routine, choose_settings(routine), user_id=user_id, uow=uow, now=NOW, time_zone="UTC"
    )
    from stretchcoach.domain.session import Hold

    with uow:
        uow.sessions.add_hold(Hold.from_result(session.id, hold(1, Side.LEFT), NOW))

    assert get_session(session.id, uow=uow).holds == []


def test_the_same_hold_number_cannot_be_saved_twice(
    uow: SqlUnitOfWork, user_id: str, routine: Routine
) -> None:
    from stretchcoach.errors import Conflict

    session = begin_session(
        routine, choose_settings(routine), user_id=user_id, uow=uow, now=NOW, time_zone="UTC"
    )
    record_hold(session.id, hold(1, Side.LEFT), uow=uow, now=NOW)

    with pytest.raises(Conflict):
        record_hold(session.id, hold(1, Side.LEFT), uow=uow, now=NOW)
    assert len(get_session(session.id, uow=uow).holds) == 1


def test_what_a_hold_felt_like_is_kept(uow: SqlUnitOfWork, user_id: str, routine: Routine) -> None:
    session = begin_session(
        routine, choose_settings(routine), user_id=user_id, uow=uow, now=NOW, time_zone="UTC"
    )
    saved = record_hold(session.id, hold(1, Side.LEFT), uow=uow, now=NOW)

    with uow:
        uow.sessions.set_felt(saved.id, Felt.NERVE)
        uow.commit()

    assert get_session(session.id, uow=uow).holds[0].felt is Felt.NERVE


def test_sessions_are_listed_newest_first_and_only_for_their_user(
    uow: SqlUnitOfWork, user_id: str, routine: Routine
) -> None:
    from stretchcoach.domain.user import Role, User

    with uow:
        uow.users.add(User("other-user", "Someone else", Role.PATIENT, NOW))
        uow.commit()
    ids = []
    for day in range(3):
        s = begin_session(
            routine,
            choose_settings(routine),
            user_id=user_id,
            uow=uow,
            now=NOW + timedelta(days=day),
            time_zone="UTC",
        )
        ids.append(s.id)
    begin_session(
        routine, choose_settings(routine), user_id="other-user", uow=uow, now=NOW, time_zone="UTC"
    )

    listed = list_sessions(user_id, uow=uow)
    newest_two = list_sessions(user_id, uow=uow, limit=2)

    assert [s.id for s in listed] == ids[::-1]
    assert [s.id for s in newest_two] == ids[:0:-1]


def test_a_session_whose_process_died_is_marked_interrupted_and_keeps_its_holds(
    uow: SqlUnitOfWork, user_id: str, routine: Routine
) -> None:
    dead = begin_session(
        routine,
        choose_settings(routine),
        user_id=user_id,
        uow=uow,
        now=NOW,
        time_zone="UTC",
        owner=Owner("this-host", 111),
    )
    alive = begin_session(
        routine,
        choose_settings(routine),
        user_id=user_id,
        uow=uow,
        now=NOW,
        time_zone="UTC",
        owner=Owner("this-host", 222),
    )
    record_hold(dead.id, hold(1, Side.LEFT), uow=uow, now=NOW + timedelta(seconds=45))

    closed = close_abandoned(
        uow=uow, now=NOW + timedelta(minutes=1), host="this-host", is_alive=lambda pid: pid == 222
    )

    reloaded = get_session(dead.id, uow=uow)
    assert closed == [dead.id]
    assert reloaded.status is SessionStatus.INTERRUPTED
    assert reloaded.ended_at == NOW + timedelta(seconds=45)
    assert len(reloaded.holds) == 1
    assert get_session(alive.id, uow=uow).status is SessionStatus.IN_PROGRESS


def test_a_session_from_another_host_is_interrupted_only_once_it_goes_quiet(
    uow: SqlUnitOfWork, user_id: str, routine: Routine
) -> None:
    remote = begin_session(
        routine,
        choose_settings(routine),
        user_id=user_id,
        uow=uow,
        now=NOW,
        time_zone="UTC",
        owner=Owner("other-host", 1),
    )

    soon = close_abandoned(
        uow=uow, now=NOW + timedelta(minutes=5), host="here", is_alive=lambda pid: False
    )
    later = close_abandoned(
        uow=uow, now=NOW + timedelta(hours=1), host="here", is_alive=lambda pid: False
    )

    assert soon == []
    assert later == [remote.id]


def test_an_unknown_session_is_not_found(uow: SqlUnitOfWork) -> None:
    with pytest.raises(NotFound, match="no session"):
        get_session("missing", uow=uow)
    with pytest.raises(NotFound), uow:
        uow.sessions.set_status("missing", SessionStatus.COMPLETED, NOW)


@pytest.mark.parametrize(
    ("url", "error", "says"),
    [
        ("postgresql://nobody@127.0.0.1:1/none", StoreUnavailable, "cannot use the database"),
        ("mysql://x@localhost/db", InvalidInput, "not supported"),
        ("not a url at all", InvalidInput, r"cannot be used \(not a URL\)"),
        ("sqlite:////proc/forbidden/dir/x.db", InvalidInput, "in a folder that does not exist"),
        ("postgresql://u:secret@h:port/db", InvalidInput, r"'postgresql://u:\*\*\*@h:port/db'"),
        ("sqlite:///", InvalidInput, "names no file"),
        ("sqlite:///x.db?mode=ro", InvalidInput, "takes a file's path only"),
        ("sqlite:////tmp", InvalidInput, "is a folder"),
    ],
    ids=[
        "unreachable-postgres",
        "unsupported-backend",
        "garbage",
        "missing-sqlite-folder",
        "port-not-a-number",
        "sqlite-without-a-file",
        "sqlite-with-options",
        "sqlite-folder",
    ],
)
def test_a_database_that_cannot_be_used_gets_one_clear_error(
    url: str, error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=says):
        open_store(url)


def test_plain_postgresql_urls_use_psycopg_3() -> None:
    assert parse_url("postgresql://u@h/db").drivername == "postgresql+psycopg"


def test_sqlite_runs_in_wal_mode(sqlite_url: str) -> None:
    engine = open_store(sqlite_url)
    with engine.connect() as connection:
        mode = connection.execute(text("PRAGMA journal_mode")).scalar()
    engine.dispose()

    assert mode == "wal"


def test_the_quick_head_check_matches_what_alembic_stores(store_url: str) -> None:
    """After a migration the version table holds exactly the heads the quick check expects,
    so opening an up-to-date store never loads Alembic."""
    import subprocess
    import sys

    from stretchcoach.adapters.store.versions import migration_heads

    engine = open_store(store_url)
    with engine.connect() as connection:
        stored = {
            row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))
        }
    engine.dispose()
    code = (
        "import sys; from stretchcoach.adapters.store.engine import open_store; "
        f"open_store({store_url!r}).dispose(); print('alembic' in sys.modules)"
    )
    reopened = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )

    assert stored == migration_heads()
    assert reopened.stdout.strip() == "False"
