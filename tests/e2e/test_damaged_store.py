"""A damaged, read-only or full store is named in one line, never a traceback; a read-only one
still gives its data out (`history`, `export`).

Read-only for real, as root ignores file modes: the file is made immutable (`chattr +i`) and
the folder is bind-mounted read-only. A user other than root gets the same from `chmod`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.e2e.faults import cli, cli_env, fill, free_port, small_disk, unavailable
from tests.e2e.records import export, hold_record, session_record

from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.domain.journal import PainContext
from stretchcoach.domain.routine import choose_settings
from stretchcoach.domain.runner import HoldResult
from stretchcoach.domain.session import Hold
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services.pain import new_pain_entry
from stretchcoach.services.safekeeping import HoldKept, PainKept, SessionBegun, SessionEnded, apply
from stretchcoach.services.sessions import new_session
from stretchcoach.services.users import ensure_local_user

pytestmark = pytest.mark.e2e

PAGE = 4096
START = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)


def filled_store(path: Path, days: int = 120) -> None:
    """A SQLite store with a few months of sessions, holds and pain ratings."""
    routine = load_builtin()
    engine = open_store(f"sqlite:///{path}")
    uow = SqlUnitOfWork(engine)
    user = ensure_local_user(uow=uow, now=START)
    with uow:
        for day in range(days):
            at = START + timedelta(days=day)
            session = new_session(
                routine, choose_settings(routine), user_id=user, now=at, time_zone="UTC"
            )
            apply(SessionBegun(session), uow)
            for n in range(1, 7):
                side = Side.LEFT if n % 2 else Side.RIGHT
                result = HoldResult(n, side, 30.0, 30.0, completed=True)
                ended = at + timedelta(seconds=45 * n)
                apply(HoldKept(Hold.from_result(session.id, result, ended_at=ended)), uow)
            rating = new_pain_entry(
                4, frozenset(), user_id=user, now=at, time_zone="UTC", context=PainContext.BEFORE
            )
            apply(PainKept(rating), uow)
            apply(SessionEnded(session.id, SessionStatus.COMPLETED, at + timedelta(minutes=6)), uow)
        uow.commit()
    engine.dispose()


@pytest.fixture(scope="module")
def months_of_records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("months") / "stretchcoach.db"
    filled_store(db)
    return db


def table_pages(path: Path, table: str) -> list[int]:
    """The page numbers of one table and of its indexes."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return [
            n
            for (n,) in connection.execute(
                "SELECT pageno FROM dbstat WHERE name IN"
                " (SELECT name FROM sqlite_master WHERE tbl_name = ?) ORDER BY pageno",
                (table,),
            )
        ]


def scribble_middle_pages(path: Path, *, only: str | None = None, whole: str | None = None) -> None:
    """Garbage over every other page of the middle half, of one table's inner pages (`only`),
    or over every page of one table and its indexes (`whole`: where a new row must go)."""
    data = bytearray(path.read_bytes())
    pages = len(data) // PAGE
    if whole:
        chosen = table_pages(path, whole)
    elif only:
        chosen = table_pages(path, only)[1:-1:2]
    else:
        chosen = list(range(pages // 4, 3 * pages // 4, 2))
    for page in chosen:
        start = (page - 1) * PAGE + 16
        data[start : start + PAGE - 32] = b"\xde\xad\xbe\xef" * ((PAGE - 32) // 4)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "args",
    [
        ["history"],
        ["log", "--days", "3650"],
        ["stats"],
        ["export"],
        ["log", "--pain", "3"],
        ["report", "--out"],
    ],
    ids=["history", "log", "stats", "export", "log --pain", "report"],
)
def test_a_damaged_file_is_named_in_one_line_by_every_command(
    tmp_path: Path, months_of_records: Path, args: list[str]
) -> None:
    db = Path(shutil.copy(months_of_records, tmp_path / "stretchcoach.db"))
    # A new rating reads only the pages it is written to: damage where it must go, so the
    # case does not depend on where random keys happen to put the rows.
    scribble_middle_pages(db, whole="pain_entries" if "--pain" in args else None)
    if args[-1] == "--out":
        args = [*args, str(tmp_path / "report.pdf")]

    result = cli(cli_env(f"sqlite:///{db}", tmp_path / "data"), *args)

    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "The file is damaged" in lines[0] and f"sqlite3 {db} .recover" in lines[0]


def scribble_index_leaves(path: Path, index: str) -> None:
    """Garbage over the leaf pages of one index, its root left whole: what a command reads
    from the table alone still answers, so only a check on opening finds it."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        pages = [
            n
            for (n,) in connection.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' AND path != '/'",
                (index,),
            )
        ]
    assert pages, index
    data = bytearray(path.read_bytes())
    for page in pages:
        data[(page - 1) * PAGE : page * PAGE] = b"\xde\xad\xbe\xef" * (PAGE // 4)
    path.write_bytes(bytes(data))


def an_export(folder: Path) -> str:
    session = str(uuid.uuid4())
    data = export([session_record(session, 2)], [hold_record(session, 1, 2)], [], [])
    path = folder / "import.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


OUT = "{out}"
EVERY_COMMAND_THAT_OPENS_THE_STORE = [
    ["start", "--speed", "50", "--no-voice", "--skip-checkin"],
    ["history"],
    ["history", "--json"],
    ["log"],
    ["log", "--pain", "3"],
    ["screen", "--answers", "none"],
    ["screen", "--seen", "2026-04-01"],
    ["stats"],
    ["plot", "--out", f"{OUT}.png"],
    ["report", "--out", f"{OUT}.pdf"],
    ["export"],
    ["export", "--format", "csv", "--out", f"{OUT}.csv"],
    ["import", OUT],
    ["serve", "--port", str(free_port())],
    ["accounts", "waiting"],
    ["accounts", "approve", "someone@example.org"],
    ["accounts", "reset", "someone@example.org"],
]


@pytest.mark.parametrize(
    "args",
    EVERY_COMMAND_THAT_OPENS_THE_STORE,
    ids=[" ".join(a[:2]) for a in EVERY_COMMAND_THAT_OPENS_THE_STORE],
)
def test_damaged_index_pages_stop_every_command_before_it_reads_or_writes(
    tmp_path: Path, months_of_records: Path, args: list[str]
) -> None:
    db = Path(shutil.copy(months_of_records, tmp_path / "stretchcoach.db"))
    scribble_index_leaves(db, "sqlite_autoindex_holds_2")  # (session_id, hold_number)
    before = db.read_bytes()
    made = an_export(tmp_path) if "import" in args else ""
    argv = [made if a == OUT else a.replace(OUT, str(tmp_path / "out")) for a in args]

    result = cli(cli_env(f"sqlite:///{db}", tmp_path / "data"), *argv)

    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot use the database at ")
    assert "The file is damaged" in lines[0] and f"sqlite3 {db} .recover" in lines[0]
    assert db.read_bytes() == before
    wal = db.with_name(db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert not list(tmp_path.glob("out.*"))


def test_doctor_finds_damage_that_the_version_check_does_not(
    tmp_path: Path, months_of_records: Path
) -> None:
    db = Path(shutil.copy(months_of_records, tmp_path / "stretchcoach.db"))
    scribble_middle_pages(db, only="holds")  # the schema and the version table still read

    result = cli(cli_env(f"sqlite:///{db}", tmp_path / "data"), "doctor", "--json")

    assert result.returncode == 2
    database = json.loads(result.stdout)["database"]
    assert database["ok"] is False
    assert database["detail"].startswith("damaged: ")


def test_doctor_says_a_whole_store_is_whole(tmp_path: Path, store_url: str) -> None:
    result = cli(cli_env(store_url, tmp_path / "data"), "doctor", "--json")

    assert result.returncode == 0, result.stdout
    assert "whole and up to date" in json.loads(result.stdout)["database"]["detail"]


@contextlib.contextmanager
def read_only(db: Path, how: str) -> Iterator[None]:
    if os.geteuid() != 0:
        target = db if how == "file" else db.parent
        mode = target.stat().st_mode
        target.chmod(0o444 if how == "file" else 0o555)
        try:
            yield
        finally:
            target.chmod(mode)
        return
    if how == "file":
        if shutil.which("chattr") is None:
            unavailable("no chattr to make a file immutable")
        subprocess.run(["chattr", "+i", str(db)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(db)], check=True)
        return
    folder = str(db.parent)
    mounted = subprocess.run(
        ["mount", "--bind", "-o", "ro", folder, folder], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        unavailable(f"cannot bind-mount read-only here: {mounted.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", folder], check=True)


@pytest.mark.parametrize("how", ["file", "folder"])
def test_a_read_only_store_still_gives_its_data_out(tmp_path: Path, how: str) -> None:
    db = tmp_path / "store" / "stretchcoach.db"
    db.parent.mkdir()
    filled_store(db, days=5)
    env = cli_env(f"sqlite:///{db}", tmp_path / "data")

    with read_only(db, how):
        history = cli(env, "history", "--json")
        export = cli(env, "export", "--format", "csv")
        log = cli(env, "log", "--pain", "3")
        start = cli(env, "start", "--speed", "50", "--no-voice")
        screen = cli(env, "screen", "--answers", "none")

    assert history.returncode == 0, history.stderr
    assert len(json.loads(history.stdout)) == 5
    assert "read-only; reading only" in history.stderr
    assert export.returncode == 0 and export.stdout.count("\nhold,") == 30
    for refused in (log, start, screen):
        assert refused.returncode == 2
        assert "Traceback" not in refused.stderr
        assert refused.stderr.startswith("Error: cannot record in the database at ")
        assert "read-only" in refused.stderr and len(refused.stderr.splitlines()) == 1
        assert "Warm up" not in refused.stdout  # refused before the session began


def test_a_full_disk_at_start_is_one_line(tmp_path: Path) -> None:
    with small_disk() as disk:
        db = disk / "stretchcoach.db"
        env = cli_env(f"sqlite:///{db}", tmp_path / "data")
        assert cli(env, "log", "--pain", "2").returncode == 0
        filler = fill(disk)
        result = cli(env, "log", "--pain", "3")
        filler.unlink()
        after = cli(env, "log", "--json")

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "The disk is full" in result.stderr
    assert [e["score"] for e in json.loads(after.stdout)] == [2]
