"""`stretchcoach accounts`: what a clinic's administrator does on the server.

Approve a clinician (until then they see no patients), list who is waiting, and make a
one-time link that lets someone set a new password (there is no e-mail: the clinic hands the
link over itself). Each command calls one service in stretchcoach.services.accounts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from stretchcoach.cli.common import DB_OPTION, settings

if TYPE_CHECKING:
    from stretchcoach.services.accounts import AccountsUnitOfWork

app = typer.Typer(
    help="Clinic accounts: approve clinicians, reset a password.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

URL_OPTION = typer.Option(
    "http://127.0.0.1:8000",
    "--url",
    metavar="BASE",
    help="The address people open the app at, e.g. https://stretch.example.org.",
)


def _uow(db: str | None) -> AccountsUnitOfWork:
    from stretchcoach import bootstrap

    return bootstrap.unit_of_work(bootstrap.engine(settings(db)))


@app.command("approve")
def approve(
    email: str = typer.Argument(..., metavar="EMAIL", help="The clinician's email."),
    db: str | None = DB_OPTION,
) -> None:
    """Approve a clinician account: it may then invite patients and see them."""
    from stretchcoach import bootstrap
    from stretchcoach.services.accounts import approve_clinician

    user = approve_clinician(email, uow=_uow(db), now=bootstrap.clock().now())
    typer.echo(f"approved: {user.display_name} <{email.strip().lower()}> may now see patients")


@app.command("waiting")
def waiting(db: str | None = DB_OPTION) -> None:
    """List clinician accounts waiting for approval, oldest first."""
    from stretchcoach.services.accounts import waiting_clinicians

    found = waiting_clinicians(uow=_uow(db))
    if not found:
        typer.echo("No clinician is waiting for approval.")
        return
    for user, email in found:
        typer.echo(f"{email}\t{user.display_name}\tsigned up {user.created_at:%Y-%m-%d}")


@app.command("reset")
def reset(
    email: str = typer.Argument(..., metavar="EMAIL", help="Whose password to reset."),
    url: str = URL_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Print a one-time link (valid 24 hours) that sets a new password for EMAIL."""
    from stretchcoach import bootstrap
    from stretchcoach.errors import InvalidInput
    from stretchcoach.services.accounts import RESET_LIFETIME, start_reset

    base = url.strip().rstrip("/")
    if not base.startswith(("https://", "http://")) or any(c.isspace() for c in base):
        raise InvalidInput(
            f"--url {url!r} is not an address: give one like https://stretch.example.org"
        )
    link = start_reset(email, uow=_uow(db), now=bootstrap.clock().now())
    hours = int(RESET_LIFETIME.total_seconds() // 3600)
    typer.echo(
        f"Reset link for {link.user.display_name}, valid once for {hours} hours "
        "(earlier links no longer work; every session ends when it is used):"
    )
    typer.echo(f"{base}/reset/{link.token}")
