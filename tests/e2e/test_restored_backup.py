"""A clinic restores the backup taken before an outage while records still wait on this computer:
nothing the person recorded is lost, nothing is invented, no command is stuck, and one plain
line says what is set aside and where. Real processes, a real outage (a PostgreSQL server
stopped, a disk filled), a real backup and restore, on PostgreSQL and SQLite."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.e2e.faults import Session, cli, cli_env, fill, own_postgres, small_disk

pytestmark = [pytest.mark.e2e]

FIRST = ("--speed", "20", "--no-voice", "--reps", "1", "--skip-checkin")
START = ("--speed", "10", "--no-voice", "--reps", "2", "--skip-checkin")


class Clinic:
    """A database with an outage to cause and a backup to take and restore."""

    def __init__(
        self,
        env: dict[str, str],
        *,
        backup: Callable[[], None],
        restore: Callable[[], None],
        outage: Callable[[], None],
        after_outage: Callable[[], None],
    ) -> None:
        self.env = env
        self.backup, self.restore = backup, restore
        self.outage, self.after_outage = outage, after_outage


@contextlib.contextmanager
def postgres_clinic(tmp_path: Path) -> Iterator[Clinic]:
    with own_postgres() as server:
        dump = "backup.dump"  # in the server's folder, written and read by its account

        def backup() -> None:
            server._run(
                "pg_dump", "-Fc", "-f", dump, "-h", "127.0.0.1", "-p", str(server.port),
                "-U", "postgres", "postgres",
            )  # fmt: skip

        def restore() -> None:
            server._run(
                "pg_restore", "--clean", "--if-exists", "-h", "127.0.0.1", "-p",
                str(server.port), "-U", "postgres", "-d", "postgres", dump,
            )  # fmt: skip

        yield Clinic(
            cli_env(server.url, tmp_path / "data"),
            backup=backup,
            restore=restore,
            outage=server.stop,
            after_outage=server.start,
        )


@contextlib.contextmanager
def sqlite_clinic(tmp_path: Path) -> Iterator[Clinic]:
    with small_disk() as disk:
        db, copy = disk / "stretchcoach.db", tmp_path / "backup.db"
        filler: list[Path] = []

        def backup() -> None:
            with (
                contextlib.closing(sqlite3.connect(db)) as source,
                contextlib.closing(sqlite3.connect(copy)) as target,
            ):
                source.backup(target)

        def restore() -> None:
            for extra in ("-wal", "-shm"):
                db.with_name(db.name + extra).unlink(missing_ok=True)
            with (
                contextlib.closing(sqlite3.connect(copy)) as source,
                contextlib.closing(sqlite3.connect(db)) as target,
            ):
                source.backup(target)

        yield Clinic(
            cli_env(f"sqlite:///{db}", tmp_path / "data"),
            backup=backup,
            restore=restore,
            outage=lambda: filler.append(fill(disk)),
            after_outage=lambda: filler.pop().unlink(),
        )


CLINICS = {"postgresql": postgres_clinic, "sqlite": sqlite_clinic}


def history(env: dict[str, str]) -> tuple[int, list[dict[str, object]], str]:
    result = cli(env, "history", "--json")
    sessions = json.loads(result.stdout) if result.returncode == 0 else []
    return result.returncode, sessions, result.stderr


def holds_of(session: dict[str, object]) -> list[int]:
    holds = session["holds"]
    assert isinstance(holds, list)
    return sorted(int(h["number"]) for h in holds)


@pytest.mark.parametrize(
    "backend",
    [pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"],
)
def test_a_restored_backup_with_records_waiting_blocks_nothing_and_loses_nothing(
    backend: str, tmp_path: Path
) -> None:
    with CLINICS[backend](tmp_path) as clinic:
        env = clinic.env
        earlier = Session(env, *FIRST)  # a session saved whole before the backup
        assert earlier.finish()[0] == 0
        clinic.backup()
        session = Session(env, *START)
        session.wait_for("saved: left leg")
        clinic.outage()  # holds 2 to 4 and the end wait on this computer
        code, out, _ = session.finish()
        assert code == 0 and "Waiting, and safe on this computer: holds 2, 3, 4" in out
        clinic.after_outage()
        clinic.restore()  # the backup from before this session: the session is gone

        looked, sessions, said = history(env)
        logged = cli(env, "log", "--pain", "3")
        again, _, said_again = history(env)
        checked = cli(env, "doctor", "--json")
        restored = cli(env, "doctor", "--restore-set-aside")
        _, after, said_after = history(env)
        checked_after = cli(env, "doctor", "--json")

    # nothing stuck, nothing untrue: every command works and says one plain line
    assert (looked, logged.returncode, again) == (0, 0, 0), said + logged.stderr
    assert "already saved" not in said + logged.stderr + said_again
    aside = [line for line in said.splitlines() if "set aside" in line.lower()]
    assert aside == [
        "Set aside on this computer, not in the database: 3 holds and a session's end (its "
        f"session is not in the database), in {tmp_path / 'data'}/stretchcoach/"
        f"{aside_name(said)}. `stretchcoach doctor` says how to bring them back."
    ]
    assert said_again.strip() == aside[0]  # every command says it, once
    assert len(sessions) == 1  # the backup's: the restore took the rest
    # doctor is not "ok" while anything is set aside, and says how to bring it back
    assert checked.returncode == 1
    report = json.loads(checked.stdout)
    assert report["database"]["ok"] is True
    assert report["set_aside"]["ok"] is False and report["set_aside"]["count"] == 4
    assert "doctor --restore-set-aside" in report["set_aside"]["detail"]
    # brought back: the session made again from its holds, each hold once, nothing invented
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Made again from their records: a session." in restored.stdout
    assert "Brought back into the database: 3 holds and a session's end." in restored.stdout
    assert "set aside" not in said_after.lower()
    assert len(after) == 2
    brought = next(s for s in after if s["id"] == session_id(out))
    assert holds_of(brought) == [2, 3, 4]  # hold 1 was saved, and the restore removed it
    assert brought["status"] == "completed"
    assert checked_after.returncode == 0, checked_after.stdout


def aside_name(said: str) -> str:
    return said.split("/stretchcoach/")[1].split(". ")[0]


def session_id(out: str) -> str:
    return out.split("Session ", 1)[1].split(" ", 1)[0]
