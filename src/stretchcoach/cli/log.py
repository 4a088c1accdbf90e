"""`stretchcoach log`: note how the pain is and where, look back at recent notes, or correct
one (`--edit ID`, `--delete ID`)."""

from __future__ import annotations

from dataclasses import dataclass
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
    from datetime import datetime

    from rich.console import Console

    from stretchcoach.bootstrap import Store
    from stretchcoach.config import Settings
    from stretchcoach.domain.journal import PainEntry
    from stretchcoach.domain.safety import Flag

SHORT_ID = 8  # characters of a rating's id the list shows: enough to tell them apart

WHERE_HELP = (
    "Where it hurts: SIDE:PLACE,... with SIDE left or right and PLACE one of lower-back, "
    "buttock, thigh, calf, foot, big-toe (e.g. left:thigh,left:calf)."
)


ID_HELP = "the rating's id, or its first characters, as the list shows it"


def log(
    pain: str | None = typer.Option(
        None,
        "--pain",
        metavar="N",
        help="Pain now, 0 (none) to 10 (worst imaginable). Without it, list recent entries.",
    ),
    where: str | None = typer.Option(None, "--where", metavar="SPEC", help=WHERE_HELP),
    note: str | None = typer.Option(
        None, "--note", metavar="TEXT", help="A short note (500 characters)."
    ),
    numb: str | None = NUMB_OPTION,
    weaker: str | None = WEAKER_OPTION,
    changed: str | None = CHANGED_OPTION,
    edit: str | None = typer.Option(
        None,
        "--edit",
        metavar="ID",
        help=f"Correct a rating ({ID_HELP}) with --pain, --where or --note; the first "
        "version stays in your record, marked corrected.",
    ),
    delete: str | None = typer.Option(
        None,
        "--delete",
        metavar="ID",
        help=f"Take back a rating ({ID_HELP}); it stays in your record, marked taken back.",
    ),
    days: str = typer.Option(
        "14", "--days", metavar="N", help="How many days to list (1 to 3660)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    db: str | None = DB_OPTION,
) -> None:
    """Log your pain (0-10) and where you feel it, list recent entries, or correct one."""
    from stretchcoach import bootstrap

    current = settings(db)
    zone_name = bootstrap.local_time_zone(current)
    now = bootstrap.clock().now()
    from stretchcoach.domain.checkin import symptoms_from_options

    symptoms = symptoms_from_options(numb, weaker, changed)
    if edit is not None or delete is not None:
        if edit is not None and delete is not None:
            raise InvalidInput("--edit and --delete go one at a time: choose one")
        if symptoms.asked:
            raise InvalidInput(
                "--numb, --weaker and --changed go with a new rating, not a correction: "
                "log them with --pain N"
            )
        if delete is not None and (pain is not None or where is not None or note is not None):
            raise InvalidInput(
                "--delete takes back a whole rating: leave out --pain, --where and --note"
            )
        _correct(current, edit, delete, pain, where, note, as_json, now, zone_name)
        return
    if pain is None:
        if where is not None or note is not None or symptoms.asked:
            raise InvalidInput(
                "--where, --note, --numb, --weaker and --changed go with a rating: add "
                "--pain N (0 to 10) to log"
            )
        _list(current, days, as_json, now)
        return
    from stretchcoach.domain.journal import parse_score
    from stretchcoach.services.journal import log_pain

    score = parse_score(pain)
    store = open_store(current)
    entry = log_pain(
        score,
        where=where or "",
        note=note or "",
        user_id=store.user_id,
        uow=store.uow,
        now=now,
        time_zone=zone_name,
        symptoms=symptoms,
    )
    flags = _flags(store, now, zone_name)
    if as_json:
        print_json({**entry_json(entry), "flags": [f.code for f in flags.flags]})
        return
    console = _console()
    place = places_words(entry.sites)
    console.print(f"Noted: pain {entry.score}/10" + (f" · {place}" if place else "") + ".")
    flags.show(console, entry.note)


def _list(current: Settings, days: str, as_json: bool, now: datetime) -> None:
    from stretchcoach.services.correction import corrections
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
    replacing = {
        c.superseded_by for c in corrections(store.user_id, uow=store.uow) if c.superseded_by
    }
    for e in entries:
        place = places_words(e.sites) or "–"
        extra = f" · {e.context.value}" if e.context.value != "standalone" else ""
        fixed = " · corrected" if e.id in replacing else ""
        text = f" · {e.note}" if e.note else ""
        console.print(
            f"{e.id[:SHORT_ID]}  {e.local_time:%a %d %b %H:%M}  {e.score:>2}/10  "
            f"{place}{extra}{fixed}{text}"
        )
    console.print(
        "To correct one: stretchcoach log --edit ID --pain N (or --where, --note); "
        "to take one back: --delete ID.",
        style="dim",
    )


def _correct(
    current: Settings,
    edit: str | None,
    delete: str | None,
    pain: str | None,
    where: str | None,
    note: str | None,
    as_json: bool,
    now: datetime,
    zone_name: str,
) -> None:
    """`--edit ID ...` or `--delete ID`: checked first, so bad input changes nothing."""
    from stretchcoach.domain.journal import parse_score, parse_sites
    from stretchcoach.services.correction import (
        correct_pain,
        own_entry,
        resolve_entry_id,
        withdraw_pain,
    )

    if edit is not None and pain is None and where is None and note is None:
        raise InvalidInput("--edit needs what to change: --pain N, --where SPEC or --note TEXT")
    score = None if pain is None else parse_score(pain)
    sites = None if where is None else parse_sites(where)
    store = open_store(current)
    given = edit if edit is not None else delete
    assert given is not None  # one of them, checked by the caller
    entry_id = resolve_entry_id(given, user_id=store.user_id, uow=store.uow)
    if delete is not None:
        gone = withdraw_pain(entry_id, user_id=store.user_id, uow=store.uow, now=now)
        flags = _flags(store, now, zone_name)
        if as_json:
            print_json({**entry_json(gone), "flags": [f.code for f in flags.flags]})
            return
        console = _console()
        console.print(
            f"Taken back: pain {gone.score}/10 of {gone.local_time:%a %d %b %H:%M}. It stays "
            "in your record, marked taken back, and no longer counts."
        )
        flags.show(console, "")
        return
    old = own_entry(entry_id, user_id=store.user_id, uow=store.uow)
    new = correct_pain(
        entry_id,
        user_id=store.user_id,
        uow=store.uow,
        now=now,
        score=score,
        sites=sites,
        note=note,
    )
    flags = _flags(store, now, zone_name)
    if as_json:
        print_json({**entry_json(new), "replaces": old.id, "flags": [f.code for f in flags.flags]})
        return
    console = _console()
    console.print(
        f"Corrected: {_said(new)} (was {_said(old)}). The first version stays in your "
        "record, marked corrected."
    )
    flags.show(console, new.note if note is not None else "")


def _said(entry: PainEntry) -> str:
    place = places_words(entry.sites)
    return f"pain {entry.score}/10" + (f" · {place}" if place else "")


@dataclass(frozen=True)
class _Flags:
    """What the clinical core says after a rating changed, to show or print."""

    flags: list[Flag]
    recheck: bool

    def show(self, console: Console, note: str) -> None:
        from stretchcoach.domain.safety import Severity
        from stretchcoach.services.checkin import NOTE_STANDS_AS_YES, note_signs

        if note and note_signs(note):
            console.print(NOTE_STANDS_AS_YES, style="bold")
        for flag in self.flags:
            style = "bold yellow" if flag.severity is Severity.EASE_OFF else "bold red"
            console.print(flag.message, style=style)
        if self.recheck:
            console.print(
                "Please answer the urgent questions again before you stretch: stretchcoach screen",
                style="bold red",
            )


def _flags(store: Store, now: datetime, zone_name: str) -> _Flags:
    from zoneinfo import ZoneInfo

    from stretchcoach import bootstrap
    from stretchcoach.domain.clinical import GateStatus
    from stretchcoach.domain.safety import Severity
    from stretchcoach.services.clinical import verdict

    found = verdict(
        store.user_id, bootstrap.routine(), uow=store.uow, now=now, zone=ZoneInfo(zone_name)
    )
    return _Flags(
        [f for f in found.flags if f.severity is not Severity.INFO],
        found.gate.status is GateStatus.RECHECK,
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
        "corrected_at": entry.corrected_at.isoformat() if entry.corrected_at else None,
        "superseded_by": entry.superseded_by,
    }
