"""`stats --json`, `plot` and `report` for a person with ten years of mornings.

Fills a store with 3,650 days of believable history (bench/history.py: about 3,100 sessions,
18,000 holds, 7,000 pain ratings, a check every four weeks), then times each command two
ways, side by side in one run (after the habit's read, old and new: every session with its
holds, as stats read them before, against session outlines):
- in a warm process (the command's own work: parsing, the queries, the figures, the JSON or
  the picture), median of several runs after one warm-up;
- as a whole new process, interleaved with bare Python and with the same command on an empty
  store (what any command pays to start: Python, Typer, pydantic, SQLAlchemy).
Usage: python bench/decade.py [--db URL] [--days 3650] [--runs 7] [--rounds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from history import fill

from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.cli.app import run
from stretchcoach.services.users import ensure_local_user


def in_process(argv: list[str]) -> float:
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = run(argv)
    elapsed = time.perf_counter() - started
    assert code == 0, argv
    return elapsed


def as_process(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="the store to fill (default: a temporary SQLite file)")
    parser.add_argument("--days", type=int, default=3650)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tiny", action="store_true", help="a tiny run (the tests run it)")
    args = parser.parse_args()
    if args.tiny:
        args.days, args.runs, args.rounds = 10, 1, 1
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{folder}/decade.db"
        empty = f"sqlite:///{folder}/empty.db"
        uow = SqlUnitOfWork(open_store(url))
        now = datetime.now(UTC)
        started = time.perf_counter()
        counts = fill(uow, ensure_local_user(uow=uow, now=now), now, args.days)
        print(f"filled {args.days} days in {time.perf_counter() - started:.1f} s: {counts}")
        open_store(empty).dispose()
        out = Path(folder)
        commands = {
            "stats --json": ["stats", "--json"],
            "plot (30 days)": ["plot", "--out", str(out / "p30.png")],
            f"plot --days {args.days}": [
                "plot",
                "--days",
                str(args.days),
                "--out",
                str(out / "pall.png"),
            ],
            "report (30 days)": ["report", "--out", str(out / "r30.pdf")],
            f"report --days {args.days}": [
                "report",
                "--days",
                str(args.days),
                "--out",
                str(out / "rall.pdf"),
            ],
        }
        if args.tiny:  # the same commands over all the days run the same code: leave them out
            commands = {k: v for k, v in commands.items() if "--days" not in k}
        me_id = ensure_local_user(uow=uow, now=now)
        print(f"\nthe habit's read, before and after, median of {args.runs}")
        reads = {
            "every session with its holds": lambda: uow.sessions.list_recent(me_id),
            "session outlines": lambda: uow.sessions.outlines(me_id),
        }
        medians = {}
        for label, read in reads.items():
            times = []
            for _ in range(args.runs):
                with uow:
                    started = time.perf_counter()
                    read()
                    times.append(time.perf_counter() - started)
            medians[label] = statistics.median(times)
            print(f"  {label:<30} {medians[label] * 1000:7.1f} ms")
        full, light = medians.values()
        print(f"  ratio: {full / light:.1f}x")

        print(f"\nin a warm process, median of {args.runs} after a warm-up")
        for label, argv in commands.items():
            in_process([*argv, "--db", url])
            times = [in_process([*argv, "--db", url]) for _ in range(args.runs)]
            print(f"  {label:<24} {statistics.median(times) * 1000:7.0f} ms")

        env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
        env["STRETCHCOACH_SPEECH"] = "off"
        me = [sys.executable, "-m", "stretchcoach"]
        processes = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "stats --json, empty store": [*me, "stats", "--json", "--db", empty],
            **{label: [*me, *argv, "--db", url] for label, argv in commands.items()},
        }
        found: dict[str, list[float]] = {label: [] for label in processes}
        for _ in range(args.rounds):
            for label, argv in processes.items():
                found[label].append(as_process(argv, env))
        print(f"\nas a new process, interleaved, median of {args.rounds} rounds")
        floor = statistics.median(found["stats --json, empty store"])
        for label, times in found.items():
            median = statistics.median(times)
            base = "empty" in label or "pass" in label
            extra = "" if base else f"  ({(median - floor) * 1000:+5.0f} ms over an empty store)"
            print(f"  {label:<26} {median * 1000:7.0f} ms{extra}")


if __name__ == "__main__":
    main()
