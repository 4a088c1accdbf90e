"""A SQLite store opened to read by the standard library's sqlite3 alone.

The terminal's reading commands (history, stats, log, export, plot, report) start in a
fraction of the time when they do not load SQLAlchemy, whose import costs more than the
rest of such a command. They read with reads.py, the same plain SQL the SQLAlchemy store
runs, so the rows become the same values.

`open_reader` opens one only when nothing needs writing first: a plain `sqlite:///PATH` to a
file this user can write, at the newest migration, with the local user in it and no session
marked in progress (which the full opening would close if its process has died). Otherwise it
says None and the caller opens the store the full way, which does those writes and says what
is wrong in the established words.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

from stretchcoach.adapters.store.faults import described
from stretchcoach.adapters.store.reads import (
    HoldFormReads,
    JournalReads,
    PreferencesReads,
    Record,
    ScreenReads,
    SessionReads,
    UserReads,
    sqlite_stamp,
)
from stretchcoach.adapters.store.versions import migration_heads
from stretchcoach.domain.values import SessionStatus
from stretchcoach.errors import StoreUnavailable

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
    """reads.Rows on a sqlite3 connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._c = connection

    def __call__(self, sql: str, params: Mapping[str, Any] | None = None, /) -> list[Record]:
        rows: list[Record] = self._c.execute(sql, dict(params or {})).fetchall()
        return rows

    def stamp(self, moment: datetime) -> str:
        return sqlite_stamp(moment)


_OUR_MISTAKES = (sqlite3.ProgrammingError, sqlite3.IntegrityError)  # a bug, not the store


class SqliteReadUnitOfWork:
    """A ReadUnitOfWork: each `with` block reads one state of the file (a read transaction)."""

    def __init__(self, connection: sqlite3.Connection, file: Path) -> None:
        self._c = connection
        self._file = str(file)
        rows = SqliteRows(connection)
        self.sessions = SessionReads(rows)
        self.journal = JournalReads(rows)
        self.screens = ScreenReads(rows)
        self.users = UserReads(rows)
        self.hold_form = HoldFormReads(rows)
        self.preferences = PreferencesReads(rows)

    def __enter__(self) -> Self:
        try:
            self._c.execute("BEGIN")
        except sqlite3.Error as error:
            raise StoreUnavailable(described(str(error), file=self._file)) from None
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._c.in_transaction:
                self._c.execute("ROLLBACK")  # it only read
        except sqlite3.Error as error:
            if exc is None:
                raise StoreUnavailable(described(str(error), file=self._file)) from None
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, _OUR_MISTAKES):
            raise StoreUnavailable(described(str(exc), file=self._file)) from None

    def close(self) -> None:
        self._c.close()


def open_reader(raw_url: str, *, user_id: str) -> SqliteReadUnitOfWork | None:
    """A read-only unit of work on `raw_url`'s file when it needs nothing written first (see
    the module's note); None when the store must be opened the full way."""
    path = plain_sqlite_path(raw_url)
    if path is None or not path.is_file():
        return None
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return None  # a read-only store: the full opening reads it as it stands, and says so
    try:
        connection = sqlite3.connect(
            f"file:{quote(str(path))}?mode=rw", uri=True, isolation_level=None, timeout=15
        )
    except sqlite3.Error:
        return None
    try:
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA busy_timeout=15000")
        if _ready(connection, user_id):
            return SqliteReadUnitOfWork(connection, path)
    except sqlite3.Error:
        pass  # damaged, locked, not ours: the full opening says what is wrong
    connection.close()
    return None


def _ready(connection: sqlite3.Connection, user_id: str) -> bool:
    """At the newest migration, in WAL mode, the local user there, no session in progress."""
    (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
    if str(mode).lower() != "wal":
        return False
    versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    if frozenset(v for (v,) in versions) != migration_heads():
        return False
    if connection.execute("SELECT 1 FROM users WHERE id = ?", (user_id,)).fetchone() is None:
        return False
    in_progress = "SELECT 1 FROM sessions WHERE status = ? LIMIT 1"
    return connection.execute(in_progress, (SessionStatus.IN_PROGRESS.value,)).fetchone() is None
