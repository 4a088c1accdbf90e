"""Memory of one web worker in a burst of logins: hashing bounded (the default, 2 at once)
against unbounded (one hash per request in flight, as before the bound).

Starts `stretchcoach serve --accounts` (one worker: the process is the worker) on a scratch
SQLite file with argon2's real parameters (64 MiB a hash), makes one account, warms the
worker up with one login, then sends BURST logins at once, each from its own address (the
X-Forwarded-For of the same-host proxy) so no limit stops them: every one is hashed. Reads the
worker's resident memory before the burst (VmRSS) and its peak (VmHWM) from /proc. Rounds
alternate the two settings, a fresh server each time.

Usage: python bench/login_burst.py [--rounds 3] [--burst 40]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

PASSWORD = "a long enough sentence"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _memory_mib(pid: int) -> dict[str, float]:
    values: dict[str, float] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0]) / 1024
    return values


def one_round(concurrency: int, burst: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        port = _free_port()
        env = dict(
            os.environ,
            STRETCHCOACH_DATABASE_URL=f"sqlite:///{folder}/burst.db",
            STRETCHCOACH_PASSWORD_HASH_CONCURRENCY=str(concurrency),
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "stretchcoach", "serve", "--accounts", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    httpx.get(f"{base}/manifest.webmanifest", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            with httpx.Client(base_url=base, timeout=120) as owner:
                token = owner.get("/api/csrf").json()["csrf_token"]
                body = {"email": "ann@example.org", "password": PASSWORD, "display_name": "Ann"}
                owner.post("/api/accounts", json=body, headers={"X-CSRF-Token": token})
            before = _memory_mib(server.pid)["VmRSS"]

            def login(n: int) -> int:
                address = f"10.9.{n // 256}.{n % 256}"
                with httpx.Client(
                    base_url=base, timeout=120, headers={"X-Forwarded-For": address}
                ) as client:
                    csrf = client.get("/api/csrf").json()["csrf_token"]
                    wrong = {"email": "ann@example.org", "password": "not the password"}
                    return client.post(
                        "/api/login", json=wrong, headers={"X-CSRF-Token": csrf}
                    ).status_code

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=burst) as pool:
                statuses = list(pool.map(login, range(burst)))
            took = time.perf_counter() - started
            peak = _memory_mib(server.pid)["VmHWM"]
        finally:
            server.terminate()
            server.wait(timeout=20)
    checked = statuses.count(401)
    return {"before": before, "peak": peak, "growth": peak - before, "s": took, "checked": checked}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--burst", type=int, default=40)
    parser.add_argument("--tiny", action="store_true", help="a tiny run (the tests run it)")
    args = parser.parse_args()
    if args.tiny:
        args.rounds, args.burst = 1, 2
    settings = {"bounded (2 at once)": 2, f"unbounded ({args.burst} at once)": args.burst}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in settings}
    for _ in range(args.rounds):
        for name, concurrency in settings.items():
            results[name].append(one_round(concurrency, args.burst))
    print(f"burst of {args.burst} logins, each hashed (argon2id, 64 MiB), {args.rounds} rounds")
    print(f"{'hashing':26} {'RSS before':>11} {'peak':>9} {'growth':>9} {'burst took':>11}")
    medians: dict[str, dict[str, float]] = {}
    for name, rounds in results.items():
        m = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
        medians[name] = m
        print(
            f"{name:26} {m['before']:8.0f} MiB {m['peak']:5.0f} MiB {m['growth']:5.0f} MiB "
            f"{m['s']:9.1f} s   ({m['checked']:.0f} of {args.burst} checked)"
        )
    bounded, unbounded = medians.values()
    print(
        f"growth ratio unbounded/bounded: {unbounded['growth'] / max(bounded['growth'], 1):.1f}x; "
        f"time ratio: {unbounded['s'] / bounded['s']:.2f}x"
    )


if __name__ == "__main__":
    main()
