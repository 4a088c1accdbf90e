"""The journal, the warning-signs check and the feel of holds as a person uses them."""

from __future__ import annotations

import io
import json
import os
import re
import select
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console

from stretchcoach.cli.app import run
from stretchcoach.cli.screen import ask_screen
from stretchcoach.domain.safety import QUESTIONS

pytestmark = pytest.mark.e2e
N = len(QUESTIONS)


def cli_env(db_url: str, *, zone: str = "Europe/Paris") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    return env | {
        "STRETCHCOACH_DATABASE_URL": db_url,
        "STRETCHCOACH_SPEECH": "off",
        "STRETCHCOACH_TIME_ZONE": zone,
        "COLUMNS": "80",
    }


def cli(db_url: str, *args: str, zone: str = "Europe/Paris") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stretchcoach", *args],
        env=cli_env(db_url, zone=zone),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def in_process(capsys: pytest.CaptureFixture[str], db_url: str, *args: str) -> tuple[int, str, str]:
    code = run([*args, "--db", db_url])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "--pain", "11"], "pain 11 is not on the scale"),
        (["log", "--pain", "abc"], "pain 'abc' is not on the scale: use a whole number from 0"),
        (["log", "--pain", "3.5"], "pain '3.5' is not on the scale"),
        (["log", "--pain", "-1"], "pain -1 is not on the scale"),
        (["log", "--pain", "4", "--where", "left:knee"], "unknown place 'knee' in pain site"),
        (["log", "--where", "left:calf"], "go with a rating: add --pain N"),
        (["screen", "--answers", "no,no"], f"2 answers given: the check has {N} questions"),
        (["screen", "--seen", "yesterday"], "--seen 'yesterday' is not a date: use YYYY-MM-DD"),
        (["screen", "--seen", "2026-01-01"], "there is nothing to acknowledge"),
        (["screen", "--answers", "none", "--seen", "2026-01-01"], "give --answers or --seen"),
        (["screen", "--answers", "nope"], "'nope' is not yes or no"),
        (["screen"], "run it in a terminal, or pass --answers"),
        (["start", "--felt", "ouch"], "--felt 'ouch' is not an answer"),
        (["start", "--felt", "pull,nerve"], "--felt has 2 answers"),
        (["start", "--pain-before", "12"], "--pain-before: pain 12 is not on the scale"),
        (["start", "--pain-after", "lots"], "--pain-after: pain 'lots' is not on the scale"),
    ],
    ids=[
        "pain-too-high",
        "pain-word",
        "pain-fraction",
        "pain-negative",
        "unknown-place",
        "where-without-pain",
        "too-few-answers",
        "seen-not-a-date",
        "seen-nothing-stands",
        "answers-and-seen",
        "not-an-answer",
        "no-answers-no-terminal",
        "unknown-feel",
        "feel-count",
        "pain-before-too-high",
        "pain-after-word",
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, args: list[str], message: str
) -> None:
    code, _, err = in_process(capsys, sqlite_url, *args)

    assert code == 2
    assert err.startswith("Error: ") and err.count("\n") == 1 and message in err
    assert in_process(capsys, sqlite_url, "log", "--json")[1].strip() == "[]"
    assert json.loads(in_process(capsys, sqlite_url, "history", "--json")[1]) == []


def test_a_logged_pain_comes_back_in_the_list(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, out, _ = in_process(
        capsys,
        sqlite_url,
        "log",
        "--pain",
        "4",
        "--where",
        "left:thigh,left:calf",
        "--note",
        "after the drive",
    )
    assert code == 0 and "Noted: pain 4/10" in out

    code, out, _ = in_process(capsys, sqlite_url, "log", "--json")

    [entry] = json.loads(out)
    assert (entry["score"], entry["where"], entry["note"]) == (
        4,
        "left:calf,left:thigh",
        "after the drive",
    )
    assert entry["recorded_at"].endswith("+00:00") and entry["context"] == "standalone"
    listed = in_process(capsys, sqlite_url, "log")[1]
    assert "left thigh, left calf" in listed and "after the drive" in listed
    assert "left:" not in listed


def test_screen_answers_come_from_a_json_file_by_question_code(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    codes = [q.code for q in QUESTIONS]
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({c: c == "weight-loss" for c in codes}))

    code, out, _ = in_process(capsys, sqlite_url, "screen", "--answers", str(answers), "--json")

    result = json.loads(out)
    assert code == 0
    assert (result["clear"], result["care"], result["yes"]) == (
        False,
        "within-days",
        ["weight-loss"],
    )
    answers.write_text(json.dumps({"cancer": False}))
    code, _, err = in_process(capsys, sqlite_url, "screen", "--answers", str(answers))
    assert code == 2 and "missing: ['saddle-numbness'" in err


def test_questions_lists_the_check_in_the_order_answers_takes_it(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, out, _ = in_process(capsys, sqlite_url, "screen", "--questions", "--json")

    listed = json.loads(out)
    assert code == 0 and listed["version"] == 3
    assert [q["code"] for q in listed["questions"]] == [q.code for q in QUESTIONS]
    assert len(listed["questions"]) == N == 20
    code, out, _ = in_process(capsys, sqlite_url, "screen", "--questions")
    text = " ".join(out.split())
    assert code == 0 and f"{N} questions" in text and "none" not in text
    assert text.index("1. Is there numbness") < text.index(f"{N}. Has this pain gone on")
    assert in_process(capsys, sqlite_url, "screen", "--questions", "--answers", "n")[0] == 2
    assert json.loads(in_process(capsys, sqlite_url, "history", "--json")[1]) == []


def test_answers_take_one_yes_or_no_per_question_of_the_third_version(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    numb = ",".join("y" if q.code == "leg-numbness" else "n" for q in QUESTIONS)

    code, out, _ = in_process(capsys, sqlite_url, "screen", "--answers", numb, "--json")

    result = json.loads(out)
    assert code == 0
    assert (result["care"], result["yes"], result["gate"]) == ("routine", ["leg-numbness"], "clear")
    old_count = ",".join(["n"] * 17)
    code, _, err = in_process(capsys, sqlite_url, "screen", "--answers", old_count)
    assert code == 2 and f"17 answers given: the check has {N} questions" in err
    assert "none" not in err


def test_the_questions_are_asked_one_by_one_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    typed = ["n", "n", "maybe", "y"] + ["n"] * (N - 3)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(typed) + "\n"))
    out = io.StringIO()

    answers = ask_screen(Console(file=out, width=80))

    assert answers == (False, False, True) + (False,) * (N - 3)
    text = out.getvalue()
    assert text.index("1/") < text.index("genitals") < text.index("2/") < text.index(f"{N}/{N}")


def test_a_recheck_asks_the_emergency_questions_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from stretchcoach.domain.safety import EMERGENCY_CODES

    monkeypatch.setattr("sys.stdin", io.StringIO("n\n" * len(EMERGENCY_CODES)))
    out = io.StringIO()

    answers = ask_screen(Console(file=out, width=80), emergency_only=True)

    assert [a for a in answers if a is not None] == [False] * len(EMERGENCY_CODES)
    assert f"{len(EMERGENCY_CODES)}/{len(EMERGENCY_CODES)}" in out.getvalue()


def test_a_yes_stops_start_until_being_seen_is_recorded(sqlite_url: str) -> None:
    both_legs = ",".join("yes" if q.code == "both-legs" else "no" for q in QUESTIONS)
    yes = cli(sqlite_url, "screen", "--answers", both_legs)
    assert yes.returncode == 0 and "emergency department now" in " ".join(yes.stdout.split())

    blocked = cli(sqlite_url, "start", "--speed", "100", "--no-voice")
    cli(sqlite_url, "screen", "--answers", "none")  # a no later does not clear the yes
    still = cli(sqlite_url, "start", "--speed", "100", "--no-voice")
    today = datetime.now(ZoneInfo("Europe/Paris"))  # cli_env's zone: the day of the yes
    seen = cli(sqlite_url, "screen", "--seen", f"{today:%Y-%m-%d}", "--note", "A&E: exercise ok")
    stats = json.loads(cli(sqlite_url, "stats", "--json").stdout)

    assert blocked.returncode == 2
    assert blocked.stderr.startswith("Error: you answered yes to a warning sign")
    assert "go to an emergency department now" in blocked.stderr
    assert blocked.stderr.count("\n") == 1
    assert still.returncode == 2
    assert seen.returncode == 0 and f"Noted: seen on {today:%d %b %Y}" in seen.stdout
    assert "seen-both-legs" in [f["code"] for f in stats["flags"]]
    assert json.loads(cli(sqlite_url, "history", "--json").stdout) == []
    assert cli(sqlite_url, "start", "--speed", "200", "--no-voice", "--reps", "1").returncode == 0


def test_scripted_sessions_keep_pain_and_feel_and_the_next_one_follows_them(
    sqlite_url: str,
) -> None:
    assert cli(sqlite_url, "screen", "--answers", "none").returncode == 0
    first = cli(
        sqlite_url,
        "start",
        "--speed",
        "200",
        "--no-voice",
        "--reps",
        "2",
        "--felt",
        "pull",
        "--pain-before",
        "5",
        "--pain-after",
        "4",
    )
    assert first.returncode == 0, first.stderr
    assert "it does not diagnose" in " ".join(first.stdout.split())
    assert "emergency department now" in " ".join(first.stdout.split())
    # a practice run leaves the real dose as it was: the advice is the real plan
    assert (
        "That was a practice run: it leaves your dose as it was. Next time: A first session: "
        "the routine's own dose." in " ".join(first.stdout.split())
    )

    second = cli(
        sqlite_url,
        "start",
        "--speed",
        "200",
        "--no-voice",
        "--reps",
        "2",
        "--felt",
        "pull,nerve,pull,pull",
        "--pain-before",
        "3",
        "--pain-after",
        "6",
    )
    assert second.returncode == 0, second.stderr
    said = " ".join(second.stdout.split())
    assert "Holding 35 s, as suggested after last time" in said
    assert "it does not diagnose" not in said
    assert "reached the nerve" not in said  # a practice run never changes the real plan
    assert "Next time: A first session: the routine's own dose." in said
    assert "2 or more points higher" not in said  # a practice run never raises a flag

    sessions = json.loads(cli(sqlite_url, "history", "--json").stdout)
    assert [[h["planned_s"] for h in s["holds"]] for s in sessions] == [[35.0] * 4, [30.0] * 4]
    entries = json.loads(cli(sqlite_url, "log", "--json").stdout)
    assert [(e["context"], e["score"]) for e in entries] == [
        ("before", 5),
        ("after", 4),
        ("before", 3),
        ("after", 6),
    ]
    assert entries[2]["session_id"] == sessions[0]["id"]
    assert [(s["pain_before"]["score"], s["pain_after"]["score"]) for s in sessions] == [
        (3, 6),
        (5, 4),
    ]
    assert "3 → 6" in cli(sqlite_url, "history").stdout


TMUX = shutil.which("tmux")


@pytest.mark.skipif(TMUX is None and not os.environ.get("CI"), reason="tmux is not installed")
def test_in_a_terminal_start_asks_the_screen_pain_and_feel(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'tui.db'}"
    socket = str(tmp_path / "tmux.sock")
    command = (
        f"{sys.executable} -m stretchcoach start --speed 10 --no-voice --reps 1 --rest 20; "
        "echo EXIT=$?; sleep 30"
    )

    def tmux(*args: str) -> str:
        return subprocess.run(
            ["tmux", "-S", socket, *args],
            env=cli_env(db_url),
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def screen() -> str:
        return tmux("capture-pane", "-p", "-t", "coach")

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 20
        while text not in screen():
            assert time.monotonic() < deadline, f"{text!r} never appeared:\n{screen()}"
            time.sleep(0.05)

    tmux("new-session", "-d", "-s", "coach", "-x", "80", "-y", "24", command)
    try:
        for number in range(1, N + 1):
            wait_for(f"{number}/{N} ")
            tmux("send-keys", "-t", "coach", "n", "Enter")
        wait_for("None of the warning signs")
        wait_for("Pain before the stretch")
        tmux("send-keys", "-t", "coach", "5", "Enter")
        wait_for("Where?")
        tmux("send-keys", "-t", "coach", "left:thigh", "Enter")
        wait_for("GET READY")
        tmux("send-keys", "-t", "coach", "n")
        wait_for("How did hold 1 feel? 1 mild pull")
        assert "RELEASE" in screen()  # asked as the hold ends, the rest just begun
        assert max(len(line) for line in screen().splitlines()) <= 80
        tmux("send-keys", "-t", "coach", "2")
        deadline = time.monotonic() + 20
        while "How did hold 1" in screen():  # answered: the question goes at once
            assert time.monotonic() < deadline, screen()
            time.sleep(0.05)
        wait_for("How did hold 2 feel?")  # the last hold: on the same screen, one key
        tmux("send-keys", "-t", "coach", "3")
        wait_for("Pain after the stretch")
        tmux("send-keys", "-t", "coach", "Enter")
        wait_for("EXIT=0")
        shown = " ".join(screen().split())
        assert "That was a practice run: it leaves your dose as it was." in shown
        assert "Next time: A first session: the routine's own dose." in shown
    finally:
        subprocess.run(["tmux", "-S", socket, "kill-server"], capture_output=True)

    [session] = json.loads(cli(db_url, "history", "--json").stdout)
    assert [h["felt"] for h in session["holds"]] == ["nothing", "nerve"]
    [entry] = json.loads(cli(db_url, "log", "--json").stdout)
    assert (entry["score"], entry["where"], entry["context"]) == (5, "left:thigh", "before")


class Pty:
    """A real process on a pseudo-terminal: read its screen as text, type answers."""

    ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]|\r")

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import pty

        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env | {"TERM": "xterm"}
        )
        os.close(slave)
        self.seen = ""

    def read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                chunk = os.read(self.master, 65536).decode(errors="replace")
            except OSError:  # the process has gone and closed its side
                return
            self.seen += self.ANSI.sub("", chunk)

    def expect(self, text: str, *, after: int = 0, within: float = 30) -> int:
        """Wait for `text` to appear past position `after`; return where it ends."""
        deadline = time.monotonic() + within
        while (at := self.seen.find(text, after)) < 0:
            assert time.monotonic() < deadline, f"{text!r} never came:\n{self.seen[-1500:]}"
            self.read(0.1)
        return at + len(text)

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\r").encode())

    def close(self) -> int:
        try:
            while self.process.poll() is None:
                self.read(0.1)
            return self.process.wait(timeout=30)
        finally:
            os.close(self.master)


def test_the_check_in_asks_again_after_a_bad_answer_through_a_pty(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'pty.db'}"
    argv = [sys.executable, "-m", "stretchcoach", "start", "--speed", "50", "--no-voice"]
    session = Pty([*argv, "--reps", "1", "--rest", "30", "--felt", "pull"], cli_env(db_url))
    try:
        at = 0
        for number in range(1, N + 1):
            at = session.expect(f"{number}/{N} ", after=at)
            session.type("maybe" if number == 1 else "n")
            if number == 1:  # not yes or no: asked again
                at = session.expect(f"1/{N} ", after=at)
                session.type("n")
        at = session.expect("Pain before the stretch, 0 to 10", after=at)
        for bad in ("11", "abc", "-1", "7.5"):
            session.type(bad)
            at = session.expect("Please type a whole number from 0 (none) to 10", after=at)
            at = session.expect("Pain before the stretch, 0 to 10", after=at)
        session.type("6")
        at = session.expect("Where?", after=at)
        session.type("left:knee")
        at = session.expect("'knee'", after=at)
        at = session.expect("Where?", after=at)
        session.type("middle:calf")
        at = session.expect("'middle'", after=at)
        at = session.expect("Where?", after=at)
        session.type("left:calf")
        at = session.expect("Pain after the stretch, 0 to 10", after=at, within=60)
        session.type("12")
        at = session.expect("Please type a whole number", after=at)
        session.type("4")
        at = session.expect("Where?", after=at)
        session.type("")
        code = session.close()
    finally:
        if session.process.poll() is None:
            session.process.kill()
    assert code == 0, session.seen[-2000:]

    before, after = json.loads(cli(db_url, "log", "--json").stdout)
    assert (before["score"], before["where"], before["context"]) == (6, "left:calf", "before")
    assert (after["score"], after["where"], after["context"]) == (4, "", "after")
    [stored] = json.loads(cli(db_url, "history", "--json").stdout)
    assert stored["status"] == "completed" and len(stored["holds"]) == 2


def _logged(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> dict[str, object]:
    code, out, err = in_process(capsys, url, "log", *args, "--json")
    assert code == 0, err
    found: dict[str, object] = json.loads(out)
    return found


def test_a_rating_is_corrected_by_the_first_characters_of_its_id_and_the_first_stays(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    first = _logged(capsys, sqlite_url, "--pain", "8", "--where", "left:foot")
    short = str(first["id"])[:8]
    assert short in in_process(capsys, sqlite_url, "log")[1]

    code, out, _ = in_process(
        capsys, sqlite_url, "log", "--edit", short, "--pain", "3", "--note", "meant three"
    )

    assert code == 0
    assert "Corrected: pain 3/10 · left foot (was pain 8/10 · left foot)" in out
    [now] = json.loads(in_process(capsys, sqlite_url, "log", "--json")[1])
    assert (now["score"], now["note"], now["where"]) == (3, "meant three", "left:foot")
    listed = in_process(capsys, sqlite_url, "log")[1]
    assert "corrected" in listed and "meant three" in listed


def test_a_rating_taken_back_from_the_terminal_no_longer_lists(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    wrong = _logged(capsys, sqlite_url, "--pain", "9")

    code, out, _ = in_process(capsys, sqlite_url, "log", "--delete", str(wrong["id"]))

    assert code == 0 and "Taken back: pain 9/10" in out
    assert in_process(capsys, sqlite_url, "log", "--json")[1].strip() == "[]"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--edit", "abcd1234", "--pain", "2"], "no pain rating with id 'abcd1234'"),
        (["--edit", "{id}"], "--edit needs what to change"),
        (["--edit", "{id}", "--pain", "5"], "nothing to change"),
        (["--edit", "{id}", "--pain", "12"], "pain 12 is not on the scale"),
        (["--edit", "{id}", "--where", "left:knee"], "unknown place 'knee'"),
        (["--edit", "{id}", "--numb", "left"], "go with a new rating, not a correction"),
        (["--edit", "{id}", "--delete", "{id}"], "one at a time"),
        (["--delete", "{id}", "--pain", "3"], "--delete takes back a whole rating"),
        (["--delete", "{short}"], "too short"),
        (["--delete", "zz!"], "no pain rating with id 'zz!'"),
    ],
    ids=[
        "unknown",
        "nothing-given",
        "unchanged",
        "off-scale",
        "bad-place",
        "symptoms",
        "both",
        "delete-with-values",
        "too-short",
        "not-an-id",
    ],
)
def test_a_bad_correction_is_one_line_exit_2_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, args: list[str], message: str
) -> None:
    entry = _logged(capsys, sqlite_url, "--pain", "5")
    ids = {"id": str(entry["id"]), "short": str(entry["id"])[:3]}

    code, _, err = in_process(capsys, sqlite_url, "log", *[a.format(**ids) for a in args])

    assert code == 2
    assert err.startswith("Error: ") and err.count("\n") == 1 and message in err, err
    [kept] = json.loads(in_process(capsys, sqlite_url, "log", "--json")[1])
    assert (kept["id"], kept["score"], kept["corrected_at"]) == (entry["id"], 5, None)


def test_history_on_a_clinic_database_says_where_peoples_records_are_read(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    from stretchcoach.adapters.store.engine import open_store
    from stretchcoach.adapters.store.uow import SqlUnitOfWork
    from stretchcoach.domain.user import Role, User

    engine = open_store(sqlite_url)
    uow = SqlUnitOfWork(engine)
    with uow:
        uow.users.add(
            User("p-1", "Ann", Role.PATIENT, datetime(2026, 12, 1, tzinfo=ZoneInfo("UTC")))
        )
        uow.commit()
    engine.dispose()

    code, out, err = in_process(capsys, sqlite_url, "history", "--json")
    text = in_process(capsys, sqlite_url, "history")[1]

    assert code == 0 and json.loads(out) == []
    assert "clinic's accounts" in err and "web app after logging in" in err
    assert "clinic's accounts" in " ".join(text.split())


def test_history_without_accounts_invites_a_first_session(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, out, err = in_process(capsys, sqlite_url, "history")

    assert code == 0 and "No sessions yet" in out and "clinic" not in out + err


def test_a_correction_from_a_real_process_is_read_back_by_the_next(sqlite_url: str) -> None:
    logged = cli(sqlite_url, "log", "--pain", "7", "--where", "right:calf", "--json")
    entry_id = json.loads(logged.stdout)["id"]

    changed = cli(sqlite_url, "log", "--edit", entry_id[:6], "--where", "", "--pain", "2")
    listed = json.loads(cli(sqlite_url, "log", "--json").stdout)

    assert changed.returncode == 0, changed.stderr
    assert "Corrected: pain 2/10 (was pain 7/10 · right calf)" in changed.stdout
    assert [(e["score"], e["where"]) for e in listed] == [(2, "")]
