"""The composition root: real adapters from Settings. Tests build their own with fakes."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from stretchcoach.config import Settings

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Engine

    from stretchcoach.adapters.store.uow import SqlUnitOfWork
    from stretchcoach.domain.clock import Clock
    from stretchcoach.domain.routine import Routine
    from stretchcoach.services.ports import PendingJournal, Speaker


def engine(settings: Settings, *, pool_size: int = 5) -> Engine:
    from stretchcoach.adapters.store.engine import open_store

    return open_store(settings.resolved_database_url(), pool_size=pool_size)


def unit_of_work(engine: Engine) -> SqlUnitOfWork:
    from stretchcoach.adapters.store.uow import SqlUnitOfWork

    return SqlUnitOfWork(engine)


def pending_journal(settings: Settings) -> PendingJournal:
    """The file where records wait while this database does not answer."""
    from stretchcoach.adapters.pending_file import PendingFile
    from stretchcoach.config import default_data_dir

    return PendingFile.for_database(settings.resolved_database_url(), default_data_dir())


def speaker(settings: Settings, *, voice: bool = True, stream: TextIO | None = None) -> Speaker:
    from stretchcoach.adapters.speech import BellSpeaker, EspeakSpeaker, SilentSpeaker, find_espeak

    if not voice or settings.speech == "off":
        return SilentSpeaker()
    if settings.speech in ("auto", "espeak") and (executable := find_espeak()):
        return EspeakSpeaker(executable)
    return BellSpeaker(stream or sys.stdout)


def local_time_zone(settings: Settings) -> str:
    """The IANA name of the user's zone: the setting, else the machine's, else UTC."""
    from stretchcoach.adapters.timezone import system_time_zone

    return settings.time_zone or system_time_zone()


def clock(speed: float = 1.0) -> Clock:
    """The system clock; `speed` above 1 runs a session faster (a demo, a test)."""
    from stretchcoach.adapters.clock import SystemClock

    return SystemClock(speed)


def routine(path: Path | None = None) -> Routine:
    """The routine in a TOML file, or the built-in one."""
    from stretchcoach.adapters.routine_file import load_builtin, load_routine_file

    return load_routine_file(path) if path is not None else load_builtin()
