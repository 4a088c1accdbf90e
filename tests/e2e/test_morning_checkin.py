"""The morning check-in decides the morning, as a person meets it in the terminal: what they
report today (pain, where, three questions) changes today's session, and danger written in
the journal acts at once. Real processes on a real SQLite file; earlier mornings are imported
with dates relative to today, since the process runs on the real clock."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.records import export

from . import test_journal_cli as journal_cli
from .test_browser import browser

pytestmark = pytest.mark.e2e
__all__ = ["browser"]  # the Chromium fixture, used here


def cli_env(db_url: str) -> dict[str, str]:
    """The journal tests' environment, on UTC days: the mornings below are dated in UTC."""
    return journal_cli.cli_env(db_url, zone="UTC")


def cli(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return journal_cli.cli(db_url, *args, zone="UTC")


@pytest.fixture(autouse=True)
def not_across_midnight() -> None:
    """Earlier mornings are dated from the test's clock and read on the process's: never let
    a test start in the last two minutes of a UTC day, when the two could fall either side."""
    now = datetime.now(UTC)
    left = (now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)) - now
    if left < timedelta(minutes=2):
        time.sleep(left.total_seconds() + 1)


def _at(days_ago: int, hour: int, minute: int = 0) -> str:
    day = datetime.now(UTC).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return (day - timedelta(days=days_ago)).isoformat()


def mornings(tmp_path: Path, days: list[tuple[int, int, str]]) -> Path:
    """Completed sessions on earlier mornings (days ago, pain before, where), every hold a mild
    pull at 30 s, and a warning-signs check of no to everything the day before the first."""
    sessions, holds, pain = [], [], []
    for days_ago, score, where in days:
        sid = str(uuid.uuid4())
        sessions.append(
            {
                "id": sid,
                "started_at": _at(days_ago, 7),
                "ended_at": _at(days_ago, 7, 6),
                "last_seen_at": _at(days_ago, 7, 6),
                "time_zone": "UTC",
                "status": "completed",
                "practice": False,
                "speed": 1.0,
                "routine_id": "seated-hamstring",
                "routine_name": "Seated hamstring",
                "hold_s": 30.0,
                "reps_per_side": 3,
                "first_side": "left",
                "rest_s": 10.0,
                "hold_order": "alternate",
                "host": "laptop",
                "pid": 4242,
            }
        )
        for number in range(1, 7):
            holds.append(
                {
                    "id": str(uuid.uuid4()),
                    "session_id": sid,
                    "hold_number": number,
                    "side": "left" if number % 2 else "right",
                    "planned_s": 30.0,
                    "held_s": 30.0,
                    "completed": True,
                    "ended_at": _at(days_ago, 7, number),
                    "felt": "pull",
                }
            )
        pain.append(
            {
                "id": str(uuid.uuid4()),
                "session_id": sid,
                "recorded_at": _at(days_ago, 6, 59),
                "time_zone": "UTC",
                "score": score,
                "sites": where,
                "context": "before",
                "note": "",
            }
        )
    first = max((d for d, _, _ in days), default=0) + 1
    from stretchcoach.domain.safety import QUESTIONS, SCREEN_VERSION

    screens: list[dict[str, Any]] = [
        {
            "id": str(uuid.uuid4()),
            "answered_at": _at(first, 6),
            "answers": [False] * len(QUESTIONS),
            "version": SCREEN_VERSION,
        }
    ]
    path = tmp_path / "mornings.json"
    path.write_text(json.dumps(export(sessions, holds, pain, screens)))
    return path


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'mornings.db'}"


def imported(db_url: str, tmp_path: Path, days: list[tuple[int, int, str]]) -> None:
    result = cli(db_url, "import", str(mornings(tmp_path, days)))
    assert result.returncode == 0, result.stderr


def test_a_worsening_check_in_refuses_this_mornings_session_with_the_gp_words(
    db_url: str, tmp_path: Path
) -> None:
    imported(db_url, tmp_path, [(2, 4, "left:thigh"), (1, 6, "left:calf")])

    result = cli(
        db_url, "start", "--pain-before", "7", "--where-before", "left:foot",
        "--numb", "no", "--weaker", "no", "--changed", "no",
    )  # fmt: skip

    assert result.returncode != 0
    words = " ".join((result.stdout + result.stderr).split())
    assert "see your GP or physiotherapist" in words
    assert "Traceback" not in words
    assert json.loads(cli(db_url, "history", "--json").stdout)[0]["started_at"] < _at(0, 0)
    today = [e for e in json.loads(cli(db_url, "log", "--json").stdout) if e["score"] == 7]
    assert [(e["where"], e["context"]) for e in today] == [("left:foot", "standalone")]


def test_the_same_history_with_a_calm_check_in_runs_and_keeps_the_pain_with_the_session(
    db_url: str, tmp_path: Path
) -> None:
    imported(db_url, tmp_path, [(2, 4, "left:thigh"), (1, 4, "left:thigh")])

    result = cli(
        db_url, "start", "--speed", "50", "--reps", "1", "--rest", "10", "--pain-before", "3",
        "--where-before", "left:thigh", "--numb", "no", "--weaker", "no", "--changed", "no",
        "--felt", "pull",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    newest = json.loads(cli(db_url, "history", "--json").stdout)[0]
    [entry] = [e for e in json.loads(cli(db_url, "log", "--json").stdout) if e["score"] == 3]
    assert entry["context"] == "before" and entry["session_id"] == newest["id"]


def test_a_check_in_of_9_in_both_calves_is_an_emergency_not_a_session(
    db_url: str, tmp_path: Path
) -> None:
    imported(db_url, tmp_path, [(2, 5, "left:calf"), (1, 5, "left:calf")])

    result = cli(
        db_url, "start", "--pain-before", "9", "--where-before", "left:calf,right:calf",
    )  # fmt: skip

    assert result.returncode != 0
    words = " ".join((result.stdout + result.stderr).split())
    assert "emergency department now" in words
    assert len(json.loads(cli(db_url, "history", "--json").stdout)) == 2  # no session today


def test_a_change_in_peeing_at_the_check_in_says_go_now_and_blocks(
    db_url: str, tmp_path: Path
) -> None:
    imported(db_url, tmp_path, [(1, 3, "left:thigh")])

    result = cli(
        db_url, "start", "--pain-before", "3", "--numb", "no", "--weaker", "no",
        "--changed", "peeing",
    )  # fmt: skip

    assert result.returncode != 0
    words = " ".join((result.stdout + result.stderr).split())
    assert words.count("Go to an emergency department now") >= 1
    stats = json.loads(cli(db_url, "stats", "--json").stdout)
    assert "red-flag-bladder" in json.dumps(stats)


def test_a_higher_morning_never_gets_a_longer_hold(tmp_path: Path) -> None:
    history = [(3, 5, "left:thigh"), (2, 5, "left:thigh"), (1, 5, "left:thigh")]
    said = {}
    for score in ("5", "8"):  # the same history, each on its own database
        folder = tmp_path / score
        folder.mkdir()
        db_url = f"sqlite:///{folder / 'm.db'}"
        imported(db_url, folder, history)
        said[score] = first_lines(db_url, "--pain-before", score, "--where-before", "left:thigh")

    assert "try 35 s holds" in said["5"]  # an ordinary morning: a little longer
    assert "Not longer today" in said["8"] and "8 out of 10" in said["8"]
    assert "35 s" not in said["8"]


def first_lines(db_url: str, *check_in: str) -> str:
    """What `start` says before the session (a real one, stopped once it has said it)."""
    argv = [sys.executable, "-m", "stretchcoach", "start", "--no-voice", *check_in]
    argv += ["--numb", "no", "--weaker", "no", "--changed", "no"]
    said = ""
    with subprocess.Popen(
        argv,
        env=cli_env(db_url),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            said += line
            if line.startswith("Today:"):
                break
        process.terminate()
    return " ".join(said.split())


@pytest.mark.parametrize(
    "note",
    ["wet myself this morning", "can’t control my bladder", "NUMB BETWEEN MY LEGS"],
)
def test_a_bladder_note_on_a_rest_day_says_go_now_at_once(db_url: str, note: str) -> None:
    assert cli(db_url, "screen", "--answers", ",".join(["no"] * _count())).returncode == 0

    result = cli(db_url, "log", "--pain", "4", "--where", "left:calf", "--note", note)

    assert result.returncode == 0, result.stderr
    assert "emergency department now" in " ".join(result.stdout.split())
    refused = cli(db_url, "start", "--speed", "50")
    assert refused.returncode != 0
    assert "emergency department now" in " ".join((refused.stdout + refused.stderr).split())


def test_an_ordinary_note_is_only_noted(db_url: str) -> None:
    assert cli(db_url, "screen", "--answers", ",".join(["no"] * _count())).returncode == 0

    result = cli(db_url, "log", "--pain", "3", "--note", "walked to the shops, fine")

    assert result.returncode == 0
    assert result.stdout.strip() == "Noted: pain 3/10."


def test_the_journal_takes_the_three_questions_as_options(db_url: str) -> None:
    assert cli(db_url, "screen", "--answers", ",".join(["no"] * _count())).returncode == 0

    weaker = cli(db_url, "log", "--pain", "4", "--where", "left:calf", "--weaker", "left")
    bad = cli(db_url, "log", "--pain", "4", "--weaker", "sideways")

    assert weaker.returncode == 0
    assert "Get seen today" in " ".join(weaker.stdout.split())
    assert bad.returncode == 2 and "--weaker" in bad.stderr and "left, right or both" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def _count() -> int:
    from stretchcoach.domain.safety import QUESTIONS

    return len(QUESTIONS)


TMUX = shutil.which("tmux")


@pytest.mark.skipif(TMUX is None and not os.environ.get("CI"), reason="tmux is not installed")
def test_in_a_terminal_the_check_in_comes_before_the_plan(db_url: str, tmp_path: Path) -> None:
    imported(db_url, tmp_path, [(2, 4, "left:thigh"), (1, 6, "left:calf")])
    socket = str(tmp_path / "tmux.sock")
    command = f"{sys.executable} -m stretchcoach start --no-voice; echo EXIT=$?; sleep 30"

    def tmux(*args: str) -> str:
        return subprocess.run(
            ["tmux", "-S", socket, *args],
            env=cli_env(db_url) | {"COLUMNS": "80"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def screen() -> str:
        return " ".join(tmux("capture-pane", "-p", "-t", "coach").split())

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 30
        while text not in screen():
            assert time.monotonic() < deadline, f"{text!r} never appeared:\n{screen()}"
            time.sleep(0.05)

    tmux("new-session", "-d", "-s", "coach", "-x", "80", "-y", "24", command)
    try:
        wait_for("Pain before the stretch, 0 to 10 (Enter skips the check-in)")
        assert "Today:" not in screen()  # nothing decided before the person has spoken
        tmux("send-keys", "-t", "coach", "7", "Enter")
        wait_for("Where?")
        tmux("send-keys", "-t", "coach", "left:foot", "Enter")
        wait_for("New numbness or pins and needles?")
        tmux("send-keys", "-t", "coach", "Enter")  # Enter alone is not an answer here
        wait_for("n means no")
        tmux("send-keys", "-t", "coach", "n", "Enter")
        wait_for("getting weaker?")
        tmux("send-keys", "-t", "coach", "n", "Enter")
        wait_for("Any change in peeing")
        tmux("send-keys", "-t", "coach", "n", "Enter")
        wait_for("EXIT=")
        assert "see your GP or physiotherapist" in screen()
        assert "EXIT=0" not in screen()
        assert "GET READY" not in screen()
    finally:
        subprocess.run(["tmux", "-S", socket, "kill-server"], capture_output=True)


def test_a_first_morning_of_8_to_the_foot_is_gentle_and_the_reason_stays_in_view(
    db_url: str, tmp_path: Path
) -> None:
    imported(db_url, tmp_path, [])  # the warning-signs check answered, no session yet
    socket = str(tmp_path / "tmux.sock")
    command = f"{sys.executable} -m stretchcoach start --no-voice; echo EXIT=$?; sleep 30"

    def tmux(*args: str) -> str:
        return subprocess.run(
            ["tmux", "-S", socket, *args],
            env=cli_env(db_url) | {"COLUMNS": "80"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def screen() -> str:
        return " ".join(tmux("capture-pane", "-p", "-t", "coach").split())

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 30
        while text not in screen():
            assert time.monotonic() < deadline, f"{text!r} never appeared:\n{screen()}"
            time.sleep(0.05)

    tmux("new-session", "-d", "-s", "coach", "-x", "80", "-y", "24", command)
    try:
        wait_for("Pain before the stretch, 0 to 10 (Enter skips the check-in)")
        tmux("send-keys", "-t", "coach", "8", "Enter")
        wait_for("Where?")
        tmux("send-keys", "-t", "coach", "left:foot", "Enter")
        for question in ("New numbness", "getting weaker?", "Any change in peeing"):
            wait_for(question)
            tmux("send-keys", "-t", "coach", "n", "Enter")
        wait_for("GET READY")
        lines = tmux("capture-pane", "-p", "-t", "coach").splitlines()
        said = " ".join(" ".join(line.strip(" │╭╮╰╯─").split()) for line in lines)
        assert "Today: A gentle first session" in said  # on the full screen, not gone
        assert "reaches below the knee in your left leg" in said
        assert "Sit near the edge of the bed" in said  # the steps stay too
        bottom = next(n for n, line in enumerate(lines) if line.startswith("╰"))
        assert lines[bottom + 1].rstrip().endswith("left")  # the progress line still fits
        assert "q stop" in lines[bottom + 2]
        tmux("send-keys", "-t", "coach", "q")
        wait_for("Stop")
        tmux("send-keys", "-t", "coach", "y")
        wait_for("EXIT=")
    finally:
        subprocess.run(["tmux", "-S", socket, "kill-server"], capture_output=True)


def test_on_the_phone_a_worsening_check_in_refuses_the_morning_with_the_gp_words(
    tmp_path: Path, browser: Any
) -> None:
    """The same two mornings as in the terminal, then the check-in by tap in Chromium."""
    from .test_browser import PHONE, check_in, start_server, stop_server

    db_url = f"sqlite:///{tmp_path / 'phone.db'}"
    imported(db_url, tmp_path, [(2, 4, "left:thigh"), (1, 6, "left:calf")])
    server, base = start_server(db_url, env=cli_env(db_url))
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, base_url=base)
    try:
        page = context.new_page()
        page.goto("/session")
        page.get_by_role("button", name="Begin").click()
        check_in(page, 7, ("left:foot",))

        alarm = page.locator("#today-alarm").inner_text()
        assert "see your GP or physiotherapist" in alarm
        assert page.get_by_role("button", name="Start the holds").is_hidden()
        assert page.get_by_test_id("today-plan").inner_text() == "No session today."
        sessions = page.request.get("/api/sessions").json()["sessions"]
        entries = page.request.get("/api/journal").json()["entries"]
    finally:
        context.close()
        stop_server(server)

    assert len(sessions) == 2  # the imported mornings, none today
    assert [(e["score"], e["context"]) for e in entries][-1] == (7, "standalone")
