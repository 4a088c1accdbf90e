"""The morning habit: which days count, streaks, and adherence over the last week and month.

A day counts when a completed session that is not a practice run started inside the person's
morning window (local clock time, by default 04:00 to 12:00). "Local" means the zone the
session was recorded in: each session keeps its own zone, so a DST change or a trip never
moves a morning to another day. Days are calendar dates, never 24-hour spans.

Today is still open until its morning window ends: a streak that reached yesterday still
stands, and today is left out of the adherence figures until it is done or its morning is
over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.domain.session import Dated, local_start
from stretchcoach.domain.values import SessionStatus
from stretchcoach.errors import InvalidInput

DEFAULT_MORNING_START = time(4, 0)
DEFAULT_MORNING_END = time(12, 0)


@dataclass(frozen=True, slots=True)
class MorningWindow:
    """A span of local clock time, start included, end excluded."""

    start: time = DEFAULT_MORNING_START
    end: time = DEFAULT_MORNING_END

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise InvalidInput(
                f"the morning window {self.start:%H:%M}-{self.end:%H:%M} ends before it "
                "starts: choose a start earlier than the end, both HH:MM within one day"
            )

    def contains(self, moment: time) -> bool:
        return self.start <= moment.replace(tzinfo=None) < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True, slots=True)
class Start:
    """When a session started on the clock of its own zone, and whether it can count at all
    (completed, not a practice run): all the habit needs of it, whatever the window."""

    day: date
    clock: time
    can_count: bool


def start_of(session: Dated) -> Start:
    local = local_start(session)
    done = not session.practice and session.status is SessionStatus.COMPLETED
    return Start(local.date(), local.time().replace(tzinfo=None), done)


def counted_day(start: Start, window: MorningWindow) -> date | None:
    """The local date a session counts for, or None when it does not count."""
    return start.day if start.can_count and window.contains(start.clock) else None


def morning_day(session: Dated, window: MorningWindow) -> date | None:
    """The local date the session counts for, or None when it does not count."""
    return counted_day(start_of(session), window)


def habit_days(sessions: Iterable[Dated], window: MorningWindow) -> frozenset[date]:
    return frozenset(d for s in sessions if (d := morning_day(s, window)) is not None)


def counted_days(starts: Iterable[Start], window: MorningWindow) -> frozenset[date]:
    return frozenset(d for s in starts if (d := counted_day(s, window)) is not None)


@dataclass(frozen=True, slots=True)
class Adherence:
    """Mornings done out of the days that could have been done."""

    done: int
    of_days: int

    @property
    def ratio(self) -> float:
        return self.done / self.of_days if self.of_days else 0.0


@dataclass(frozen=True, slots=True)
class Habit:
    today: date
    today_open: bool  # today's morning has not ended and today is not done yet
    days: frozenset[date]
    current_streak: int
    best_streak: int
    last_7: Adherence
    last_30: Adherence


def today_is_open(
    days: frozenset[date], *, now: datetime, zone: ZoneInfo, window: MorningWindow
) -> bool:
    local = now.astimezone(zone)
    return local.date() not in days and local.time().replace(tzinfo=None) < window.end


def current_streak(days: frozenset[date], today: date, *, today_open: bool) -> int:
    """Mornings in a row up to today, or up to yesterday while today is still open."""
    day = today if (today in days or not today_open) else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def best_streak(days: Iterable[date]) -> int:
    best = run = 0
    previous: date | None = None
    for day in sorted(set(days)):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


def adherence(days: frozenset[date], today: date, *, over_days: int, today_open: bool) -> Adherence:
    """How many of the last `over_days` days were done; an open today is not yet counted."""
    last = today - timedelta(days=1) if today_open else today
    window = {last - timedelta(days=n) for n in range(over_days)}
    return Adherence(len(days & window), over_days)


def habit(
    sessions: Iterable[Dated], *, now: datetime, zone: ZoneInfo, window: MorningWindow
) -> Habit:
    """The habit as of `now`, with today taken in the person's current zone."""
    days = habit_days(sessions, window)
    today = now.astimezone(zone).date()
    open_ = today_is_open(days, now=now, zone=zone, window=window)
    return Habit(
        today=today,
        today_open=open_,
        days=days,
        current_streak=current_streak(days, today, today_open=open_),
        best_streak=best_streak(days),
        last_7=adherence(days, today, over_days=7, today_open=open_),
        last_30=adherence(days, today, over_days=30, today_open=open_),
    )
