"""`stretchcoach report`: a one-to-two-page PDF for a doctor or physiotherapist."""

from __future__ import annotations

from pathlib import Path

import typer

from stretchcoach.cli.common import DB_OPTION


def report(
    out: Path = typer.Option(
        Path("stretchcoach-report.pdf"),
        "--out",
        metavar="FILE",
        help="Where to save the report; the name must end in .pdf.",
    ),
    days: str = typer.Option(
        "30", "--days", metavar="N", help="How many days, up to today, the report covers."
    ),
    name: str | None = typer.Option(
        None, "--name", metavar="TEXT", help="Your name, printed at the top for the clinic."
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Make a PDF for your clinician: mornings, pain, its reach down each leg, warning signs.

    Take it (or send it) to your doctor or physiotherapist; it reads in a minute.
    """
    from functools import partial

    from stretchcoach import bootstrap
    from stretchcoach.cli.stats import days_option, local_period
    from stretchcoach.services.report import check_name, clinician_report
    from stretchcoach.services.stats import check_days

    period = check_days(days_option(days))
    bootstrap.check_report_path(out)
    patient = check_name(name)
    _, found = local_period(db, partial(clinician_report, routine=bootstrap.routine()), period)
    bootstrap.write_report(found, out, patient=patient)
    typer.echo(
        f"Saved {out}: {found.first_day:%d %b %Y} to {found.today:%d %b %Y}. "
        "Bring it to your doctor or physiotherapist."
    )
