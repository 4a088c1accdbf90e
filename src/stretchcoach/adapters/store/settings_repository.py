"""Each user's preferences: one row per user in `user_settings`."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import Connection, insert, update

from stretchcoach.adapters.store.reads import PreferencesReads
from stretchcoach.adapters.store.tables import user_settings
from stretchcoach.adapters.store.uow import SqlRows
from stretchcoach.domain.preferences import Preferences


class SqlPreferencesRepository(PreferencesReads):
    """Writes through SQLAlchemy Core; reads are reads.PreferencesReads."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(SqlRows(connection))
        self._c = connection

    def save(self, prefs: Preferences, *, now: datetime) -> None:
        values = _row(prefs) | {"updated_at": now}
        result = self._c.execute(
            update(user_settings).where(user_settings.c.user_id == prefs.user_id).values(**values)
        )
        if result.rowcount == 0:
            self._c.execute(insert(user_settings).values(user_id=prefs.user_id, **values))


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _row(p: Preferences) -> dict[str, Any]:
    return {
        "hold_s": p.hold_s,
        "reps_per_side": p.reps_per_side,
        "first_side": p.first_side.value,
        "morning_start": _hhmm(p.morning_start),
        "morning_end": _hhmm(p.morning_end),
        "time_zone": p.time_zone,
        "reminder_at": _hhmm(p.reminder_at),
        "calendar_token": p.calendar_token,
    }
