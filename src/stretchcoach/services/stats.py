"""Insight for one person: the morning habit, the pain trend, the session effect, the safety flags.

UI-free, so the terminal and the clinic's web pages show the same figures. Every query is
filtered by the user (and, for the pain journal, by date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.domain.adherence import Habit, MorningWindow, habit, morning_day
from stretchcoach.domain.centralisation import Direction
from stretchcoach.domain.clinical import Verdict
from stretchcoach.domain.journal import PainContext
from stretchcoach.domain.preferences import check_time_zone
from stretchcoach.domain.routine import Routine
from stretchcoach.domain.safety import Flag
from stretchcoach.domain.session import local_start
from stretchcoach.domain.trends import PainTrend, SessionEffect, pain_trend, session_effect
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import InvalidInput
from stretchcoach.services.clinical import verdict
from stretchcoach.services.journal import MAX_DAYS
from stretchcoach.services.uow import ReadUnitOfWork

DEFAULT_DAYS = 30


@dataclass(frozen=True, slots=True)
class Insight:
    time_zone: str
    window: MorningWindow
    days: int
    habit: Habit
    trend: PainTrend
    effect: SessionEffect
    centralisation: dict[Side, Direction]
    verdict: Verdict  # the clinical core's: the gate, the next dose, the flags
    practice_ratings: int = 0  # ratings of the period left out: given around a practice run

    @property
    def flags(self) -> list[Flag]:
        return list(self.verdict.flags)


def check_days(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            f"--days {days!r} is not allowed: use a whole number from 1 to {MAX_DAYS}",
            field="days",
        )
    return days


def insight(
    user_id: str,
    *,
    routine: Routine,
    uow: ReadUnitOfWork,
    now: datetime,
    time_zone: str,
    window: MorningWindow,
    days: int = DEFAULT_DAYS,
) -> Insight:
    """Everything `stats` shows, as of `now`, with today in `time_zone`."""
    check_days(days)
    zone = ZoneInfo(check_time_zone(time_zone))
    today = now.astimezone(zone).date()
    since = now - timedelta(days=days + 1)  # a day of margin for zones either side of UTC
    with uow:
        sessions = uow.sessions.outlines(user_id)  # every one: the best streak is all-time
        entries = uow.journal.entries(user_id, since=since)
    current = verdict(user_id, routine, uow=uow, now=now, zone=zone)
    practice = {s.id for s in sessions if s.practice}
    first_day = today - timedelta(days=days - 1)
    left_out = sum(
        1 for e in entries if e.session_id in practice and e.local_time.date() >= first_day
    )
    entries = [e for e in entries if e.session_id not in practice]
    return Insight(
        time_zone=time_zone,
        window=window,
        days=days,
        habit=habit(sessions, now=now, zone=zone, window=window),
        trend=pain_trend(entries, today=today, days=days),
        effect=session_effect(e for e in entries if e.local_time.date() >= first_day),
        centralisation=current.signals.directions,  # the clinical core's own reading
        verdict=current,
        practice_ratings=left_out,
    )


# -- what the plot draws ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionMark:
    """One real session on the plot: when (local), pain before and after, and if it counted."""

    at: datetime  # local, in the zone it was recorded in
    before: int | None
    after: int | None
    counted: bool


@dataclass(frozen=True, slots=True)
class DayMark:
    day: date
    done: bool  # a morning that counts
    other: bool  # only a session outside the morning, or one stopped early


@dataclass(frozen=True, slots=True)
class PlotData:
    first_day: date
    today: date
    window: MorningWindow
    sessions: list[SessionMark]
    other_pain: list[tuple[datetime, int]]  # ratings logged on their own, local time
    calendar: list[DayMark]


def plot_data(
    user_id: str,
    *,
    uow: ReadUnitOfWork,
    now: datetime,
    time_zone: str,
    window: MorningWindow,
    days: int = DEFAULT_DAYS,
) -> PlotData:
    """What the plot draws: pain before and after each session, and the mornings."""
    check_days(days)
    zone = ZoneInfo(check_time_zone(time_zone))
    today = now.astimezone(zone).date()
    first_day = today - timedelta(days=days - 1)
    since = now - timedelta(days=days + 1)
    with uow:
        sessions = uow.sessions.outlines(user_id, since=since)
        entries = uow.journal.entries(user_id, since=since)

    before: dict[str, int] = {}
    after: dict[str, int] = {}
    other: list[tuple[datetime, int]] = []
    for e in entries:
        at = e.local_time
        if not first_day <= at.date() <= today:
            continue
        if e.session_id is not None and e.context is PainContext.BEFORE:
            before[e.session_id] = e.score
        elif e.session_id is not None and e.context is PainContext.AFTER:
            after[e.session_id] = e.score
        else:
            other.append((at, e.score))
    marks: list[SessionMark] = []
    done: set[date] = set()
    tried: set[date] = set()
    for s in sorted(sessions, key=lambda s: s.started_at):
        at = local_start(s)
        if s.practice or not first_day <= at.date() <= today:
            continue
        counted = morning_day(s, window) is not None
        marks.append(SessionMark(at, before.get(s.id), after.get(s.id), counted))
        if counted:
            done.add(at.date())
        elif s.status is not SessionStatus.IN_PROGRESS:
            tried.add(at.date())
    calendar = [
        DayMark(day, day in done, day in tried and day not in done)
        for day in (first_day + timedelta(days=n) for n in range(days))
    ]
    return PlotData(first_day, today, window, marks, sorted(other), calendar)
