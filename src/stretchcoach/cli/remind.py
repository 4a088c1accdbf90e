"""`stretchcoach remind`: a calendar file with a daily reminder and an alarm, or a test
notification to the phones that take reminders."""

from __future__ import annotations

from pathlib import Path

import typer

from stretchcoach.cli.common import DB_OPTION, settings
from stretchcoach.errors import InvalidInput


def remind(
    at: str | None = typer.Option(
        None, "--at", metavar="HH:MM", help="Local time of the reminder."
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        metavar="FILE",
        help="Write the calendar here (e.g. stretch.ics); without it, print it.",
    ),
    push_test: bool = typer.Option(
        False,
        "--push-test",
        help="Send a test notification to every phone that takes reminders.",
    ),
    user: str | None = typer.Option(
        None,
        "--user",
        metavar="EMAIL",
        help="With --push-test on a clinic's database: whose phones.",
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Make a calendar file (.ics) that reminds you every day at --at, in your time zone.

    Import it into your phone or desktop calendar. Making it again with another time moves
    the same reminder rather than adding a second one. Reminders by notification are turned
    on in the web app (Settings); --push-test checks that they reach the phone.
    """
    if push_test:
        if at is not None or out is not None:
            raise InvalidInput("--push-test sends a notification: leave out --at and --out")
        _push_test(db, user)
        return
    if user is not None:
        raise InvalidInput("--user goes with --push-test")
    if at is None:
        raise InvalidInput("say when: --at HH:MM (e.g. --at 07:30), or --push-test")
    from stretchcoach import bootstrap
    from stretchcoach.domain.user import LOCAL_USER_ID
    from stretchcoach.services.reminders import plan_reminder

    current = settings(db)
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


def _push_test(db: str | None, email: str | None) -> None:
    from importlib.util import find_spec

    from stretchcoach import bootstrap
    from stretchcoach.domain.user import LOCAL_USER_ID
    from stretchcoach.services.accounts import user_by_email
    from stretchcoach.services.push import describe_test, send_test

    if find_spec("pywebpush") is None:
        raise InvalidInput("notifications need the web extra: pip install 'stretchcoach[web]'")
    current = settings(db)
    uow = bootstrap.unit_of_work(bootstrap.engine(current))
    user_id = LOCAL_USER_ID if email is None else user_by_email(email, uow=uow).id
    push = bootstrap.web_push(current, uow, now=bootstrap.clock().now())
    sent = send_test(user_id, uow=uow, sender=push.sender, url="/")
    typer.echo(describe_test(sent))
    if sent.sent == 0:
        raise typer.Exit(1)
