"""The reminder as a calendar feed a phone subscribes to (served at /calendar/<secret>.ics).

The event is the one `stretchcoach remind` writes (adapters.calendar): daily at the local
reminder time, following the zone's DST, with an alarm. The feed points it at the web app,
asks calendars to refresh twice a day, and is valid and empty when no reminder is set, so
clearing the time removes the event from a subscribed calendar.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from stretchcoach.domain.preferences import Preferences


def reminder_feed(prefs: Preferences, *, now: datetime, page_url: str) -> bytes:
    from icalendar import Calendar, vText

    from stretchcoach.adapters.calendar import PRODUCT_ID, reminder_calendar
    from stretchcoach.services.reminders import Reminder, reminder_uid

    if prefs.reminder_at is None:
        calendar = Calendar()
        calendar.add("prodid", PRODUCT_ID)
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", "Morning stretch")
    else:
        reminder = Reminder(
            uid=reminder_uid(prefs.user_id),
            at=prefs.reminder_at,
            time_zone=prefs.time_zone,
            first_day=now,
        )
        calendar = Calendar.from_ical(reminder_calendar(reminder))
        for event in calendar.walk("VEVENT"):
            event["description"] = vText(
                "A few minutes on the edge of the bed: a slow lean to a mild pull behind the "
                f"thigh, both legs. Open the coach: {page_url}"
            )
            event.add("url", page_url)
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    return bytes(calendar.to_ical())
