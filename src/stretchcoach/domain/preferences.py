"""A person's standing choices: their dose, their morning, their zone and their reminder.

The dose must sit inside the routine's allowed ranges; the morning window is a span of local
clock time; the reminder is a local time of day. Every check names the field it is about, so
a form can show the message next to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stretchcoach.domain.adherence import DEFAULT_MORNING_END, DEFAULT_MORNING_START
from stretchcoach.domain.routine import Routine
from stretchcoach.domain.values import Side
from stretchcoach.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Preferences:
    """What one user has chosen. `reminder_at` None means no reminder."""

    user_id: str
    hold_s: float
    reps_per_side: int
    first_side: Side
    morning_start: time
    morning_end: time
    time_zone: str
    reminder_at: time | None
    calendar_token: str


def default_preferences(
    user_id: str, routine: Routine, *, time_zone: str, calendar_token: str
) -> Preferences:
    dose = routine.dose
    return Preferences(
        user_id=user_id,
        hold_s=dose.hold_s,
        reps_per_side=dose.reps_per_side,
        first_side=dose.first_side,
        morning_start=DEFAULT_MORNING_START,
        morning_end=DEFAULT_MORNING_END,
        time_zone=time_zone,
        reminder_at=None,
        calendar_token=calendar_token,
    )


def check_preferences(prefs: Preferences, routine: Routine) -> Preferences:
    """Return `prefs` if every choice is allowed; else InvalidInput naming the field."""
    dose = routine.dose
    if prefs.hold_s not in dose.hold_range:
        raise InvalidInput(
            f"a hold of {prefs.hold_s:g} s is not allowed: choose "
            f"{dose.hold_range.describe('seconds')}",
            field="hold_s",
        )
    if prefs.reps_per_side not in dose.reps_range:
        raise InvalidInput(
            f"{prefs.reps_per_side!r} holds per leg is not allowed: choose "
            f"{dose.reps_range.describe()}",
            field="reps_per_side",
        )
    if prefs.morning_start >= prefs.morning_end:
        raise InvalidInput(
            f"the morning cannot end ({prefs.morning_end:%H:%M}) before it starts "
            f"({prefs.morning_start:%H:%M})",
            field="morning_end",
        )
    check_time_zone(prefs.time_zone)
    return prefs


def check_time_zone(name: str) -> str:
    """An IANA zone name such as Europe/Paris; InvalidInput otherwise."""
    try:
        if not name or name.startswith(("/", ".")):
            raise ValueError
        ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        raise InvalidInput(
            f"time zone {name!r} is not known: use a name like Europe/London or America/Chicago",
            field="time_zone",
        ) from None
    return name


def parse_clock_time(text: str, *, field: str) -> time:
    """`07:30` -> time(7, 30); InvalidInput naming `field` otherwise."""
    hours, sep, minutes = text.strip().partition(":")
    try:
        if not sep or len(minutes) != 2 or not hours.isdigit() or not minutes.isdigit():
            raise ValueError
        return time(int(hours), int(minutes))
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not a time of day: use HH:MM, for example 07:30", field=field
        ) from None
