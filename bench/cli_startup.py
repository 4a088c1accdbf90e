"""Start-up time of the CLI: bare Python vs `stretchcoach --help` vs `history --json`.

Runs the three commands interleaved, several rounds, and prints medians and ratios.
Usage: python bench/cli_startup.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--tiny", action="store_true", help="a tiny run (the tests run it)")
    args = parser.parse_args()
    if args.tiny:
        args.rounds = 1
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, STRETCHCOACH_DATABASE_URL=f"sqlite:///{folder}/bench.db")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "stretchcoach --help": [sys.executable, "-m", "stretchcoach", "--help"],
            "stretchcoach history --json": [
                sys.executable,
                "-m",
                "stretchcoach",
                "history",
                "--json",
            ],
        }
        timed(commands["stretchcoach history --json"], env)  # creates and migrates the db
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, command in commands.items():
                times[name].append(timed(command, env))
    base = statistics.median(times["python -c pass"])
    print(f"rounds={args.rounds}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<30} median {median * 1000:7.1f} ms   x{median / base:4.1f} of bare Python")


if __name__ == "__main__":
    main()
