"""The reminder as an RFC 5545 calendar, parsed back with icalendar as a calendar app would."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from stretchcoach.adapters.calendar import reminder_calendar
from stretchcoach.errors import InvalidInput
from stretchcoach.services.reminders import plan_reminder

NOW = datetime(2026, 3, 20, 21, 0, tzinfo=UTC)


def parsed(at: str = "07:30", *, zone: str = "Europe/London", user: str = "u1") -> Calendar:
    ics = reminder_calendar(plan_reminder(at, user_id=user, time_zone=zone, now=NOW))
    return Calendar.from_ical(ics)


def test_the_reminder_is_a_daily_event_at_the_local_time_with_an_alarm() -> None:
    calendar = parsed()

    (event,) = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert (start.time(), start.date()) == (time(7, 30), date(2026, 3, 20))
    assert start.tzinfo is not None and "Europe/London" in str(event["dtstart"].params["TZID"])
    assert event["rrule"]["FREQ"] == ["DAILY"]
    assert event.decoded("duration") == timedelta(minutes=10)
    (alarm,) = event.walk("VALARM")
    assert alarm["action"] == "DISPLAY"
    assert alarm.decoded("trigger") == timedelta(0)
    assert calendar["version"] == "2.0" and calendar["prodid"]


def test_the_calendar_carries_the_zone_so_the_reminder_keeps_its_time_through_dst() -> None:
    calendar = parsed(zone="Europe/London")

    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["tzid"] == "Europe/London"
    offsets = {
        part.name: part.decoded("tzoffsetto")
        for part in timezone.subcomponents
        if part.name in ("STANDARD", "DAYLIGHT")
    }
    assert offsets == {"STANDARD": timedelta(0), "DAYLIGHT": timedelta(hours=1)}
    (event,) = calendar.walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert event["dtstart"].to_ical() == b"20260320T073000"  # local wall time, not UTC


def test_the_uid_is_stable_for_a_person_so_a_new_time_moves_the_same_reminder() -> None:
    first = parsed("07:30", user="u1").walk("VEVENT")[0]["uid"]
    moved = parsed("06:45", user="u1").walk("VEVENT")[0]["uid"]
    other = parsed("07:30", user="u2").walk("VEVENT")[0]["uid"]

    assert first == moved
    assert first != other


@pytest.mark.parametrize(
    ("at", "zone", "message"),
    [
        ("25:00", "Europe/London", "'25:00' is not a time of day"),
        ("7.30", "Europe/London", "'7.30' is not a time of day"),
        ("07:60", "Europe/London", "'07:60' is not a time of day"),
        ("", "Europe/London", "'' is not a time of day"),
        ("07:30", "Mars/Olympus", "time zone 'Mars/Olympus' is not known"),
    ],
    ids=["hour-25", "dot", "minute-60", "empty", "unknown-zone"],
)
def test_a_bad_time_or_zone_is_refused_with_what_is_allowed(
    at: str, zone: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        plan_reminder(at, user_id="u1", time_zone=zone, now=NOW)
