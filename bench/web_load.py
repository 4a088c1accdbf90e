"""A bounded morning rush: simulated patients doing their session against 2 web workers.

Starts `stretchcoach serve --workers 2 --accounts` on 127.0.0.1 with a scratch PostgreSQL
database, registers the patients (not timed), then lets them do their morning as the phone
does it: arriving over --arrival-s seconds, each reads its today page and the warning-signs
check, answers the check (no to every question: it is due on a first morning, and a session
is refused until it is answered), checks in (pain now and where, no to the three questions),
starts a session with that pain, posts its six holds as they end with what each felt like
(paced like a session run --speed times faster: 4 s apart at 10x), posts the last hold a
second time (a phone that lost the answer and retried), finishes, and reads its today page
again. Every request is timed. `--speed 0` drops the pauses: a stress run bounded by
--concurrency requests in flight.

Afterwards it counts the rows in the database: every hold the server acknowledged must be
there exactly once, every check answered once, and every session completed.

    .venv/bin/python bench/web_load.py [--patients 200] [--speed 10] [--arrival-s 20]
    .venv/bin/python bench/web_load.py --speed 0 --concurrency 20   # stress
    .venv/bin/python bench/web_load.py --tiny   # a few patients: does it still run?
    .venv/bin/python bench/web_load.py --patients 2000 --seed-accounts

`--seed-accounts` makes the accounts and their logins in the database directly, through the
accounts use cases with a stand-in password hash, instead of signing each patient up through
the server (argon2, about a second a patient on a busy 2-core machine). Neither way is timed,
and the morning's requests carry the same session cookie and CSRF token either way.

Traffic goes to 127.0.0.1 only; the server is stopped and the database dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
NAME = "stretchcoach_bench_load"
PASSWORD = "bench password long enough"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=200, help="most requests in flight")
    parser.add_argument(
        "--speed",
        type=float,
        default=10.0,
        help="pace each patient like a session run this many times faster; 0: no pauses",
    )
    parser.add_argument("--arrival-s", type=float, default=20.0, help="arrivals spread over")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--admin-url", default=ADMIN_URL)
    parser.add_argument("--name", default=NAME, help="the scratch database's name")
    parser.add_argument(
        "--tiny", action="store_true", help="3 patients, no pauses: the test suite's smoke run"
    )
    parser.add_argument(
        "--seed-accounts",
        action="store_true",
        help="make the accounts in the database, not through sign-up (neither is timed)",
    )
    args = parser.parse_args()
    if args.tiny:
        args.patients, args.speed, args.arrival_s = 3, 0.0, 0.0
    if not 1 <= args.patients <= 5000 or not 1 <= args.concurrency <= 500:
        parser.error("keep it bounded: patients 1-5000, concurrency 1-500")
    if not 0 <= args.speed <= 1000 or not 0 <= args.arrival_s <= 600:
        parser.error("keep it bounded: speed 0-1000, arrival-s 0-600")

    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(args.admin_url).set(database=args.name).render_as_string(hide_password=False)
    with psycopg.connect(args.admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.name}"')
    port = _free_port()
    server = _start_server(url, port, args.workers)
    try:
        asyncio.run(run(f"http://127.0.0.1:{port}", url, args))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        with psycopg.connect(args.admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{args.name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    executable = Path(sys.executable).with_name("stretchcoach")
    env = os.environ | {"STRETCHCOACH_DATABASE_URL": url, "STRETCHCOACH_ACCOUNTS": "1"}
    command = [str(executable), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers)]
    server = subprocess.Popen(command, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server stopped (exit {server.returncode})") from None
            time.sleep(0.2)
    else:
        raise SystemExit("the server did not start within 60 s")
    return server


class Patient:
    """One simulated phone: its own cookies, its own CSRF token, its own timings."""

    def __init__(self, base_url: str, number: int) -> None:
        import httpx

        self.email = f"patient{number:04d}@bench.example"
        # Idle connections are dropped before uvicorn's 5 s keep-alive ends, as a phone's are:
        # reusing one the server is closing at that moment would fail for no fault of either.
        # Each phone has its own address, as the same-host proxy reports it: the sign-up and
        # login limits count per address.
        address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        self.client = httpx.AsyncClient(
            base_url=base_url,
            timeout=30,
            limits=httpx.Limits(keepalive_expiry=2.0),
            headers={"X-Forwarded-For": address},
        )
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.acknowledged: set[str] = set()
        self.answered = 0  # warning-signs checks the server took

    async def register(self) -> None:
        token = (await self.client.get("/api/csrf")).json()["csrf_token"]
        body = {"email": self.email, "password": PASSWORD, "display_name": self.email[:11]}
        response = await self.client.post(
            "/api/accounts", json=body, headers={"X-CSRF-Token": token}
        )
        response.raise_for_status()
        self.client.headers["X-CSRF-Token"] = response.json()["csrf_token"]

    def seed(self, uow: Any, now: Any, key: bytes) -> None:
        """The account and a login made in the database, as sign-up and login would leave them;
        `key` is the server's (web.key: the server runs with this process's data folder)."""
        from stretchcoach.domain.csrf import session_csrf
        from stretchcoach.services.accounts import SESSION_LIFETIME, digest, new_secret, register
        from stretchcoach.web.security import SESSION_COOKIE

        user = register(self.email, PASSWORD, self.email[:11], uow=uow, hasher=_StandIn(), now=now)
        token = new_secret()
        with uow:
            uow.accounts.add_session(
                digest(token), user.id, created_at=now, expires_at=now + SESSION_LIFETIME
            )
            uow.commit()
        self.client.cookies.set(SESSION_COOKIE, token)
        self.client.headers["X-CSRF-Token"] = session_csrf(key, token)

    async def call(self, kind: str, method: str, path: str, ok: set[int], **kw: Any) -> Any:
        import httpx

        started = time.perf_counter()
        try:
            response = await self.client.request(method, path, **kw)
        except httpx.TransportError as error:
            self.errors.append(f"{method} {path}: {type(error).__name__} {error}")
            return None
        self.timings[kind].append((time.perf_counter() - started) * 1000)
        if response.status_code not in ok:
            self.errors.append(f"{method} {path}: {response.status_code} {response.text[:120]}")
            return None
        return response.json() if response.content else None

    async def morning(self, gate: asyncio.Semaphore, *, arrive_s: float, speed: float) -> None:
        """The patient's morning; with `speed` > 0, paced like a session run that fast."""

        async def step(*args: Any, **kw: Any) -> Any:
            async with gate:
                return await self.call(*args, **kw)

        rng = random.Random(self.email)
        await asyncio.sleep(arrive_s)
        await step("GET /api/today", "GET", "/api/today", {200})
        check = await step("GET /api/screen", "GET", "/api/screen", {200})
        if check is None:
            return
        if check["due"]:
            no = [False] * len(check["questions"])
            if await step("POST /api/screen", "POST", "/api/screen", {201}, json={"answers": no}):
                self.answered += 1
        pain = {"score": rng.randint(2, 6), "sites": ["left:buttock"]}
        morning = pain | {"numb": [], "weaker": [], "changed": []}
        if await step("POST /api/checkin", "POST", "/api/checkin", {200}, json=morning) is None:
            return
        body = {"checkin": pain}
        session = await step("POST /api/sessions", "POST", "/api/sessions", {201}, json=body)
        if session is None:
            return
        sides = _sides(session)
        hold_s = float(session["settings"]["hold_s"]) + float(session["settings"]["rest_s"])
        last: tuple[str, dict[str, Any]] | None = None
        for number, side in enumerate(sides, start=1):
            if speed > 0:  # the hold itself, and the rest before it, at `speed`
                await asyncio.sleep(hold_s / speed * rng.uniform(0.9, 1.1))
            hold_id = str(uuid.uuid4())
            body = {"hold_number": number, "side": side, "held_s": 30, "completed": True}
            path = f"/api/sessions/{session['id']}/holds/{hold_id}"
            if await step("PUT hold", "PUT", path, {201}, json=body) is not None:
                self.acknowledged.add(hold_id)
                felt = {"felt": "pull"}
                await step("PUT felt", "PUT", f"{path}/felt", {200}, json=felt)
            last = (path, body)
        if last is not None:  # the retry of a phone that lost the answer: changes nothing
            await step("PUT hold (again)", "PUT", last[0], {200}, json=last[1])
        finish = f"/api/sessions/{session['id']}/finish"
        await step("POST finish", "POST", finish, {200}, json={"status": "completed"})
        await step("GET /api/today", "GET", "/api/today", {200})


class _StandIn:
    """A password hash no login checks: the seeded patients never log in with a password."""

    def hash(self, password: str) -> str:
        return "stand-in"

    def verify(self, password_hash: str, password: str) -> bool:
        return False

    def needs_rehash(self, password_hash: str) -> bool:
        return False


def _sides(session: dict[str, Any]) -> list[str]:
    """Which leg each hold is on, from the session's timeline as the server sent it."""
    holds = {
        p["hold_number"]: p["side"]
        for p in session["phases"]
        if p["kind"] == "hold" and p["hold_number"] is not None
    }
    return [holds[n] for n in sorted(holds)]


async def run(base_url: str, url: str, args: argparse.Namespace) -> None:
    patients = [Patient(base_url, n) for n in range(args.patients)]
    started = time.perf_counter()
    if args.seed_accounts:
        from datetime import UTC, datetime

        from stretchcoach import bootstrap
        from stretchcoach.adapters.store.engine import open_store
        from stretchcoach.adapters.store.uow import SqlUnitOfWork

        engine = open_store(url)  # already made and migrated by the server
        uow, now, key = SqlUnitOfWork(engine), datetime.now(UTC), bootstrap.web_key()
        for p in patients:
            p.seed(uow, now, key)
        engine.dispose()
    else:
        for batch in range(0, len(patients), 10):  # argon2 is meant to be slow: 10 at a time
            await asyncio.gather(*(p.register() for p in patients[batch : batch + 10]))
    how = "in the database" if args.seed_accounts else "through sign-up"
    print(f"made {len(patients)} accounts {how} in {time.perf_counter() - started:.1f} s")

    gate = asyncio.Semaphore(args.concurrency)
    spread = args.arrival_s if args.speed > 0 else 0.0
    started = time.perf_counter()
    await asyncio.gather(
        *(
            p.morning(gate, arrive_s=spread * n / len(patients), speed=args.speed)
            for n, p in enumerate(patients)
        )
    )
    elapsed = time.perf_counter() - started
    for p in patients:
        await p.client.aclose()

    by_kind: dict[str, list[float]] = defaultdict(list)
    for p in patients:
        for kind, values in p.timings.items():
            by_kind[kind].extend(values)
    every = [v for values in by_kind.values() for v in values]
    errors = [e for p in patients for e in p.errors]
    pacing = (
        f"paced at {args.speed:g}x, arrivals over {args.arrival_s:g} s"
        if args.speed > 0
        else "no pauses (stress)"
    )
    print(
        f"\npatients={args.patients} workers={args.workers} in flight<={args.concurrency} "
        f"{pacing}: requests={len(every)} in {elapsed:.1f} s ({len(every) / elapsed:.0f} req/s)"
    )
    print(f"{'request':<22}{'count':>7}{'median':>10}{'p99':>10}{'max':>10}")
    for kind, values in [*sorted(by_kind.items()), ("all", every)]:
        print(
            f"{kind:<22}{len(values):>7}{statistics.median(values):>8.1f}ms"
            f"{_p99(values):>8.1f}ms{max(values):>8.1f}ms"
        )
    print(f"errors: {len(errors)}")
    for error in errors[:5]:
        print(f"  {error}")
    acknowledged = set().union(*(p.acknowledged for p in patients))
    check_rows(url, acknowledged, args.patients, sum(p.answered for p in patients))
    if errors:
        raise SystemExit(f"{len(errors)} requests failed: the numbers above are not a clean run")


def _p99(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def check_rows(url: str, acknowledged: set[str], patients: int, answered: int) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        holds = conn.execute("SELECT count(*), count(DISTINCT id) FROM holds").fetchone()
        stored = {row[0] for row in conn.execute("SELECT id FROM holds")}
        done = conn.execute("SELECT count(*) FROM sessions WHERE status = 'completed'").fetchone()
        checks = conn.execute("SELECT count(*) FROM screens").fetchone()
    assert holds is not None and done is not None and checks is not None
    missing = acknowledged - stored
    print(
        f"rows afterwards: {holds[0]} holds ({holds[1]} distinct) for {len(acknowledged)} "
        f"acknowledged; {len(missing)} acknowledged holds missing; "
        f"{done[0]} of {patients} sessions completed; {answered} checks answered, "
        f"{checks[0]} checks kept (the check-ins' three questions are kept as checks too)"
    )
    lost = missing or holds[0] != len(acknowledged) or checks[0] < answered
    if lost or done[0] != patients or not acknowledged:
        raise SystemExit("a write was lost or doubled, or no session got through")


if __name__ == "__main__":
    main()
