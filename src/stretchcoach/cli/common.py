"""What the commands share: the --db option, opening the store, printing JSON."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from stretchcoach.bootstrap import Reading, Store
    from stretchcoach.config import Settings
    from stretchcoach.services.safekeeping import PendingEntry

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


def open_store(current: Settings) -> Store:
    """Open the database to record (bootstrap.local_store) and say on stderr what it did on
    the way. The terminal always acts as the one local user."""
    from stretchcoach import bootstrap

    store = bootstrap.local_store(current)
    _say_how(store.url, read_only=store.read_only, replayed=store.replayed)
    return store


def read_store(current: Settings) -> Reading:
    """Open the database for a command that only reads (bootstrap.reading_store): a store that
    can only be read opens too, and says so."""
    from stretchcoach import bootstrap

    reading = bootstrap.reading_store(current)
    _say_how(reading.url, read_only=reading.read_only, replayed=reading.replayed)
    return reading


def _say_how(url: str, *, read_only: bool, replayed: list[PendingEntry]) -> None:
    """On stderr: a store opened read-only, or what waited from an earlier session and is
    saved now."""
    if read_only:
        print(f"Note: the database at {url} is read-only; reading only.", file=sys.stderr)
    if replayed:
        from stretchcoach.services.safekeeping import describe

        print(
            f"Saved what was waiting from an earlier session: {describe(replayed)}.",
            file=sys.stderr,
        )


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
