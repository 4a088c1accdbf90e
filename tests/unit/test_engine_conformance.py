"""The phone's engine (static/engine.js) keeps the runner's rules: the same scripted sessions,
played through domain/runner with a fake clock and through engine.js under Node, give the
same events, cues, questions, screens, "N of M done" and place to carry on from.

Generated sessions (seeded, so a failure repeats) cover every dose shape the routine allows
with pauses, skips, stops, stalls, camera gates and felt answers at random moments; the
hand-written ones pin the edges named in the issue.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from stretchcoach.domain.cues import event_cues, felt_asked, gentler_after
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.routine import Routine, SessionSettings
from stretchcoach.domain.runner import (
    Countdown,
    Event,
    Halfway,
    HoldRecorded,
    Paused,
    PhaseEnded,
    PhaseStarted,
    Resumed,
    Runner,
    SecondTick,
    SessionFinished,
    Snapshot,
    Stalled,
)
from stretchcoach.domain.session import ended_hold
from stretchcoach.domain.timeline import Timeline, build_timeline
from stretchcoach.domain.values import Order, Side
from stretchcoach.services.web_session import resume_phase
from stretchcoach.testing import FakeClock
from stretchcoach.web.routers.api_session import cues_json, phases_json

ENGINE = Path(__file__).parents[2] / "src/stretchcoach/web/static/engine.js"
PLAYER = Path(__file__).with_name("engine_player.mjs")
NODE = shutil.which("node")
GENERATED = 300

pytestmark = pytest.mark.skipif(NODE is None, reason="Node is needed to run the phone's engine")

# -- playing a script through the runner ---------------------------------------------------


def event_json(event: Event) -> dict[str, Any]:
    if isinstance(event, PhaseStarted):
        return {"type": "phase_started", "phase": event.phase.index}
    if isinstance(event, SecondTick):
        return {"type": "second", "phase": event.phase.index, "remaining": event.remaining_s}
    if isinstance(event, Halfway):
        return {"type": "halfway", "phase": event.phase.index}
    if isinstance(event, Countdown):
        return {"type": "countdown", "phase": event.phase.index, "n": event.n}
    if isinstance(event, PhaseEnded):
        return {
            "type": "phase_ended",
            "phase": event.phase.index,
            "elapsed_s": event.elapsed_s,
            "skipped": event.skipped,
        }
    if isinstance(event, HoldRecorded):
        hold = event.hold
        return {
            "type": "hold_recorded",
            "hold": {
                "hold_number": hold.hold_number,
                "side": hold.side.value,
                "planned_s": hold.planned_s,
                "held_s": hold.held_s,
                "completed": hold.completed,
            },
        }
    if isinstance(event, Paused):
        return {"type": "paused", "phase": event.phase.index}
    if isinstance(event, Resumed):
        return {"type": "resumed", "phase": event.phase.index}
    if isinstance(event, SessionFinished):
        return {"type": "finished", "status": event.status.value}
    assert isinstance(event, Stalled)
    return {
        "type": "stalled",
        "phase": event.phase.index,
        "lost_s": event.lost_s,
        "elapsed_s": event.elapsed_s,
    }


def snapshot_json(snap: Snapshot) -> dict[str, Any]:
    return {
        "phase": snap.phase.index if snap.phase else None,
        "next_phase": snap.next_phase.index if snap.next_phase else None,
        "elapsed_s": snap.elapsed_s,
        "remaining_s": snap.remaining_s,
        "progress": snap.progress,
        "paused": snap.paused,
        "gated": snap.gated,
        "finished": snap.finished,
        "status": snap.status.value,
    }


def play(timeline: Timeline, script: dict[str, Any]) -> dict[str, Any]:
    """What the runner and the domain's cues make of a script (the reference)."""
    clock = FakeClock()
    runner = Runner(timeline, clock, start_at=script["start_at"], gate_holds=script["gate_holds"])
    asked: int | None = None
    gentler: frozenset[Side] = frozenset()
    holds = []
    steps = []
    for step in script["steps"]:
        clock.tick(step["at"] - clock.monotonic())
        events: list[Event] = []
        match step["do"]:
            case "advance":
                events = runner.advance()
            case "pause":
                events = runner.pause()
            case "resume":
                events = runner.resume()
            case "skip":
                events = runner.skip()
            case "stop":
                events = runner.stop()
            case "gate_open":
                runner.set_form_ok(True)
            case "gate_close":
                runner.set_form_ok(False)
            case "camera_lost":
                runner.ungate()
            case "felt" if asked is not None:
                side = timeline.holds[asked - 1].side
                assert side is not None
                gentler = gentler_after(gentler, side, Felt(step["felt"]))
                asked = None
        said: list[str] = []
        for event in events:
            if isinstance(event, HoldRecorded):
                holds.append(event.hold)
            asked = felt_asked(event, asked)
            said += event_cues(event, timeline.routine.cues, gentler)
        steps.append(
            {
                "events": [event_json(e) for e in events],
                "said": said,
                "asked": asked,
                "gentler": sorted(side.value for side in gentler),
                "snapshot": snapshot_json(runner.snapshot()),
            }
        )
    at = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)
    saved = [
        ended_hold(
            "s",
            h.hold_number,
            h.side,
            planned_s=h.planned_s,
            held_s=h.held_s,
            completed=h.completed,
            ended_at=at,
        )
        for h in holds
    ]
    return {
        "steps": steps,
        "done": {
            "done": sum(1 for h in saved if h.completed),
            "planned": timeline.settings.total_holds,
        },
        "resume": resume_phase(timeline, set(script["saved"])),
    }


def play_in_node(scripts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert NODE is not None
    result = subprocess.run(
        [NODE, str(PLAYER), ENGINE.as_uri()],
        input=json.dumps(scripts),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def script_for(timeline: Timeline, steps: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "phases": phases_json(timeline),
        "cues": cues_json(timeline.routine),
        "start_at": extra.get("start_at", 0),
        "saved": extra.get("saved", []),
        "gate_holds": extra.get("gate_holds", False),
        "steps": steps,
    }


def assert_same(timelines: list[Timeline], scripts: list[dict[str, Any]], names: list[str]) -> None:
    phone = play_in_node(scripts)
    for timeline, script, name, found in zip(timelines, scripts, names, phone, strict=True):
        expected = play(timeline, script)
        for n, (want, got) in enumerate(zip(expected["steps"], found["steps"], strict=True)):
            assert got == want, f"{name}: step {n} ({script['steps'][n]}) differs"
        assert found["done"] == expected["done"], name
        assert found["resume"] == expected["resume"], name


# -- the sessions ----------------------------------------------------------------------------


def timeline_of(
    routine: Routine,
    *,
    hold_s: float = 12.0,
    reps: int = 2,
    rest_s: float = 4.0,
    get_ready_s: float = 3.0,
    first: Side = Side.LEFT,
    order: Order = Order.ALTERNATE,
    side_reps: tuple[int, int] | None = None,
) -> Timeline:
    dosed = replace(routine, dose=replace(routine.dose, get_ready_s=get_ready_s))
    settings = SessionSettings(
        hold_s=hold_s,
        reps_per_side=reps,
        first_side=first,
        rest_s=rest_s,
        order=order,
        side_reps=side_reps,
    )
    return build_timeline(dosed, settings)


def walk(start: float, end: float, step: float = 0.25) -> list[dict[str, Any]]:
    """Advance every `step` seconds from just after `start` to `end` (on a millisecond grid)."""
    steps = []
    t = start
    while t < end:
        t = min(round(t + step, 3), end)
        steps.append({"at": t, "do": "advance"})
    return steps


def act(at: float, what: str, **more: Any) -> dict[str, Any]:
    return {"at": at, "do": what, **more}


def edge_cases(routine: Routine) -> list[tuple[str, Timeline, dict[str, Any]]]:
    """(name, timeline, script): the edges a person meets."""
    plain = timeline_of(routine)  # get ready 3 s, holds of 12 s, rests of 4 s
    short = timeline_of(routine, hold_s=8.0)  # half a hold is under the 5 s countdown
    cases = []

    def case(name: str, timeline: Timeline, steps: list[dict[str, Any]], **extra: Any) -> None:
        cases.append((name, timeline, script_for(timeline, steps, **extra)))

    case("a whole session, every cue", plain, walk(-0.25, 70.0))
    case("a whole session woken once a second", plain, walk(-1.0, 70.0, 1.0))
    case("holds too short for a halfway cue", short, walk(-0.25, 50.0))
    case("stop at 0 s of a hold", plain, [*walk(-0.25, 3.0), act(3.0, "stop")])
    case("stop mid-hold", plain, [*walk(-0.25, 9.5), act(9.5, "stop"), *walk(9.5, 11.0)])
    case("stop during a rest", plain, [*walk(-0.25, 17.0), act(17.0, "stop")])
    case("stop before anything began", plain, [act(0.0, "stop"), act(1.0, "advance")])
    case("skip during get ready", plain, [*walk(-0.25, 1.0), act(1.0, "skip"), *walk(1.0, 5.0)])
    case("skip during a rest", plain, [*walk(-0.25, 16.5), act(16.5, "skip"), *walk(16.5, 30.0)])
    case("skip mid-hold", plain, [*walk(-0.25, 6.0), act(6.0, "skip"), *walk(6.0, 12.0)])
    case(
        "skip the last hold",
        timeline_of(routine, reps=1),
        [*walk(-0.25, 20.0), act(20.0, "skip"), act(20.5, "advance")],
    )
    case(
        "pause across the halfway cue",
        plain,
        [
            *walk(-0.25, 8.5),
            act(8.5, "pause"),
            *walk(8.5, 12.0),
            act(12.0, "resume"),
            *walk(12.0, 20.0),
        ],
    )
    case(
        "pause across a rest's end",
        plain,
        [
            *walk(-0.25, 18.0),
            act(18.0, "pause"),
            *walk(18.0, 30.0),
            act(30.0, "resume"),
            *walk(30.0, 40.0),
        ],
    )
    case(
        "pause twice, resume twice",
        plain,
        [
            *walk(-0.25, 5.0),
            act(5.0, "pause"),
            act(5.5, "pause"),
            act(6.0, "resume"),
            act(6.5, "resume"),
            *walk(6.5, 10.0),
        ],
    )
    case(
        "the page slept through a hold: not counted",
        plain,
        [*walk(-0.25, 5.0), act(25.0, "advance"), *walk(25.0, 40.0)],
    )
    case(
        "a late wake under the stall limit is caught up",
        plain,
        [*walk(-0.25, 5.0), act(9.75, "advance"), *walk(9.75, 20.0)],
    )
    case(
        "a camera hold starts from nothing and counts only in good form",
        plain,
        [
            *walk(-0.25, 1.0),
            act(1.0, "gate_close"),
            *walk(1.0, 6.0),
            act(6.0, "gate_open"),
            *walk(6.0, 9.0),
            act(9.0, "gate_close"),
            *walk(9.0, 11.0),
            act(11.0, "gate_open"),
            *walk(11.0, 25.0),
        ],
    )
    case(
        "a camera gate closed while paused",
        plain,
        [
            *walk(-0.25, 6.0),
            act(6.0, "pause"),
            act(6.5, "gate_close"),
            act(7.0, "resume"),
            *walk(7.0, 9.0),
            act(9.0, "gate_open"),
            *walk(9.0, 30.0),
        ],
    )
    case(
        "with the camera each hold starts gated, never with the rest's overrun",
        plain,
        [
            *walk(-1.0, 3.7, 1.0),
            *walk(3.7, 5.3, 0.4),
            act(5.3, "gate_open"),
            *walk(5.3, 17.3, 0.4),
            *walk(17.3, 22.0, 1.0),
            act(22.0, "gate_open"),
            *walk(22.0, 40.0),
        ],
        gate_holds=True,
    )
    case(
        "the camera lost mid-hold: the hold counts on time from then",
        plain,
        [*walk(-0.25, 6.0), act(6.0, "camera_lost"), *walk(6.0, 40.0)],
        gate_holds=True,
    )
    case(
        "stop while the camera waits for good form",
        plain,
        [act(0.0, "gate_close"), *walk(0.0, 8.0), act(8.0, "stop")],
    )
    case(
        "a nerve answer makes the next hold on that leg gentler",
        timeline_of(routine, reps=3),
        [*walk(-0.25, 15.5), act(15.5, "felt", felt="nerve"), *walk(15.5, 100.0)],
    )
    case(
        "an answer after the next hold began is not taken",
        plain,
        [*walk(-0.25, 20.0), act(20.0, "felt", felt="nerve"), *walk(20.0, 70.0)],
    )
    case(
        "a mild pull changes nothing",
        plain,
        [*walk(-0.25, 16.0), act(16.0, "felt", felt="pull"), *walk(16.0, 70.0)],
    )
    case(
        "carried on after a reload from the rest before hold 3",
        plain,
        walk(-0.25, 40.0),
        start_at=4,
        saved=[1, 2],
    )
    case(
        "one leg rested, blocked order",
        timeline_of(routine, side_reps=(2, 0), order=Order.BLOCKED, first=Side.RIGHT),
        walk(-0.25, 40.0),
        saved=[1],
    )
    return cases


def generated(routine: Routine, seed: int) -> tuple[str, Timeline, dict[str, Any]]:
    """A random dose and a random morning: waking at uneven moments, with pauses, skips,
    stalls, camera gates, answers and sometimes a stop, all on a millisecond grid."""
    rng = random.Random(seed)
    reps = rng.randint(1, 4)
    side_reps = None
    if rng.random() < 0.2:
        side_reps = (rng.randint(0, reps), rng.randint(1, reps))
    timeline = timeline_of(
        routine,
        hold_s=float(rng.choice([4, 6, 9, 10, 10.5, 11, 12, 15, 20, 30])),
        reps=reps,
        rest_s=float(rng.choice([2, 3, 5, 8])),
        get_ready_s=float(rng.choice([1, 3, 5])),
        first=rng.choice(list(Side)),
        order=rng.choice(list(Order)),
        side_reps=side_reps,
    )
    numbers = [h.hold_number for h in timeline.holds if h.hold_number is not None]
    saved = sorted(rng.sample(numbers, rng.randint(0, len(numbers))))
    start_at = 0
    if saved and rng.random() < 0.5:
        start_at = resume_phase(timeline, set(saved)) or 0
    camera = rng.random() < 0.3
    steps: list[dict[str, Any]] = []
    t = 0.0
    end = timeline.total_s * 1.6 + 10
    while t < end:
        roll = rng.random()
        if roll < 0.02:
            t += rng.uniform(5.5, 20.0)  # the page slept: a stall
        elif roll < 0.1:
            t += rng.uniform(1.0, 4.9)  # a late wake, caught up
        else:
            t += rng.choice([0.05, 0.1, 0.25, 0.5, rng.uniform(0.01, 1.0)])
        t = round(t, 3)
        roll = rng.random()
        if roll < 0.03:
            steps.append(act(t, rng.choice(["pause", "resume", "resume"])))
        elif roll < 0.045:
            steps.append(act(t, "skip"))
        elif roll < 0.1:
            steps.append(act(t, rng.choice(["gate_open", "gate_close"])))
        elif roll < 0.14:
            steps.append(act(t, "felt", felt=rng.choice([f.value for f in Felt])))
        elif roll < 0.143:
            steps.append(act(t, "stop"))
        elif roll < 0.146:
            steps.append(act(t, "camera_lost"))
        steps.append(act(t, "advance"))
    steps.append(act(round(t + 0.5, 3), "resume"))
    steps.append(act(round(t + 0.5, 3), "gate_open"))
    steps += walk(round(t + 0.5, 3), round(t + 0.5 + timeline.total_s + 5, 3))
    return (
        f"generated session {seed}",
        timeline,
        script_for(timeline, steps, start_at=start_at, saved=saved, gate_holds=camera),
    )


def test_the_phone_engine_plays_the_edge_cases_as_the_runner_does(routine: Routine) -> None:
    cases = edge_cases(routine)

    assert_same([c[1] for c in cases], [c[2] for c in cases], [c[0] for c in cases])


def test_the_phone_engine_plays_generated_sessions_as_the_runner_does(routine: Routine) -> None:
    cases = [generated(routine, seed) for seed in range(GENERATED)]

    assert_same([c[1] for c in cases], [c[2] for c in cases], [c[0] for c in cases])


def test_the_generated_sessions_reach_every_rule(routine: Routine) -> None:
    """The generated sessions are worth comparing: between them they stall, pause, gate,
    skip and stop holds, say halfway and count down, answer nerve and finish both ways."""
    seen: set[str] = set()
    for seed in range(GENERATED):
        _, timeline, script = generated(routine, seed)
        for step in play(timeline, script)["steps"]:
            seen.update(e["type"] for e in step["events"])
            seen.update(f"finished {e['status']}" for e in step["events"] if "status" in e)
            seen.update(
                "hold " + ("completed" if e["hold"]["completed"] else "not completed")
                for e in step["events"]
                if e["type"] == "hold_recorded"
            )
            if step["snapshot"]["gated"]:
                seen.add("gated")
            if step["gentler"]:
                seen.add("gentler")

    assert seen >= {
        "phase_started",
        "second",
        "halfway",
        "countdown",
        "phase_ended",
        "hold_recorded",
        "paused",
        "resumed",
        "stalled",
        "finished completed",
        "finished stopped",
        "gated",
        "gentler",
        "hold completed",
        "hold not completed",
    }


def test_a_changed_rule_in_the_engine_is_caught(routine: Routine, tmp_path: Path) -> None:
    """The comparison can fail: an engine that keeps a hold stopped at 0 s differs."""
    changed = tmp_path / "engine.js"
    changed.write_text(
        ENGINE.read_text().replace('phase.kind === "hold" && elapsed > 0', 'phase.kind === "hold"')
    )
    _, timeline, script = next(c for c in edge_cases(routine) if c[0] == "stop at 0 s of a hold")
    assert NODE is not None

    found = subprocess.run(
        [NODE, str(PLAYER), changed.as_uri()],
        input=json.dumps([script]),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert json.loads(found.stdout)[0]["steps"] != play(timeline, script)["steps"]
