"""Repositories for the pain journal, red-flag screens and users: writes through SQLAlchemy
Core; reads are reads.py's plain SQL, the same the read-only store runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert

from stretchcoach.adapters.store.reads import (
    ANSWER_TEXT,
    JournalReads,
    ScreenReads,
    UserReads,
)
from stretchcoach.adapters.store.tables import (
    pain_entries,
    screen_acknowledgements,
    screens,
    users,
)
from stretchcoach.adapters.store.uow import SqlRows
from stretchcoach.domain.journal import PainEntry, format_sites
from stretchcoach.domain.screening import Acknowledgement, ScreenResult
from stretchcoach.domain.user import User
from stretchcoach.domain.values import Side


class SqlJournalRepository(JournalReads):
    def __init__(self, connection: Connection) -> None:
        super().__init__(SqlRows(connection))
        self._c = connection

    def add(self, entry: PainEntry) -> None:
        self._c.execute(insert(pain_entries).values(**_pain_row(entry)))

    def add_all(self, entries: Sequence[PainEntry]) -> None:
        """Many ratings in one round of statements (an import)."""
        if entries:
            self._c.execute(insert(pain_entries), [_pain_row(e) for e in entries])


class SqlScreenRepository(ScreenReads):
    def __init__(self, connection: Connection) -> None:
        super().__init__(SqlRows(connection))
        self._c = connection

    def add(self, screen: ScreenResult) -> None:
        self._c.execute(insert(screens).values(**_screen_row(screen)))

    def add_all(self, new: Sequence[ScreenResult]) -> None:
        if new:
            self._c.execute(insert(screens), [_screen_row(r) for r in new])

    def add_acknowledgement(self, ack: Acknowledgement) -> None:
        self._c.execute(
            insert(screen_acknowledgements).values(
                id=ack.id,
                user_id=ack.user_id,
                codes=",".join(ack.codes),
                seen_on=ack.seen_on,
                by_user_id=ack.by_user_id,
                by_name=ack.by_name,
                note=ack.note,
                stored_at=ack.stored_at,
            )
        )


class SqlUserRepository(UserReads):
    def __init__(self, connection: Connection) -> None:
        super().__init__(SqlRows(connection))
        self._c = connection

    def add(self, user: User) -> None:
        self._c.execute(
            insert(users).values(
                id=user.id,
                display_name=user.display_name,
                role=user.role.value,
                created_at=user.created_at,
            )
        )


def _pain_row(entry: PainEntry) -> dict[str, Any]:
    reach = {
        side: max((s.region.depth for s in entry.sites if s.side is side), default=None)
        for side in Side
    }
    return {
        "id": entry.id,
        "user_id": entry.user_id,
        "recorded_at": entry.recorded_at,
        "time_zone": entry.time_zone,
        "score": entry.score,
        "sites": format_sites(entry.sites),
        "reach_left": reach[Side.LEFT],
        "reach_right": reach[Side.RIGHT],
        "context": entry.context.value,
        "session_id": entry.session_id,
        "note": entry.note,
    }


def _screen_row(screen: ScreenResult) -> dict[str, Any]:
    return {
        "id": screen.id,
        "user_id": screen.user_id,
        "answered_at": screen.answered_at,
        "answers": ",".join(ANSWER_TEXT[a] for a in screen.answers),
        "any_yes": any(a is True for a in screen.answers),
        "version": screen.version,
        "stored_at": screen.stored_at or screen.answered_at,
    }
