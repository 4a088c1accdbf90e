"""`stretchcoach doctor`: is everything in place? Database, voice, optional extras."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from stretchcoach.cli.common import DB_OPTION, print_json, settings

if TYPE_CHECKING:
    from stretchcoach.services.ports import PendingJournal

EXTRAS = {
    "vision": ("mediapipe", "cv2", "numpy"),
    "web": ("fastapi", "uvicorn", "jinja2", "argon2"),
}


def doctor(
    as_json: bool = typer.Option(False, "--json", help="Print the checks as JSON."),
    db: str | None = DB_OPTION,
) -> None:
    """Check the database, the voice and the optional extras."""
    from importlib.util import find_spec

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from stretchcoach import bootstrap
    from stretchcoach.errors import StretchcoachError

    current = settings(db)
    checks: dict[str, dict[str, object]] = {}
    try:
        health = bootstrap.store_health(current)
        if health.problem is not None:
            checks["database"] = {"ok": False, "detail": f"damaged: {health.problem}"}
        else:
            state = "read-only (history and export work)" if health.read_only else "up to date"
            detail = f"reachable, whole and {state}: {health.url}"
            checks["database"] = {"ok": True, "detail": detail}
    except StretchcoachError as error:
        checks["database"] = {"ok": False, "detail": str(error)}
    checks["waiting"] = _waiting(bootstrap.pending_journal(current))
    voice = bootstrap.speaker(current)
    checks["speech"] = {
        "ok": voice.name == "espeak-ng",
        "detail": (
            "espeak-ng speaks the cues"
            if voice.name == "espeak-ng"
            else f"{voice.name}: cues are shown; install espeak-ng to hear them"
        ),
    }
    for extra, modules in EXTRAS.items():
        missing = [m for m in modules if find_spec(m) is None]
        checks[f"extra:{extra}"] = {
            "ok": not missing,
            "detail": "installed"
            if not missing
            else f"not installed: pip install 'stretchcoach[{extra}]' (no {', '.join(missing)})",
        }
    checks["time_zone"] = {"ok": True, "detail": bootstrap.local_time_zone(current)}
    if as_json:
        print_json(checks)
    else:
        console = Console(highlight=False)
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column()
        for name, check in checks.items():
            mark = Text("ok", style="green") if check["ok"] else Text("warn", style="yellow")
            table.add_row(mark, name, Text(str(check["detail"])))
        console.print(table)
    if not checks["database"]["ok"]:
        raise typer.Exit(2)


def _waiting(journal: PendingJournal) -> dict[str, object]:
    """What an earlier session kept on this computer because the database did not answer."""
    from stretchcoach.errors import PendingUnwritable
    from stretchcoach.services.safekeeping import describe

    try:
        entries = journal.waiting()
    except PendingUnwritable as error:
        return {"ok": False, "detail": str(error), "count": None}
    if not entries:
        return {"ok": True, "detail": "nothing waits to be saved", "count": 0}
    kept = describe(entries)
    return {
        "ok": False,
        "detail": f"{kept[0].upper()}{kept[1:]} kept on this computer in {journal.location}: "
        "the next command that reaches the database saves them",
        "count": len(entries),
    }
