"""The unit of work and repositories the use cases need, as protocols.

`with uow: ...; uow.commit()` — leaving the block without a commit rolls back.
"""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from stretchcoach.domain.session import Hold, Session
from stretchcoach.domain.values import SessionStatus


class SessionRepository(Protocol):
    def add(self, session: Session) -> None: ...

    def get(self, session_id: str) -> Session:
        """The session with its holds; raises NotFound."""
        ...

    def add_hold(self, hold: Hold) -> None: ...

    def set_status(self, session_id: str, status: SessionStatus, ended_at: datetime) -> None: ...

    def touch(self, session_id: str, seen_at: datetime) -> None: ...

    def list_recent(self, *, limit: int | None = None) -> list[Session]:
        """Sessions with their holds, newest first."""
        ...

    def list_open(self) -> list[Session]:
        """Sessions still marked in progress."""
        ...


class UnitOfWork(Protocol):
    @property
    def sessions(self) -> SessionRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
