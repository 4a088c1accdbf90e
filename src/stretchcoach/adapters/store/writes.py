"""The repositories whole: reads.py's readers with their writes, in the same plain SQL.

Both ways of opening a store use these classes: the SQLAlchemy unit of work (every backend,
the web app and the clinic) hands in its connection, the terminal's SQLite store the standard
library's (light.py). One copy of every statement, so a record is written the same whichever
opened the store. Rows come from the domain values through the builders below; times and
dates are bound as each database stores them (`Rows.stamp`, `Rows.day`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, time
from typing import Any

from stretchcoach.adapters.store.reads import (
    ANSWER_TEXT,
    HoldFormReads,
    JournalReads,
    PreferencesReads,
    Rows,
    ScreenReads,
    SessionReads,
    UserReads,
)
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.form.metrics import Fault, HoldForm
from stretchcoach.domain.journal import PainEntry, format_sites
from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.screening import Acknowledgement, ScreenResult
from stretchcoach.domain.session import Hold, Session
from stretchcoach.domain.user import User
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import NotFound
from stretchcoach.services.uow import RecordKind


def _insert(table: str, columns: Sequence[str]) -> str:
    names = ", ".join(columns)
    values = ", ".join(f":{c}" for c in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({values})"


class SessionStore(SessionReads):
    def add(self, session: Session) -> None:
        self.add_all([session])
        self.add_holds(session.holds)

    def add_hold(self, hold: Hold) -> None:
        self.add_holds([hold])

    def add_all(self, new: Sequence[Session]) -> None:
        """Many sessions (without their holds) in one round of statements (an import)."""
        if new:
            rows = [self._session_row(s) for s in new]
            self._rows.many(_insert("sessions", list(rows[0])), rows)

    def add_holds(self, new: Sequence[Hold]) -> None:
        if new:
            rows = [self._hold_row(h) for h in new]
            self._rows.many(_insert("holds", list(rows[0])), rows)

    def set_felt(self, hold_id: str, felt: Felt) -> None:
        changed = self._rows.run(
            "UPDATE holds SET felt = :felt WHERE id = :id", {"felt": felt.value, "id": hold_id}
        )
        if changed == 0:
            raise NotFound(f"no hold with id {hold_id!r}")

    def set_status(self, session_id: str, status: SessionStatus, ended_at: datetime) -> None:
        at = self._rows.stamp(ended_at)
        changed = self._rows.run(
            "UPDATE sessions SET status = :status, ended_at = :at, last_seen_at = :at "
            "WHERE id = :id",
            {"status": status.value, "at": at, "id": session_id},
        )
        if changed == 0:
            raise NotFound(f"no session with id {session_id!r}")

    def touch(self, session_id: str, seen_at: datetime) -> None:
        self._rows.run(
            "UPDATE sessions SET last_seen_at = :at WHERE id = :id",
            {"at": self._rows.stamp(seen_at), "id": session_id},
        )

    def _session_row(self, s: Session) -> dict[str, Any]:
        stamp = self._rows.stamp
        return {
            "id": s.id,
            "user_id": s.user_id,
            "routine_id": s.routine_id,
            "routine_name": s.routine_name,
            "started_at": stamp(s.started_at),
            "ended_at": stamp(s.ended_at) if s.ended_at else None,
            "last_seen_at": stamp(s.last_seen_at) if s.last_seen_at else None,
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

    def _hold_row(self, h: Hold) -> dict[str, Any]:
        return {
            "id": h.id,
            "session_id": h.session_id,
            "hold_number": h.hold_number,
            "side": h.side.value,
            "planned_s": h.planned_s,
            "held_s": h.held_s,
            "completed": h.completed,
            "ended_at": self._rows.stamp(h.ended_at),
            "felt": h.felt.value if h.felt else None,
        }


class JournalStore(JournalReads):
    def add(self, entry: PainEntry) -> None:
        self.add_all([entry])

    def add_all(self, entries: Sequence[PainEntry]) -> None:
        """Many ratings in one round of statements (an import)."""
        if entries:
            rows = [self._pain_row(e) for e in entries]
            self._rows.many(_insert("pain_entries", list(rows[0])), rows)

    def _pain_row(self, entry: PainEntry) -> dict[str, Any]:
        reach = {
            side: max((s.region.depth for s in entry.sites if s.side is side), default=None)
            for side in Side
        }
        return {
            "id": entry.id,
            "user_id": entry.user_id,
            "recorded_at": self._rows.stamp(entry.recorded_at),
            "time_zone": entry.time_zone,
            "score": entry.score,
            "sites": format_sites(entry.sites),
            "reach_left": reach[Side.LEFT],
            "reach_right": reach[Side.RIGHT],
            "context": entry.context.value,
            "session_id": entry.session_id,
            "note": entry.note,
        }


class ScreenStore(ScreenReads):
    def add(self, screen: ScreenResult) -> None:
        self.add_all([screen])

    def add_all(self, new: Sequence[ScreenResult]) -> None:
        if new:
            rows = [self._screen_row(r) for r in new]
            self._rows.many(_insert("screens", list(rows[0])), rows)

    def add_acknowledgement(self, ack: Acknowledgement) -> None:
        row = {
            "id": ack.id,
            "user_id": ack.user_id,
            "codes": ",".join(ack.codes),
            "seen_on": self._rows.day(ack.seen_on),
            "by_user_id": ack.by_user_id,
            "by_name": ack.by_name,
            "note": ack.note,
            "stored_at": self._rows.stamp(ack.stored_at),
        }
        self._rows.run(_insert("screen_acknowledgements", list(row)), row)

    def _screen_row(self, screen: ScreenResult) -> dict[str, Any]:
        return {
            "id": screen.id,
            "user_id": screen.user_id,
            "answered_at": self._rows.stamp(screen.answered_at),
            "answers": ",".join(ANSWER_TEXT[a] for a in screen.answers),
            "any_yes": any(a is True for a in screen.answers),
            "version": screen.version,
            "stored_at": self._rows.stamp(screen.stored_at or screen.answered_at),
        }


class UserStore(UserReads):
    def add(self, user: User) -> None:
        row = {
            "id": user.id,
            "display_name": user.display_name,
            "role": user.role.value,
            "created_at": self._rows.stamp(user.created_at),
        }
        self._rows.run(_insert("users", list(row)), row)


_FAULT_COLUMNS = {fault: fault.value for fault in Fault}


class HoldFormStore(HoldFormReads):
    def add(self, hold_id: str, form: HoldForm) -> None:
        row: dict[str, Any] = {
            "hold_id": hold_id,
            "good_form_s": form.good_form_s,
            "max_hip_flexion_deg": form.max_hip_flexion_deg,
            "min_knee_deg": form.min_knee_deg,
        }
        row.update({column: form.faults.get(f, 0) for f, column in _FAULT_COLUMNS.items()})
        self._rows.run(_insert("hold_form", list(row)), row)
        if form.max_hip_flexion_deg is not None:
            add_fold(self._rows, hold_id, form.max_hip_flexion_deg)


def add_fold(rows: Rows, hold_id: str, fold_deg: float) -> None:
    """Count one hold's good-form fold in its session's row of `session_folds` (the clinic's
    per-session summary, so its dashboard never reads every hold)."""
    found = rows(
        "SELECT s.id, s.user_id, s.started_at FROM sessions AS s "
        "JOIN holds AS h ON h.session_id = s.id WHERE h.id = :hold",
        {"hold": hold_id},
    )
    if not found:
        return
    session = found[0]
    bump = (
        "UPDATE session_folds SET fold_sum_deg = fold_sum_deg + :fold, "
        "fold_count = fold_count + 1, "
        "max_fold_deg = CASE WHEN max_fold_deg < :fold THEN :fold ELSE max_fold_deg END "
        "WHERE session_id = :session"
    )
    params = {"fold": fold_deg, "session": session["id"]}
    if rows.run(bump, params):
        return
    first = {
        "session_id": session["id"],
        "user_id": session["user_id"],
        "started_at": session["started_at"],  # as the store holds it
        "fold_sum_deg": fold_deg,
        "fold_count": 1,
        "max_fold_deg": fold_deg,
    }
    if not rows.insert_new(_insert("session_folds", list(first)), first):
        rows.run(bump, params)  # the session's first two folds arrived together: add to it


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


class PreferencesStore(PreferencesReads):
    def save(self, prefs: Preferences, *, now: datetime) -> None:
        """Insert or replace the user's preferences."""
        values = {
            "hold_s": prefs.hold_s,
            "reps_per_side": prefs.reps_per_side,
            "first_side": prefs.first_side.value,
            "morning_start": _hhmm(prefs.morning_start),
            "morning_end": _hhmm(prefs.morning_end),
            "time_zone": prefs.time_zone,
            "reminder_at": _hhmm(prefs.reminder_at),
            "calendar_token": prefs.calendar_token,
            "updated_at": self._rows.stamp(now),
        }
        assignments = ", ".join(f"{c} = :{c}" for c in values)
        row = {"user_id": prefs.user_id, **values}
        sql = f"UPDATE user_settings SET {assignments} WHERE user_id = :user_id"
        if self._rows.run(sql, row) == 0:
            self._rows.run(_insert("user_settings", list(row)), row)


_OWNED = {
    "session": "SELECT id, user_id FROM sessions WHERE {among}",
    "pain": "SELECT id, user_id FROM pain_entries WHERE {among}",
    "screen": "SELECT id, user_id FROM screens WHERE {among}",
    "seen": "SELECT id, user_id FROM screen_acknowledgements WHERE {among}",
    "hold": (
        "SELECT h.id, s.user_id FROM holds AS h JOIN sessions AS s ON s.id = h.session_id "
        "WHERE {among}"
    ),
}


class RecordReads:
    """Which records exist already, by their stable ids, whoever they belong to (import)."""

    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def owners(self, kind: RecordKind, ids: Collection[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        column = "h.id" if kind == "hold" else "id"
        for among, params in self._rows.among(column, ids):
            for r in self._rows(_OWNED[kind].format(among=among), params):
                found[r["id"]] = r["user_id"]
        return found

    def hold_numbers(self, session_ids: Collection[str]) -> set[tuple[str, int]]:
        taken: set[tuple[str, int]] = set()
        for among, params in self._rows.among("session_id", session_ids):
            sql = f"SELECT session_id, hold_number FROM holds WHERE {among}"
            taken.update((r["session_id"], r["hold_number"]) for r in self._rows(sql, params))
        return taken
