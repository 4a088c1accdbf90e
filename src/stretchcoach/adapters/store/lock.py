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

from sqlalchemy import Connection, Engine, text

LOCK_ID = 0x5743_4F41  # any fixed number: one writer of the schema or an import at a time


def lock_file_for(engine: Engine) -> Path | None:
    """The lock file beside a SQLite file database; None for PostgreSQL and memory."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).with_name(Path(database).name + ".lock")


class StoreLock:
    """Held from `acquire` until `release`; re-entrant within one holder."""

    def __init__(self, engine: Engine) -> None:
        self._path = lock_file_for(engine)
        self._fd: int | None = None
        self._depth = 0

    def acquire(self, connection: Connection) -> None:
        """Wait for the lock; on PostgreSQL it lasts until `connection`'s transaction ends."""
        self._depth += 1
        if self._depth > 1:
            return
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": LOCK_ID})
            return
        if self._path is None:
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
