"""What the today and history pages show: the habit, the pain, the flexibility, in one read.

The habit is the same as `stretchcoach stats` counts it (domain.adherence), with the
person's own morning window from their preferences.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.domain.adherence import Habit, MorningWindow, habit
from stretchcoach.domain.journal import AroundSession, PainEntry, around_sessions
from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.session import Session, local_start
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services.uow import ReadUnitOfWork

HISTORY_DAYS = 84  # twelve weeks on the calendar
SESSIONS_SHOWN = 20  # the newest sessions the history page lists, each with its holds


@dataclass(frozen=True, slots=True)
class Today:
    local_date: date
    local_time: str
    done_today: bool  # a morning that counts for the habit
    stretched_today: bool  # any whole session today, in the morning window or not
    in_morning: bool
    habit: Habit
    last_pain: PainEntry | None
    today_sessions: tuple[Session, ...]


@dataclass(frozen=True, slots=True)
class FlexPoint:
    day: date
    left_deg: float | None
    right_deg: float | None


@dataclass(frozen=True, slots=True)
class History:
    first_day: date
    habit: Habit
    pain_by_day: dict[date, int]
    flexibility: tuple[FlexPoint, ...]
    sessions: tuple[Session, ...]
    pain_around: dict[str, AroundSession]  # by session id: the pain before and after

    @property
    def today(self) -> date:
        return self.habit.today


def morning_window(prefs: Preferences) -> MorningWindow:
    return MorningWindow(prefs.morning_start, prefs.morning_end)


def today_overview(prefs: Preferences, *, uow: ReadUnitOfWork, now: datetime) -> Today:
    zone = ZoneInfo(prefs.time_zone)
    local_now = now.astimezone(zone)
    since = now - timedelta(days=40)
    with uow:
        sessions = uow.sessions.list_recent(prefs.user_id, since=since)
        entries = uow.journal.entries(prefs.user_id, since=since)
    window = morning_window(prefs)
    current = habit(sessions, now=now, zone=zone, window=window)
    today = local_now.date()
    today_sessions = tuple(s for s in sessions if local_start(s).date() == today)
    return Today(
        local_date=today,
        local_time=local_now.strftime("%H:%M"),
        done_today=today in current.days,
        stretched_today=any(
            s.status is SessionStatus.COMPLETED and not s.practice for s in today_sessions
        ),
        in_morning=window.contains(local_now.time()),
        habit=current,
        last_pain=entries[-1] if entries else None,
        today_sessions=today_sessions,
    )


def history_overview(
    prefs: Preferences, *, uow: ReadUnitOfWork, now: datetime, over_days: int = HISTORY_DAYS
) -> History:
    from stretchcoach.services.flexibility import flexibility_trend

    zone = ZoneInfo(prefs.time_zone)
    since = now - timedelta(days=over_days + 1)
    with uow:
        sessions = uow.sessions.list_recent(prefs.user_id, since=since)
        entries = uow.journal.entries(prefs.user_id, since=since)
    trend = flexibility_trend(uow=uow, user_id=prefs.user_id, since=since)
    current = habit(sessions, now=now, zone=zone, window=morning_window(prefs))
    pain_by_day: dict[date, int] = {}
    for entry in entries:  # oldest first: each day keeps its last rating
        pain_by_day[entry.local_time.date()] = entry.score
    return History(
        first_day=current.today - timedelta(days=over_days - 1),
        habit=current,
        pain_by_day=pain_by_day,
        flexibility=tuple(
            FlexPoint(p.started_at.astimezone(zone).date(), p.of(Side.LEFT), p.of(Side.RIGHT))
            for p in trend.points
        ),
        sessions=tuple(sessions[:SESSIONS_SHOWN]),
        pain_around=around_sessions(entries),
    )
