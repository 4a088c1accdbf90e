"""The check on opening a SQLite file: every opening while the file is small, once a day
above that, and in full after any error said the file was damaged."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from stretchcoach.adapters.store import integrity
from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.faults import described

Run = Callable[[str], list[str]]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "stretchcoach.db"
    open_store(f"sqlite:///{path}").dispose()
    return path


def counting(path: Path, asked: list[str]) -> Run:
    def run(sql: str) -> list[str]:
        asked.append(sql)
        with contextlib.closing(sqlite3.connect(path)) as connection:
            return [str(row[0]) for row in connection.execute(sql)]

    return run


def test_a_small_file_is_checked_at_every_opening(store: Path) -> None:
    asked: list[str] = []

    for _ in range(3):
        assert (
            integrity.problem_on_opening(store, counting(store, asked), today="2026-12-07") is None
        )

    assert asked == ["PRAGMA quick_check"] * 3
    assert integrity.checked_file(store).read_text(encoding="utf-8") == "clean 2026-12-07\n"


def test_a_large_file_is_checked_once_a_day(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(integrity, "EVERY_OPEN_BYTES", store.stat().st_size - 1)
    asked: list[str] = []
    run = counting(store, asked)

    for day in ("2026-12-07", "2026-12-07", "2026-12-08", "2026-12-08"):
        assert integrity.problem_on_opening(store, run, today=day) is None

    assert asked == ["PRAGMA quick_check"] * 2


def test_an_error_saying_damaged_makes_the_next_opening_check_in_full(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(integrity, "EVERY_OPEN_BYTES", 0)
    asked: list[str] = []
    run = counting(store, asked)
    integrity.problem_on_opening(store, run, today="2026-12-07")

    message = described("database disk image is malformed", file=str(store))
    found = integrity.problem_on_opening(store, run, today="2026-12-07")

    assert "The file is damaged" in message
    assert asked == ["PRAGMA quick_check", "PRAGMA integrity_check"]
    assert found is None  # whole after all (say, restored from a backup): it opens again
    assert integrity.checked_file(store).read_text(encoding="utf-8") == "clean 2026-12-07\n"


def test_what_the_check_finds_is_named_and_remembered(store: Path) -> None:
    def damaged(sql: str) -> list[str]:
        return ["*** in database main ***\nPage 12: btreeInitPage() returns error code 11", "x"]

    found = integrity.problem_on_opening(store, damaged, today="2026-12-07")

    assert found == (
        "SQLite's check found damage (*** in database main *** Page 12: btreeInitPage() "
        "returns error code 11, and 1 more)"
    )
    assert integrity.checked_file(store).read_text(encoding="utf-8") == "damaged\n"


def test_a_folder_that_cannot_be_written_keeps_no_date(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(integrity, "EVERY_OPEN_BYTES", 0)
    integrity.checked_file(store).mkdir()  # where the date would go cannot be written
    asked: list[str] = []
    run = counting(store, asked)

    for _ in range(2):
        assert integrity.problem_on_opening(store, run, today="2026-12-07") is None

    assert asked == ["PRAGMA quick_check"] * 2
