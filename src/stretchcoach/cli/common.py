"""What the commands share: the --db option, opening the store, printing JSON."""

from __future__ import annotations

import json
import os
import socket
import sys
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from stretchcoach.adapters.store.uow import SqlUnitOfWork
    from stretchcoach.config import Settings
    from stretchcoach.services.safekeeping import SafeKeeper

DB_OPTION = typer.Option(
    None,
    "--db",
    metavar="URL",
    help="Database URL (default: STRETCHCOACH_DATABASE_URL, else a SQLite file in your data "
    "folder). Accepts sqlite:///PATH and postgresql://USER@HOST:PORT/DB.",
)


def settings(db: str | None) -> Settings:
    from stretchcoach.config import Settings
    from stretchcoach.errors import InvalidInput

    try:
        current = Settings()
    except ValueError as error:  # a bad STRETCHCOACH_* variable: one line, exit 2
        from pydantic import ValidationError  # loaded already: it made the error

        if not isinstance(error, ValidationError):
            raise
        first = error.errors()[0]
        where = "_".join(str(part) for part in first["loc"]).upper()
        message = str(first["msg"]).removeprefix("Value error, ")
        setting = f"STRETCHCOACH_{where} {first['input']!r}: " if where else ""
        raise InvalidInput(f"{setting}{message}") from None
    if db is not None:
        if not db.strip():
            raise InvalidInput(
                "--db '' is empty: give a database URL, sqlite:///PATH or "
                "postgresql://USER@HOST:PORT/DB, or leave --db out for the default"
            )
        current = current.replace(database_url=db)
    return current


_OPEN: weakref.WeakSet[Engine] = weakref.WeakSet()  # the databases this command opened


def opened(engine: Engine) -> Engine:
    """Note an engine the command opened, so that `close_stores` closes it at the end."""
    _OPEN.add(engine)
    return engine


def close_stores() -> None:
    """Close the databases the command opened: their connections wait in a pool, which the
    collector would otherwise close (SQLite then folds its write-ahead log into the file)."""
    for engine in list(_OPEN):
        engine.dispose()


@dataclass
class Store:
    uow: SqlUnitOfWork
    url: str
    user_id: str
    keeper: SafeKeeper  # a session's records: saved, or kept safe until the store answers


def open_store(current: Settings, *, write: bool = True) -> Store:
    """Open (and migrate) the database, save what waited for it from an earlier session, then
    close sessions whose process has died.

    A store that can only be read (a read-only file, folder or file system) opens for the
    commands that only read (`write=False`: history, export, ...); a command that records is
    refused before it asks anything, so no answer is typed in vain.
    The terminal always acts as the one local user.
    """
    from stretchcoach import bootstrap
    from stretchcoach.adapters.clock import SystemClock
    from stretchcoach.adapters.store.engine import display_url, is_read_only, parse_url
    from stretchcoach.adapters.store.uow import READ_ONLY
    from stretchcoach.domain.user import LOCAL_USER_ID
    from stretchcoach.errors import StoreUnavailable
    from stretchcoach.services.safekeeping import SafeKeeper, describe, replay
    from stretchcoach.services.sessions import close_abandoned
    from stretchcoach.services.users import ensure_local_user

    engine = opened(bootstrap.engine(current))
    uow = bootstrap.unit_of_work(engine)
    journal = bootstrap.pending_journal(current)
    now = SystemClock().now()
    if is_read_only(engine):
        shown = display_url(parse_url(current.resolved_database_url()))
        if write:
            raise StoreUnavailable(f"cannot record in the database at {shown}{READ_ONLY}")
        print(f"Note: the database at {shown} is read-only; reading only.", file=sys.stderr)
        return Store(uow, shown, LOCAL_USER_ID, SafeKeeper(uow, journal))
    user_id = ensure_local_user(uow=uow, now=now)
    replayed = replay(journal, uow=uow)
    if replayed:
        print(
            f"Saved what was waiting from an earlier session: {describe(replayed)}.",
            file=sys.stderr,
        )
    close_abandoned(uow=uow, now=now, host=socket.gethostname(), is_alive=process_alive)
    return Store(
        uow=uow,
        url=current.resolved_database_url(),
        user_id=user_id,
        keeper=SafeKeeper(uow, journal),
    )


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def whole_number(text: str, option: str, low: int, high: int) -> int:
    """An option typed as digits only (no sign, exponent or `_`), from `low` to `high`."""
    from stretchcoach.errors import InvalidInput

    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()) or not low <= int(digits) <= high:
        raise InvalidInput(
            f"{option} {text!r} is not allowed: use a whole number from {low} to {high}"
        )
    return int(digits)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
