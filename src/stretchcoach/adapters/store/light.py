"""A SQLite store opened by the standard library's sqlite3 alone.

A terminal command's start-up was mostly importing SQLAlchemy, more than the rest of a
short command (`history`, `stats`, `log`, `screen`, `export`). A SQLite file at the newest
schema is opened here instead, with the same repositories (writes.py, reads.py: one copy of
every statement), the same unit-of-work rules (a commit or nothing, a taken id is a
Conflict, a failing store is StoreUnavailable in the same words) and the same lock file. A
store that must be created, migrated or read as it stands (read-only) is opened the full way,
with SQLAlchemy and Alembic.

Transactions follow what the SQLAlchemy store does on SQLite: reads run as they come, the
first write of a `with` block begins a write transaction (waiting up to 15 s for another
writer), `commit()` ends it and leaving the block without one rolls it back.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

from stretchcoach.adapters.store.consents import ConsentStore
from stretchcoach.adapters.store.faults import DAMAGED, described
from stretchcoach.adapters.store.integrity import problem_on_opening
from stretchcoach.adapters.store.lock import FileLock, lock_file_beside
from stretchcoach.adapters.store.reads import Record, RecordReads, bound, in_lists
from stretchcoach.adapters.store.summaries import refresh
from stretchcoach.adapters.store.versions import migration_heads
from stretchcoach.adapters.store.writes import (
    HoldFormStore,
    JournalStore,
    PreferencesStore,
    ScreenStore,
    SessionStore,
    UserStore,
)
from stretchcoach.errors import Conflict, StoreUnavailable

# A URL SQLAlchemy shows exactly as written (no characters it would escape), so the pending
# journal's name, derived from the shown URL, is the same whichever way the store opens.
_PLAIN = re.compile(r"sqlite:///([A-Za-z0-9+\-./_~ ]+)")


def plain_sqlite_path(raw_url: str) -> Path | None:
    """The file of a plain `sqlite:///PATH` URL, `~` expanded; None for any other URL."""
    match = _PLAIN.fullmatch(raw_url)
    if match is None or match.group(1) == ":memory:":
        return None
    return Path(match.group(1)).expanduser()


class SqliteRows:
    """reads.Rows on a sqlite3 connection that manages its own transactions."""

    postgres = False

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._c = connection
        self.touched: set[tuple[str, str]] = set()

    def __call__(self, sql: str, params: Mapping[str, Any] | None = None, /) -> list[Record]:
        rows: list[Record] = self._c.execute(sql, _bound(params or {})).fetchall()
        return rows

    def run(self, sql: str, params: Mapping[str, Any]) -> int:
        self._writing()
        return self._c.execute(sql, _bound(params)).rowcount

    def many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        self._writing()
        self._c.executemany(sql, [_bound(r) for r in rows])

    def insert_new(self, sql: str, params: Mapping[str, Any]) -> bool:
        self._writing()
        self._c.execute("SAVEPOINT insert_new")
        try:
            self._c.execute(sql, _bound(params))
        except sqlite3.IntegrityError:
            self._c.execute("ROLLBACK TO insert_new")
            return False
        finally:
            self._c.execute("RELEASE insert_new")
        return True

    def among(self, column: str, values: Iterable[str]) -> Iterable[tuple[str, dict[str, Any]]]:
        return in_lists(column, values)

    def _writing(self) -> None:
        if not self._c.in_transaction:
            self._c.execute("BEGIN IMMEDIATE")


def _bound(params: Mapping[str, Any]) -> dict[str, Any]:
    return bound(params, postgres=False)


_OUR_MISTAKES = (sqlite3.ProgrammingError, sqlite3.DataError)  # a bug, not the store


class SqliteUnitOfWork:
    """A UnitOfWork on one sqlite3 connection, for the life of the command."""

    def __init__(self, connection: sqlite3.Connection, file: Path) -> None:
        self._c = connection
        self._file = str(file)
        self._lock = FileLock(lock_file_beside(file))
        self._locked = False
        rows = self._rows = SqliteRows(connection)
        self.sessions = SessionStore(rows)
        self.journal = JournalStore(rows)
        self.screens = ScreenStore(rows)
        self.users = UserStore(rows)
        self.hold_form = HoldFormStore(rows)
        self.preferences = PreferencesStore(rows)
        self.consents = ConsentStore(rows)
        self.records = RecordReads(rows)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()  # nothing after a commit
        except sqlite3.Error as error:
            if exc is None:
                raise StoreUnavailable(described(str(error), file=self._file)) from None
        finally:
            if self._locked:
                self._locked = False
                self._lock.release()
        if isinstance(exc, sqlite3.IntegrityError):
            raise Conflict("a record with this id or number is already saved") from exc
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, _OUR_MISTAKES):
            raise StoreUnavailable(described(str(exc), file=self._file)) from None

    def commit(self) -> None:
        try:
            refresh(self._rows)  # the summaries of whoever's records changed, in this commit
            if self._c.in_transaction:
                self._c.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreUnavailable(described(str(error), file=self._file)) from None

    def rollback(self) -> None:
        self._rows.touched.clear()
        if self._c.in_transaction:
            self._c.execute("ROLLBACK")

    def lock_store(self) -> None:
        """Hold the store's one write lock (lock.py) until this unit of work ends."""
        if not self._locked:
            self._lock.acquire()
            self._locked = True

    def close(self) -> None:
        self._c.close()


def open_light(raw_url: str) -> SqliteUnitOfWork | None:
    """A unit of work on `raw_url`'s file when it is a plain SQLite file this user can write,
    at the newest schema; None when the store must be opened the full way."""
    path = plain_sqlite_path(raw_url)
    if path is None or not path.is_file():
        return None
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return None  # a read-only store: the full opening reads it as it stands, and says so
    try:
        connection = sqlite3.connect(
            f"file:{quote(str(path))}?mode=rw",
            uri=True,
            isolation_level=None,  # the unit of work begins and ends its transactions
            timeout=15,
            check_same_thread=False,  # as SQLAlchemy's pool: one thread at a time, any thread
        )
    except sqlite3.Error:
        return None
    try:
        connection.row_factory = sqlite3.Row
        for pragma in ("busy_timeout=15000", "foreign_keys=ON", "synchronous=FULL"):
            connection.execute(f"PRAGMA {pragma}")  # as the full opening sets them
        if _current(connection):
            problem = problem_on_opening(path, lambda sql: _first_column(connection, sql))
            if problem is None:
                return SqliteUnitOfWork(connection, path)
            connection.close()
            raise StoreUnavailable(
                f"cannot use the database at sqlite:///{path}: {problem}"
                f"{DAMAGED.replace('FILE', str(path))}"
            )
    except sqlite3.Error:
        pass  # damaged, locked, not ours: the full opening says what is wrong
    connection.close()
    return None


def _first_column(connection: sqlite3.Connection, sql: str) -> list[str]:
    return [str(row[0]) for row in connection.execute(sql)]


def _current(connection: sqlite3.Connection) -> bool:
    """In WAL mode and at the newest migration: nothing to set up before use."""
    (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
    if str(mode).lower() != "wal":
        return False
    versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    return frozenset(v for (v,) in versions) == migration_heads()
