"""What the check on opening a SQLite file costs, by the size of the file.

    python bench/integrity_check.py [--years 1 2 4 10] [--runs 9]

Fills a store per size with a believable history (bench/history.py: a morning session with
its holds, pain ratings, a check every four weeks) and times, on the same open connection,
`PRAGMA quick_check` (what every opening runs while the file is at most
integrity.EVERY_OPEN_BYTES, and once a day above) and `PRAGMA integrity_check` (the full
check after an error said the file was damaged): medians of `--runs` after one warm-up, the
file in the page cache as it is when a command has just used it.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from history import fill

from stretchcoach.adapters.store import integrity
from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.services.users import ensure_local_user

NOW = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)


def median_ms(connection: sqlite3.Connection, pragma: str, runs: int) -> float:
    connection.execute(pragma).fetchall()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        rows = connection.execute(pragma).fetchall()
        times.append(time.perf_counter() - started)
        assert rows == [("ok",)], rows
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, nargs="+", default=[1, 2, 4, 10])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    limit = integrity.EVERY_OPEN_BYTES / 2**20
    print(f"checked at every opening up to {limit:.0f} MiB, once a day above")
    print(f"{'years':>5} {'file':>9} {'quick_check':>12} {'integrity_check':>16}")
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent) as folder:
        for years in args.years:
            path = Path(folder) / f"{years}.db"
            engine = open_store(f"sqlite:///{path}")
            uow = SqlUnitOfWork(engine)
            fill(uow, ensure_local_user(uow=uow, now=NOW), NOW, 365 * years)
            engine.dispose()
            connection = sqlite3.connect(path)
            quick = median_ms(connection, "PRAGMA quick_check", args.runs)
            full = median_ms(connection, "PRAGMA integrity_check", args.runs)
            connection.close()
            size = path.stat().st_size / 2**20
            print(f"{years:>5} {size:>5.1f} MiB {quick:>9.1f} ms {full:>13.1f} ms")


if __name__ == "__main__":
    main()
