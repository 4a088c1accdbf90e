"""Per-hold form metrics: one row per hold the camera watched, keyed by the hold's id."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from stretchcoach.adapters.store.tables import hold_form, holds, sessions
from stretchcoach.domain.form.metrics import Fault, HoldForm
from stretchcoach.domain.values import Side

_FAULT_COLUMNS = {fault: fault.value for fault in Fault}
_CHUNK = 500


class SqlHoldFormRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, hold_id: str, form: HoldForm) -> None:
        row: dict[str, Any] = {
            "hold_id": hold_id,
            "good_form_s": form.good_form_s,
            "max_hip_flexion_deg": form.max_hip_flexion_deg,
            "min_knee_deg": form.min_knee_deg,
        }
        row.update({column: form.faults.get(f, 0) for f, column in _FAULT_COLUMNS.items()})
        self._c.execute(insert(hold_form).values(**row))
        if form.max_hip_flexion_deg is not None:
            from stretchcoach.adapters.store.clinic_repository import add_fold

            add_fold(self._c, hold_id, form.max_hip_flexion_deg)

    def for_holds(self, hold_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The stored metrics of the given holds, by hold id (holds without are absent)."""
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(hold_ids), _CHUNK):
            chunk = hold_ids[start : start + _CHUNK]
            for row in self._c.execute(select(hold_form).where(hold_form.c.hold_id.in_(chunk))):
                found[row.hold_id] = dict(row._mapping)
        return found

    def max_flexion_by_session(self, session_ids: list[str]) -> dict[str, dict[Side, float]]:
        """Each session's deepest good-form fold per leg, as one SQL aggregate.

        Sessions with no camera-watched hold are absent; a leg with no good-form fold is
        missing from its session's dict.
        """
        found: dict[str, dict[Side, float]] = defaultdict(dict)
        seen: set[str] = set()
        for start in range(0, len(session_ids), _CHUNK):
            chunk = session_ids[start : start + _CHUNK]
            query = (
                select(holds.c.session_id, holds.c.side, func.max(hold_form.c.max_hip_flexion_deg))
                .join(hold_form, hold_form.c.hold_id == holds.c.id)
                .where(holds.c.session_id.in_(chunk))
                .group_by(holds.c.session_id, holds.c.side)
            )
            for session_id, side, deepest in self._c.execute(query):
                seen.add(session_id)
                if deepest is not None:
                    found[session_id][Side(side)] = float(deepest)
        return {sid: dict(found.get(sid, {})) for sid in seen}

    def max_flexion_for_user(
        self, user_id: str, *, since: datetime | None = None
    ) -> list[tuple[str, datetime, dict[Side, float]]]:
        """Every camera-watched session of a user, oldest first: id, start, deepest fold per leg.

        One aggregate over the user's sessions, so years without a camera cost one index scan.
        """
        query = (
            select(
                sessions.c.id,
                sessions.c.started_at,
                holds.c.side,
                func.max(hold_form.c.max_hip_flexion_deg),
            )
            .join(holds, holds.c.session_id == sessions.c.id)
            .join(hold_form, hold_form.c.hold_id == holds.c.id)
            .where(sessions.c.user_id == user_id)
            .group_by(sessions.c.id, sessions.c.started_at, holds.c.side)
            .order_by(sessions.c.started_at, sessions.c.id)
        )
        if since is not None:
            query = query.where(sessions.c.started_at >= since)
        found: dict[str, tuple[datetime, dict[Side, float]]] = {}
        for session_id, started_at, side, deepest in self._c.execute(query):
            _, legs = found.setdefault(session_id, (started_at, {}))
            if deepest is not None:
                legs[Side(side)] = float(deepest)
        return [(session_id, at, legs) for session_id, (at, legs) in found.items()]
