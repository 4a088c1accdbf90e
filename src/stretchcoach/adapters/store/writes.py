"""The repositories whole: reads.py's readers with their writes, in the same plain SQL.

Both ways of opening a store use these classes: the SQLAlchemy unit of work (every backend,
the web app and the clinic) hands in its connection, the terminal's SQLite store the standard
library's (light.py). One copy of every statement, so a record is written the same whichever
opened the store. A row is the record's flat fields (the same the export and the pending
journal write: `session_fields`, `hold_fields`, `pain_fields`) with what only the store keeps;
each Rows binds times and dates as its database holds them (reads.bound).
"""

from __future__ import annotations

from collections.abc import Sequence
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
from stretchcoach.adapters.store.summaries import touch
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.form.metrics import Fault, HoldForm
from stretchcoach.domain.journal import PainEntry, pain_fields
from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.screening import Acknowledgement, ScreenResult
from stretchcoach.domain.session import Hold, Session, hold_fields, session_fields
from stretchcoach.domain.user import User
from stretchcoach.domain.values import SessionStatus
from stretchcoach.errors import NotFound


def _insert(table: str, columns: Sequence[str]) -> str:
    names = ", ".join(columns)
    values = ", ".join(f":{c}" for c in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({values})"


def _insert_all(rows: Rows, table: str, new: Sequence[dict[str, Any]]) -> None:
    """Rows of the same columns into `table`, in one round of statements."""
    if new:
        rows.many(_insert(table, list(new[0])), new)


class SessionStore(SessionReads):
    def add(self, session: Session) -> None:
        self.add_all([session])
        self.add_holds(session.holds)

    def add_hold(self, hold: Hold) -> None:
        self.add_holds([hold])

    def add_all(self, new: Sequence[Session]) -> None:
        """Many sessions (without their holds) in one round of statements (an import)."""
        _insert_all(
            self._rows, "sessions", [session_fields(s) | {"user_id": s.user_id} for s in new]
        )
        touch(self._rows, "user", (s.user_id for s in new))

    def add_holds(self, new: Sequence[Hold]) -> None:
        _insert_all(self._rows, "holds", [hold_fields(h) for h in new])
        touch(self._rows, "session", (h.session_id for h in new))

    def set_felt(self, hold_id: str, felt: Felt) -> None:
        changed = self._rows.run(
            "UPDATE holds SET felt = :felt WHERE id = :id", {"felt": felt.value, "id": hold_id}
        )
        if changed == 0:
            raise NotFound(f"no hold with id {hold_id!r}")
        touch(self._rows, "hold", [hold_id])

    def set_status(self, session_id: str, status: SessionStatus, ended_at: datetime) -> None:
        changed = self._rows.run(
            "UPDATE sessions SET status = :status, ended_at = :at, last_seen_at = :at "
            "WHERE id = :id",
            {"status": status.value, "at": ended_at, "id": session_id},
        )
        if changed == 0:
            raise NotFound(f"no session with id {session_id!r}")
        touch(self._rows, "session", [session_id])

    def touch(self, session_id: str, seen_at: datetime) -> None:
        self._rows.run(
            "UPDATE sessions SET last_seen_at = :at WHERE id = :id",
            {"at": seen_at, "id": session_id},
        )


class JournalStore(JournalReads):
    def add(self, entry: PainEntry) -> None:
        self.add_all([entry])

    def add_all(self, entries: Sequence[PainEntry]) -> None:
        """Many ratings in one round of statements (an import)."""
        _insert_all(
            self._rows, "pain_entries", [pain_fields(e) | {"user_id": e.user_id} for e in entries]
        )
        touch(self._rows, "user", (e.user_id for e in entries))

    def supersede(self, entry_id: str, *, by: str | None, at: datetime) -> bool:
        """Mark a current rating corrected at `at`, replaced by the rating `by` (None:
        withdrawn); False when it is not current any more (corrected a moment ago)."""
        changed = self._rows.run(
            "UPDATE pain_entries SET corrected_at = :at, superseded_by = :by "
            "WHERE id = :id AND corrected_at IS NULL",
            {"at": at, "by": by, "id": entry_id},
        )
        touch(self._rows, "entry", [entry_id])
        return changed == 1


class ScreenStore(ScreenReads):
    def add(self, screen: ScreenResult) -> None:
        self.add_all([screen])

    def add_all(self, new: Sequence[ScreenResult]) -> None:
        _insert_all(self._rows, "screens", [_screen_row(r) for r in new])
        touch(self._rows, "user", (r.user_id for r in new))

    def add_acknowledgement(self, ack: Acknowledgement) -> None:
        row = {
            "id": ack.id,
            "user_id": ack.user_id,
            "codes": ",".join(ack.codes),
            "seen_on": ack.seen_on,
            "by_user_id": ack.by_user_id,
            "by_name": ack.by_name,
            "note": ack.note,
            "stored_at": ack.stored_at,
        }
        self._rows.run(_insert("screen_acknowledgements", list(row)), row)
        touch(self._rows, "user", [ack.user_id])


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


class UserStore(UserReads):
    def add(self, user: User) -> None:
        row = {
            "id": user.id,
            "display_name": user.display_name,
            "role": user.role.value,
            "created_at": user.created_at,
        }
        self._rows.run(_insert("users", list(row)), row)


_FAULT_COLUMNS = {fault: fault.value for fault in Fault}


def _measured(form: HoldForm) -> dict[str, Any]:
    """What the camera measured of a hold, as `hold_form` and `measured_form` both keep it."""
    return {
        "good_form_s": form.good_form_s,
        "max_hip_flexion_deg": form.max_hip_flexion_deg,
        "min_knee_deg": form.min_knee_deg,
        **{column: form.faults.get(fault, 0) for fault, column in _FAULT_COLUMNS.items()},
    }


class HoldFormStore(HoldFormReads):
    def add(self, hold_id: str, form: HoldForm) -> None:
        row = {"hold_id": hold_id, **_measured(form)}
        self._rows.run(_insert("hold_form", list(row)), row)
        if form.max_hip_flexion_deg is not None:
            add_fold(self._rows, hold_id, form.max_hip_flexion_deg)
            touch(self._rows, "hold", [hold_id])

    def keep_measured(self, session_id: str, hold_number: int, form: HoldForm) -> None:
        """Keep what the camera measured of a hold not yet arrived; the latest stands."""
        self.drop_measured(session_id, hold_number)
        row = {
            "session_id": session_id,
            "hold_number": hold_number,
            "side": form.side.value,
            "start_s": form.start_s,
            "end_s": form.end_s,
            **_measured(form),
        }
        self._rows.run(_insert("measured_form", list(row)), row)

    def drop_measured(self, session_id: str, hold_number: int) -> None:
        self._rows.run(
            "DELETE FROM measured_form WHERE session_id = :session AND hold_number = :number",
            {"session": session_id, "number": hold_number},
        )


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
            "updated_at": now,
        }
        assignments = ", ".join(f"{c} = :{c}" for c in values)
        row = {"user_id": prefs.user_id, **values}
        sql = f"UPDATE user_settings SET {assignments} WHERE user_id = :user_id"
        if self._rows.run(sql, row) == 0:
            self._rows.run(_insert("user_settings", list(row)), row)
