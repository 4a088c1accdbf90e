"""How far a session's end drifts from its plan: absolute deadlines vs accumulated sleeps.

Runs the same timeline (N one-second phases, with a simulated 15 ms of screen work per
tick) two ways, side by side, several rounds, and prints the median end error of each:

- stretchcoach's runner: phases end at absolute deadlines on the clock;
- a naive loop: `sleep(1)` once per second after the work, as simple timers do.

Usage: python bench/timer_drift.py [--phases 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from stretchcoach.adapters.clock import SystemClock
from stretchcoach.domain.routine import Cues, Dose, Range, Routine, SessionSettings
from stretchcoach.domain.runner import Runner
from stretchcoach.domain.timeline import Phase, PhaseKind, Timeline
from stretchcoach.domain.values import Order, Side

WORK_S = 0.015


def timeline(phases: int) -> Timeline:
    cues = Cues(*(["cue"] * 8))
    dose = Dose(1, Range(1, 1), 1, Range(1, 1), 1, Range(1, 1), 1, Side.LEFT, Order.ALTERNATE, 1)
    routine = Routine("bench", "bench", "bench", ("step",), (), dose, cues)
    settings = SessionSettings(1, 1, Side.LEFT, 1)
    items = tuple(
        Phase(i, PhaseKind.REST, 1.0, "rest", "rest", "rest", side=Side.LEFT) for i in range(phases)
    )
    return Timeline(routine, settings, items)


def run_runner(phases: int) -> float:
    clock = SystemClock()
    runner = Runner(timeline(phases), clock)
    start = time.monotonic()
    runner.advance()
    while not runner.finished:
        wake = runner.next_wake()
        assert wake is not None
        clock.sleep_until(wake)
        runner.advance()
        time.sleep(WORK_S)  # drawing the screen
    return (time.monotonic() - start) - phases


def run_naive(phases: int) -> float:
    start = time.monotonic()
    for _ in range(phases):
        time.sleep(WORK_S)  # drawing the screen
        time.sleep(1.0)
    return (time.monotonic() - start) - phases


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phases", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tiny", action="store_true", help="a tiny run (the tests run it)")
    args = parser.parse_args()
    if args.tiny:
        args.phases, args.rounds = 1, 1
    ours, naive = [], []
    for _ in range(args.rounds):
        ours.append(run_runner(args.phases))
        naive.append(run_naive(args.phases))
    m_ours, m_naive = statistics.median(ours), statistics.median(naive)
    print(f"phases={args.phases} rounds={args.rounds} work_per_tick={WORK_S * 1000:.0f} ms")
    print(f"runner (absolute deadlines): median end error {m_ours * 1000:7.1f} ms")
    print(f"naive (sleep per second):    median end error {m_naive * 1000:7.1f} ms")
    print(f"ratio naive/runner: {m_naive / max(m_ours, 1e-6):.1f}x")


if __name__ == "__main__":
    main()
