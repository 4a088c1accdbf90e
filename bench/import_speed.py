"""How long `stretchcoach import` takes on a large export, this tree against a baseline.

    python bench/import_speed.py [--records 200000] [--repeat 3] [--baseline main]
                                 [--pg URL [--only-pg]]

Writes an export of `--records` records (a session, six holds and a pain rating at a time,
two sessions a day going back from today; about 65 MB of JSON as `export` writes it), then
imports it into a fresh store with the baseline's source (`git archive`) and with this tree's,
alternating, as real `python -m stretchcoach import` processes. Prints each run and the
medians side by side with their ratio. SQLite by default; `--pg` adds a PostgreSQL server
(a fresh database per run is created and dropped).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def export_file(path: Path, records: int) -> dict[str, int]:
    sessions_n = records // 8
    now = datetime.now(UTC).replace(microsecond=0)
    data: dict[str, object] = {
        "format": "stretchcoach-export",
        "version": 1,
        "exported_at": now.isoformat(),
    }
    sessions, holds, pain = [], [], []
    for n in range(sessions_n):
        start = now - timedelta(days=1 + n // 2, hours=12 * (n % 2))
        sid = str(uuid.uuid4())
        sessions.append(
            {
                "id": sid,
                "started_at": start.isoformat(),
                "ended_at": (start + timedelta(minutes=5)).isoformat(),
                "last_seen_at": (start + timedelta(minutes=5)).isoformat(),
                "time_zone": "Europe/London",
                "status": "completed",
                "practice": False,
                "speed": 1.0,
                "routine_id": "seated-hamstring",
                "routine_name": "Seated hamstring stretch",
                "hold_s": 30.0,
                "reps_per_side": 3,
                "first_side": "left",
                "rest_s": 10.0,
                "hold_order": "alternate",
                "host": "laptop",
                "pid": 4000 + n % 1000,
            }
        )
        for h in range(1, 7):
            holds.append(
                {
                    "id": str(uuid.uuid4()),
                    "session_id": sid,
                    "hold_number": h,
                    "side": "left" if h % 2 else "right",
                    "planned_s": 30.0,
                    "held_s": 29.5 + (h % 3) / 4,
                    "completed": True,
                    "ended_at": (start + timedelta(seconds=45 * h)).isoformat(),
                    "felt": ["pull", "nothing", None][h % 3],
                }
            )
        pain.append(
            {
                "id": str(uuid.uuid4()),
                "session_id": sid,
                "recorded_at": (start - timedelta(minutes=1)).isoformat(),
                "time_zone": "Europe/London",
                "score": 2 + n % 6,
                "sites": "left:buttock,left:thigh",
                "context": "before",
                "note": "a little stiff this morning" if n % 5 == 0 else "",
            }
        )
    data |= {"sessions": sessions, "holds": holds, "pain_entries": pain, "screens": []}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return {"sessions": len(sessions), "holds": len(holds), "pain": len(pain)}


def baseline_tree(ref: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "src"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def import_once(source: Path, file: Path, url: str, scratch: Path) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    env |= {
        "PYTHONPATH": str(source),
        "STRETCHCOACH_DATABASE_URL": url,
        "XDG_DATA_HOME": str(scratch),
    }
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "stretchcoach", "import", str(file)],
        env=env,
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"import failed with {source}: {result.stderr.strip()}")
    return took


def fresh_postgres(admin_url: str) -> tuple[str, object]:
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"bench_import_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", default="main")
    parser.add_argument("--pg", metavar="URL", help="also on PostgreSQL (an admin URL)")
    parser.add_argument("--only-pg", action="store_true", help="PostgreSQL without SQLite")
    parser.add_argument("--tiny", action="store_true", help="a tiny run, HEAD as baseline")
    args = parser.parse_args()
    if args.tiny:
        args.records, args.repeat, args.baseline = 100, 1, "HEAD"

    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        file = folder / "export.json"
        counts = export_file(file, args.records)
        size_mb = file.stat().st_size / 1e6
        print(f"export: {sum(counts.values())} records {counts}, {size_mb:.1f} MB")
        trees = {
            f"baseline ({args.baseline})": baseline_tree(args.baseline, folder / "base"),
            "this tree": ROOT / "src",
        }
        stores = ([] if args.pg and args.only_pg else ["sqlite"]) + (["postgresql"] * bool(args.pg))
        for store in stores:
            times: dict[str, list[float]] = {name: [] for name in trees}
            for run in range(args.repeat):
                for name, source in trees.items():
                    drop = None
                    if store == "sqlite":
                        url = f"sqlite:///{folder / f'{run}-{len(times[name])}-{name[:4]}.db'}"
                    else:
                        url, drop = fresh_postgres(args.pg)
                    try:
                        took = import_once(source, file, url, folder)
                    finally:
                        if drop is not None:
                            drop()  # type: ignore[operator]
                    times[name].append(took)
                    print(f"{store:10} {name:18} run {run + 1}: {took:7.1f} s", flush=True)
            medians = {name: statistics.median(t) for name, t in times.items()}
            base, now = medians.values()
            print(
                f"{store:10} median: baseline {base:.1f} s, this tree {now:.1f} s, "
                f"{base / now:.1f}x faster ({sum(counts.values()) / now:,.0f} records/s)"
            )


if __name__ == "__main__":
    main()
