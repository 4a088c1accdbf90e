"""`stretchcoach plot`: a picture of the pain around each session and the mornings done."""

from __future__ import annotations

from pathlib import Path

import typer

from stretchcoach.cli.common import DB_OPTION, open_store, settings


def plot(
    out: Path = typer.Option(
        Path("stretchcoach.png"),
        "--out",
        metavar="FILE",
        help="Where to save the picture; .png or .svg.",
    ),
    days: int = typer.Option(30, "--days", metavar="N", help="How many days to show (1 or more)."),
    db: str | None = DB_OPTION,
) -> None:
    """Draw pain before and after each session, and a calendar of your mornings."""
    from stretchcoach.adapters.clock import SystemClock
    from stretchcoach.adapters.plots import check_path, draw_insight
    from stretchcoach.cli.stats import morning_and_zone
    from stretchcoach.services.stats import check_days, plot_data

    check_days(days)
    check_path(out)
    current = settings(db)
    store = open_store(current)
    window, zone = morning_and_zone(current, store)
    data = plot_data(
        store.user_id,
        uow=store.uow,
        now=SystemClock().now(),
        time_zone=zone,
        window=window,
        days=days,
    )
    draw_insight(data, out)
    typer.echo(f"Saved {out}.")
