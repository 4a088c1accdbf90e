"""Opening the database: URL checks, engine settings per backend, and migrations to head."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from stretchcoach.adapters.store.faults import DAMAGED, FULL, READ_ONLY, fault_hint
from stretchcoach.adapters.store.lock import StoreLock
from stretchcoach.adapters.store.uow import describe_db_error, sqlite_file
from stretchcoach.adapters.store.versions import MIGRATIONS, migration_heads
from stretchcoach.errors import InvalidInput, StoreUnavailable

SUPPORTED = "sqlite:///PATH or postgresql://USER@HOST:PORT/DB"
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")  # hidden in messages about a bad URL

# A PostgreSQL server that stops answering (a network partition, a stalled server) must not
# hold a command for ever: the server ends a statement after STATEMENT_TIMEOUT_MS and a wait
# for a lock after LOCK_TIMEOUT_MS; the client's kernel gives up on a connection whose sent
# data goes unacknowledged for TCP_USER_TIMEOUT_MS, and probes an idle one with keepalives.
# (A server whose processes are stopped still has its kernel acknowledge every packet: only
# a limit on the client side helps there, adapters/courier.py.)
STATEMENT_TIMEOUT_MS = 30_000
LOCK_TIMEOUT_MS = 20_000
TCP_USER_TIMEOUT_MS = 15_000
# Times come back in UTC whatever the server's own zone: psycopg then gives them Python's
# own UTC, which the readers (reads.utc) take as they are, instead of converting every time
# from a zone such as Etc/UTC (a fifth of a second for a clinic of 10,000 patients).
POSTGRES_CONNECT_ARGS: dict[str, Any] = {
    "connect_timeout": 5,
    "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c lock_timeout={LOCK_TIMEOUT_MS} "
    "-c TimeZone=UTC",
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": TCP_USER_TIMEOUT_MS,
}


def parse_url(raw: str) -> URL:
    """Check a database URL and pick our driver; InvalidInput says what is accepted."""
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError) as error:  # ValueError: a port that is not a number
        why = "its host or port cannot be read" if isinstance(error, ValueError) else "not a URL"
        shown = _PASSWORD.sub(r"\1***@", raw)
        raise InvalidInput(
            f"database URL {shown!r} cannot be used ({why}); use {SUPPORTED}"
        ) from None
    backend = url.get_backend_name()
    if backend == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if not url.database:
            raise InvalidInput(
                f"database URL {raw!r} names no file; use sqlite:///PATH (a file), e.g. "
                "sqlite:///stretchcoach.db"
            )
        if url.query or url.host or url.username or url.password or url.port:
            raise InvalidInput(
                f"database URL {raw!r} cannot be used: sqlite:///PATH takes a file's path "
                "only (no host, user, port or ?options)"
            )
        return url.set(drivername="sqlite")
    raise InvalidInput(f"database {backend!r} is not supported; use {SUPPORTED}")


def display_url(url: URL) -> str:
    """The URL with any password hidden, for messages; a read-only SQLite file as its path."""
    database = url.database or ""
    if url.get_backend_name() == "sqlite" and database.startswith("file:"):
        return f"sqlite:///{unquote(database.removeprefix('file:').split('?')[0])}"
    return url.render_as_string(hide_password=True)


def create_store_engine(url: URL, *, pool_size: int = 5) -> Engine:
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite_engine(url)
        given = set(url.query)  # what the URL sets itself stands
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_size=pool_size,
            connect_args={k: v for k, v in POSTGRES_CONNECT_ARGS.items() if k not in given},
        )
    except NoSuchModuleError as error:
        raise StoreUnavailable(f"no driver for {display_url(url)}: {error}") from None


def _sqlite_engine(url: URL) -> Engine:
    database = url.database
    read_only = False
    if database and database != ":memory:" and not database.startswith("file:"):
        path = Path(database).expanduser()
        if not path.parent.is_dir():  # a typo should not become a new, empty database
            raise InvalidInput(
                f"the database {str(path)!r} is in a folder that does not exist "
                f"({str(path.parent)!r}): make the folder first, or give another path"
            )
        if path.is_dir():
            raise InvalidInput(
                f"the database {str(path)!r} is a folder: give the path of a file in it"
            )
        url = url.set(database=str(path))
        if path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            # An immutable file, a read-only folder or file system: open it to read only, so
            # `history` and `export` still get the data out. Without a writable folder
            # SQLite cannot share the WAL index, so the file is read as it stands (immutable).
            how = "mode=ro" if os.access(path.parent, os.W_OK) else "immutable=1"
            url = url.set(database=f"file:{quote(str(path))}?{how}", query={"uri": "true"})
            read_only = True
    engine = create_engine(url, connect_args={"timeout": 15})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            # FULL: a hold reported saved is on the disk, even if the power fails right after
            # (NORMAL in WAL mode may lose the last commits; docs/benchmarks.md has the cost)
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    return engine


def is_read_only(engine: Engine) -> bool:
    """Whether the store was opened to read only (a file or folder that cannot be written)."""
    database = engine.url.database or ""
    return (
        engine.dialect.name == "sqlite"
        and database.startswith("file:")
        and ("mode=ro" in database or "immutable=1" in database)
    )


def open_store(raw_url: str, *, pool_size: int = 5, check: bool = True) -> Engine:
    """An engine on a reachable database whose schema is at the newest migration.

    A SQLite file is checked for damage first (integrity.py) and refused when damaged, so
    nothing is read from it or written to it; `check=False` leaves that to the caller
    (`doctor`, which reports the damage rather than refusing)."""
    url = parse_url(raw_url)
    engine = create_store_engine(url, pool_size=pool_size)
    try:
        if check and (problem := _damage(engine)):
            engine.dispose()
            file = sqlite_file(engine)
            raise StoreUnavailable(
                f"cannot use the database at {display_url(url)}: {problem}"
                f"{DAMAGED.replace('FILE', file)}"
            )
        migrate(engine)
    except DBAPIError as error:
        engine.dispose()
        message = describe_db_error(error, file=sqlite_file(engine))
        if not fault_hint(message) and _disk_full(engine):
            message += FULL  # SQLite says "disk I/O error" when it cannot make its WAL files
        raise StoreUnavailable(
            f"cannot use the database at {display_url(url)}: {message}"
        ) from None
    except BaseException:
        engine.dispose()  # whatever went wrong, no connection is left open behind it
        raise
    return engine


def _damage(engine: Engine) -> str | None:
    """What SQLite's check on opening found in an existing file; None when it is whole (or
    not a SQLite file: PostgreSQL keeps its own pages sound)."""
    file = sqlite_file(engine)
    if file == "FILE" or not os.path.isfile(file) or os.path.getsize(file) == 0:
        return None
    from stretchcoach.adapters.store.integrity import problem_on_opening

    with engine.connect() as connection:
        return problem_on_opening(
            Path(file), lambda sql: [str(r[0]) for r in connection.exec_driver_sql(sql)]
        )


def _disk_full(engine: Engine) -> bool:
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return False
    folder = Path(engine.url.database.removeprefix("file:").split("?")[0]).parent
    try:
        return os.statvfs(folder).f_bavail == 0
    except OSError:
        return False


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migrations, if it is not there already.

    Each capability's tables live on their own branch of migrations from the first one, so
    the store upgrades to every head. The common case (already up to date) is answered by
    reading the version table, without loading Alembic.
    """
    heads = migration_heads()
    with engine.connect() as connection:
        if _current_heads(connection) == heads:
            return  # up to date: no lock, no write (a read-only store opens too)
    if is_read_only(engine):
        raise StoreUnavailable(
            f"the database at {display_url(engine.url)} needs an upgrade but is read-only"
            f"{READ_ONLY}"
        )
    lock = StoreLock(engine)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":  # a long migration is not a hung server
                connection.execute(text("SET LOCAL statement_timeout = 0"))
                connection.execute(text("SET LOCAL lock_timeout = 0"))
            lock.acquire(connection)  # one migrator at a time, on both databases
            if _current_heads(connection) == heads:
                return  # another process migrated while this one waited
            from alembic import command

            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
    finally:
        lock.release()  # after the commit: the next one in sees the new schema


def _current_heads(connection: Connection) -> frozenset[str]:
    if not connection.dialect.has_table(connection, "alembic_version"):
        return frozenset()
    rows = connection.execute(text("SELECT version_num FROM alembic_version"))
    return frozenset(row[0] for row in rows)


def alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def integrity_problem(engine: Engine) -> str | None:
    """None when every table reads whole; otherwise what the database says is wrong.

    SQLite: `PRAGMA quick_check` (every page and row read, indexes not cross-checked: a
    second or so for years of records), or the full `integrity_check` for a file an error
    already said was damaged (integrity.check_now, which remembers what it found).
    PostgreSQL keeps its own pages sound; counting every table's rows reads each heap page
    once, which finds a damaged one cheaply.
    """
    from stretchcoach.adapters.store.tables import metadata

    try:
        with engine.connect() as connection:
            file = sqlite_file(engine)
            if engine.dialect.name == "sqlite" and file == "FILE":
                rows = [row[0] for row in connection.exec_driver_sql("PRAGMA quick_check")]
                return None if rows == ["ok"] else "; ".join(str(r) for r in rows[:3])
            if engine.dialect.name == "sqlite":
                from stretchcoach.adapters.store.integrity import check_now

                return check_now(
                    Path(file), lambda sql: [str(r[0]) for r in connection.exec_driver_sql(sql)]
                )
            for table in metadata.sorted_tables:
                connection.execute(text(f'SELECT count(*) FROM "{table.name}"'))
    except DBAPIError as error:
        return describe_db_error(error, file=sqlite_file(engine))
    return None
