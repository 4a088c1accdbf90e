"""`stretchcoach history`: the sessions so far, newest first."""

from __future__ import annotations

import sys
from collections.abc import Mapping

import typer

from stretchcoach.cli.common import DB_OPTION, open_store, print_json, settings, whole_number
from stretchcoach.domain.journal import AroundSession, PainEntry
from stretchcoach.domain.values import Side

NARROW = 90  # columns: below this the history is a list, not a table
FLEXIBILITY_WIDTH = 26  # ... and this much more with the camera's flexibility column


def history(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of sessions."),
    limit: str | None = typer.Option(
        None, "--limit", metavar="N", help="Only the newest N sessions (1 to 1000000)."
    ),
    db: str | None = DB_OPTION,
) -> None:
    """List past sessions and their holds."""
    from stretchcoach.cli.render import STATUS_WORDS, duration_text, session_json
    from stretchcoach.domain.session import local_start
    from stretchcoach.services.flexibility import session_flexibility
    from stretchcoach.services.sessions import MAX_LIMIT, list_sessions, pain_around
    from stretchcoach.services.users import clinic_hint

    newest = None if limit is None else whole_number(limit, "--limit", 1, MAX_LIMIT)
    store = open_store(settings(db), write=False)
    sessions = list_sessions(store.user_id, uow=store.uow, limit=newest)
    flexibility = session_flexibility([s.id for s in sessions], uow=store.uow)
    pain = pain_around(sessions, user_id=store.user_id, uow=store.uow)
    hint = None if sessions else clinic_hint(store.user_id, uow=store.uow)
    if as_json:
        if hint:  # the JSON stays a plain list for scripts; the person reads the hint
            print(hint, file=sys.stderr)
        print_json(
            [
                {
                    **session_json(s),
                    **_pain_json(pain.get(s.id)),
                    "flexibility": _flexibility_json(flexibility.get(s.id)),
                }
                for s in sessions
            ]
        )
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not sessions:
        console.print(hint or "No sessions yet. Run 'stretchcoach start' to do your first one.")
        return
    rows = []
    for s in sessions:
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
        rows.append(
            (
                local_start(s).strftime("%a %d %b %Y %H:%M"),
                status,
                f"{s.completed_holds}/{s.settings.total_holds}",
                *sides,
                duration_text(s.held_total_s),
                _pain_text(pain.get(s.id)),
                *([_flexibility_text(flexibility.get(s.id))] if flexibility else []),
            )
        )
    wide_enough = NARROW + (FLEXIBILITY_WIDTH if flexibility else 0)
    if console.width < wide_enough:  # a table would cut its words: a few lines a session
        console.print("Your sessions", style="italic")
        for when, status, holds, left, right, stretching, hurt, *flex in rows:
            console.print(f"[bold]{when}[/bold]  {status}", highlight=False)
            console.print(f"  {holds} holds, {stretching}, pain {hurt}", highlight=False)
            console.print(f"  left {left} · right {right}", highlight=False)
            if flex:
                console.print(f"  flexibility {flex[0]}", highlight=False)
    else:
        table = Table(title="Your sessions", title_justify="left", expand=False)
        table.add_column("When", no_wrap=True)  # a date read across, never split over lines
        table.add_column("Status", no_wrap=True)
        table.add_column("Holds", justify="right")
        table.add_column("Left", justify="right")
        table.add_column("Right", justify="right")
        table.add_column("Time", justify="right")  # stretching in all
        table.add_column("Pain", justify="right", no_wrap=True)  # before → after
        if flexibility:
            table.add_column("Flexibility L/R", justify="right")
        for row in rows:
            table.add_row(*row)
        console.print(table)
    console.print("Seconds held per hold; * marks a hold ended early.", style="dim")
    console.print("Pain: before → after the session, 0 to 10.", style="dim")
    if flexibility:
        console.print(
            "Flexibility: deepest hip flexion in good form, from the camera. "
            "A trend for you and your set-up, not a clinical measurement.",
            style="dim",
        )


def _pain_json(around: AroundSession | None) -> dict[str, dict[str, object] | None]:
    """`pain_before` and `pain_after`: each `{"score", "where", "note"}`, or null."""
    from stretchcoach.domain.journal import format_sites

    def one(entry: PainEntry | None) -> dict[str, object] | None:
        if entry is None:
            return None
        return {"score": entry.score, "where": format_sites(entry.sites), "note": entry.note}

    around = around or AroundSession()
    return {"pain_before": one(around.before), "pain_after": one(around.after)}


def _pain_text(around: AroundSession | None) -> str:
    if around is None:
        return "–"
    return " → ".join("–" if e is None else str(e.score) for e in (around.before, around.after))


def _flexibility_json(per_side: Mapping[Side, float | None] | None) -> dict[str, float | None]:
    """`{"left": deg|null, "right": deg|null}`; both null when no camera watched."""
    return {side.value: (per_side or {}).get(side) for side in Side}


def _flexibility_text(per_side: Mapping[Side, float | None] | None) -> str:
    if not per_side:
        return "–"
    return " / ".join(
        f"{value:.0f}°" if (value := per_side.get(side)) is not None else "–" for side in Side
    )
