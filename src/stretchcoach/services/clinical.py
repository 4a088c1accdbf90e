"""Read one person's history and ask the clinical core (domain/clinical.py) for its verdict.

Every interface asks here: `start` and the web session for the gate and the dose, `stats`,
the Today page, the clinic dashboard and the PDF report for the flags. One read, one verdict.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.domain.clinical import LOOKBACK_DAYS, History, Verdict, assess
from stretchcoach.domain.routine import Routine
from stretchcoach.services.uow import UnitOfWork

RECENT_SESSIONS = 10
ENTRY_DAYS = LOOKBACK_DAYS + 2  # a margin for zones either side of UTC


def load_history(user_id: str, *, uow: UnitOfWork, now: datetime, zone: ZoneInfo) -> History:
    """What the core reads: recent sessions with their holds, two weeks of pain, every check."""
    with uow:
        sessions = uow.sessions.list_recent(user_id, limit=RECENT_SESSIONS)
        entries = uow.journal.entries(user_id, since=now - timedelta(days=ENTRY_DAYS))
        checks = uow.screens.history(user_id)
        acks = uow.screens.acknowledgements(user_id)
    return History(now, zone, sessions, entries, checks, acks)


def verdict(
    user_id: str,
    routine: Routine,
    *,
    uow: UnitOfWork,
    now: datetime,
    zone: ZoneInfo,
    reps_per_side: int | None = None,
    practice: bool = False,
) -> Verdict:
    """The gate, the next dose of `routine` and the flags for one person, now."""
    history = load_history(user_id, uow=uow, now=now, zone=zone)
    return assess(
        history,
        routine.dose,
        routine_id=routine.id,
        reps_per_side=reps_per_side,
        practice=practice,
    )
