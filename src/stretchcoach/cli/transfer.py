"""`stretchcoach export` and `stretchcoach import`: your records as JSON or CSV, and back;
and as FHIR R4 for a clinic's system (export only)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from stretchcoach.cli.common import DB_OPTION, open_store, settings

OnProgress = Callable[[int, int], None]  # (done, total)


def export(
    fmt: str = typer.Option(
        "json", "--format", metavar="json|csv|fhir", help="File format (fhir: a FHIR R4 Bundle)."
    ),
    out: Path | None = typer.Option(
        None, "--out", metavar="FILE", help="Write here; without it, print to the screen."
    ),
    name: str | None = typer.Option(
        None,
        "--name",
        metavar="TEXT",
        help="With fhir: put this name in the file. Without it you are a random id only.",
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Write every session, hold, pain rating and screen, each with its own id."""
    from stretchcoach import bootstrap
    from stretchcoach.services.transfer import export_bundle

    bootstrap.check_export_format(fmt)
    if name is not None:
        name = _fhir_name(name, fmt)
    store = open_store(settings(db), write=False)
    bundle = export_bundle(store.user_id, uow=store.uow)
    now = bootstrap.clock().now()
    if fmt == "fhir":
        import json

        from stretchcoach.domain.session import new_id
        from stretchcoach.services.fhir import fhir_bundle, fhir_counts

        data = fhir_bundle(bundle, patient_id=new_id(), now=now, name=name, notes=True)
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        found = fhir_counts(data)
        saved = (
            f"a FHIR R4 Bundle with {found['pain']} pain ratings, {found['session']} sessions "
            f"(practice runs left out) and {found['check']} warning-signs checks."
        )
    else:
        text = bootstrap.export_text(bundle, fmt, now=now)
        counts = bundle.counts()
        saved = (
            f"{counts['session']} sessions, {counts['hold']} holds, "
            f"{counts['pain']} pain ratings, {counts['screen']} screens, "
            f"{counts['seen']} visits recorded."
        )
    if out is None:
        typer.echo(text, nl=False)
        return
    bootstrap.write_file(out, text.encode("utf-8"))
    typer.echo(f"Saved {out}: {saved}")


def _fhir_name(raw: str, fmt: str) -> str:
    from stretchcoach.domain.accounts import check_display_name
    from stretchcoach.errors import InvalidInput

    if fmt != "fhir":
        raise InvalidInput("--name is for --format fhir: json and csv carry no name")
    return check_display_name(raw)


def import_(
    file: Path = typer.Argument(..., metavar="FILE", help="A JSON or CSV file from 'export'."),
    db: str | None = DB_OPTION,
) -> None:
    """Add the records in FILE. All or nothing; records you already have are skipped."""
    from zoneinfo import ZoneInfo

    from stretchcoach import bootstrap
    from stretchcoach.errors import InvalidInput
    from stretchcoach.services.transfer import import_bundle

    data = bootstrap.read_file(file, what="the import file", limit=IMPORT_MAX_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"cannot read {str(file)!r}: it is not UTF-8 text") from None
    del data
    current = settings(db)
    store = open_store(current)
    with _progress(len(text)) as (checking, saving):
        bundle = bootstrap.read_export(
            text, user_id=store.user_id, name=repr(str(file)), progress=checking
        )
        result = import_bundle(
            bundle,
            user_id=store.user_id,
            uow=store.uow,
            now=bootstrap.clock().now(),
            zone=ZoneInfo(bootstrap.local_time_zone(current)),
            progress=saving,
        )
    added, skipped = result.added, result.skipped
    typer.echo(
        f"Imported {added['session']} sessions, {added['hold']} holds, "
        f"{added['pain']} pain ratings, {added['screen']} screens, "
        f"{added['seen']} visits recorded."
    )
    if any(skipped.values()):
        shown = result.skipped_records[:SKIPPED_SHOWN]
        more = len(result.skipped_records) - len(shown)
        typer.echo(
            f"Skipped {sum(skipped.values())} records whose id you already had; the saved one "
            f"is kept as it is, even where the file's differs: {', '.join(shown)}"
            + (f", and {more} more." if more else ".")
        )


SKIPPED_SHOWN = 5  # skipped records named one by one; the rest are counted


# An export of about 370,000 records (200,000 are 69.5 MB: docs/benchmarks.md); reading and
# checking one takes a few GB of memory, so a larger file (or /dev/zero) is refused unread.
IMPORT_MAX_BYTES = 128 * 2**20
SHOW_PROGRESS_FROM = 1_000_000  # characters: a file that takes a moment


@contextmanager
def _progress(size: int) -> Iterator[tuple[OnProgress | None, OnProgress | None]]:
    """Bars for checking and saving a large file, on stderr when it is a terminal."""
    import sys

    if size < SHOW_PROGRESS_FROM or not sys.stderr.isatty():
        yield None, None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    checking = bars.add_task("Checking", total=None)
    saving = bars.add_task("Saving", total=None, visible=False)

    def checked(done: int, total: int) -> None:
        bars.update(checking, completed=done, total=total)

    def saved(done: int, total: int) -> None:
        bars.update(checking, completed=bars.tasks[checking].total)
        bars.update(saving, completed=done, total=total, visible=True)

    with bars:
        yield checked, saved
