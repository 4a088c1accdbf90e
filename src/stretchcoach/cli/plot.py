"""`stretchcoach plot`: a picture of the pain around each session and the mornings done."""

from __future__ import annotations

from pathlib import Path

import typer

from stretchcoach.cli.common import DB_OPTION


def plot(
    out: Path = typer.Option(
        Path("stretchcoach.png"),
        "--out",
        metavar="FILE",
        help="Where to save the picture; .png or .svg.",
    ),
    days: str = typer.Option(
        "30", "--days", metavar="N", help="How many days to show (1 or more)."
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Draw pain before and after each session, and a calendar of your mornings."""
    from stretchcoach import bootstrap
    from stretchcoach.cli.stats import days_option, local_period
    from stretchcoach.services.stats import check_days, plot_data

    period = check_days(days_option(days))
    bootstrap.check_plot_path(out)
    _, data = local_period(db, plot_data, period)
    bootstrap.draw_plots(data, out)
    typer.echo(f"Saved {out}.")
