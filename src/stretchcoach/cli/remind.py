"""`stretchcoach remind`: a calendar file with a daily reminder and an alarm."""

from __future__ import annotations

from pathlib import Path

import typer


def remind(
    at: str = typer.Option(..., "--at", metavar="HH:MM", help="Local time of the reminder."),
    out: Path | None = typer.Option(
        None,
        "--out",
        metavar="FILE",
        help="Write the calendar here (e.g. stretch.ics); without it, print it.",
    ),
) -> None:
    """Make a calendar file (.ics) that reminds you every day at --at, in your time zone.

    Import it into your phone or desktop calendar. Making it again with another time moves
    the same reminder rather than adding a second one.
    """
    from stretchcoach import bootstrap
    from stretchcoach.cli.common import settings
    from stretchcoach.domain.user import LOCAL_USER_ID
    from stretchcoach.services.reminders import plan_reminder

    current = settings(None)
    reminder = plan_reminder(
        at,
        user_id=LOCAL_USER_ID,
        time_zone=bootstrap.local_time_zone(current),
        now=bootstrap.clock().now(),
    )
    ics = bootstrap.reminder_calendar(reminder)
    if out is None:
        typer.echo(ics.decode(), nl=False)
        return
    bootstrap.write_file(out, ics)
    typer.echo(
        f"Saved {out}: a daily reminder at {reminder.at:%H:%M} ({reminder.time_zone}). "
        "Open it with your calendar to add it."
    )
