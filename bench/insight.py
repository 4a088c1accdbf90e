"""Cost of stats, the plot's data, export and import for a year of daily sessions.

Fills a store with one person's year (365 sessions, 6 holds each, a rating before and after)
plus `--others` more people with the same, so the queries have other people's rows to skip.
Prints the best of five runs of each step, then a fresh import and a repeated one.
Usage: python bench/insight.py [--db URL] [--into URL] [--others 20] [--days 365] [--tiny]
"""

from __future__ import annotations

import argparse
import tempfile
import time as clock
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.adapters.transfer import read_export, to_csv, to_json
from stretchcoach.domain.adherence import MorningWindow
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.session import Hold, Session, new_id
from stretchcoach.domain.user import Role, User
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services.stats import insight, plot_data
from stretchcoach.services.transfer import export_bundle, import_bundle
from stretchcoach.services.users import ensure_local_user

ZONE = "Europe/London"
T = TypeVar("T")


def fill(uow: SqlUnitOfWork, user: str, now: datetime, days: int = 365) -> None:
    today = now.astimezone(ZoneInfo(ZONE)).date()
    with uow:
        for back in range(days, 0, -1):
            local = datetime.combine(today - timedelta(days=back), time(7, 30))
            start = local.replace(tzinfo=ZoneInfo(ZONE)).astimezone(UTC)
            settings = SessionSettings(30.0, 3, Side.LEFT, 10.0)
            session = Session(
                new_id(), user, "r", "R", start, ZONE, settings, status=SessionStatus.COMPLETED
            )
            uow.sessions.add(session)
            for n in range(1, 7):
                uow.sessions.add_hold(Hold(new_id(), session.id, n, Side.LEFT, 30, 30, True, start))
            for context in (PainContext.BEFORE, PainContext.AFTER):
                sites = parse_sites("left:calf")
                uow.journal.add(
                    PainEntry(new_id(), user, start, ZONE, 5, sites, context, session.id)
                )
        uow.commit()


def best(label: str, step: Callable[[], T], runs: int = 5) -> T:
    fastest, result = float("inf"), None
    for _ in range(runs):
        started = clock.perf_counter()
        result = step()
        fastest = min(fastest, clock.perf_counter() - started)
    print(f"{label:<28} {fastest * 1000:7.0f} ms")
    assert result is not None
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="the store to fill (default: a temporary SQLite file)")
    parser.add_argument("--into", help="the store to import into (default: temporary SQLite)")
    parser.add_argument("--others", type=int, default=20)
    parser.add_argument("--days", type=int, default=365, help="days of sessions per person")
    parser.add_argument("--tiny", action="store_true", help="a tiny run (the tests run it)")
    args = parser.parse_args()
    if args.tiny:
        args.others, args.days = 1, 10
    with tempfile.TemporaryDirectory() as folder:
        source = SqlUnitOfWork(open_store(args.db or f"sqlite:///{folder}/source.db"))
        target = SqlUnitOfWork(open_store(args.into or f"sqlite:///{folder}/target.db"))
        now = datetime.now(UTC)
        me = ensure_local_user(uow=source, now=now)
        fill(source, me, now, args.days)
        with source:
            for n in range(args.others):
                source.users.add(User(f"other-{n}", "Other", Role.PATIENT, now))
            source.commit()
        for n in range(args.others):
            fill(source, f"other-{n}", now, args.days)
        window, routine = MorningWindow(), load_builtin()
        best(
            "stats (a year of data)" if args.days == 365 else f"stats ({args.days} days of data)",
            lambda: insight(
                me, routine=routine, uow=source, now=now, time_zone=ZONE, window=window
            ),
        )
        best(
            "plot data (30 days)",
            lambda: plot_data(me, uow=source, now=now, time_zone=ZONE, window=window),
        )
        bundle = best("export: read the records", lambda: export_bundle(me, uow=source))
        as_json = best("export: write JSON", lambda: to_json(bundle, now=now))
        as_csv = best("export: write CSV", lambda: to_csv(bundle))
        print(f"{'sizes':<28} JSON {len(as_json) // 1024} KiB, CSV {len(as_csv) // 1024} KiB")
        best("import: read and check CSV", lambda: read_export(as_csv, user_id=me))
        you = ensure_local_user(uow=target, now=now)
        records = read_export(as_csv, user_id=you)
        for label in ("import: write (fresh)", "import: again (all skipped)"):
            started = clock.perf_counter()
            added = import_bundle(records, user_id=you, uow=target, now=now).added
            elapsed_ms = (clock.perf_counter() - started) * 1000
            print(f"{label:<28} {elapsed_ms:7.0f} ms, added {sum(added.values())} records")


if __name__ == "__main__":
    main()
