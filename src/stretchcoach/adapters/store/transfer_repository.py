"""Lookups by stable id for import: which records exist already, and whose they are."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, select

from stretchcoach.adapters.store.tables import (
    holds,
    pain_entries,
    screen_acknowledgements,
    screens,
    sessions,
)
from stretchcoach.services.uow import RecordKind

CHUNK = 500  # ids per IN (...) list, well under every driver's parameter limit


class SqlRecordIndex:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def owners(self, kind: RecordKind, ids: Collection[str]) -> dict[str, str]:
        wanted = sorted(set(ids))
        found: dict[str, str] = {}
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            if kind == "hold":
                query = (
                    select(holds.c.id, sessions.c.user_id)
                    .join(sessions, sessions.c.id == holds.c.session_id)
                    .where(holds.c.id.in_(chunk))
                )
            else:
                table = {
                    "session": sessions,
                    "pain": pain_entries,
                    "screen": screens,
                    "seen": screen_acknowledgements,
                }[kind]
                query = select(table.c.id, table.c.user_id).where(table.c.id.in_(chunk))
            found.update({row.id: row.user_id for row in self._c.execute(query)})
        return found

    def hold_numbers(self, session_ids: Collection[str]) -> set[tuple[str, int]]:
        wanted = sorted(set(session_ids))
        taken: set[tuple[str, int]] = set()
        for start in range(0, len(wanted), CHUNK):
            query = select(holds.c.session_id, holds.c.hold_number).where(
                holds.c.session_id.in_(wanted[start : start + CHUNK])
            )
            taken.update((row.session_id, row.hold_number) for row in self._c.execute(query))
        return taken
