"""CPU of the database commands against the same work done by `sqlite-utils` on the same file.

    python bench/startup.py [--rounds 10] [--days 365] [--db PATH] [--baseline REF]

Fills a SQLite store with a year of believable mornings (bench/history.py: a session most
days with six holds, a pain rating before and after, some on their own), then runs each
`stretchcoach` command and its `sqlite-utils` counterpart as real processes, interleaved,
`--rounds` times each, and prints the median CPU (user + system of the child, from
`os.wait4`) of each and their ratio. CPU rather than wall time: the machine is shared, and
what a command costs is what it does, not what it waits for.

The counterparts read the same rows: `history --json` against a query that builds the same
sessions with their holds as JSON; `stats` against a query of the same days' sessions and
pain by day; `log --days 7` against the last week's pain ratings as a table; `export`
against `sqlite-utils dump` (everything out as text); `--help` against `--help`.
`--baseline REF` adds the same commands run with that commit's source (`git archive`), in
the same rounds, for a before and after on the same machine at the same time.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from history import fill
from import_speed import baseline_tree

HISTORY_SQL = """
select s.id, s.started_at, s.ended_at, s.routine_id as routine, s.status, s.practice,
  s.speed, s.time_zone,
  json_object('hold_s', s.hold_s, 'reps_per_side', s.reps_per_side,
              'first_leg', s.first_side, 'rest_s', s.rest_s) as settings,
  (select json_group_array(json_object(
      'id', h.id, 'number', h.hold_number, 'side', h.side, 'planned_s', h.planned_s,
      'held_s', h.held_s, 'completed', json(iif(h.completed, 'true', 'false')),
      'ended_at', h.ended_at, 'felt', h.felt))
   from (select * from holds where session_id = s.id order by hold_number) h) as holds
from sessions s order by s.started_at desc
"""
STATS_SQL = """
select d.day, d.sessions, d.holds, p.ratings, p.mean_pain, p.worst
from (select date(started_at) as day, count(*) as sessions,
        sum((select count(*) from holds h where h.session_id = s.id and h.completed)) as holds
      from sessions s where started_at >= datetime('now', '-30 days') group by day) d
left join (select date(recorded_at) as day, count(*) as ratings, avg(score) as mean_pain,
             max(score) as worst
           from pain_entries where recorded_at >= datetime('now', '-30 days') group by day) p
  on p.day = d.day
order by d.day
"""
PAIN_SQL = """
insert into pain_entries (id, user_id, recorded_at, time_zone, score, sites, context,
  session_id, note)
values (lower(hex(randomblob(16))), '00000000-0000-4000-8000-000000000001',
  strftime('%Y-%m-%d %H:%M:%f', 'now'), 'Europe/London', 4, 'left:calf', 'standalone', null,
  '')
"""
LOG_SQL = """
select recorded_at, score, sites, context, note from pain_entries
where recorded_at >= datetime('now', '-7 days') order by recorded_at desc
"""


ALONE = (
    "import sys; sys.modules['numpy'] = sys.modules['pandas'] = None; "
    "from sqlite_utils.cli import cli; cli()"
)


def pairs(db: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Each `stretchcoach` command with its `sqlite-utils` counterpart's arguments."""
    me = [sys.executable, "-m", "stretchcoach"]
    return {
        "history --json": (
            [*me, "history", "--json"],
            ["query", str(db), HISTORY_SQL, "--json-cols"],
        ),
        "stats": ([*me, "stats"], ["query", str(db), STATS_SQL, "--table"]),
        "log --days 7": ([*me, "log", "--days", "7"], ["query", str(db), LOG_SQL, "--table"]),
        "export": ([*me, "export"], ["dump", str(db)]),
        "log --pain": (
            [*me, "log", "--pain", "4", "--where", "left:calf"],
            ["query", str(db), PAIN_SQL],
        ),
        "--help": ([*me, "--help"], ["--help"]),
    }


def counterparts() -> dict[str, list[str]]:
    """sqlite-utils twice: as it runs in this environment (how the issue measured it), and as
    it runs installed on its own. This environment has numpy (for the pose model), which
    sqlite-utils imports whenever it can (100 ms or more) and no database command of ours
    loads; `alone` hides it, as a plain install would not have it."""
    beside = Path(sys.executable).with_name("sqlite-utils")
    here = [str(beside) if beside.exists() else "sqlite-utils"]
    return {"sqlite-utils": here, "alone": [sys.executable, "-c", ALONE]}


def cpu_s(argv: list[str], env: dict[str, str]) -> float:
    """User + system CPU of one run of `argv`, its output thrown away."""
    process = subprocess.Popen(
        argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    error = process.stderr.read()  # small: a note at most; read before waiting, no deadlock
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])} failed: {error.decode().strip()}")
    return usage.ru_utime + usage.ru_stime


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def build(db: Path, days: int) -> dict[str, int]:
    from stretchcoach.adapters.store.engine import open_store
    from stretchcoach.adapters.store.uow import SqlUnitOfWork
    from stretchcoach.services.users import ensure_local_user

    engine = open_store(f"sqlite:///{db}")
    uow = SqlUnitOfWork(engine)
    now = datetime.now(UTC)
    counts = fill(uow, ensure_local_user(uow=uow, now=now), now, days)
    engine.dispose()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--db", type=Path, help="an existing store to use instead of a new one")
    parser.add_argument("--baseline", metavar="REF", help="also time this commit's source")
    parser.add_argument("--tiny", action="store_true", help="a tiny run (the tests run it)")
    args = parser.parse_args()
    if args.tiny:
        args.rounds, args.days = 1, 10
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "year.db"
        if args.db is None:
            print(f"filled {args.days} days: {build(db, args.days)}")
        env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
        env |= {
            "STRETCHCOACH_DATABASE_URL": f"sqlite:///{db}",
            "STRETCHCOACH_SPEECH": "off",
            "STRETCHCOACH_TIME_ZONE": "Europe/London",
            "XDG_DATA_HOME": str(Path(folder) / "data"),
            "COLUMNS": "100",
        }
        envs = {"stretchcoach": env}
        if args.baseline:
            source = baseline_tree(args.baseline, Path(folder) / "baseline")
            envs[args.baseline] = env | {"PYTHONPATH": str(source)}
        theirs = counterparts()
        ours_columns = list(envs)
        envs |= dict.fromkeys(theirs, env)
        runs = {
            name: dict.fromkeys(ours_columns, ours)
            | {who: [*command, *su_args] for who, command in theirs.items()}
            for name, (ours, su_args) in pairs(db).items()
        }
        times: dict[str, dict[str, list[float]]] = {
            name: {who: [] for who in envs} for name in runs
        }
        for by_whom in runs.values():  # warm the page cache and the .pyc files
            for who, argv in by_whom.items():
                cpu_s(argv, envs[who])
        for _ in range(args.rounds):
            for name, by_whom in runs.items():
                for who, argv in by_whom.items():
                    times[name][who].append(cpu_s(argv, envs[who]))
        bare = statistics.median(cpu_s([sys.executable, "-c", "pass"], env) for _ in range(5))
    print(machine())
    print(f"CPU (user + sys), median of {args.rounds}, interleaved")
    print(f"bare Python: {bare * 1000:.0f} ms")
    columns = list(envs)
    mine = [who for who in columns if who not in theirs]
    ratios = [(who, them) for who in mine for them in theirs]
    labels = [f"{'' if who == 'stretchcoach' else who + ' '}/{them}" for who, them in ratios]
    print(f"{'command':<16}" + "".join(f"{label:>14}" for label in columns))
    print(f"{'':<16}ratios: " + ", ".join(labels))
    for name, by_whom in times.items():
        medians = {who: statistics.median(values) for who, values in by_whom.items()}
        line = "".join(f"{medians[who] * 1000:11.0f} ms" for who in columns)
        line += "   " + "  ".join(f"{medians[who] / medians[them]:.2f}x" for who, them in ratios)
        print(f"{name:<16}{line}")


if __name__ == "__main__":
    main()
