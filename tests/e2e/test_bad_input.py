"""Every bad input is one line saying what is wrong and what is allowed, exit 2, nothing
written. Most cases run in-process through the CLI's one error edge (`cli.app.run`); a
representative set runs as real processes too."""

from __future__ import annotations

import copy
import json
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.records import export, hold_record, pain_record, screen_record, session_record

from stretchcoach.cli.app import run

pytestmark = pytest.mark.e2e

SESSION_ID = str(uuid.uuid4())


def valid_export() -> dict[str, Any]:
    """One session with one hold, one pain rating and one screen: imports cleanly."""
    return export(
        [session_record(SESSION_ID, reps_per_side=1)],
        [hold_record(SESSION_ID, 1)],
        [pain_record(SESSION_ID)],
        [screen_record()],
    )


def changed(kind: str, field: str, value: Any) -> Callable[[Path], str]:
    """An export file with one field of the first record of `kind` set to `value`."""

    def make(folder: Path) -> str:
        data = copy.deepcopy(valid_export())
        data[kind][0][field] = value
        path = folder / "import.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return str(path)

    return make


def shared_id(folder: Path) -> str:
    data = valid_export()
    data["holds"][0]["id"] = SESSION_ID
    path = folder / "import.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def deep_json(folder: Path) -> str:
    path = folder / "deep.json"
    path.write_text(
        '{"format": "stretchcoach-export", "sessions": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )
    return str(path)


def csv_with_nul(folder: Path) -> str:
    from stretchcoach.adapters.transfer import CSV_COLUMNS

    row = dict.fromkeys(CSV_COLUMNS, "")
    row |= {
        "record": "pain",
        "id": str(uuid.uuid4()),
        "recorded_at": "2026-03-01T06:59:00+00:00",
        "time_zone": "UTC",
        "score": "4",
        "context": "standalone",
        "note": "fine\x00then",
    }
    path = folder / "import.csv"
    path.write_text(",".join(CSV_COLUMNS) + "\n" + ",".join(row.values()) + "\n")
    return str(path)


def routine_with(line: str, key: str = "halfway") -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        from importlib import resources

        text = resources.files("stretchcoach.routines").joinpath("seated-hamstring.toml")
        lines = text.read_text("utf-8").splitlines()
        replaced = [line if raw.startswith(f"{key} = ") else raw for raw in lines]
        assert replaced != lines
        path = folder / "routine.toml"
        path.write_text("\n".join(replaced) + "\n", encoding="utf-8")
        return str(path)

    return make


def fifo(folder: Path) -> str:
    path = folder / "pipe"
    os.mkfifo(path)
    return str(path)


def folder_itself(folder: Path) -> str:
    return str(folder)


F = "{file}"  # where a made file's path goes in the arguments

CASES: list[tuple[str, list[str], Callable[[Path], str] | None, str]] = [
    # options
    ("log --days 1e20", ["log", "--days", "1e20"], None, "whole number from 1 to 3660"),
    ("log --days huge", ["log", "--days", "1" + "0" * 20], None, "from 1 to 3660"),
    ("history --limit 1e20", ["history", "--limit", "1e20"], None, "from 1 to 1000000"),
    ("history --limit 0", ["history", "--limit", "0"], None, "from 1 to 1000000"),
    ("log --pain 1_0", ["log", "--pain", "1_0"], None, "not on the scale"),
    ("--pain-after 1_0", ["start", "--pain-after", "1_0"], None, "--pain-after: pain '1_0'"),
    ("--felt empty", ["start", "--felt", ""], None, "--felt '' is not an answer"),
    ("--db empty", ["history", "--db", ""], None, "--db '' is empty"),
    ("note with ANSI", ["log", "--pain", "3", "--note", "\x1b[31mred"], None, "control char"),
    ("note with NUL", ["log", "--pain", "3", "--note", "a\x00b"], None, "a NUL character"),
    # routine files
    ("cue {nope}", ["start", "--routine", F], routine_with('halfway = "Half {nope}"'), "{nope}"),
    ("cue {0}", ["start", "--routine", F], routine_with('halfway = "Half {0}"'), "has {0}"),
    ("cue with ANSI", ["start", "--routine", F], routine_with('halfway = "\\u001b[2J"'), "control"),
    ("name of spaces", ["start", "--routine", F], routine_with('name = "   "', "name"), "empty"),
    # import: too large for the store, mistyped, implausible
    ("reps_per_side", ["import", F], changed("sessions", "reps_per_side", 2**63), "from 1 to 50"),
    ("pid", ["import", F], changed("sessions", "pid", 2**63), "from 0 to 2147483647"),
    ("hold_number", ["import", F], changed("holds", "hold_number", 10**30), "from 1 to 100"),
    ("screen version", ["import", F], changed("screens", "version", 2**70), "from 1 to 3"),
    ("string score", ["import", F], changed("pain_entries", "score", "5"), "'5' is not allowed"),
    ("held_s 1e308", ["import", F], changed("holds", "held_s", 1e308), "up to 600"),
    ("held too long", ["import", F], changed("holds", "held_s", 45.0), "longer than the 30 s"),
    (
        "year 2999",
        ["import", F],
        changed("sessions", "started_at", "2999-01-01T07:00:00+00:00"),
        "is in the future",
    ),
    (
        "ends first",
        ["import", F],
        changed("sessions", "ended_at", "2026-03-01T06:00:00+00:00"),
        "comes after its start",
    ),
    ("one id twice", ["import", F], shared_id, "is already the id of sessions record 1"),
    ("NUL in JSON", ["import", F], changed("pain_entries", "note", "a\x00b"), "NUL character"),
    ("NUL in CSV", ["import", F], csv_with_nul, "NUL character"),
    ("JSON 100k deep", ["import", F], deep_json, "nested too deeply"),
    # files written
    ("--out /dev/null", ["export", "--out", "/dev/null"], None, "it is a device"),
    ("--out FIFO", ["export", "--out", F], fifo, "it is a pipe (FIFO)"),
    ("--out folder", ["export", "--out", F], folder_itself, "it is a folder"),
]


def arguments(args: list[str], folder: Path, make: Callable[[Path], str] | None) -> list[str]:
    made = make(folder) if make is not None else ""
    return [made if arg == F else arg for arg in args]


def nothing_written(db: Path) -> bool:
    if not db.exists():
        return True
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(db)) as connection:
        tables = ("sessions", "holds", "pain_entries", "screens")
        return all(
            connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0 for t in tables
        )


@pytest.mark.parametrize(
    ("args", "make", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_one_line_and_exit_2_with_nothing_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    make: Callable[[Path], str] | None,
    expected: str,
) -> None:
    db = tmp_path / "store" / "stretchcoach.db"
    monkeypatch.setenv("STRETCHCOACH_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("STRETCHCOACH_SPEECH", "off")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    argv = arguments(args, tmp_path, make)

    code = run(argv)

    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    assert expected in lines[0]
    assert nothing_written(db)


REAL = ["log --days 1e20", "--felt empty", "cue {0}", "pid", "JSON 100k deep", "--out /dev/null"]


@pytest.mark.parametrize(
    ("args", "make", "expected"),
    [c[1:] for c in CASES if c[0] in REAL],
    ids=[c[0] for c in CASES if c[0] in REAL],
)
def test_bad_input_as_a_real_process(
    tmp_path: Path, args: list[str], make: Callable[[Path], str] | None, expected: str
) -> None:
    db = tmp_path / "store" / "stretchcoach.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    env |= {"STRETCHCOACH_DATABASE_URL": f"sqlite:///{db}", "XDG_DATA_HOME": str(tmp_path)}

    result = subprocess.run(
        [sys.executable, "-m", "stretchcoach", *arguments(args, tmp_path, make)],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )

    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert expected in result.stderr
    assert nothing_written(db)


def test_serve_on_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
        env["STRETCHCOACH_DATABASE_URL"] = f"sqlite:///{tmp_path / 'stretchcoach.db'}"

        result = subprocess.run(
            [sys.executable, "-m", "stretchcoach", "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert result.returncode == 2
    assert result.stderr == (
        f"Error: --port {port} is in use on 127.0.0.1 by another program: stop it, or "
        "choose another port with --port P\n"
    )
