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


T = "{tmp}"  # the case's own folder, in an argument


def empty_file(name: str) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        path = folder / name
        path.write_bytes(b"")
        return str(path)

    return make


def file_of(name: str, data: bytes) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        path = folder / name
        path.write_bytes(data)
        return str(path)

    return make


def sparse(name: str, size: int) -> Callable[[Path], str]:
    """A file of `size` bytes that takes no room on the disk: all zeros."""

    def make(folder: Path) -> str:
        path = folder / name
        with path.open("wb") as out:
            out.truncate(size)
        return str(path)

    return make


def fifo_named(name: str) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        path = folder / name
        os.mkfifo(path)
        return str(path)

    return make


def folder_named(name: str) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        path = folder / name
        path.mkdir()
        return str(path)

    return make


def valid_import(folder: Path) -> str:
    path = folder / "import.json"
    path.write_text(json.dumps(valid_export()), encoding="utf-8")
    return str(path)


# Input files: imports, routines and answers that are not files, too large, or not text.
FILES: list[tuple[str, list[str], Callable[[Path], str] | None, str]] = [
    ("import missing", ["import", f"{T}/missing.json"], None, "does not exist"),
    ("import /dev/zero", ["import", "/dev/zero"], None, "it is a device, not a file"),
    ("import FIFO", ["import", F], fifo_named("pipe.json"), "it is a pipe (FIFO), not a file"),
    ("import folder", ["import", F], folder_named("dir.json"), "it is a folder, not a file"),
    ("import too large", ["import", F], sparse("big.json", 129 * 2**20), "larger than 128 MiB"),
    ("import empty", ["import", F], empty_file("empty.json"), "is not a stretchcoach export"),
    ("import not UTF-8", ["import", F], file_of("l1.json", b'{"a": "\xe9"}'), "not UTF-8"),
    ("import not export", ["import", F], file_of("x.json", b"hello"), "not a stretchcoach export"),
    ("import bad JSON", ["import", F], file_of("x.json", b'{"format": '), "JSON"),
    ("routine missing", ["start", "--routine", f"{T}/none.toml"], None, "does not exist"),
    ("routine /dev/zero", ["start", "--routine", "/dev/zero"], None, "it is a device"),
    ("routine FIFO", ["start", "--routine", F], fifo_named("r.toml"), "it is a pipe (FIFO)"),
    ("routine folder", ["start", "--routine", F], folder_named("r.toml"), "it is a folder"),
    ("routine too large", ["start", "--routine", F], sparse("r.toml", 2**20), "larger than 64 KiB"),
    ("routine not UTF-8", ["start", "--routine", F], file_of("r.toml", b"\xff\xfe"), "not UTF-8"),
    ("routine not TOML", ["start", "--routine", F], file_of("r.toml", b"[x"), "not valid TOML"),
    ("routine show FIFO", ["routine", "show", "--routine", F], fifo_named("r.toml"), "a pipe"),
    ("routine show zero", ["routine", "show", "--routine", "/dev/zero"], None, "it is a device"),
    ("answers FIFO", ["screen", "--answers", F], fifo_named("a.json"), "it is a pipe (FIFO)"),
    ("answers missing", ["screen", "--answers", f"{T}/none.json"], None, "does not exist"),
    ("answers folder", ["screen", "--answers", F], folder_named("a.json"), "it is a folder"),
    ("answers too large", ["screen", "--answers", F], sparse("a.json", 2**20), "than 64 KiB"),
    ("answers not JSON", ["screen", "--answers", F], file_of("a.json", b"[tru"), "not valid JSON"),
    ("answers /dev/zero", ["screen", "--answers", "/dev/zero.json"], None, "does not exist"),
    ("analyze missing", ["analyze", f"{T}/missing.mp4"], None, "missing.mp4"),
    ("analyze folder", ["analyze", T], None, "no file at"),
    ("report --out FIFO", ["report", "--out", F], fifo_named("r.pdf"), "it is a pipe (FIFO)"),
    ("report --out folder", ["report", "--out", F], folder_named("r.pdf"), "it is a folder"),
    ("plot --out FIFO", ["plot", "--out", F], fifo_named("p.png"), "it is a pipe (FIFO)"),
    ("plot --out folder", ["plot", "--out", F], folder_named("p.svg"), "it is a folder"),
    ("remind --out FIFO", ["remind", "--at", "07:00", "--out", F], fifo_named("r.ics"), "a pipe"),
    ("remind --out device", ["remind", "--at", "07:00", "--out", "/dev/null"], None, "a device"),
    ("csv --out FIFO", ["export", "--format", "csv", "--out", F], fifo_named("x.csv"), "a pipe"),
]

# Every command that opens the database, with each kind of --db it must refuse.
DB_COMMANDS: list[tuple[str, list[str]]] = [
    ("start", ["start", "--skip-checkin", "--no-voice", "--speed", "50"]),
    ("history", ["history"]),
    ("log", ["log"]),
    ("log --pain", ["log", "--pain", "3"]),
    ("screen", ["screen", "--answers", "none"]),
    ("stats", ["stats"]),
    ("plot", ["plot", "--out", f"{T}/out.png"]),
    ("report", ["report", "--out", f"{T}/out.pdf"]),
    ("export", ["export"]),
    ("import", ["import", F]),
    ("serve", ["serve", "--port", "8799"]),
    ("accounts waiting", ["accounts", "waiting"]),
    ("accounts approve", ["accounts", "approve", "someone@example.org"]),
    ("accounts reset", ["accounts", "reset", "someone@example.org"]),
]
BAD_URLS: list[tuple[str, str, str]] = [
    ("missing folder", f"sqlite:///{T}/missing/x.db", "in a folder that does not exist"),
    ("no file", "sqlite:///", "names no file"),
    ("no path", "sqlite://", "names no file"),
    ("options", f"sqlite:///{T}/x.db?mode=ro", "takes a file's path only"),
    ("a folder", f"sqlite:///{T}", "is a folder: give the path of a file"),
    ("port", "postgresql://u:pw@h:port/db", "'postgresql://u:***@h:port/db' cannot be used"),
    ("mysql", "mysql://u@h/db", "'mysql' is not supported"),
    ("not a URL", "not a url", "(not a URL)"),
    ("empty", "", "--db '' is empty"),
]
URLS = [
    (f"{name} --db {kind}", [*args, "--db", url], valid_import if "import" in args else None, says)
    for name, args in DB_COMMANDS
    for kind, url, says in BAD_URLS
]

NUMBERS = ["abc", "-1", "1e3", "nan", "inf", "", "1_0", "9" * 20]


def name(args: list[str], value: str) -> str:
    shown = repr(value) if len(value) <= 20 else f"{value[:8]!r}... ({len(value)} characters)"
    return " ".join(a for a in args if "{v}" not in a) + f" {shown}"


def each(
    args: list[str], values: list[str], says: Callable[[str], str]
) -> list[tuple[str, list[str], None, str]]:
    """One case per bad value: `args` with `{v}` replaced, and what the line must say."""
    return [(name(args, v), [a.replace("{v}", v) for a in args], None, says(v)) for v in values]


OPTIONS = [
    *each(
        ["start", "--hold", "{v}"],
        ["abc", "", "-1", "0", "5000", "nan", "inf"],
        lambda v: "Invalid value for '--hold'" if v in ("abc", "") else "30 to 60 seconds",
    ),
    *each(["start", "--reps", "{v}"], [*NUMBERS, "51"], lambda v: "--reps"),
    *each(["start", "--reps", "{v}"], ["0", "11", "20", "50"], lambda v: "use 1 to 10"),
    *each(
        ["start", "--rest", "{v}"],
        ["abc", "", "-1", "0", "100000", "nan", "inf"],
        lambda v: "Invalid value for '--rest'" if v in ("abc", "") else "3 to 120 seconds",
    ),
    *each(
        ["start", "--speed", "{v}"],
        ["-1", "0", "100000", "nan", "inf", "1e9"],
        lambda v: "use a number above 0, up to 1000",
    ),
    *each(["start", "--speed", "{v}"], ["abc", ""], lambda v: "Invalid value for '--speed'"),
    *each(
        ["start", "--first-leg", "{v}"],
        ["middle", "", "LEFTY"],
        lambda v: "is not one of 'left', 'right'",
    ),
    *each(
        ["start", "--pain-before", "{v}"], [*NUMBERS, "11", "5.5"], lambda v: "--pain-before: pain"
    ),
    *each(
        ["start", "--pain-after", "{v}"],
        ["abc", "-1", "11", "", "1_0"],
        lambda v: "use a whole number from 0 (no pain) to 10",
    ),
    *each(
        ["start", "--felt", "{v}"],
        ["", "weird", "pull;nerve"],
        lambda v: "use pull, nothing or nerve",
    ),
    *each(
        ["start", "--pain-before", "3", "--where-before", "{v}"],
        ["left:knee", "up:thigh", "thigh", "left:", ":calf"],
        lambda v: "--where-before: ",
    ),
    *each(
        ["start", "--numb", "{v}"],
        ["maybe", "", "left,right,up"],
        lambda v: "use no, or where: left, right, both",
    ),
    *each(
        ["start", "--weaker", "{v}"],
        ["three", "", "saddle"],
        lambda v: "use no, left, right or both",
    ),
    *each(
        ["start", "--changed", "{v}"],
        ["wine", "", "peeing,wine"],
        lambda v: "use no, or which changed",
    ),
    *each(["start", "--camera", "{v}"], ["abc", "1e3"], lambda v: "'--camera'"),
    *each(
        ["history", "--limit", "{v}"],
        [*NUMBERS, "0", "1000001"],
        lambda v: f"--limit {v!r} is not allowed: use a whole number from 1 to 1000000",
    ),
    *each(
        ["log", "--pain", "{v}"],
        [*NUMBERS, "11", "5.5", " "],
        lambda v: "use a whole number from 0 (no pain) to 10",
    ),
    *each(
        ["log", "--days", "{v}"],
        [*NUMBERS, "0", "3661"],
        lambda v: f"--days {v!r} is not allowed: use a whole number from 1 to 3660",
    ),
    *each(
        ["log", "--pain", "3", "--where", "{v}"],
        ["left:knee", "up:thigh", "thigh", "left:", ":calf", "x" * 300],
        lambda v: "pain site",
    ),
    *each(
        ["log", "--pain", "3", "--note", "{v}"],
        ["a\x00b", "\x1b[31mred", "x" * 501, "a\u202eb", "\x07bell", "a\u200bb"],
        lambda v: "note ",
    ),
    *each(["log", "--pain", "3", "--numb", "{v}"], ["maybe", "", "both,up"], lambda v: "--numb"),
    *each(["log", "--pain", "3", "--weaker", "{v}"], ["three", ""], lambda v: "--weaker"),
    *each(["log", "--pain", "3", "--changed", "{v}"], ["wine", ""], lambda v: "--changed"),
    *each(["log", "--note", "{v}"], ["alone"], lambda v: "go with a rating: add --pain N"),
    *each(["screen", "--answers", "{v}"], ["maybe", "", "yes,no", "yes," * 40], lambda v: "20"),
    *each(
        ["screen", "--seen", "{v}"],
        ["tomorrow", "2026-13-01", "", "01/02/2026"],
        lambda v: f"--seen {v!r} is not a date: use YYYY-MM-DD",
    ),
    *each(["screen", "--seen", "{v}"], ["3000-01-01"], lambda v: "is in the future"),
    *each(["screen", "--seen", "{v}"], ["1990-01-01"], lambda v: "over five years ago"),
    *each(["screen", "--note", "{v}"], ["said rest"], lambda v: "--note goes with --seen DATE"),
    *each(
        ["stats", "--days", "{v}"],
        [*NUMBERS, "0", "3661"],
        lambda v: f"--days {v!r} is not allowed: use a whole number from 1 to 3660",
    ),
    *each(
        ["plot", "--days", "{v}", "--out", f"{T}/p.png"],
        [*NUMBERS, "0"],
        lambda v: f"--days {v!r} is not allowed",
    ),
    *each(
        ["plot", "--out", f"{T}/{{v}}"],
        ["p.jpg", "p", "p.png.txt"],
        lambda v: "the file name must end in .png or .svg",
    ),
    *each(
        ["report", "--days", "{v}", "--out", f"{T}/r.pdf"],
        [*NUMBERS, "0"],
        lambda v: f"--days {v!r} is not allowed",
    ),
    *each(
        ["report", "--out", f"{T}/{{v}}"],
        ["r.txt", "r", "r.pdf.doc"],
        lambda v: "the file name must end in .pdf",
    ),
    *each(
        ["report", "--name", "{v}", "--out", f"{T}/r.pdf"],
        ["a\x00b", "\x1b[2J", "x" * 300, "a\u202eb"],
        lambda v: "the name ",
    ),
    *each(
        ["remind", "--at", "{v}"],
        ["25:00", "abc", "7", "07:60", "", "-1:00", "7:5:3"],
        lambda v: f"{v!r} is not a time of day: use HH:MM",
    ),
    *each(
        ["export", "--format", "{v}"],
        ["xml", "", "JSONX", "csv;"],
        lambda v: f"format {v!r} is not known: use json, csv or fhir",
    ),
    *each(["serve", "--port", "{v}"], ["0", "70000", "abc", "-1", ""], lambda v: "'--port'"),
    *each(["serve", "--workers", "{v}"], ["0", "100", "abc"], lambda v: "'--workers'"),
    *each(
        ["accounts", "approve", "{v}"],
        ["not-an-email", "", "a@b"],
        lambda v: "does not look like an email address" if v else "email is empty",
    ),
    *each(
        ["accounts", "reset", "a@b.c", "--url", "{v}"],
        ["ftp://x", "", "not a url", "javascript:alert(1)"],
        lambda v: f"--url {v!r} is not an address",
    ),
]

SWEEP = [*CASES, *FILES, *URLS, *OPTIONS]


def arguments(args: list[str], folder: Path, make: Callable[[Path], str] | None) -> list[str]:
    made = make(folder) if make is not None else ""
    return [made if arg == F else arg.replace(T, str(folder)) for arg in args]


@pytest.fixture(scope="module")
def whole_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with a few mornings in it, copied for each case."""
    from tests.e2e.test_damaged_store import filled_store

    db = tmp_path_factory.mktemp("whole") / "stretchcoach.db"
    filled_store(db, days=5)
    return db


def contents(db: Path) -> str:
    """Every row of every table, as SQL: the same text when nothing was written."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        return "\n".join(connection.iterdump())


SIDECARS = ("-wal", "-shm", ".lock", ".checked")  # what SQLite and the store keep beside


def files_in(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if not any(p.name.endswith(end) for end in SIDECARS)}


def case_folder(tmp_path: Path, whole_store: Path) -> tuple[Path, dict[str, str]]:
    import shutil

    db = tmp_path / "store" / "stretchcoach.db"
    db.parent.mkdir()
    shutil.copy(whole_store, db)
    env = {
        "STRETCHCOACH_DATABASE_URL": f"sqlite:///{db}",
        "STRETCHCOACH_SPEECH": "off",
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    return db, env


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("args", "make", "expected"), [c[1:] for c in SWEEP], ids=[c[0] for c in SWEEP]
)
def test_bad_input_is_one_line_and_exit_2_with_nothing_written(
    tmp_path: Path,
    whole_store: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    make: Callable[[Path], str] | None,
    expected: str,
) -> None:
    db, env = case_folder(tmp_path, whole_store)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    before = contents(db)
    argv = arguments(args, tmp_path, make)
    files = files_in(tmp_path)

    code = run(argv)

    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    assert expected in lines[0]
    assert contents(db) == before
    assert files_in(tmp_path) == files  # no file made: no output, no database, no folder


def test_the_sweep_holds_at_least_250_cases() -> None:
    assert len(SWEEP) >= 250
    assert len({c[0] for c in SWEEP}) == len(SWEEP)  # each case named once


# Real processes: what can only go wrong in one (a stream read forever, a pipe waited on,
# memory), each under a time limit and a memory limit of its own.
REAL = [
    "log --days 1e20",
    "--felt empty",
    "cue {0}",
    "pid",
    "JSON 100k deep",
    "--out /dev/null",
    "import /dev/zero",
    "import FIFO",
    "import too large",
    "routine /dev/zero",
    "routine FIFO",
    "routine show FIFO",
    "answers FIFO",
    "report --out FIFO",
    "history --db missing folder",
    "start --db port",
]
MEMORY_LIMIT = 2 * 2**30  # bytes: /dev/zero read whole would pass it in a second


def limited() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def in_a_process(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")} | env
    return subprocess.run(
        [sys.executable, "-m", "stretchcoach", *argv],
        env=full,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        preexec_fn=limited,
    )


@pytest.mark.parametrize(
    ("args", "make", "expected"),
    [c[1:] for c in SWEEP if c[0] in REAL],
    ids=[c[0] for c in SWEEP if c[0] in REAL],
)
def test_bad_input_as_a_real_process(
    tmp_path: Path,
    whole_store: Path,
    args: list[str],
    make: Callable[[Path], str] | None,
    expected: str,
) -> None:
    db, env = case_folder(tmp_path, whole_store)
    before = contents(db)

    result = in_a_process(arguments(args, tmp_path, make), env)

    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert expected in result.stderr
    assert contents(db) == before


def test_every_real_case_is_in_the_sweep() -> None:
    assert set(REAL) <= {c[0] for c in SWEEP}


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["export", "--out", F], "latest.json"),
        (["export", "--format", "csv", "--out", F], "latest.csv"),
        (["report", "--out", F], "latest.pdf"),
        (["plot", "--out", F], "latest.png"),
        (["remind", "--at", "07:00", "--out", F], "latest.ics"),
    ],
    ids=["export", "export csv", "report", "plot", "remind"],
)
def test_out_never_writes_through_a_symlink(
    tmp_path: Path, whole_store: Path, args: list[str], name: str
) -> None:
    _, env = case_folder(tmp_path, whole_store)
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n")
    link = tmp_path / name
    link.symlink_to(precious)

    result = in_a_process([str(link) if a == F else a for a in args], env)

    assert result.returncode == 0, result.stderr
    assert precious.read_text() == "keep me\n"
    assert not link.is_symlink() and link.stat().st_size > 0


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


def test_only_the_default_data_folder_is_made(tmp_path: Path) -> None:
    data = tmp_path / "not-yet"
    env = {"XDG_DATA_HOME": str(data), "STRETCHCOACH_SPEECH": "off"}

    made = in_a_process(["history"], env)
    refused = in_a_process(["history", "--db", f"sqlite:///{tmp_path / 'typo' / 'x.db'}"], env)

    assert made.returncode == 0, made.stderr
    assert (data / "stretchcoach" / "stretchcoach.db").is_file()
    assert refused.returncode == 2 and "in a folder that does not exist" in refused.stderr
    assert not (tmp_path / "typo").exists()
