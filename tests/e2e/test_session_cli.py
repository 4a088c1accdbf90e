"""The guided session as a user runs it: real processes, a real terminal, a real database."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def cli_env(db_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    env["STRETCHCOACH_DATABASE_URL"] = db_url
    env["STRETCHCOACH_SPEECH"] = "off"
    env["COLUMNS"] = "80"
    return env


def cli(db_url: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stretchcoach", *args],
        env=cli_env(db_url),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def screened(db_url: str) -> str:
    """The warning-signs check answered (no to all), as a script must before `start`."""
    result = cli(db_url, "screen", "--answers", "none")
    assert result.returncode == 0, result.stderr
    return db_url


def history(db_url: str) -> list[dict[str, object]]:
    result = cli(db_url, "history", "--json")
    assert result.returncode == 0, result.stderr
    data: list[dict[str, object]] = json.loads(result.stdout)
    return data


def wait_for(predicate: object, timeout: float = 20.0) -> None:
    assert callable(predicate)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_a_fast_session_runs_to_the_end_and_history_shows_every_hold(
    sqlite_url: str,
) -> None:
    result = cli(screened(sqlite_url), "start", "--speed", "50", "--no-voice")

    assert result.returncode == 0, result.stderr
    assert "Completed: 6 of 6 holds" in result.stdout
    sessions = history(sqlite_url)
    assert len(sessions) == 1
    session = sessions[0]
    assert session["status"] == "completed"
    assert session["routine"] == "seated-hamstring"
    assert session["practice"] is True
    assert str(session["started_at"]).endswith("+00:00")
    holds = session["holds"]
    assert isinstance(holds, list)
    assert [(h["side"], h["planned_s"], h["held_s"], h["completed"]) for h in holds] == [
        (side, 30.0, 30.0, True) for side in ["left", "right"] * 3
    ]


def test_options_shape_the_session(sqlite_url: str) -> None:
    result = cli(
        screened(sqlite_url),
        "start",
        "--speed",
        "200",
        "--no-voice",
        "--hold",
        "45",
        "--reps",
        "2",
        "--first-leg",
        "right",
        "--rest",
        "5",
    )

    assert result.returncode == 0, result.stderr
    holds = history(sqlite_url)[0]["holds"]
    assert isinstance(holds, list)
    assert [(h["side"], h["held_s"]) for h in holds] == [
        ("right", 45.0),
        ("left", 45.0),
        ("right", 45.0),
        ("left", 45.0),
    ]


def test_the_same_session_runs_on_postgresql(postgres_url: str) -> None:
    result = cli(screened(postgres_url), "start", "--speed", "200", "--no-voice", "--reps", "1")

    assert result.returncode == 0, result.stderr
    assert [s["status"] for s in history(postgres_url)] == ["completed"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--hold", "20"], "30 to 60 seconds"),
        (["--hold", "61"], "30 to 60 seconds"),
        (["--reps", "0"], "at least 1"),
        (["--first-leg", "middle"], "'left', 'right'"),
        (["--speed", "0"], "above 0"),
        (["--speed", "-2"], "above 0"),
        (["--reps", "three"], "--reps"),
        (["--db", "postgresql://nobody@127.0.0.1:1/x"], "cannot use the database"),
        (["--routine", "/no/such/file.toml"], "does not exist"),
    ],
    ids=[
        "hold-too-short",
        "hold-too-long",
        "no-reps",
        "unknown-leg",
        "zero-speed",
        "negative-speed",
        "reps-not-a-number",
        "unreachable-db",
        "missing-routine",
    ],
)
def test_bad_input_gets_one_line_exit_2_and_nothing_written(
    tmp_path: Path, args: list[str], says: str
) -> None:
    db_path = tmp_path / "never.db"

    result = cli(f"sqlite:///{db_path}", "start", "--no-voice", *args)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert says in lines[0]
    assert "Traceback" not in result.stderr
    assert not db_path.exists()


def test_kill_9_mid_session_keeps_finished_holds_and_marks_it_interrupted(
    sqlite_url: str,
) -> None:
    screened(sqlite_url)
    process = subprocess.Popen(
        [sys.executable, "-m", "stretchcoach", "start", "--speed", "10", "--no-voice"],
        env=cli_env(sqlite_url),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # 1.5 s for get ready + 3 s per hold + 1 s per rest at ×10: two holds by ~9 s.
        wait_for(lambda: len(_holds_so_far(sqlite_url)) >= 2, timeout=30)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()

    session = history(sqlite_url)[0]
    assert session["status"] == "interrupted"
    holds = session["holds"]
    assert isinstance(holds, list)
    assert len(holds) >= 2
    assert all(h["completed"] and h["held_s"] == 30.0 for h in holds)


def _holds_so_far(db_url: str) -> list[object]:
    import sqlite3
    from contextlib import closing

    path = db_url.removeprefix("sqlite:///")
    if not Path(path).exists():
        return []
    with closing(sqlite3.connect(path)) as connection:
        try:
            return connection.execute("SELECT id FROM holds").fetchall()
        except sqlite3.OperationalError:
            return []


def test_sigterm_ends_the_session_as_interrupted_and_keeps_the_hold_in_progress(
    sqlite_url: str,
) -> None:
    screened(sqlite_url)
    process = subprocess.Popen(
        [sys.executable, "-m", "stretchcoach", "start", "--speed", "10", "--no-voice"],
        env=cli_env(sqlite_url),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(lambda: len(_holds_so_far(sqlite_url)) >= 1, timeout=30)
    time.sleep(0.5)  # into the rest or the next hold

    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=15)

    assert process.returncode == 143
    assert "Traceback" not in err
    session = history(sqlite_url)[0]
    assert session["status"] == "interrupted"


TMUX = shutil.which("tmux")


@pytest.mark.skipif(TMUX is None and not os.environ.get("CI"), reason="tmux is not installed")
def test_keys_pause_skip_and_stop_in_a_real_terminal(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'tui.db'}"
    env = cli_env(db_url)
    socket = str(tmp_path / "tmux.sock")
    command = (
        f"{sys.executable} -m stretchcoach start --speed 4 --no-voice --skip-checkin; "
        "echo EXIT=$?; sleep 30"
    )
    assert cli(db_url, "screen", "--answers", "none").returncode == 0

    def tmux(*args: str) -> str:
        return subprocess.run(
            ["tmux", "-S", socket, *args], env=env, capture_output=True, text=True, check=True
        ).stdout

    def screen() -> str:
        return tmux("capture-pane", "-p", "-t", "coach")

    tmux("new-session", "-d", "-s", "coach", "-x", "80", "-y", "24", command)
    try:
        wait_for(lambda: "GET READY" in screen())
        text = screen()
        assert "Seated hamstring stretch" in text
        assert "space pause/resume" in text
        assert max(len(line) for line in text.splitlines()) <= 80

        tmux("send-keys", "-t", "coach", "n")  # skip get ready
        wait_for(lambda: "LEFT LEG · HOLD 1 OF 3" in screen())
        tmux("send-keys", "-t", "coach", " ")
        wait_for(lambda: "PAUSED" in screen())
        frozen = screen()
        time.sleep(1.0)
        assert screen() == frozen  # nothing moves while paused
        tmux("send-keys", "-t", "coach", " ")
        wait_for(lambda: "PAUSED" not in screen())

        tmux("send-keys", "-t", "coach", "q")
        wait_for(lambda: "Stop the session now?" in screen())
        tmux("send-keys", "-t", "coach", "y")
        wait_for(lambda: "EXIT=0" in screen())
        said = screen()  # how it ends depends on whether a whole second of the hold ran
        assert "Stopped early" in said or "Stopped before the first hold got going" in said
    finally:
        subprocess.run(["tmux", "-S", socket, "kill-server"], capture_output=True)

    session = history(db_url)[0]
    assert session["status"] == "stopped"
    holds = session["holds"]
    assert isinstance(holds, list)
    assert len(holds) == 1 and holds[0]["completed"] is False


def test_routine_show_and_doctor_work_on_a_fresh_machine(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'fresh.db'}"

    shown = cli(db_url, "routine", "show")
    doctor = cli(db_url, "doctor", "--json")

    assert shown.returncode == 0
    assert "Seated hamstring stretch" in shown.stdout
    assert "30 to 60 s" in shown.stdout
    assert doctor.returncode == 0, doctor.stderr
    checks = json.loads(doctor.stdout)
    assert checks["database"]["ok"] is True
    assert {"speech", "extra:vision", "extra:web"} <= set(checks)


def test_doctor_reports_an_unreachable_database_and_exits_2() -> None:
    result = cli("postgresql://nobody@127.0.0.1:1/x", "doctor")

    assert result.returncode == 2
    assert "warn database" in result.stdout


def test_a_scripted_start_never_screened_is_refused_with_how_to_answer(sqlite_url: str) -> None:
    result = cli(sqlite_url, "start", "--speed", "50", "--no-voice")

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Error: the warning-signs check comes before the first session: please answer it with "
        "'stretchcoach screen' in a terminal, or in a script with 'stretchcoach screen "
        "--answers' and one yes or no for each question, in order (read the questions with "
        "'stretchcoach screen --questions')"
    ]
    assert "none" not in result.stderr
    assert history(sqlite_url) == []
