"""The runner drives a timeline against a clock: events, pause, skip, stop, the form gate."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcoach.domain.routine import Routine, choose_settings
from stretchcoach.domain.runner import (
    STALL_AFTER_S,
    Countdown,
    Event,
    Halfway,
    HoldRecorded,
    PhaseEnded,
    PhaseStarted,
    Runner,
    SessionFinished,
    Stalled,
)
from stretchcoach.domain.timeline import PhaseKind, build_timeline
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.testing import FakeClock


def run_to_end(runner: Runner, clock: FakeClock, step_s: float = 0.25) -> list[Event]:
    events = runner.advance()
    while not runner.finished:
        clock.tick(step_s)
        events += runner.advance()
    return events


def walk(runner: Runner, clock: FakeClock, seconds: float, step_s: float = 0.25) -> list[Event]:
    """Drive the runner for `seconds`, as a driver does: waking at least every step."""
    events: list[Event] = []
    target = clock.monotonic() + seconds
    while (left := target - clock.monotonic()) > 1e-9:
        clock.tick(min(step_s, left))
        events += runner.advance()
    return events


def holds(events: list[Event]) -> list[HoldRecorded]:
    return [e for e in events if isinstance(e, HoldRecorded)]


@pytest.fixture
def runner(routine: Routine, clock: FakeClock) -> Runner:
    return Runner(build_timeline(routine, choose_settings(routine, reps_per_side=2)), clock)


def test_a_full_run_records_every_hold_completed_at_its_planned_length(
    runner: Runner, clock: FakeClock
) -> None:
    events = run_to_end(runner, clock)

    recorded = [e.hold for e in holds(events)]
    assert [(h.side, h.held_s, h.completed) for h in recorded] == [
        (Side.LEFT, 30.0, True),
        (Side.RIGHT, 30.0, True),
        (Side.LEFT, 30.0, True),
        (Side.RIGHT, 30.0, True),
    ]
    assert events[-1] == SessionFinished(SessionStatus.COMPLETED)
    assert runner.status is SessionStatus.COMPLETED


def test_late_wake_ups_do_not_make_the_session_drift(runner: Runner, clock: FakeClock) -> None:
    runner.advance()
    walk(runner, clock, 15 + 30 + 10 + 29)

    clock.tick(1 + 3.7)  # woke late, under the stall limit: in the middle of the second rest
    events = runner.advance()

    assert [e.hold.held_s for e in holds(events)] == [30.0]
    assert runner.phase is not None and runner.phase.kind is PhaseKind.REST
    assert runner.elapsed_s() == pytest.approx(3.7)


def test_hold_events_include_halfway_and_a_countdown_from_five(
    runner: Runner, clock: FakeClock
) -> None:
    events = run_to_end(runner, clock, step_s=0.5)

    first_hold = runner.timeline.holds[0]
    in_first_hold = [e for e in events if getattr(e, "phase", None) == first_hold]
    countdown = [e.n for e in in_first_hold if isinstance(e, Countdown)]
    assert countdown == [5, 4, 3, 2, 1]
    assert sum(isinstance(e, Halfway) for e in in_first_hold) == 1
    assert isinstance(in_first_hold[0], PhaseStarted)
    assert isinstance(in_first_hold[-1], PhaseEnded)


def test_pause_stops_the_clock_and_resume_carries_on_where_it_was(
    runner: Runner, clock: FakeClock
) -> None:
    runner.advance()
    walk(runner, clock, 20)
    runner.pause()

    clock.tick(600)
    runner.advance()
    paused_at = runner.elapsed_s()
    runner.resume()
    walk(runner, clock, 7)

    assert paused_at == pytest.approx(5.0)  # 20 s into the session: 5 s into the first hold
    assert runner.elapsed_s() == pytest.approx(12.0)
    assert runner.phase is not None and runner.phase.hold_number == 1


def test_paused_runner_has_no_wake_time_and_pausing_twice_changes_nothing(
    runner: Runner, clock: FakeClock
) -> None:
    runner.advance()

    first = runner.pause()
    second = runner.pause()

    assert len(first) == 1
    assert second == []
    assert runner.next_wake() is None


def test_skipping_a_hold_keeps_it_as_not_completed_and_moves_on(
    runner: Runner, clock: FakeClock
) -> None:
    runner.advance()
    walk(runner, clock, 15 + 12)

    events = runner.skip()

    recorded = holds(events)
    assert len(recorded) == 1
    assert recorded[0].hold.held_s == pytest.approx(12.0)
    assert recorded[0].hold.completed is False
    assert runner.phase is not None and runner.phase.kind is PhaseKind.REST


def test_skipping_get_ready_starts_the_first_hold_at_once(runner: Runner, clock: FakeClock) -> None:
    runner.advance()

    runner.skip()

    assert runner.phase is not None and runner.phase.hold_number == 1
    assert holds(walk(runner, clock, 30))[0].hold.completed is True


def test_stopping_mid_hold_keeps_the_time_held_and_ends_the_session(
    runner: Runner, clock: FakeClock
) -> None:
    runner.advance()
    walk(runner, clock, 15 + 8)

    events = runner.stop()

    assert holds(events)[0].hold.held_s == pytest.approx(8.0)
    assert events[-1] == SessionFinished(SessionStatus.STOPPED)
    assert runner.finished
    assert runner.stop() == []
    assert runner.advance() == []


def test_stopping_during_a_rest_records_no_extra_hold(runner: Runner, clock: FakeClock) -> None:
    runner.advance()
    walk(runner, clock, 15 + 30 + 2)

    assert holds(runner.stop()) == []


def test_the_form_gate_stops_a_hold_counting_until_the_form_is_right(
    runner: Runner, clock: FakeClock
) -> None:
    runner.advance()
    walk(runner, clock, 15 + 10)

    runner.set_form_ok(False)
    clock.tick(20)
    runner.advance()
    held_while_wrong = runner.elapsed_s()
    runner.set_form_ok(True)
    events = walk(runner, clock, 20)

    assert held_while_wrong == pytest.approx(10.0)
    assert holds(events)[0].hold.held_s == 30.0
    assert runner.snapshot().gated is False


def test_the_form_gate_does_not_hold_up_rests(runner: Runner, clock: FakeClock) -> None:
    runner.advance()
    runner.set_form_ok(False)

    walk(runner, clock, 15)

    assert runner.phase is not None and runner.phase.kind is PhaseKind.HOLD
    assert runner.snapshot().gated is True


def test_next_wake_is_the_next_whole_second_or_the_phase_end(
    runner: Runner, clock: FakeClock
) -> None:
    runner.advance()
    walk(runner, clock, 14.6)

    assert runner.next_wake() == pytest.approx(15.0)


def test_progress_runs_from_zero_to_one(runner: Runner, clock: FakeClock) -> None:
    runner.advance()
    start = runner.snapshot().progress

    run_to_end(runner, clock)

    assert start == 0.0
    assert runner.snapshot().progress == 1.0


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(st.floats(min_value=0.05, max_value=STALL_AFTER_S), min_size=1, max_size=60),
    pauses=st.lists(st.booleans(), min_size=1, max_size=60),
)
def test_any_pattern_of_wake_ups_and_pauses_records_full_holds(
    steps: list[float], pauses: list[bool]
) -> None:
    from stretchcoach.adapters.routine_file import load_builtin

    routine = load_builtin()
    clock = FakeClock()
    runner = Runner(build_timeline(routine, choose_settings(routine, reps_per_side=1)), clock)
    events = runner.advance()
    i = 0
    while not runner.finished:
        if pauses[i % len(pauses)] and i < 200:
            events += runner.toggle_pause()
        elif runner.paused:
            events += runner.resume()
        clock.tick(steps[i % len(steps)])
        events += runner.advance()
        i += 1

    assert [e.hold.held_s for e in holds(events)] == [30.0, 30.0]


def test_a_stalled_process_does_not_complete_the_holds_it_missed(
    runner: Runner, clock: FakeClock
) -> None:
    runner.advance()
    walk(runner, clock, 15 + 30 + 10 + 6)  # 6 s into the second hold

    clock.tick(75)  # the process was stopped: nothing was shown, nothing was said
    events = runner.advance()

    assert holds(events) == []
    assert runner.phase is not None and runner.phase.hold_number == 2
    assert runner.elapsed_s() == pytest.approx(6.0)
    stalled = [e for e in events if isinstance(e, Stalled)]
    assert len(stalled) == 1
    assert stalled[0].lost_s == pytest.approx(75.0)
    assert stalled[0].elapsed_s == pytest.approx(6.0)
    assert stalled[0].phase.hold_number == 2


def test_after_a_stall_the_hold_in_progress_is_completed_only_with_coached_time(
    runner: Runner, clock: FakeClock
) -> None:
    runner.advance()
    walk(runner, clock, 15 + 30 + 10 + 6)
    clock.tick(75)
    runner.advance()

    events = walk(runner, clock, 23.5)
    assert holds(events) == []
    events += walk(runner, clock, 0.5)

    assert [(h.hold.hold_number, h.hold.held_s) for h in holds(events)] == [(2, 30.0)]
    assert runner.phase is not None and runner.phase.kind is PhaseKind.REST


def test_a_stall_right_before_a_stop_does_not_count_toward_the_hold(
    runner: Runner, clock: FakeClock
) -> None:
    runner.advance()
    walk(runner, clock, 15 + 8)

    clock.tick(40)
    events = runner.stop()

    assert holds(events)[0].hold.held_s == pytest.approx(8.0)
    assert any(isinstance(e, Stalled) for e in events)


def test_a_wait_while_paused_is_no_stall(runner: Runner, clock: FakeClock) -> None:
    runner.advance()
    walk(runner, clock, 20)
    runner.pause()

    clock.tick(600)
    events = runner.advance() + runner.resume() + walk(runner, clock, 1)

    assert not any(isinstance(e, Stalled) for e in events)
    assert runner.elapsed_s() == pytest.approx(6.0)


def test_a_stall_seen_first_by_the_form_gate_is_still_said(
    runner: Runner, clock: FakeClock
) -> None:
    runner.advance()
    walk(runner, clock, 15 + 4)

    clock.tick(30)
    runner.set_form_ok(False)
    events = runner.advance()

    assert [e.lost_s for e in events if isinstance(e, Stalled)] == [pytest.approx(30.0)]
    assert runner.elapsed_s() == pytest.approx(4.0)


def test_a_hold_paused_after_its_deadline_but_before_the_driver_woke_still_ends_completed(
    runner: Runner, clock: FakeClock
) -> None:
    runner.advance()
    walk(runner, clock, runner.timeline[0].duration_s + runner.timeline[1].duration_s - 0.5)
    clock.tick(0.7)  # the first hold's deadline passed; the driver has not woken since

    runner.pause()
    events = runner.advance()

    assert [(e.hold.hold_number, e.hold.completed) for e in holds(events)] == [(1, True)]
    assert runner.phase == runner.timeline[2] and runner.snapshot().elapsed_s == 0.0
