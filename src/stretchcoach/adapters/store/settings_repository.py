"""Each user's preferences: one row per user in `user_settings`."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, time
from typing import Any

from sqlalchemy import Connection, insert, select, update

from stretchcoach.adapters.store.tables import user_settings
from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.values import Side


class SqlPreferencesRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, user_id: str) -> Preferences | None:
        row = self._c.execute(
            select(user_settings).where(user_settings.c.user_id == user_id)
        ).first()
        return _prefs(row._mapping) if row else None

    def get_many(self, user_ids: Collection[str]) -> dict[str, Preferences]:
        """The preferences of each user who saved some."""
        wanted = sorted(set(user_ids))
        found: dict[str, Preferences] = {}
        for start in range(0, len(wanted), 500):
            query = select(user_settings).where(
                user_settings.c.user_id.in_(wanted[start : start + 500])
            )
            found.update({r.user_id: _prefs(r._mapping) for r in self._c.execute(query)})
        return found

    def by_calendar_token(self, token: str) -> Preferences | None:
        row = self._c.execute(
            select(user_settings).where(user_settings.c.calendar_token == token)
        ).first()
        return _prefs(row._mapping) if row else None

    def save(self, prefs: Preferences, *, now: datetime) -> None:
        values = _row(prefs) | {"updated_at": now}
        result = self._c.execute(
            update(user_settings).where(user_settings.c.user_id == prefs.user_id).values(**values)
        )
        if result.rowcount == 0:
            self._c.execute(insert(user_settings).values(user_id=prefs.user_id, **values))


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _time(text: str | None) -> time | None:
    return time.fromisoformat(text) if text else None


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


def _prefs(r: Mapping[Any, Any]) -> Preferences:
    start, end = _time(r["morning_start"]), _time(r["morning_end"])
    assert start is not None and end is not None
    return Preferences(
        user_id=r["user_id"],
        hold_s=r["hold_s"],
        reps_per_side=r["reps_per_side"],
        first_side=Side(r["first_side"]),
        morning_start=start,
        morning_end=end,
        time_zone=r["time_zone"],
        reminder_at=_time(r["reminder_at"]),
        calendar_token=r["calendar_token"],
    )
