"""A guided session as recorded: who ran it with which dose, and every hold it kept."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from stretchcoach.domain.feel import Felt
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.values import SessionStatus, Side

if TYPE_CHECKING:  # the runner (and its timeline) load only for a guided session
    from stretchcoach.domain.runner import HoldResult


class Dated(Protocol):
    """What the morning habit needs of a session: when, where, how it ended, if practice."""

    @property
    def started_at(self) -> datetime: ...

    @property
    def time_zone(self) -> str: ...

    @property
    def status(self) -> SessionStatus: ...

    @property
    def practice(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class SessionOutline:
    """A session without its holds: enough for the habit, cheap to read for years of them."""

    id: str
    started_at: datetime
    time_zone: str
    status: SessionStatus
    practice: bool


def local_start(session: Dated) -> datetime:
    """When a session started, on the clock of the zone it was recorded in."""
    return session.started_at.astimezone(ZoneInfo(session.time_zone))


def new_id() -> str:
    """A stable identifier for a record, the same wherever the record goes."""
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class Owner:
    """The process running a session, so an abandoned session can be told from a live one."""

    host: str
    pid: int


@dataclass(frozen=True, slots=True)
class Hold:
    """One hold as saved."""

    id: str
    session_id: str
    hold_number: int
    side: Side
    planned_s: float
    held_s: float
    completed: bool
    ended_at: datetime
    felt: Felt | None = None

    @classmethod
    def from_result(cls, session_id: str, result: HoldResult, ended_at: datetime) -> Hold:
        """A hold as the runner ended it (the terminal)."""
        return ended_hold(
            session_id,
            result.hold_number,
            result.side,
            planned_s=result.planned_s,
            held_s=result.held_s,
            completed=result.completed,
            ended_at=ended_at,
        )


COMPLETED_MARGIN_S = 0.5  # a hold ended this close to its plan counts as completed


def ended_hold(
    session_id: str,
    hold_number: int,
    side: Side,
    *,
    planned_s: float,
    held_s: float,
    completed: bool,
    ended_at: datetime,
    hold_id: str | None = None,
    felt: Felt | None = None,
) -> Hold:
    """A hold as it ended, wherever it ran (the terminal's runner, the phone's timer).

    It counts as completed when it ran to its end (not skipped or stopped) and was held to
    within half a second of its plan; the time held is kept between 0 and the plan."""
    held = round(min(max(held_s, 0.0), planned_s), 3)
    return Hold(
        id=hold_id or new_id(),
        session_id=session_id,
        hold_number=hold_number,
        side=side,
        planned_s=planned_s,
        held_s=held,
        completed=completed and held >= planned_s - COMPLETED_MARGIN_S,
        ended_at=ended_at,
        felt=felt,
    )


@dataclass(eq=False, slots=True)
class Session:
    """One run of a routine. Entities compare by identity."""

    id: str
    user_id: str
    routine_id: str
    routine_name: str
    started_at: datetime
    time_zone: str
    settings: SessionSettings
    practice: bool = False
    speed: float = 1.0
    status: SessionStatus = SessionStatus.IN_PROGRESS
    ended_at: datetime | None = None
    last_seen_at: datetime | None = None
    owner: Owner | None = None
    holds: list[Hold] = field(default_factory=list)

    @property
    def held_total_s(self) -> float:
        return sum(h.held_s for h in self.holds)

    @property
    def completed_holds(self) -> int:
        return sum(1 for h in self.holds if h.completed)

    def is_abandoned(
        self, *, now: datetime, host: str, alive: bool | None, stale_after: timedelta
    ) -> bool:
        """Whether an open session has lost the process that ran it.

        `alive` says whether this session's owner process still runs, when that can be known
        (same host); otherwise a session is abandoned once nothing has been heard from it for
        `stale_after`.
        """
        if self.status.is_final:
            return False
        if self.owner is not None and self.owner.host == host and alive is not None:
            return not alive
        seen = self.last_seen_at or self.started_at
        return now - seen > stale_after


def session_fields(s: Session) -> dict[str, Any]:
    """A session's own values, flat, without its holds or its owner's id: one record as the
    export, the pending journal and the store each write it (times left as datetimes)."""
    return {
        "id": s.id,
        "started_at": s.started_at,
        "ended_at": s.ended_at,
        "last_seen_at": s.last_seen_at,
        "time_zone": s.time_zone,
        "status": s.status.value,
        "practice": s.practice,
        "speed": s.speed,
        "routine_id": s.routine_id,
        "routine_name": s.routine_name,
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


def hold_fields(h: Hold) -> dict[str, Any]:
    """A hold's values, flat (see session_fields)."""
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
