"""The reminder as an RFC 5545 calendar file (icalendar), for phone and desktop calendars.

One event repeats daily (RRULE FREQ=DAILY) at the local time, written with a TZID and the
matching VTIMEZONE so the reminder stays at 07:30 through DST; a VALARM fires at the start.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.services.reminders import Reminder

PRODUCT_ID = "-//stretchcoach//morning reminder//EN"


def reminder_calendar(reminder: Reminder) -> bytes:
    from icalendar import Alarm, Calendar, Event

    zone = ZoneInfo(reminder.time_zone)
    local_today = reminder.first_day.astimezone(zone).date()
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Morning stretch")
    calendar.add("x-wr-timezone", reminder.time_zone)
    event = Event()
    event.add("uid", reminder.uid)
    event.add("dtstamp", reminder.first_day)
    event.add("dtstart", datetime.combine(local_today, reminder.at, tzinfo=zone))
    event.add("duration", timedelta(minutes=reminder.duration_min))
    event.add("rrule", {"freq": "daily"})
    event.add("summary", "Morning hamstring stretch")
    event.add(
        "description",
        "Sit on the edge of the bed and run 'stretchcoach start': a slow lean to a mild pull "
        "in the back of the thigh, both legs. Skip it and see a doctor if anything worries you.",
    )
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Time for your morning stretch")
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
