"""Repositories for the pain journal, red-flag screens and users."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from stretchcoach.adapters.store.tables import pain_entries, screens, users
from stretchcoach.domain.journal import PainContext, PainEntry, format_sites, parse_sites
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.user import User
from stretchcoach.domain.values import Side
from stretchcoach.errors import NotFound


class SqlJournalRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, entry: PainEntry) -> None:
        self._c.execute(insert(pain_entries).values(**_pain_row(entry)))

    def add_all(self, entries: Sequence[PainEntry]) -> None:
        """Many ratings in one round of statements (an import)."""
        if entries:
            self._c.execute(insert(pain_entries), [_pain_row(e) for e in entries])

    def get(self, entry_id: str) -> PainEntry:
        row = self._c.execute(select(pain_entries).where(pain_entries.c.id == entry_id)).first()
        if row is None:
            raise NotFound(f"no pain entry with id {entry_id!r}")
        return _entry(row._mapping)

    def entries(self, user_id: str, *, since: datetime | None = None) -> list[PainEntry]:
        """A user's entries, oldest first."""
        query = select(pain_entries).where(pain_entries.c.user_id == user_id)
        if since is not None:
            query = query.where(pain_entries.c.recorded_at >= since)
        query = query.order_by(pain_entries.c.recorded_at, pain_entries.c.id)
        return [_entry(r._mapping) for r in self._c.execute(query)]


class SqlScreenRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, screen: ScreenResult) -> None:
        self._c.execute(insert(screens).values(**_screen_row(screen)))

    def add_all(self, new: Sequence[ScreenResult]) -> None:
        if new:
            self._c.execute(insert(screens), [_screen_row(r) for r in new])

    def latest(self, user_id: str) -> ScreenResult | None:
        query = (
            select(screens)
            .where(screens.c.user_id == user_id)
            .order_by(screens.c.answered_at.desc(), screens.c.id)
            .limit(1)
        )
        row = self._c.execute(query).first()
        return _screen(row._mapping) if row else None

    def history(self, user_id: str) -> list[ScreenResult]:
        """A user's screens, oldest first."""
        query = (
            select(screens)
            .where(screens.c.user_id == user_id)
            .order_by(screens.c.answered_at, screens.c.id)
        )
        return [_screen(r._mapping) for r in self._c.execute(query)]


class SqlUserRepository:
    def __init__(self, connection: Connection) -> None:
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

    def find(self, user_id: str) -> User | None:
        from stretchcoach.domain.user import Role

        row = self._c.execute(select(users).where(users.c.id == user_id)).first()
        if row is None:
            return None
        r = row._mapping
        return User(r["id"], r["display_name"], Role(r["role"]), r["created_at"])


def _entry(r: Mapping[Any, Any]) -> PainEntry:
    return PainEntry(
        id=r["id"],
        user_id=r["user_id"],
        recorded_at=r["recorded_at"],
        time_zone=r["time_zone"],
        score=r["score"],
        sites=parse_sites(r["sites"]),
        context=PainContext(r["context"]),
        session_id=r["session_id"],
        note=r["note"],
    )


def _screen(r: Mapping[Any, Any]) -> ScreenResult:
    return ScreenResult(
        id=r["id"],
        user_id=r["user_id"],
        answered_at=r["answered_at"],
        answers=tuple(part == "1" for part in r["answers"].split(",")),
        version=r["version"],
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
        "answers": ",".join("1" if a else "0" for a in screen.answers),
        "any_yes": any(screen.answers),
        "version": screen.version,
    }
