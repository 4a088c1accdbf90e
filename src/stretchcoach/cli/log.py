"""`stretchcoach log`: note how the pain is and where, or look back at recent notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from stretchcoach.cli.common import (
    CHANGED_OPTION,
    DB_OPTION,
    NUMB_OPTION,
    WEAKER_OPTION,
    open_store,
    print_json,
    settings,
    whole_number,
)
from stretchcoach.domain.journal import places_words
from stretchcoach.errors import InvalidInput

if TYPE_CHECKING:
    from rich.console import Console

    from stretchcoach.domain.journal import PainEntry

WHERE_HELP = (
    "Where it hurts: SIDE:PLACE,... with SIDE left or right and PLACE one of lower-back, "
    "buttock, thigh, calf, foot, big-toe (e.g. left:thigh,left:calf)."
)


def log(
    pain: str | None = typer.Option(
        None,
        "--pain",
        metavar="N",
        help="Pain now, 0 (none) to 10 (worst imaginable). Without it, list recent entries.",
    ),
    where: str = typer.Option("", "--where", metavar="SPEC", help=WHERE_HELP),
    note: str = typer.Option("", "--note", metavar="TEXT", help="A short note (500 characters)."),
    numb: str | None = NUMB_OPTION,
    weaker: str | None = WEAKER_OPTION,
    changed: str | None = CHANGED_OPTION,
    days: str = typer.Option(
        "14", "--days", metavar="N", help="How many days to list (1 to 3660)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    db: str | None = DB_OPTION,
) -> None:
    """Log your pain (0-10) and where you feel it, or list recent entries."""
    from stretchcoach import bootstrap

    current = settings(db)
    zone_name = bootstrap.local_time_zone(current)
    now = bootstrap.clock().now()
    from stretchcoach.domain.checkin import symptoms_from_options

    symptoms = symptoms_from_options(numb, weaker, changed)
    if pain is None:
        if where or note or symptoms.asked:
            raise InvalidInput(
                "--where, --note, --numb, --weaker and --changed go with a rating: add "
                "--pain N (0 to 10) to log"
            )
        from stretchcoach.services.journal import MAX_DAYS, recent_entries

        listed = whole_number(days, "--days", 1, MAX_DAYS)
        store = open_store(current, write=False)
        entries = recent_entries(store.user_id, uow=store.uow, now=now, days=listed)
        if as_json:
            print_json([entry_json(e) for e in entries])
            return
        console = _console()
        if not entries:
            console.print(f"No pain notes in the last {listed} days. Add one with --pain N.")
            return
        for e in entries:
            local = e.local_time
            place = places_words(e.sites) or "–"
            extra = f" · {e.context.value}" if e.context.value != "standalone" else ""
            text = f" · {e.note}" if e.note else ""
            console.print(f"{local:%a %d %b %H:%M}  {e.score:>2}/10  {place}{extra}{text}")
        return
    from zoneinfo import ZoneInfo

    from stretchcoach.domain.clinical import GateStatus
    from stretchcoach.domain.journal import parse_score
    from stretchcoach.domain.safety import Severity
    from stretchcoach.services.checkin import note_signs
    from stretchcoach.services.clinical import verdict
    from stretchcoach.services.journal import log_pain

    score = parse_score(pain)
    store = open_store(current)
    entry = log_pain(
        score,
        where=where,
        note=note,
        user_id=store.user_id,
        uow=store.uow,
        now=now,
        time_zone=zone_name,
        symptoms=symptoms,
    )
    found = verdict(
        store.user_id, bootstrap.routine(), uow=store.uow, now=now, zone=ZoneInfo(zone_name)
    )
    flags = [f for f in found.flags if f.severity is not Severity.INFO]
    if as_json:
        print_json({**entry_json(entry), "flags": [f.code for f in flags]})
        return
    console = _console()
    place = places_words(entry.sites)
    console.print(f"Noted: pain {entry.score}/10" + (f" · {place}" if place else "") + ".")
    if note_signs(entry.note):
        console.print("Your note reads as a warning sign, so it stands as a yes:", style="bold")
    for flag in flags:
        style = "bold yellow" if flag.severity is Severity.EASE_OFF else "bold red"
        console.print(flag.message, style=style)
    if found.gate.status is GateStatus.RECHECK:
        console.print(
            "Please answer the urgent questions again before you stretch: stretchcoach screen",
            style="bold red",
        )


def _console() -> Console:
    """The screen, for text (Rich loads only then: --json does without it)."""
    from rich.console import Console

    return Console(highlight=False)


def entry_json(entry: PainEntry) -> dict[str, object]:
    from stretchcoach.domain.journal import format_sites

    return {
        "id": entry.id,
        "recorded_at": entry.recorded_at.isoformat(),
        "time_zone": entry.time_zone,
        "score": entry.score,
        "where": format_sites(entry.sites),
        "context": entry.context.value,
        "session_id": entry.session_id,
        "note": entry.note,
    }
