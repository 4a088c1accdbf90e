"""Repositories for the pain journal, red-flag screens and users."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Table, insert, select

from stretchcoach.adapters.store.tables import (
    pain_entries,
    screen_acknowledgements,
    screens,
    users,
)
from stretchcoach.domain.journal import PainContext, PainEntry, format_sites, parse_sites
from stretchcoach.domain.screening import Acknowledgement, ScreenResult
from stretchcoach.domain.user import User
from stretchcoach.domain.values import Side
from stretchcoach.errors import NotFound

T = TypeVar("T")


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

    def entries_of(
        self, user_ids: Collection[str], *, since: datetime
    ) -> dict[str, list[PainEntry]]:
        """Each user's entries since `since`, oldest first."""
        t = pain_entries
        return _per_user(
            self._c, t, user_ids, _entry, t.c.recorded_at >= since, order=(t.c.recorded_at, t.c.id)
        )


class SqlScreenRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, screen: ScreenResult) -> None:
        self._c.execute(insert(screens).values(**_screen_row(screen)))

    def add_all(self, new: Sequence[ScreenResult]) -> None:
        if new:
            self._c.execute(insert(screens), [_screen_row(r) for r in new])

    def history_of(self, user_ids: Collection[str]) -> dict[str, list[ScreenResult]]:
        """Each user's checks, in the order they were stored."""
        return _per_user(
            self._c, screens, user_ids, _screen, order=(screens.c.stored_at, screens.c.id)
        )

    def acknowledgements_of(self, user_ids: Collection[str]) -> dict[str, list[Acknowledgement]]:
        """Each user's acknowledgements, in the order they were stored."""
        t = screen_acknowledgements
        return _per_user(self._c, t, user_ids, _acknowledgement, order=(t.c.stored_at, t.c.id))

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

    def acknowledgements(self, user_id: str) -> list[Acknowledgement]:
        """A user's acknowledgements, oldest first."""
        query = (
            select(screen_acknowledgements)
            .where(screen_acknowledgements.c.user_id == user_id)
            .order_by(screen_acknowledgements.c.stored_at, screen_acknowledgements.c.id)
        )
        return [_acknowledgement(r._mapping) for r in self._c.execute(query)]

    def latest(self, user_id: str) -> ScreenResult | None:
        query = (
            select(screens)
            .where(screens.c.user_id == user_id)
            .order_by(screens.c.stored_at.desc(), screens.c.id.desc())
            .limit(1)
        )
        row = self._c.execute(query).first()
        return _screen(row._mapping) if row else None

    def history(self, user_id: str) -> list[ScreenResult]:
        """A user's screens, oldest first."""
        query = (
            select(screens)
            .where(screens.c.user_id == user_id)
            .order_by(screens.c.stored_at, screens.c.id)
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


def _per_user(
    connection: Connection,
    table: Table,
    user_ids: Collection[str],
    convert: Callable[[Mapping[Any, Any]], T],
    *where: ColumnElement[bool],
    order: tuple[ColumnElement[Any], ...],
) -> dict[str, list[T]]:
    """Rows of many users at once, a query per 500 of them, grouped by user in `order`."""
    found: dict[str, list[T]] = {uid: [] for uid in user_ids}
    wanted = sorted(found)
    for start in range(0, len(wanted), 500):
        query = (
            select(table)
            .where(table.c.user_id.in_(wanted[start : start + 500]), *where)
            .order_by(*order)
        )
        for r in connection.execute(query):
            found[r.user_id].append(convert(r._mapping))
    return found


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
        answers=tuple(_ANSWER_VALUE[part] for part in r["answers"].split(",")),
        version=r["version"],
        stored_at=r["stored_at"],
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
        "answers": ",".join(_ANSWER_TEXT[a] for a in screen.answers),
        "any_yes": any(a is True for a in screen.answers),
        "version": screen.version,
        "stored_at": screen.stored_at or screen.answered_at,
    }


def _acknowledgement(r: Mapping[Any, Any]) -> Acknowledgement:
    return Acknowledgement(
        id=r["id"],
        user_id=r["user_id"],
        codes=tuple(c for c in r["codes"].split(",") if c),
        seen_on=r["seen_on"],
        by_user_id=r["by_user_id"],
        by_name=r["by_name"],
        note=r["note"],
        stored_at=r["stored_at"],
    )


_ANSWER_TEXT: dict[bool | None, str] = {True: "1", False: "0", None: "-"}
_ANSWER_VALUE: dict[str, bool | None] = {v: k for k, v in _ANSWER_TEXT.items()}
