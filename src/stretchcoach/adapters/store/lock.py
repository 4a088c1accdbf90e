"""The store's one write lock, for everything that must not run twice at once.

Creating or migrating the schema, creating the local user and importing a file each check
what is there and then write; two processes doing so together would both find nothing and
both write (a duplicate table, a duplicate user, a hold number "already taken" by the other's
half-finished import). They all take this one lock first:

- PostgreSQL: a transaction-level advisory lock (`pg_advisory_xact_lock`), released at
  commit or rollback, so it never outlives the work it guards;
- SQLite: an exclusive `flock` on a file beside the database (`NAME.db.lock`), released
  when the unit of work ends. A folder we cannot write to (a read-only store) has no lock
  file and needs none: nothing can be written there either.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

LOCK_ID = 0x5743_4F41  # any fixed number: one writer of the schema or an import at a time


def lock_file_for(engine: Engine) -> Path | None:
    """The lock file beside a SQLite file database; None for PostgreSQL and memory."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return lock_file_beside(Path(database))


def lock_file_beside(database: Path) -> Path:
    """`NAME.db.lock` beside `NAME.db`: every process that writes the file takes it."""
    return database.with_name(database.name + ".lock")


class StoreLock:
    """Held from `acquire` until `release`; re-entrant within one holder."""

    def __init__(self, engine: Engine) -> None:
        self._file = FileLock(lock_file_for(engine))

    def acquire(self, connection: Connection) -> None:
        """Wait for the lock; on PostgreSQL it lasts until `connection`'s transaction ends."""
        if connection.dialect.name == "postgresql":
            from sqlalchemy import text

            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": LOCK_ID})
            return
        self._file.acquire()

    def release(self) -> None:
        self._file.release()


class FileLock:
    """An exclusive `flock` on one file (none when `path` is None), re-entrant."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._fd: int | None = None
        self._depth = 0

    def acquire(self) -> None:
        self._depth += 1
        if self._depth > 1 or self._path is None:
            return
        try:
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError:
            return  # a read-only folder: nothing can be written, so nothing to guard
        fcntl.flock(fd, fcntl.LOCK_EX)
        self._fd = fd

    def release(self) -> None:
        if self._depth == 0:
            return
        self._depth -= 1
        if self._depth or self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
