"""Use cases around a guided session: make one, list them, tidy up.

Holds, answers, pain and the end of a session are kept by the session use case
(services/session_case.py), the same in the terminal and on the phone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from stretchcoach.domain.journal import AroundSession, around_sessions
from stretchcoach.domain.routine import Routine, SessionSettings
from stretchcoach.domain.session import Owner, Session, new_id
from stretchcoach.domain.values import SessionStatus
from stretchcoach.errors import InvalidInput

if TYPE_CHECKING:
    from stretchcoach.services.uow import ReadUnitOfWork, UnitOfWork

STALE_AFTER = timedelta(minutes=20)
MAX_LIMIT = 1_000_000  # sessions listed at once: more than three a day for 900 years


def begin_session(
    routine: Routine,
    settings: SessionSettings,
    *,
    user_id: str,
    uow: UnitOfWork,
    now: datetime,
    time_zone: str,
    speed: float = 1.0,
    owner: Owner | None = None,
) -> Session:
    """Create and save a new session; a faster clock marks it as practice."""
    session = new_session(
        routine,
        settings,
        user_id=user_id,
        now=now,
        time_zone=time_zone,
        speed=speed,
        owner=owner,
    )
    with uow:
        uow.sessions.add(session)
        uow.commit()
    return session


def new_session(
    routine: Routine,
    settings: SessionSettings,
    *,
    user_id: str,
    now: datetime,
    time_zone: str,
    speed: float = 1.0,
    owner: Owner | None = None,
) -> Session:
    """A new session, not yet saved; a faster clock marks it as practice."""
    return Session(
        id=new_id(),
        user_id=user_id,
        routine_id=routine.id,
        routine_name=routine.name,
        started_at=now,
        time_zone=time_zone,
        settings=settings,
        practice=speed != 1.0,
        speed=speed,
        last_seen_at=now,
        owner=owner,
    )


def get_session(session_id: str, *, uow: ReadUnitOfWork) -> Session:
    with uow:
        return uow.sessions.get(session_id)


def list_sessions(
    user_id: str, *, uow: ReadUnitOfWork, limit: int | None = None, since: datetime | None = None
) -> list[Session]:
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(
            f"--limit {limit!r} is not allowed: use a whole number from 1 to {MAX_LIMIT}"
        )
    with uow:
        return uow.sessions.list_recent(user_id, limit=limit, since=since)


def pain_around(
    sessions: Sequence[Session], *, user_id: str, uow: ReadUnitOfWork
) -> dict[str, AroundSession]:
    """The pain given just before and just after each of these sessions, by session id."""
    if not sessions:
        return {}
    since = min(s.started_at for s in sessions) - timedelta(days=1)  # a check-in comes first
    with uow:
        entries = uow.journal.entries(user_id, since=since)
    wanted = {s.id for s in sessions}
    return {sid: pain for sid, pain in around_sessions(entries).items() if sid in wanted}


def close_abandoned(
    *,
    uow: UnitOfWork,
    now: datetime,
    host: str,
    is_alive: Callable[[int], bool],
    stale_after: timedelta = STALE_AFTER,
) -> list[str]:
    """Mark sessions whose process died as interrupted; their saved holds stay."""
    closed: list[str] = []
    with uow:
        for session in uow.sessions.list_open():
            owner = session.owner
            alive = is_alive(owner.pid) if owner is not None and owner.host == host else None
            if session.is_abandoned(now=now, host=host, alive=alive, stale_after=stale_after):
                ended = session.last_seen_at or session.started_at
                uow.sessions.set_status(session.id, SessionStatus.INTERRUPTED, ended)
                closed.append(session.id)
        uow.commit()
    return closed
