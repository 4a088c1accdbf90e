"""`stretchcoach routine show`: the routine, its steps and its allowed doses."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Look at the routine.", no_args_is_help=True, rich_markup_mode=None)


@app.command("show")
def show(
    routine_file: Path | None = typer.Option(
        None, "--routine", metavar="FILE", help="Show a routine from a TOML file instead."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the routine as JSON."),
) -> None:
    """Show the steps, the safety notes and the dose of the routine."""
    from dataclasses import asdict

    from rich.console import Console
    from rich.table import Table

    from stretchcoach import bootstrap
    from stretchcoach.cli.common import print_json

    routine = bootstrap.routine(routine_file)
    if as_json:
        print_json(asdict(routine))
        return
    d = routine.dose
    console = Console(highlight=False)
    console.print(f"[bold]{routine.name}[/bold]")
    console.print(routine.summary)
    console.print()
    steps = Table.grid(padding=(0, 1))
    steps.add_column(justify="right", no_wrap=True)
    steps.add_column()
    for number, step in enumerate(routine.steps, start=1):
        steps.add_row(f"{number}.", step)
    for caution in routine.cautions:
        steps.add_row("[bold yellow]![/bold yellow]", caution)
    console.print(steps)
    console.print()
    console.print(
        f"Hold {d.hold_s:g} s (allowed {d.hold_range.describe('s')}), "
        f"{d.reps_per_side} holds per leg (allowed {d.reps_range.describe()}), "
        f"{d.order.value} legs, {d.first_side.value} first, "
        f"{d.rest_s:g} s to release and switch (allowed {d.rest_range.describe('s')})."
    )
