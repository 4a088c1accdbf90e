"""What the today and history pages show: the habit, the pain, the flexibility, in one read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.domain.daybook import (
    Adherence,
    active_days,
    adherence,
    daily_pain,
    local_day,
    streak,
)
from stretchcoach.domain.journal import PainEntry
from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.session import Session
from stretchcoach.domain.values import Side
from stretchcoach.services.uow import UnitOfWork

HISTORY_DAYS = 84  # twelve weeks on the calendar


@dataclass(frozen=True, slots=True)
class Today:
    local_date: date
    local_time: str
    done_today: bool
    in_morning: bool
    streak: int
    week: Adherence
    last_pain: PainEntry | None
    today_sessions: tuple[Session, ...]


@dataclass(frozen=True, slots=True)
class FlexPoint:
    day: date
    left_deg: float | None
    right_deg: float | None


@dataclass(frozen=True, slots=True)
class History:
    today: date
    first_day: date
    days: frozenset[date]
    streak: int
    week: Adherence
    month: Adherence
    pain_by_day: dict[date, int]
    flexibility: tuple[FlexPoint, ...]
    sessions: tuple[Session, ...]


def today_overview(prefs: Preferences, *, uow: UnitOfWork, now: datetime) -> Today:
    zone = ZoneInfo(prefs.time_zone)
    local_now = now.astimezone(zone)
    today = local_now.date()
    since = now - timedelta(days=40)
    with uow:
        sessions = uow.sessions.list_recent(prefs.user_id, since=since)
        entries = uow.journal.entries(prefs.user_id, since=since)
    days = active_days(sessions)
    return Today(
        local_date=today,
        local_time=local_now.strftime("%H:%M"),
        done_today=today in days,
        in_morning=prefs.morning_start <= local_now.time() < prefs.morning_end,
        streak=streak(days, today),
        week=adherence(days, today, over_days=7),
        last_pain=entries[-1] if entries else None,
        today_sessions=tuple(s for s in sessions if local_day(s) == today),
    )


def history_overview(
    prefs: Preferences, *, uow: UnitOfWork, now: datetime, over_days: int = HISTORY_DAYS
) -> History:
    from stretchcoach.services.flexibility import flexibility_trend

    today = now.astimezone(ZoneInfo(prefs.time_zone)).date()
    since = now - timedelta(days=over_days + 1)
    with uow:
        sessions = uow.sessions.list_recent(prefs.user_id, since=since)
        entries = uow.journal.entries(prefs.user_id, since=since)
    trend = flexibility_trend(uow=uow, user_id=prefs.user_id, since=since)
    days = active_days(sessions)
    return History(
        today=today,
        first_day=today - timedelta(days=over_days - 1),
        days=frozenset(days),
        streak=streak(days, today),
        week=adherence(days, today, over_days=7),
        month=adherence(days, today, over_days=30),
        pain_by_day=daily_pain(entries),
        flexibility=tuple(
            FlexPoint(
                p.started_at.astimezone(ZoneInfo(prefs.time_zone)).date(),
                p.of(Side.LEFT),
                p.of(Side.RIGHT),
            )
            for p in trend.points
        ),
        sessions=tuple(sessions[:20]),
    )
