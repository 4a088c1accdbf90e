"""Several commands at once on a fresh store: one creates the schema, none fails, nothing twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from tests.e2e.records import export, hold_record, pain_record, screen_record, session_record

from stretchcoach.adapters.store.engine import parse_url
from stretchcoach.adapters.store.tables import holds, pain_entries, screens, sessions, users

pytestmark = pytest.mark.e2e

PARALLEL = 4


def export_file(path: Path) -> Path:
    """A small export: two sessions with four holds each, a pain rating, a screen."""
    sessions = [str(uuid.uuid4()) for _ in range(2)]
    data = export(
        [session_record(sid, day) for day, sid in enumerate(sessions, start=1)],
        [
            hold_record(sid, number, day)
            for day, sid in enumerate(sessions, start=1)
            for number in range(1, 5)
        ],
        [pain_record(None)],
        [screen_record()],
    )
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def parallel_imports(db_url: str, file: Path) -> list[subprocess.CompletedProcess[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    env["STRETCHCOACH_DATABASE_URL"] = db_url
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "stretchcoach", "import", str(file)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(PARALLEL)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def count_rows(db_url: str) -> dict[str, int]:
    engine = create_engine(parse_url(db_url))
    try:
        with engine.connect() as connection:
            return {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (users, sessions, holds, pain_entries, screens)
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize("fresh", ["empty", "set up"])
def test_parallel_imports_into_a_fresh_store_all_succeed_and_add_each_record_once(
    store_url: str, tmp_path: Path, fresh: str
) -> None:
    file = export_file(tmp_path / "export.json")
    if fresh == "set up":
        env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
        subprocess.run(
            [sys.executable, "-m", "stretchcoach", "history", "--db", store_url],
            env=env,
            check=True,
            capture_output=True,
        )

    results = parallel_imports(store_url, file)

    for result in results:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    added = [r.stdout for r in results if r.stdout.startswith("Imported 2 sessions")]
    assert len(added) == 1, [r.stdout for r in results]
    assert count_rows(store_url) == {
        "users": 1,
        "sessions": 2,
        "holds": 8,
        "pain_entries": 1,
        "screens": 1,
    }
