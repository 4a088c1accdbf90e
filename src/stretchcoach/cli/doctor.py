"""`stretchcoach doctor`: is everything in place? Database, voice, optional extras."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from stretchcoach.cli.common import DB_OPTION, print_json, settings

if TYPE_CHECKING:
    from stretchcoach.config import Settings
    from stretchcoach.services.ports import PendingJournal

EXTRAS = {
    "vision": ("mediapipe", "cv2", "numpy"),
    "web": ("fastapi", "uvicorn", "jinja2", "argon2"),
}


def doctor(
    as_json: bool = typer.Option(False, "--json", help="Print the checks as JSON."),
    restore_set_aside: bool = typer.Option(
        False,
        "--restore-set-aside",
        help="Bring back records the database refused and that were set aside: make a "
        "missing session again from its records, then save them.",
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Check the database, what waits to be saved, the voice and the extras.

    Exits 2 when the database cannot be used, 1 when records wait or are set aside."""
    from importlib.util import find_spec

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from stretchcoach import bootstrap
    from stretchcoach.errors import StretchcoachError

    current = settings(db)
    if restore_set_aside:
        _restore(current, as_json=as_json)
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
    journal = bootstrap.pending_journal(current)
    checks["waiting"] = _waiting(journal)
    checks["set_aside"] = _set_aside(journal)
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
    if not (checks["waiting"]["ok"] and checks["set_aside"]["ok"]):
        raise typer.Exit(1)  # records are not in the database yet: a script can tell


def _restore(current: Settings, *, as_json: bool) -> None:
    """Bring back what is set aside, and say what came back and what is still aside."""
    import sys

    from stretchcoach import bootstrap
    from stretchcoach.cli.common import open_store
    from stretchcoach.services.safekeeping import describe
    from stretchcoach.services.set_aside import describe_aside, restore

    store = open_store(current)
    done = restore(
        store.keeper.journal,
        uow=store.uow,
        user_id=store.user_id,
        routine=bootstrap.routine(),
        time_zone=bootstrap.local_time_zone(current),
    )
    out = sys.stderr if as_json else sys.stdout
    if not (done.saved or done.still):
        print("Nothing is set aside.", file=out)
    if done.remade:
        n = len(done.remade)
        print(
            f"Made again from their records: {'a session' if n == 1 else f'{n} sessions'}.",
            file=out,
        )
    if done.saved:
        print(f"Brought back into the database: {describe(done.saved)}.", file=out)
    if done.still:
        print(
            f"Still set aside: {describe_aside(done.still)}, in "
            f"{store.keeper.journal.aside_location}.",
            file=out,
        )


def _set_aside(journal: PendingJournal) -> dict[str, object]:
    """What the database refused for good and was set aside, and how to bring it back."""
    from stretchcoach.errors import PendingUnwritable
    from stretchcoach.services.set_aside import describe_aside

    try:
        aside = journal.aside()
    except PendingUnwritable as error:
        return {"ok": False, "detail": str(error), "count": None}
    if not aside:
        return {"ok": True, "detail": "nothing is set aside", "count": 0}
    what = describe_aside(aside)
    return {
        "ok": False,
        "detail": f"{what[0].upper()}{what[1:]}, refused by the database, set aside in "
        f"{journal.aside_location}: `stretchcoach doctor --restore-set-aside` makes a missing "
        "session again from its records and saves them; what is still refused stays there",
        "count": len(aside),
    }


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
