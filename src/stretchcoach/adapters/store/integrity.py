"""Damage found before anything is read or written: SQLite's own checks, on opening a file.

A SQLite file whose pages were overwritten (a failing disk, a copy taken mid-write) can
still answer many queries: those that never touch the bad pages. Left alone, a command would
print what it could read and write beside the damage. So every opening of a file checks it
first, as cheaply as the file allows:

- while the file is at most `EVERY_OPEN_BYTES` (about four years of mornings for one
  person), `PRAGMA quick_check` on every opening (a few milliseconds: docs/benchmarks.md);
- above that, once a day: the date of the last clean check is kept beside the file
  (`NAME.db.checked`, like the lock file `NAME.db.lock`);
- after any error that says the file is damaged (`note_damage`, called wherever a driver's
  message is described: faults.described), the next opening runs the full
  `PRAGMA integrity_check`, which also compares every index with its table: damage that a
  quick check cannot see is not forgotten, and a file restored from a backup opens again.

A file found damaged is refused before anything is read or written (StoreUnavailable, in
the same words as any other damage: faults.DAMAGED). A folder that cannot be written keeps no
date: its file is checked at every opening.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

EVERY_OPEN_BYTES = 4 * 1024 * 1024
_CLEAN = "clean"
_DAMAGED = "damaged"
_SHOWN = 120  # characters of the check's first finding in the message


def checked_file(database: Path) -> Path:
    """`NAME.db.checked` beside `NAME.db`: how the last check on opening went, and when."""
    return database.with_name(database.name + ".checked")


def problem_on_opening(
    database: Path, run: Callable[[str], list[str]], *, today: str | None = None
) -> str | None:
    """None when `database` may be used; otherwise what SQLite's check found in it.

    `run` executes one PRAGMA on the open file and returns the first column of its rows;
    `today` (ISO date) defaults to the system clock's. A driver error from `run` (a file so
    damaged the check cannot read it) is left to the caller, who describes it."""
    today = today or _today()
    if _size(database) > EVERY_OPEN_BYTES and _remembered(database) == f"{_CLEAN} {today}":
        return None  # a large file, already checked today
    return check_now(database, run, today=today)


def check_now(
    database: Path, run: Callable[[str], list[str]], *, today: str | None = None
) -> str | None:
    """Check `database` now (`doctor`, or an opening that must), remember how it went, and
    return what was found; None when whole. A file once found damaged gets the full check."""
    remembered = _remembered(database)
    pragma = "PRAGMA integrity_check" if remembered == _DAMAGED else "PRAGMA quick_check"
    rows = run(pragma)
    state = f"{_CLEAN} {today or _today()}" if rows == ["ok"] else _DAMAGED
    if state != remembered:
        _remember(database, state)
    if state != _DAMAGED:
        return None
    first = " ".join(str(rows[0] if rows else "no answer").split())
    more = f", and {len(rows) - 1} more" if len(rows) > 1 else ""
    return f"SQLite's check found damage ({first[:_SHOWN]}{more})"


def _today() -> str:
    from stretchcoach.adapters.clock import SystemClock

    return SystemClock().now().date().isoformat()


def note_damage(file: str) -> None:
    """Remember that a driver said `file` is damaged: its next opening checks it in full."""
    if file and file != "FILE" and file != ":memory:":
        _remember(Path(file), _DAMAGED)


def _size(database: Path) -> int:
    try:
        return database.stat().st_size
    except OSError:
        return 0


def _remembered(database: Path) -> str | None:
    try:
        return checked_file(database).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _remember(database: Path, state: str) -> None:
    """Write the state through a temporary file and a rename; a folder that cannot be
    written keeps nothing (its file is then checked at every opening)."""
    target = checked_file(database)
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        temporary.write_text(state + "\n", encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
