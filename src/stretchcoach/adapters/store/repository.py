"""The sessions repository: writes through SQLAlchemy Core; reads are reads.SessionReads, the
same plain SQL the read-only store runs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, update

from stretchcoach.adapters.store.reads import SessionReads
from stretchcoach.adapters.store.tables import holds, sessions
from stretchcoach.adapters.store.uow import SqlRows
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.session import Hold, Session
from stretchcoach.domain.values import SessionStatus
from stretchcoach.errors import NotFound


class SqlSessionRepository(SessionReads):
    def __init__(self, connection: Connection) -> None:
        super().__init__(SqlRows(connection))
        self._c = connection

    def add(self, session: Session) -> None:
        self._c.execute(insert(sessions).values(**_session_row(session)))
        for hold in session.holds:
            self.add_hold(hold)

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
