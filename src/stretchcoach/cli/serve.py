"""`stretchcoach serve`: the web app, on this machine only, or for a clinic with accounts."""

from __future__ import annotations

import ipaddress
import os

import typer

from stretchcoach.cli.common import DB_OPTION, settings
from stretchcoach.errors import InvalidInput

KEEP_ALIVE_S = 75  # seconds an idle connection stays open (nginx's default)
FACTORY = "stretchcoach.web.app:app_from_env"
WS_MAX_BYTES = 64 * 1024  # uvicorn drops larger WebSocket messages (the camera refuses 8 KiB)


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything, so treat it as the network


def serve(
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        metavar="H",
        help="Address to listen on; the default is this machine only.",
    ),
    port: int = typer.Option(8000, "--port", min=1, max=65535, metavar="P", help="TCP port."),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, metavar="N", help="Worker processes (PostgreSQL: many)."
    ),
    accounts: bool = typer.Option(
        False,
        "--accounts",
        help="Everyone logs in (also STRETCHCOACH_ACCOUNTS=1). Needed off this machine.",
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Start the web app (phone-first) on http://H:P."""
    from importlib.util import find_spec

    from stretchcoach import bootstrap
    from stretchcoach.domain.push import contact_names_nobody

    current = settings(db)
    use_accounts = accounts or current.accounts
    if not is_loopback(host) and not use_accounts:
        raise InvalidInput(
            f"--host {host!r} is reachable from the network, and without accounts anyone "
            "there could read your journal: add --accounts (or STRETCHCOACH_ACCOUNTS=1), "
            "or listen on 127.0.0.1"
        )
    needed = ("fastapi", "uvicorn", "jinja2", "argon2", "websockets")
    missing = [m for m in needed if find_spec(m) is None]
    if missing:
        raise InvalidInput(
            f"the web app needs {', '.join(missing)}: pip install 'stretchcoach[web]'"
        )
    bootstrap.check_can_listen(host, port)  # one line now, not uvicorn's own later
    url = current.resolved_database_url()
    if use_accounts:
        bootstrap.engine(current).dispose()  # reachable and migrated once, before any worker
    else:  # the terminal's own person: save what an earlier session kept on this computer
        from stretchcoach.services.safekeeping import describe

        store = bootstrap.local_store(current, write=False)
        if store.replayed:
            kept = describe(store.replayed)
            typer.echo(f"Saved what was waiting from an earlier session: {kept}.", err=True)
        bootstrap.close_engines()  # the workers open their own
    bootstrap.web_key()  # made once here, before the workers that share it start
    os.environ["STRETCHCOACH_DATABASE_URL"] = url
    os.environ["STRETCHCOACH_ACCOUNTS"] = "1" if use_accounts else "0"
    mode = "accounts: everyone logs in" if use_accounts else "local: no login, this machine only"
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"stretchcoach on http://{shown}:{port} ({mode}) · {bootstrap.shown_url(url)}")
    if use_accounts and contact_names_nobody(current.push_contact):
        typer.echo(
            f"Reminders by notification sign as {current.push_contact}, which names nobody: "
            "iPhones refuse it. Set STRETCHCOACH_PUSH_CONTACT to your clinic's address "
            "(mailto:someone@your-clinic.example or an https:// page).",
            err=True,
        )

    import uvicorn

    uvicorn.run(
        FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # Only accounts mode believes a same-host proxy's X-Forwarded-*; local mode never does.
        proxy_headers=use_accounts,
        log_level="warning",
        ws="auto",  # the phone's camera coach; its own limits are in web/routers/camera.py
        ws_max_size=WS_MAX_BYTES,
        # Idle connections stay open longer than a phone's pause between two requests: at
        # uvicorn's 5 s a request sent just as the server closed its connection was reset.
        timeout_keep_alive=KEEP_ALIVE_S,
    )
