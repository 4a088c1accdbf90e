"""The server side of a session run in the browser: start it, keep each hold, resume, finish.

The browser drives the timeline with its own clock and posts every hold as it ends, each with
an id the browser made up. Posting the same hold again (a retry, a queue replayed after the
connection came back, a second tab) changes nothing, so no hold is lost and none counted
twice. A reload asks where the session stands and carries on from the next hold not yet saved.
What the camera coach measured of a hold stays on the server: the camera socket keeps it, and
it joins its hold when the hold arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stretchcoach.domain.form.metrics import HoldForm
from stretchcoach.domain.routine import Routine, SessionSettings
from stretchcoach.domain.session import Hold, Session, ended_hold
from stretchcoach.domain.timeline import PhaseKind, Timeline, build_timeline, hold_sides
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import InvalidInput
from stretchcoach.services import session_case
from stretchcoach.services.session_case import check_speed, owned, owned_session
from stretchcoach.services.sessions import STALE_AFTER, begin_session
from stretchcoach.services.uow import UnitOfWork, kept_once

EARLY_END_STATUSES = (SessionStatus.COMPLETED, SessionStatus.STOPPED)


@dataclass(frozen=True, slots=True)
class HoldReport:
    """A hold as the browser saw it end."""

    id: str  # made by the browser, the same on every retry
    hold_number: int
    side: Side
    held_s: float
    completed: bool  # how it felt comes apart: session_case.answer_felt


def start_browser_session(
    routine: Routine,
    settings: SessionSettings,
    *,
    user_id: str,
    uow: UnitOfWork,
    now: datetime,
    time_zone: str,
    speed: float = 1.0,
) -> Session:
    """A new session; any session this user left open is closed as interrupted first."""
    check_speed(speed)
    with uow:
        for session in uow.sessions.list_recent(user_id, limit=5):
            if not session.status.is_final:
                ended = session.last_seen_at or session.started_at
                uow.sessions.set_status(session.id, SessionStatus.INTERRUPTED, ended)
        uow.commit()
    return begin_session(
        routine, settings, user_id=user_id, uow=uow, now=now, time_zone=time_zone, speed=speed
    )


def open_session(user_id: str, *, uow: UnitOfWork, now: datetime) -> Session | None:
    """The user's session still in progress and heard from lately, if there is one."""
    with uow:
        recent = uow.sessions.list_recent(user_id, limit=5)
    session = next((s for s in recent if not s.status.is_final), None)
    if session is None:
        return None
    seen = session.last_seen_at or session.started_at
    return session if now - seen <= STALE_AFTER else None


def record_browser_hold(
    session_id: str, report: HoldReport, *, user_id: str, uow: UnitOfWork, now: datetime
) -> tuple[Hold, bool]:
    """Keep one hold; returns the saved hold and whether this call saved it.

    Conflict when the id is another hold's (services.uow.kept_once)."""
    return kept_once(
        lambda: _record_browser_hold(session_id, report, user_id=user_id, uow=uow, now=now),
        taken=f"hold id {report.id!r} is already taken: make a new one for this hold",
    )


def _record_browser_hold(
    session_id: str, report: HoldReport, *, user_id: str, uow: UnitOfWork, now: datetime
) -> tuple[Hold, bool]:
    with uow:
        uow.lock_store()  # the camera's measurement of this hold is kept under the same lock
        session = owned(session_id, user_id, uow)
        for saved in session.holds:
            if saved.id == report.id or saved.hold_number == report.hold_number:
                return saved, False
        _check_report(session, report)
        hold = ended_hold(
            session_id,
            report.hold_number,
            report.side,
            planned_s=session.settings.hold_s,
            held_s=report.held_s,
            completed=report.completed,
            ended_at=now,
            hold_id=report.id,
        )
        uow.sessions.add_hold(hold)
        measured = uow.hold_form.measured(session_id, hold.hold_number)
        if measured is not None:  # the camera saw this hold before it arrived
            _join_form(session, hold, measured, uow)
            uow.hold_form.drop_measured(session_id, hold.hold_number)
        if not session.status.is_final:
            uow.sessions.touch(session_id, now)
        uow.commit()
    return hold, True


def keep_measured_form(
    session_id: str, hold_number: int, form: HoldForm, *, user_id: str, uow: UnitOfWork
) -> bool:
    """Keep what the camera socket measured of a hold; True if it joined its hold now.

    The hold comes through the phone's outbox, before or after this (hours after, when the
    phone was offline). Already saved: the form is kept with it now. Not yet: it waits,
    under its session and hold number, for `record_browser_hold` to join it. Either way it
    never leaves its session, and the phone never carries it.
    """
    with uow:
        uow.lock_store()  # the hold's own save checks for this form under the same lock
        session = owned(session_id, user_id, uow)
        hold = next((h for h in session.holds if h.hold_number == hold_number), None)
        if hold is None:
            uow.hold_form.keep_measured(session_id, hold_number, form)
            uow.commit()
            return False
        joined = _join_form(session, hold, form, uow)
        uow.commit()
    return joined


def _join_form(session: Session, hold: Hold, form: HoldForm, uow: UnitOfWork) -> bool:
    """Keep a measured form with its hold, unless it is not this hold's (another leg, more
    good form than the hold could hold) or the hold has one; True if kept."""
    possible_s = hold.planned_s / min(session.speed, 1.0) + 60
    if form.side is not hold.side or form.good_form_s > possible_s:
        return False
    if uow.hold_form.for_holds([hold.id]):
        return False
    uow.hold_form.add(hold.id, form)
    return True


def _check_report(session: Session, report: HoldReport) -> None:
    sides = hold_sides(session.settings)
    if not 1 <= report.hold_number <= len(sides):
        raise InvalidInput(
            f"hold number {report.hold_number!r} is not in this session: use 1 to {len(sides)}",
            field="hold_number",
        )
    expected = sides[report.hold_number - 1]
    if report.side is not expected:
        raise InvalidInput(
            f"hold {report.hold_number} is on the {expected.value} leg, not the "
            f"{report.side.value!r} one",
            field="side",
        )
    if report.held_s < 0 or report.held_s > session.settings.hold_s + 5:
        raise InvalidInput(
            f"held {report.held_s:g} s is not possible for a {session.settings.hold_s:g} s hold",
            field="held_s",
        )


def finish_browser_session(
    session_id: str,
    status: SessionStatus,
    *,
    user_id: str,
    uow: UnitOfWork,
    now: datetime,
) -> Session:
    """Mark the session completed or stopped; finishing it again changes nothing."""
    if status not in EARLY_END_STATUSES:
        raise InvalidInput(
            f"status {status.value!r} cannot end a session: use completed or stopped",
            field="status",
        )
    session = owned_session(session_id, user_id=user_id, uow=uow)
    if session.status.is_final:
        return session
    session_case.finish(session_id, status, now=now, keep=session_case.store_now(uow))
    return owned_session(session_id, user_id=user_id, uow=uow)


def resume_phase(timeline: Timeline, saved_hold_numbers: set[int]) -> int | None:
    """Where a reloaded session carries on: the phase before the first hold not yet saved.

    That is the get-ready phase at the start, or the rest before the next hold later on, so
    the person always gets a moment to settle before a hold. None when every hold is saved.
    """
    for phase in timeline.holds:
        if phase.hold_number not in saved_hold_numbers:
            before = phase.index - 1
            if before >= 0 and timeline[before].kind in (PhaseKind.REST, PhaseKind.GET_READY):
                return before
            return phase.index
    return None


def session_timeline(session: Session, routine: Routine) -> Timeline:
    return build_timeline(routine, session.settings)
