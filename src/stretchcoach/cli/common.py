"""What the commands share: the --db option, opening the store, printing JSON."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from stretchcoach.bootstrap import Store
    from stretchcoach.config import Settings

# The morning check-in's three questions, as options of `start` and `log` (domain/checkin.py).
NUMB_OPTION = typer.Option(
    None,
    "--numb",
    metavar="WHERE",
    help="New numbness or pins and needles: no, left, right, both or saddle (between the legs).",
)
WEAKER_OPTION = typer.Option(
    None, "--weaker", metavar="LEG", help="A leg or foot getting weaker: no, left, right or both."
)
CHANGED_OPTION = typer.Option(
    None,
    "--changed",
    metavar="WHAT",
    help="A change in peeing, bowels, the feeling between the legs or sex: no, or which "
    "(peeing,bowels,feeling,sex).",
)
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


def open_store(current: Settings, *, write: bool = True) -> Store:
    """Open the database (bootstrap.local_store) and say on stderr what it did on the way:
    saved what waited from an earlier session, or opened a read-only store for reading; and,
    in one line, what is set aside because the store refused it for good, and where.

    The terminal always acts as the one local user."""
    from stretchcoach import bootstrap

    store = bootstrap.local_store(current, write=write)
    if store.read_only:
        print(f"Note: the database at {store.url} is read-only; reading only.", file=sys.stderr)
    if store.replayed:
        from stretchcoach.services.safekeeping import describe

        print(
            f"Saved what was waiting from an earlier session: {describe(store.replayed)}.",
            file=sys.stderr,
        )
    say_set_aside(store)
    return store


def say_set_aside(store: Store) -> None:
    """One line on stderr while anything is set aside: what it holds and where."""
    from stretchcoach.errors import PendingUnwritable
    from stretchcoach.services.set_aside import aside_line

    try:
        line = aside_line(store.keeper.journal)
    except PendingUnwritable as error:
        line = f"Cannot read what is set aside on this computer: {error}."
    if line:
        print(line, file=sys.stderr)


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
