"""Read one person's history and ask the clinical core (domain/clinical.py) for its verdict.

Every interface asks here: `start` and the web session for the gate and the dose, `stats`,
the Today page and the PDF report for the flags. The clinic dashboard asks `assess` with the
same History read from each patient's summary (domain/clinical/inputs.py). One verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.domain.clinical import History, Verdict, assess
from stretchcoach.domain.clinical.inputs import ENTRY_DAYS, RECENT_SESSIONS, SESSION_DAYS
from stretchcoach.domain.journal import PainEntry
from stretchcoach.domain.routine import Routine
from stretchcoach.services.uow import ReadUnitOfWork

__all__ = ["ENTRY_DAYS", "RECENT_SESSIONS", "SESSION_DAYS", "load_histories", "load_history"]


def load_history(user_id: str, *, uow: ReadUnitOfWork, now: datetime, zone: ZoneInfo) -> History:
    """What the core reads: recent sessions with their holds, two weeks of pain, every check."""
    return load_histories({user_id: zone}, uow=uow, now=now)[user_id]


def load_histories(
    zones: Mapping[str, ZoneInfo], *, uow: ReadUnitOfWork, now: datetime
) -> dict[str, History]:
    """The same read for many people at once (a clinic's dashboard): a query per table for
    every 500 people (and one per 500 sessions for their holds) instead of five per person,
    and the very same histories one at a time would give."""
    users = list(zones)
    with uow:
        sessions = uow.sessions.recent_of(
            users, limit=RECENT_SESSIONS, since=now - timedelta(days=SESSION_DAYS)
        )
        entries = uow.journal.entries_of(users, since=now - timedelta(days=ENTRY_DAYS))
        checks = uow.screens.history_of(users)
        acks = uow.screens.acknowledgements_of(users)
    return {
        uid: History(now, zones[uid], sessions[uid], entries[uid], checks[uid], acks[uid])
        for uid in users
    }


def verdict(
    user_id: str,
    routine: Routine,
    *,
    uow: ReadUnitOfWork,
    now: datetime,
    zone: ZoneInfo,
    reps_per_side: int | None = None,
    practice: bool = False,
    today: PainEntry | None = None,
) -> Verdict:
    """The gate, the next dose of `routine` and the flags for one person, now.

    `today`: this morning's pain, reported at the check-in and kept once the session begins
    (or at once if the gate refuses it); the verdict reads it as if it were kept."""
    history = load_history(user_id, uow=uow, now=now, zone=zone)
    if today is not None:
        history = replace(history, entries=[*history.entries, today])
    return assess(
        history,
        routine.dose,
        routine_id=routine.id,
        reps_per_side=reps_per_side,
        practice=practice,
    )
