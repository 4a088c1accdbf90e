"""`stretchcoach history`: the sessions so far, newest first."""

from __future__ import annotations

import typer

from stretchcoach.cli.common import DB_OPTION, open_store, print_json, settings


def history(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of sessions."),
    limit: int | None = typer.Option(
        None, "--limit", min=1, metavar="N", help="Only the newest N sessions."
    ),
    db: str | None = DB_OPTION,
) -> None:
    """List past sessions and their holds."""
    from zoneinfo import ZoneInfo

    from rich.console import Console
    from rich.table import Table

    from stretchcoach.cli.render import STATUS_WORDS, duration_text, session_json
    from stretchcoach.services.sessions import list_sessions

    store = open_store(settings(db))
    sessions = list_sessions(store.user_id, uow=store.uow, limit=limit)
    if as_json:
        print_json([session_json(s) for s in sessions])
        return
    console = Console()
    if not sessions:
        console.print("No sessions yet. Run 'stretchcoach start' to do your first one.")
        return
    table = Table(title="Your sessions", title_justify="left", expand=False)
    table.add_column("When")
    table.add_column("Status")
    table.add_column("Holds", justify="right")
    table.add_column("Left", justify="right")
    table.add_column("Right", justify="right")
    table.add_column("Stretching", justify="right")
    for s in sessions:
        local = s.started_at.astimezone(ZoneInfo(s.time_zone))
        status = STATUS_WORDS[s.status] + (" (practice)" if s.practice else "")
        sides = [
            " ".join(
                f"{h.held_s:.0f}" + ("" if h.completed else "*")
                for h in s.holds
                if h.side.value == side
            )
            or "–"
            for side in ("left", "right")
        ]
        table.add_row(
            local.strftime("%a %d %b %Y %H:%M"),
            status,
            f"{s.completed_holds}/{s.settings.total_holds}",
            *sides,
            duration_text(s.held_total_s),
        )
    console.print(table)
    console.print("Seconds held per hold; * marks a hold ended early.", style="dim")
