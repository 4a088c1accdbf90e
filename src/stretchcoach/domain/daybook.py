"""Days in the person's own calendar: which mornings had a stretch, streaks, daily pain.

A day counts when a real (not practice) session on it kept at least one completed hold. Days
are local dates in the zone each record was made in, so travel and DST never split a morning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.domain.journal import PainEntry
from stretchcoach.domain.session import Session


def local_day(session: Session) -> date:
    return session.started_at.astimezone(ZoneInfo(session.time_zone)).date()


def counts_for_habit(session: Session) -> bool:
    return not session.practice and session.completed_holds > 0


def active_days(sessions: Iterable[Session]) -> set[date]:
    """The local dates with at least one session that counts."""
    return {local_day(s) for s in sessions if counts_for_habit(s)}


def streak(days: set[date], today: date) -> int:
    """Mornings in a row up to today; a streak still stands today if yesterday was done."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


@dataclass(frozen=True, slots=True)
class Adherence:
    done: int
    of_days: int

    @property
    def ratio(self) -> float:
        return self.done / self.of_days if self.of_days else 0.0


def adherence(days: set[date], today: date, *, over_days: int) -> Adherence:
    """How many of the last `over_days` days (today included) had a stretch."""
    window = {today - timedelta(days=i) for i in range(over_days)}
    return Adherence(len(days & window), over_days)


def daily_pain(entries: Iterable[PainEntry]) -> dict[date, int]:
    """Each local day's last rating."""
    result: dict[date, int] = {}
    for entry in sorted(entries, key=lambda e: e.recorded_at):
        result[entry.recorded_at.astimezone(ZoneInfo(entry.time_zone)).date()] = entry.score
    return result
