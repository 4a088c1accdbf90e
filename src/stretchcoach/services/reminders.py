"""The daily reminder: a local time of day in the person's zone, as a calendar event.

The event keeps the same UID for a user whatever the time chosen, so importing a new file
(or subscribing again) moves the reminder instead of adding a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from stretchcoach.domain.preferences import check_time_zone, parse_clock_time

DURATION_MIN = 10


@dataclass(frozen=True, slots=True)
class Reminder:
    uid: str
    at: time  # local clock time, every day
    time_zone: str  # an IANA name: the event follows that zone's DST
    first_day: datetime  # when the series was made (its first local day is today)
    duration_min: int = DURATION_MIN


def reminder_uid(user_id: str) -> str:
    return f"morning-stretch-{user_id}@stretchcoach"


def plan_reminder(at: str, *, user_id: str, time_zone: str, now: datetime) -> Reminder:
    """Check `HH:MM` and the zone; InvalidInput names what is wrong."""
    return Reminder(
        uid=reminder_uid(user_id),
        at=parse_clock_time(at, field="at"),
        time_zone=check_time_zone(time_zone),
        first_day=now,
    )
