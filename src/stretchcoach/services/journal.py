"""Use cases for the pain journal from the terminal: log a rating, list recent entries.

Storing a rating is `services.pain.log_pain` (shared with the web app); this module adds what
the CLI needs around it: parsing the place spec and listing entries by local day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from stretchcoach.domain.checkin import NOT_ASKED, Symptoms
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.errors import InvalidInput
from stretchcoach.services.pain import log_pain as _keep
from stretchcoach.services.uow import ReadUnitOfWork, UnitOfWork

MAX_DAYS = 3660  # how far back a look at the records may reach: ten years


def log_pain(
    score: int,
    *,
    where: str = "",
    note: str = "",
    user_id: str,
    uow: UnitOfWork,
    now: datetime,
    time_zone: str,
    context: PainContext = PainContext.STANDALONE,
    session_id: str | None = None,
    symptoms: Symptoms = NOT_ASKED,
) -> PainEntry:
    """Check everything first (nothing is written on bad input), then keep the rating with
    the three questions' answers."""
    sites = parse_sites(where)
    return _keep(
        score,
        sites,
        user_id=user_id,
        uow=uow,
        now=now,
        time_zone=time_zone,
        note=note,
        context=context,
        session_id=session_id,
        symptoms=symptoms,
    )


def recent_entries(
    user_id: str, *, uow: ReadUnitOfWork, now: datetime, days: int | None = None
) -> list[PainEntry]:
    """A user's entries, oldest first: all of them, or those of the last `days` days."""
    if days is not None and days < 1:
        raise InvalidInput(f"--days {days!r} is not allowed: use 1 or more")
    since = None if days is None else now - timedelta(days=days)
    with uow:
        return uow.journal.entries(user_id, since=since)
