"""A database that hangs (no refusal, no answer) and a coach that is itself stopped: the session
keeps its time, no hold is invented, and everything recorded reaches the store exactly once.
Real processes: a PostgreSQL server of the test's own frozen with SIGSTOP, the CLI stopped."""

from __future__ import annotations

import json
import os
import re
import signal
import time
from pathlib import Path

import pytest
from tests.e2e.faults import Session, cli, cli_env, own_postgres

pytestmark = [pytest.mark.e2e]

# At ×10: get ready 1.5 s, four 3-s holds, three 1-s rests: 16.5 s planned.
START = ("--speed", "10", "--no-voice", "--reps", "2", "--skip-checkin")
PLANNED_S = (15 + 4 * 30 + 3 * 10) / 10


def stored(env: dict[str, str]) -> tuple[list[dict[str, object]], str]:
    result = cli(env, "history", "--json")
    assert result.returncode == 0, result.stderr
    sessions: list[dict[str, object]] = json.loads(result.stdout)
    return sessions, result.stderr


def holds_of(session: dict[str, object]) -> list[tuple[int, float, bool]]:
    holds = session["holds"]
    assert isinstance(holds, list)
    return sorted((int(h["number"]), float(h["held_s"]), bool(h["completed"])) for h in holds)


FULL = [(1, 30.0, True), (2, 30.0, True), (3, 30.0, True), (4, 30.0, True)]


@pytest.mark.postgres
def test_a_server_frozen_from_the_second_hold_past_the_end_holds_nothing_up(
    tmp_path: Path,
) -> None:
    with own_postgres() as server:
        env = cli_env(server.url, tmp_path / "data")
        session = Session(env, *START)
        session.wait_for("Get ready (")
        session.wait_for("saved: left leg")
        server.freeze()
        try:
            session.wait_for("Session completed.")
            code, out, err = session.finish()
        finally:
            server.thaw()
        woke = time.monotonic()
        sessions, replay_note = stored(env)
        saved_after_s = time.monotonic() - woke
        again, second_note = stored(env)

    assert code == 0, err
    assert "Traceback" not in err + out
    # the session kept its time: it did not wait on the database
    wall = session.seen["Session completed."] - session.seen["Get ready ("]
    assert PLANNED_S - 0.5 < wall < PLANNED_S + 2.0, (wall, PLANNED_S)
    assert out.count("  saved:") == 1
    assert out.count("kept safe on this computer, not saved yet") == 3
    assert "did not answer within 3 s" in out or "has not answered for" in out
    assert "Waiting, and safe on this computer: holds 2, 3, 4 and a session's end" in out
    assert "stopped for" not in out  # the coach itself never stopped
    # once the server wakes, every record is saved exactly once, and nothing else
    assert "Saved what was waiting from an earlier session: 3 holds and a session's end" in (
        replay_note
    )
    assert second_note == ""
    assert len(sessions) == 1 and holds_of(sessions[0]) == FULL
    assert sessions[0]["status"] == "completed"
    assert again == sessions
    print(
        f"\nfrozen to the end: session {wall:.1f} s (planned {PLANNED_S:.1f} s), process "
        f"{session.ended:.1f} s, all saved {saved_after_s:.1f} s after the wake"
    )


@pytest.mark.postgres
def test_a_server_frozen_mid_session_and_woken_before_the_end_gets_each_hold_once(
    tmp_path: Path,
) -> None:
    with own_postgres() as server:
        env = cli_env(server.url, tmp_path / "data")
        session = Session(env, *START)
        session.wait_for("Get ready (")
        session.wait_for("saved: left leg")
        server.freeze()
        try:
            session.wait_for("kept safe on this computer")
        finally:
            server.thaw()
        session.wait_for("Session completed.")
        code, out, err = session.finish()
        sessions, replay_note = stored(env)

    assert code == 0, err
    assert "Traceback" not in err + out
    assert re.search(r"The database answers again: holds? 2(, 3)?, which waited, saved now", out)
    assert "Waiting" not in out
    assert replay_note == ""
    assert len(sessions) == 1 and holds_of(sessions[0]) == FULL
    assert sessions[0]["status"] == "completed"
    wall = session.seen["Session completed."] - session.seen["Get ready ("]
    assert PLANNED_S - 0.5 < wall < PLANNED_S + 2.0, (wall, PLANNED_S)
    print(f"\nfrozen then woken: session {wall:.1f} s (planned {PLANNED_S:.1f} s)")


def test_a_coach_stopped_mid_hold_completes_no_hold_it_missed(tmp_path: Path) -> None:
    env = cli_env(f"sqlite:///{tmp_path / 'stretchcoach.db'}", tmp_path / "data")
    session = Session(env, *START)
    session.wait_for("Get ready (")
    session.wait_for("Left leg · hold 1 of 2")
    os.kill(session.process.pid, signal.SIGSTOP)  # a suspended terminal, a frozen laptop
    stopped_s = 8.0
    time.sleep(stopped_s)  # the fault itself: how long the coach is stopped
    os.kill(session.process.pid, signal.SIGCONT)
    line = session.wait_for("The coach was stopped for")
    session.wait_for("Session completed.")
    code, out, err = session.finish()
    sessions, _ = stored(env)

    assert code == 0, err
    said = re.search(r"stopped for (\d+) s .*that time is not counted, and (.+) carries on", line)
    assert said is not None, line
    assert stopped_s <= int(said[1]) < stopped_s + 10  # real seconds, as the person lived them
    assert said[2] in ("hold 1", "the rest")  # where it was stopped, on a slow machine the rest
    assert out.count("The coach was stopped for") == 1
    # the stopped time was not counted: the session took it on top of its plan
    wall = session.seen["Session completed."] - session.seen["Get ready ("]
    assert wall >= PLANNED_S + stopped_s - 0.5, wall
    assert len(sessions) == 1 and holds_of(sessions[0]) == FULL
    assert sessions[0]["status"] == "completed"
