"""What the commands share: the --db option, opening the store, printing JSON."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from stretchcoach.adapters.store.uow import SqlUnitOfWork
    from stretchcoach.config import Settings

DB_OPTION = typer.Option(
    None,
    "--db",
    metavar="URL",
    help="Database URL (default: STRETCHCOACH_DATABASE_URL, else a SQLite file in your data "
    "folder). Accepts sqlite:///PATH and postgresql://USER@HOST:PORT/DB.",
)


def settings(db: str | None) -> Settings:
    from pydantic import ValidationError

    from stretchcoach.config import Settings
    from stretchcoach.errors import InvalidInput

    try:
        current = Settings()
    except ValidationError as error:  # a bad STRETCHCOACH_* variable: one line, exit 2
        first = error.errors()[0]
        where = "_".join(str(part) for part in first["loc"]).upper()
        message = str(first["msg"]).removeprefix("Value error, ")
        setting = f"STRETCHCOACH_{where} {first['input']!r}: " if where else ""
        raise InvalidInput(f"{setting}{message}") from None
    if db is not None:
        current = current.model_copy(update={"database_url": db})
    return current


@dataclass
class Store:
    uow: SqlUnitOfWork
    url: str
    user_id: str


def open_store(current: Settings) -> Store:
    """Open (and migrate) the database, then close sessions whose process has died.

    The terminal always acts as the one local user.
    """
    from stretchcoach import bootstrap
    from stretchcoach.adapters.clock import SystemClock
    from stretchcoach.services.sessions import close_abandoned
    from stretchcoach.services.users import ensure_local_user

    engine = bootstrap.engine(current)
    uow = bootstrap.unit_of_work(engine)
    now = SystemClock().now()
    user_id = ensure_local_user(uow=uow, now=now)
    close_abandoned(uow=uow, now=now, host=socket.gethostname(), is_alive=process_alive)
    return Store(uow=uow, url=current.resolved_database_url(), user_id=user_id)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
