"""Use cases around the dose: keep what a hold felt like, suggest the next session's dose."""

from __future__ import annotations

from collections.abc import Sequence

from stretchcoach.domain.dosing import Suggestion, suggest
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.routine import Routine
from stretchcoach.domain.session import Session
from stretchcoach.errors import NotFound
from stretchcoach.services.uow import UnitOfWork

RECENT_SESSIONS = 10


def record_felt(
    session_id: str, hold_id: str, felt: Felt, *, user_id: str, uow: UnitOfWork
) -> None:
    """Keep what one hold felt like; the hold must be in one of this user's sessions."""
    with uow:
        try:
            session = uow.sessions.get(session_id)
        except NotFound:
            session = None
        if (
            session is None
            or session.user_id != user_id
            or all(hold.id != hold_id for hold in session.holds)
        ):
            raise NotFound(f"no hold with id {hold_id!r} in session {session_id!r}")
        uow.sessions.set_felt(hold_id, felt)
        uow.commit()


def recent_felts(sessions: Sequence[Session]) -> list[list[Felt]]:
    """Each session's answers in hold order, newest session first (as the sessions come)."""
    return [
        [hold.felt for hold in sorted(s.holds, key=lambda h: h.hold_number) if hold.felt]
        for s in sessions
    ]


def next_suggestion(
    user_id: str, routine: Routine, *, uow: UnitOfWork, practice: bool = False
) -> Suggestion:
    """The dose for this user's next session of `routine`, with the reason.

    Real sessions follow real sessions; practice runs (a faster clock) follow practice runs,
    so a demo never changes the morning's dose.
    """
    with uow:
        sessions = [
            s
            for s in uow.sessions.list_recent(user_id, limit=RECENT_SESSIONS)
            if s.routine_id == routine.id
            and s.status.is_final
            and s.holds
            and s.practice == practice
        ]
    last_hold = sessions[0].settings.hold_s if sessions else None
    return suggest(routine.dose, last_hold_s=last_hold, recent=recent_felts(sessions))
