"""What `synchronous=FULL` costs each saved hold, against `NORMAL`, side by side in one run.

    python bench/durable_holds.py [--holds 60] [--rounds 5] [--dir FOLDER]

Each hold is saved as a session saves it: its own unit of work and commit (services/
safekeeping.apply), on a SQLite store in WAL mode opened the usual way (adapters/store/
engine.open_store). In WAL mode NORMAL syncs only at checkpoints, so a commit can be lost to
a power cut after it was reported saved; FULL syncs the write-ahead log at every commit. The
two levels alternate round by round on fresh files in `--dir` (default: a folder beside this
script, on the same disk as the project, not a RAM disk). Prints the median time per hold for
each level and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.domain.routine import choose_settings
from stretchcoach.domain.runner import HoldResult
from stretchcoach.domain.session import Hold
from stretchcoach.domain.values import Side
from stretchcoach.services.safekeeping import HoldKept, SessionBegun, apply
from stretchcoach.services.sessions import new_session
from stretchcoach.services.users import ensure_local_user

START = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)


def store_at(path: Path, level: str) -> Engine:
    """A store opened the usual way, then set to `level` on every new connection."""
    engine = open_store(f"sqlite:///{path}")
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _level(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA synchronous={level}")

    with engine.connect() as connection:
        (set_to,) = connection.exec_driver_sql("PRAGMA synchronous").one()
        assert set_to == {"NORMAL": 1, "FULL": 2}[level], set_to
    return engine


def seconds_per_hold(path: Path, level: str, holds: int) -> float:
    engine = store_at(path, level)
    uow = SqlUnitOfWork(engine)
    routine = load_builtin()
    user = ensure_local_user(uow=uow, now=START)
    session = new_session(
        routine, choose_settings(routine), user_id=user, now=START, time_zone="UTC"
    )
    with uow:
        apply(SessionBegun(session), uow)
        uow.commit()
    started = time.perf_counter()
    for n in range(1, holds + 1):
        side = Side.LEFT if n % 2 else Side.RIGHT
        result = HoldResult(n, side, 30.0, 30.0, completed=True)
        ended = START + timedelta(seconds=45 * n)
        with uow:
            apply(HoldKept(Hold.from_result(session.id, result, ended_at=ended)), uow)
            uow.commit()
    elapsed = (time.perf_counter() - started) / holds
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holds", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()

    times: dict[str, list[float]] = {"NORMAL": [], "FULL": []}
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="durable-") as folder:
        for round_ in range(args.rounds):
            order = ["NORMAL", "FULL"] if round_ % 2 == 0 else ["FULL", "NORMAL"]
            for level in order:
                path = Path(folder) / f"{level}-{round_}.db"
                times[level].append(seconds_per_hold(path, level, args.holds))
    print(f"holds={args.holds} per round, rounds={args.rounds}, folder on {args.dir}")
    for level, runs in times.items():
        shown = " ".join(f"{t * 1000:.2f}" for t in runs)
        print(f"{level:<6} median {statistics.median(runs) * 1000:7.2f} ms per hold  ({shown})")
    ratio = statistics.median(times["FULL"]) / statistics.median(times["NORMAL"])
    print(f"ratio FULL/NORMAL: {ratio:.2f}x")


if __name__ == "__main__":
    main()
