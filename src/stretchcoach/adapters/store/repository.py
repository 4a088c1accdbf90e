"""Repositories: rows in, domain values out. Queries live here, not in the services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from stretchcoach.adapters.store.tables import holds, sessions
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.session import Hold, Owner, Session, SessionOutline
from stretchcoach.domain.values import Order, SessionStatus, Side
from stretchcoach.errors import NotFound


class SqlSessionRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, session: Session) -> None:
        self._c.execute(insert(sessions).values(**_session_row(session)))
        for hold in session.holds:
            self.add_hold(hold)

    def get(self, session_id: str) -> Session:
        row = self._c.execute(select(sessions).where(sessions.c.id == session_id)).first()
        if row is None:
            raise NotFound(f"no session with id {session_id!r}")
        return self._with_holds([row])[0]

    def add_hold(self, hold: Hold) -> None:
        self._c.execute(insert(holds).values(**_hold_row(hold)))

    def add_all(self, new: Sequence[Session]) -> None:
        """Many sessions (without their holds) in one round of statements (an import)."""
        if new:
            self._c.execute(insert(sessions), [_session_row(s) for s in new])

    def add_holds(self, new: Sequence[Hold]) -> None:
        if new:
            self._c.execute(insert(holds), [_hold_row(h) for h in new])

    def set_felt(self, hold_id: str, felt: Felt) -> None:
        result = self._c.execute(update(holds).where(holds.c.id == hold_id).values(felt=felt.value))
        if result.rowcount == 0:
            raise NotFound(f"no hold with id {hold_id!r}")

    def set_status(self, session_id: str, status: SessionStatus, ended_at: datetime) -> None:
        result = self._c.execute(
            update(sessions)
            .where(sessions.c.id == session_id)
            .values(status=status.value, ended_at=ended_at, last_seen_at=ended_at)
        )
        if result.rowcount == 0:
            raise NotFound(f"no session with id {session_id!r}")

    def touch(self, session_id: str, seen_at: datetime) -> None:
        self._c.execute(
            update(sessions).where(sessions.c.id == session_id).values(last_seen_at=seen_at)
        )

    def list_recent(
        self, user_id: str, *, limit: int | None = None, since: datetime | None = None
    ) -> list[Session]:
        query = (
            select(sessions)
            .where(sessions.c.user_id == user_id)
            .order_by(sessions.c.started_at.desc(), sessions.c.id)
        )
        if since is not None:
            query = query.where(sessions.c.started_at >= since)
        if limit is not None:
            query = query.limit(limit)
        return self._with_holds(self._c.execute(query).all())

    def recent_of(
        self, user_ids: Collection[str], *, limit: int, since: datetime
    ) -> dict[str, list[Session]]:
        """Each user's latest `limit` sessions since `since`, with their holds, newest first:
        one query per 500 users (a window function numbers each user's sessions)."""
        found: dict[str, list[Session]] = {uid: [] for uid in user_ids}
        wanted = sorted(found)
        for start in range(0, len(wanted), 500):
            number = (
                func.row_number()
                .over(
                    partition_by=sessions.c.user_id,
                    order_by=(sessions.c.started_at.desc(), sessions.c.id),
                )
                .label("number")
            )
            ranked = (
                select(sessions, number)
                .where(sessions.c.user_id.in_(wanted[start : start + 500]))
                .where(sessions.c.started_at >= since)
                .subquery()
            )
            query = (
                select(*(ranked.c[c.name] for c in sessions.c))
                .where(ranked.c.number <= limit)
                .order_by(ranked.c.started_at.desc(), ranked.c.id)
            )
            for session in self._with_holds(self._c.execute(query).all()):
                found[session.user_id].append(session)
        return found

    def outlines(self, user_id: str, *, since: datetime | None = None) -> list[SessionOutline]:
        c = sessions.c
        query = (
            select(c.id, c.started_at, c.time_zone, c.status, c.practice)
            .where(c.user_id == user_id)
            .order_by(c.started_at.desc(), c.id)
        )
        if since is not None:
            query = query.where(c.started_at >= since)
        return [
            SessionOutline(
                r.id, r.started_at, r.time_zone, SessionStatus(r.status), bool(r.practice)
            )
            for r in self._c.execute(query)
        ]

    def list_open(self) -> list[Session]:
        query = select(sessions).where(sessions.c.status == SessionStatus.IN_PROGRESS.value)
        return self._with_holds(self._c.execute(query).all())

    def _with_holds(self, rows: Iterable[Row[Any]]) -> list[Session]:
        rows = list(rows)
        if not rows:
            return []
        by_session: dict[str, list[Hold]] = defaultdict(list)
        ids = [r.id for r in rows]
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            query = (
                select(holds)
                .where(holds.c.session_id.in_(chunk))
                .order_by(holds.c.session_id, holds.c.hold_number)
            )
            for h in self._c.execute(query).all():  # one fetch, not one per hold
                by_session[h.session_id].append(_hold_from_row(h._mapping))
        return [_session_from_row(r._mapping, by_session[r.id]) for r in rows]


def _session_row(s: Session) -> dict[str, Any]:
    return {
        "id": s.id,
        "user_id": s.user_id,
        "routine_id": s.routine_id,
        "routine_name": s.routine_name,
        "started_at": s.started_at,
        "ended_at": s.ended_at,
        "last_seen_at": s.last_seen_at,
        "time_zone": s.time_zone,
        "status": s.status.value,
        "practice": s.practice,
        "speed": s.speed,
        "hold_s": s.settings.hold_s,
        "reps_per_side": s.settings.reps_per_side,
        "first_side": s.settings.first_side.value,
        "rest_s": s.settings.rest_s,
        "hold_order": s.settings.order.value,
        "host": s.owner.host if s.owner else None,
        "pid": s.owner.pid if s.owner else None,
        "left_reps": s.settings.side_reps[0] if s.settings.side_reps else None,
        "right_reps": s.settings.side_reps[1] if s.settings.side_reps else None,
    }


def _session_from_row(r: Mapping[Any, Any], session_holds: list[Hold]) -> Session:
    return Session(
        id=r["id"],
        user_id=r["user_id"],
        routine_id=r["routine_id"],
        routine_name=r["routine_name"],
        started_at=r["started_at"],
        time_zone=r["time_zone"],
        settings=SessionSettings(
            hold_s=r["hold_s"],
            reps_per_side=r["reps_per_side"],
            first_side=Side(r["first_side"]),
            rest_s=r["rest_s"],
            order=Order(r["hold_order"]),
            side_reps=None
            if r["left_reps"] is None or r["right_reps"] is None
            else (r["left_reps"], r["right_reps"]),
        ),
        practice=bool(r["practice"]),
        speed=r["speed"],
        status=SessionStatus(r["status"]),
        ended_at=r["ended_at"],
        last_seen_at=r["last_seen_at"],
        owner=Owner(r["host"], r["pid"]) if r["host"] and r["pid"] is not None else None,
        holds=session_holds,
    )


def _hold_row(h: Hold) -> dict[str, Any]:
    return {
        "id": h.id,
        "session_id": h.session_id,
        "hold_number": h.hold_number,
        "side": h.side.value,
        "planned_s": h.planned_s,
        "held_s": h.held_s,
        "completed": h.completed,
        "ended_at": h.ended_at,
        "felt": h.felt.value if h.felt else None,
    }


_SIDES = {side.value: side for side in Side}  # a lookup: a clinic reads holds by the thousand
_FELTS = {felt.value: felt for felt in Felt}


def _hold_from_row(r: Mapping[Any, Any]) -> Hold:
    felt = r["felt"]
    return Hold(
        id=r["id"],
        session_id=r["session_id"],
        hold_number=r["hold_number"],
        side=_SIDES[r["side"]],
        planned_s=r["planned_s"],
        held_s=r["held_s"],
        completed=bool(r["completed"]),
        ended_at=r["ended_at"],
        felt=_FELTS[felt] if felt else None,
    )
