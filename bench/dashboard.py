"""The clinician dashboard on PostgreSQL: 1,000 patients with a year of daily sessions each.

Creates a scratch database on the local server, loads it with COPY, oldest day first as a
real clinic's rows arrive (patients, their sessions, six holds per session with the camera's
figures and the per-session fold summary the store keeps, a pain entry per session day and a
monthly red-flag screen), builds each patient's summary once (as the first dashboard after
the migration does; from then on every save keeps it), then times the dashboard four ways,
interleaved, the clock moving on as it does:

- from the rows: each patient's history read from their rows one at a time (how a patient's own
  pages read it) and their verdict asked, the way a dashboard without summaries would work;
- the use case with nothing remembered (`services.clinic.dashboard`, `known=None`): every
  patient's kept summary read and decoded, their figures worked out for now and their verdict
  asked of the clinical core, then the ranking: what the first view after a start costs;
- the use case remembering (`known=KnownStatuses()`, as the web app holds one): only the
  digests read, a status used again while it stands (domain/clinical/horizon.py), and the
  summaries of patients with new records read and judged again: every view after the first;
  `--changing N` saves a new rating for N patients before each round, as a morning would;
- the whole request (`GET /api/clinic/patients` through the app, logged in, JSON out).

Finally it prints the query plans (EXPLAIN ANALYZE) of what the dashboard asks the database.

    .venv/bin/python bench/dashboard.py [--patients 1000] [--days 365] [--rounds 15]
        [--changing 0] [--reuse]

`--reuse` keeps the scratch database of an earlier `--keep` run instead of loading anew.
Traffic goes to 127.0.0.1 only; the database is dropped at the end unless --keep.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
NAME = "stretchcoach_bench_dashboard"  # --name another, to run beside someone else's
HOLDS_PER_SESSION = 6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--admin-url", default=ADMIN_URL)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--name", default=NAME, help="the scratch database's name")
    parser.add_argument(
        "--changing", type=int, default=0, help="patients with a new rating a round"
    )
    parser.add_argument("--reuse", action="store_true", help="use the database a --keep left")
    parser.add_argument("--tiny", action="store_true", help="a tiny run (the tests run it)")
    args = parser.parse_args()
    if args.tiny:
        args.patients, args.days, args.rounds, args.changing = 3, 10, 1, 1
    if not 1 <= args.patients <= 10000 or not 1 <= args.days <= 730 or not 1 <= args.rounds <= 100:
        parser.error("keep it bounded: patients 1-10000, days 1-730, rounds 1-100")

    import psycopg
    from sqlalchemy.engine import make_url

    name = args.name
    url = make_url(args.admin_url).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(args.admin_url, autocommit=True) as admin:
        there = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        args.reuse = bool(args.reuse and there)
        if not args.reuse:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        run(url, args)
    finally:
        if not args.keep:
            with psycopg.connect(args.admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(url: str, args: argparse.Namespace) -> None:
    from zoneinfo import ZoneInfo

    from stretchcoach.adapters.routine_file import load_builtin
    from stretchcoach.adapters.store.engine import open_store
    from stretchcoach.adapters.store.uow import SqlUnitOfWork
    from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
    from stretchcoach.domain.session import new_id
    from stretchcoach.services import clinic
    from stretchcoach.services.clinic import KnownStatuses
    from stretchcoach.services.clinical import load_history

    routine = load_builtin()

    engine = open_store(url)
    if args.reuse:
        clinician_id, now = _loaded(engine)
        print("the database of an earlier run, as it was left")
    else:
        now = datetime.now(UTC).replace(microsecond=0)
        started = time.perf_counter()
        clinician_id, counts = load(url, patients=args.patients, days=args.days, now=now)
        print(
            f"loaded in {time.perf_counter() - started:.0f} s: "
            + ", ".join(f"{n:,} {table}" for table, n in counts.items())
        )

    with SqlUnitOfWork(engine) as uow:
        clinician = uow.users.find(clinician_id)
        patient_ids = [p.id for p in uow.clinic.patients(clinician_id)]
    assert clinician is not None
    started = time.perf_counter()
    with SqlUnitOfWork(engine) as uow:  # what the first dashboard after the migration does
        uow.clinic.summaries(patient_ids)
        uow.commit()
    print(f"summaries built in {time.perf_counter() - started:.1f} s")
    app, browser = _logged_in_app(url, clinician_id, now)
    began = time.perf_counter()

    def clock() -> datetime:  # the time moves on between rounds, as it does for a clinic
        return now + timedelta(seconds=time.perf_counter() - began)

    known = KnownStatuses()
    rng = random.Random(11)

    def from_rows() -> int:
        uow = SqlUnitOfWork(engine)
        at = clock()
        with uow:
            patients = uow.clinic.patients(clinician.id)
        for p in patients:
            history = load_history(p.id, uow=uow, now=at, zone=ZoneInfo("UTC"))
            clinic.assess_history(history, routine, reps=None)
        return len(patients)

    def nothing_remembered() -> int:
        return len(clinic.dashboard(clinician, routine, uow=SqlUnitOfWork(engine), now=clock()))

    def remembering() -> int:
        return len(
            clinic.dashboard(
                clinician, routine, uow=SqlUnitOfWork(engine), now=clock(), known=known
            )
        )

    def by_request() -> int:
        response = browser.get("/api/clinic/patients")
        assert response.status_code == 200, response.text
        return len(response.json())

    def new_ratings() -> None:  # a morning: some patients rate their pain between two views
        at = clock()
        with SqlUnitOfWork(engine) as uow:
            for pid in rng.sample(patient_ids, min(args.changing, len(patient_ids))):
                uow.journal.add(
                    PainEntry(
                        new_id(),
                        pid,
                        at,
                        "Europe/London",
                        rng.randint(0, 10),
                        parse_sites("left:calf"),
                        PainContext.STANDALONE,
                    )
                )
            uow.commit()

    counted = (from_rows(), nothing_remembered(), remembering(), by_request())
    assert counted == (args.patients,) * 4, counted  # warm, check
    calls = (
        ("from the rows, one at a time", from_rows),
        ("use case, nothing remembered", nothing_remembered),
        ("use case, remembering", remembering),
        ("GET /api/clinic/patients", by_request),
    )
    timings: dict[str, list[float]] = {label: [] for label, _ in calls}
    for _ in range(args.rounds):
        for label, call in calls:
            if args.changing and label in ("use case, remembering", "GET /api/clinic/patients"):
                new_ratings()
            t0 = time.perf_counter()
            call()
            timings[label].append((time.perf_counter() - t0) * 1000)

    print(
        f"\npatients={args.patients} days={args.days} rounds={args.rounds} "
        f"changing={args.changing} (new ratings before each remembering round)"
    )
    for label, values in timings.items():
        ordered = sorted(values)
        print(
            f"{label:<30} median {statistics.median(values):8.1f} ms"
            f"   max {ordered[-1]:8.1f} ms   min {ordered[0]:8.1f} ms"
        )
    base = statistics.median(timings["use case, remembering"])
    for label in ("from the rows, one at a time", "use case, nothing remembered"):
        print(f"ratio {label} / remembering: {statistics.median(timings[label]) / base:.1f}x")
    print(
        "ratio request / use case remembering: "
        f"{statistics.median(timings['GET /api/clinic/patients']) / base:.2f}x"
    )
    explain(engine, clinician_id, now)
    browser.close()
    app.state.engine.dispose()
    engine.dispose()


# -- loading -------------------------------------------------------------------------------------


def _loaded(engine: Any) -> tuple[str, datetime]:
    """The clinician of an earlier run's database, and the time its rows were made for."""
    from sqlalchemy import text

    with engine.connect() as connection:
        clinician_id = connection.execute(
            text("SELECT id FROM users WHERE role = 'clinician'")
        ).scalar_one()
        made = connection.execute(text("SELECT created_at FROM users LIMIT 1")).scalar_one()
    return clinician_id, made.astimezone(UTC)


def load(url: str, *, patients: int, days: int, now: datetime) -> tuple[str, dict[str, int]]:
    """COPY a clinic's worth of rows in; returns the clinician's id and the row counts."""
    import psycopg

    from stretchcoach.domain.journal import Region

    rng = random.Random(5)
    reach_of = [region.value for region in Region]
    clinician_id = str(uuid.uuid4())
    patient_ids = [str(uuid.uuid4()) for _ in range(patients)]
    counts: dict[str, int] = {}
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as conn:
        users = [(clinician_id, "Dr Bench", "clinician", now)]
        users += [(pid, f"Patient {n:04d}", "patient", now) for n, pid in enumerate(patient_ids)]
        counts["users"] = _copy(conn, "users", ("id", "display_name", "role", "created_at"), users)
        links = [(clinician_id, pid, now) for pid in patient_ids]
        counts["care_links"] = _copy(
            conn, "care_links", ("clinician_id", "patient_id", "accepted_at"), links
        )
        sessions: list[tuple[Any, ...]] = []
        pain: list[tuple[Any, ...]] = []
        screens: list[tuple[Any, ...]] = []
        habits = {
            pid: (rng.choice((0.0, 0.05, 0.2, 0.5)), rng.uniform(1, 7)) for pid in patient_ids
        }
        for day in reversed(range(days)):  # oldest first, as a real clinic's rows arrive
            for pid, (skip, base_pain) in habits.items():
                if day % 30 == 0:
                    flag = rng.random() < 0.01
                    screens.append((str(uuid.uuid4()), pid, now - timedelta(days=day), flag))
                if rng.random() < skip:  # some keep the habit, some do not
                    continue
                at = now - timedelta(days=day, minutes=rng.randint(0, 180))
                sid = str(uuid.uuid4())
                sessions.append((sid, pid, at))
                score = max(0, min(10, round(base_pain + rng.gauss(0, 1.2))))
                reach = rng.randint(0, 5)  # how far down the left leg: one of the regions
                pain.append((str(uuid.uuid4()), pid, at, score, f"left:{reach_of[reach]}"))
        counts["sessions"] = _copy(
            conn,
            "sessions",
            (
                "id",
                "user_id",
                "routine_id",
                "routine_name",
                "started_at",
                "ended_at",
                "time_zone",
                "status",
                "practice",
                "speed",
                "hold_s",
                "reps_per_side",
                "first_side",
                "rest_s",
                "hold_order",
            ),
            (
                (
                    *(sid, pid, "seated-hamstring", "Seated hamstring stretch", at),
                    *(at + timedelta(minutes=5), "Europe/London", "completed", False, 1.0),
                    *(30.0, 3, "left", 10.0, "alternate"),
                )
                for sid, pid, at in sessions
            ),
        )
        hold_ids: list[tuple[str, float]] = []
        folds: list[tuple[Any, ...]] = []

        def holds() -> Iterator[tuple[Any, ...]]:
            for sid, pid, at in sessions:
                these = [50 + rng.random() * 30 for _ in range(HOLDS_PER_SESSION)]
                folds.append((sid, pid, at, sum(these), len(these), max(these)))
                for n, fold in enumerate(these, start=1):
                    hid = str(uuid.uuid4())
                    hold_ids.append((hid, fold))
                    side = "left" if n % 2 else "right"
                    ended = at + timedelta(seconds=40 * n)
                    yield (hid, sid, n, side, 30.0, 30.0, True, ended)

        counts["holds"] = _copy(
            conn,
            "holds",
            (
                "id",
                "session_id",
                "hold_number",
                "side",
                "planned_s",
                "held_s",
                "completed",
                "ended_at",
            ),
            holds(),
        )
        counts["hold_form"] = _copy(
            conn,
            "hold_form",
            (
                "hold_id",
                "good_form_s",
                "max_hip_flexion_deg",
                "min_knee_deg",
                "knee_bent",
                "back_rounded",
                "bouncing",
                "too_deep_too_fast",
                "too_fast",
            ),
            ((hid, 28.0, fold, 176.0, 0, 0, 0, 0, 0) for hid, fold in hold_ids),
        )
        counts["session_folds"] = _copy(  # what HoldFormStore.add keeps up to date
            conn,
            "session_folds",
            (
                "session_id",
                "user_id",
                "started_at",
                "fold_sum_deg",
                "fold_count",
                "max_fold_deg",
            ),
            folds,
        )
        counts["pain_entries"] = _copy(
            conn,
            "pain_entries",
            (
                "id",
                "user_id",
                "recorded_at",
                "time_zone",
                "score",
                "sites",
                "context",
                "note",
            ),
            (
                (eid, pid, at, "Europe/London", score, sites, "after", "")
                for eid, pid, at, score, sites in pain
            ),
        )
        counts["screens"] = _copy(
            conn,
            "screens",
            ("id", "user_id", "answered_at", "answers", "any_yes", "version", "stored_at"),
            (
                (sid, pid, at, "1,0,0,0,0,0,0,0" if flag else "0,0,0,0,0,0,0,0", flag, 1, at)
                for sid, pid, at, flag in screens
            ),
        )
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    return clinician_id, counts


def _copy(conn: Any, table: str, columns: tuple[str, ...], rows: Any) -> int:
    count = 0
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with conn.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


# -- the request path ----------------------------------------------------------------------------


def _logged_in_app(url: str, clinician_id: str, now: datetime) -> tuple[Any, Any]:
    """The app in accounts mode and an in-process browser logged in as the clinician."""
    import httpx

    from stretchcoach.adapters.store.uow import SqlUnitOfWork
    from stretchcoach.config import Settings
    from stretchcoach.services.accounts import digest, new_secret
    from stretchcoach.web.app import create_app

    app = create_app(Settings(database_url=url, accounts=True), mode="accounts")
    token = new_secret()
    with SqlUnitOfWork(app.state.engine) as uow:
        uow.accounts.add_session(
            digest(token), clinician_id, created_at=now, expires_at=now + timedelta(days=1)
        )
        uow.accounts.approve(clinician_id, now=now)  # as `stretchcoach accounts approve`
        uow.commit()

    class InProcess(httpx.BaseTransport):
        def __init__(self) -> None:
            self._asgi = httpx.ASGITransport(app=app)
            self._loop = asyncio.new_event_loop()

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            async def call() -> httpx.Response:
                forwarded = httpx.Request(
                    request.method, request.url, headers=request.headers, content=request.read()
                )
                response = await self._asgi.handle_async_request(forwarded)
                body = await response.aread()
                return httpx.Response(response.status_code, headers=response.headers, content=body)

            return self._loop.run_until_complete(call())

        def close(self) -> None:
            self._loop.close()

    browser = httpx.Client(transport=InProcess(), base_url="http://127.0.0.1")
    browser.cookies.set("sc_session", token)
    return app, browser


# -- query plans ---------------------------------------------------------------------------------


def explain(engine: Any, clinician_id: str, now: datetime) -> None:
    """EXPLAIN ANALYZE each statement the dashboard's reads run; summarise the scans."""
    from sqlalchemy import event

    from stretchcoach.adapters.store.uow import SqlUnitOfWork

    captured: list[tuple[str, Any]] = []

    def remember(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", remember)
    with SqlUnitOfWork(engine) as uow:
        patients = uow.clinic.patients(clinician_id)
        uow.clinic.summaries([p.id for p in patients])
    event.remove(engine, "before_cursor_execute", remember)

    print("\nquery plans (EXPLAIN ANALYZE), scans and time per statement:")
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        for number, (statement, parameters) in enumerate(captured, start=1):
            with raw.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                plan = [row[0] for row in cursor.fetchall()]
            first_line = " ".join(statement.split())[:90]
            scans = sorted(
                {
                    " ".join(line.strip().lstrip("-> ").split(" on ")[0:2]).split("  ")[0]
                    for line in plan
                    if "Scan" in line and " on " in line
                }
            )
            total = next((line for line in plan if line.startswith("Execution Time")), "")
            print(f"{number}. {first_line}...")
            for scan in scans:
                print(f"     {scan.split(' (')[0]}")
            print(f"     {total}")


if __name__ == "__main__":
    main()
