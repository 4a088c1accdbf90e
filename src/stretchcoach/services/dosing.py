"""Use cases around the dose: keep what a hold felt like. The next dose is the clinical core's
(services/clinical.py)."""

from __future__ import annotations

from collections.abc import Sequence

from stretchcoach.domain.feel import Felt
from stretchcoach.domain.session import Session
from stretchcoach.errors import NotFound
from stretchcoach.services.uow import UnitOfWork


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
