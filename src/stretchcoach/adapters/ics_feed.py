"""The reminder as an iCalendar feed any phone calendar can subscribe to.

One event repeats every day at the reminder time, in the person's own zone (so it follows
DST), with an alarm at the start. Without a reminder time the feed is valid and empty.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.domain.preferences import Preferences

PRODUCT_ID = "-//stretchcoach//morning reminder//EN"


def reminder_feed(prefs: Preferences, *, now: datetime, page_url: str) -> bytes:
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Morning stretch")
    calendar.add("x-wr-timezone", prefs.time_zone)
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    if prefs.reminder_at is not None:
        zone = ZoneInfo(prefs.time_zone)
        local_today = now.astimezone(zone).date()
        start = datetime.combine(local_today, prefs.reminder_at, tzinfo=zone)
        event = Event()
        event.add("uid", f"morning-stretch-{prefs.user_id}@stretchcoach")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("duration", timedelta(minutes=10))
        event.add("rrule", {"freq": "daily"})
        event.add("summary", "Morning hamstring stretch")
        event.add(
            "description",
            "A few minutes on the edge of the bed: a slow lean to a mild pull, both legs. "
            f"Open the coach: {page_url}",
        )
        event.add("url", page_url)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Time for your morning stretch")
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
