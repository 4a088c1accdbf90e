"""`stretchcoach import` refuses half a per-leg pair in one line, and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stretchcoach.cli.app import run

pytestmark = pytest.mark.e2e

SESSION = {
    "id": "5b0b5d7e-8f7f-4c2a-9a51-0d5e3c1b2a10",
    "started_at": "2026-03-02T07:00:00+00:00",
    "ended_at": "2026-03-02T07:06:00+00:00",
    "last_seen_at": None,
    "time_zone": "UTC",
    "status": "completed",
    "practice": False,
    "speed": 1.0,
    "routine_id": "seated-hamstring",
    "routine_name": "Seated hamstring stretch",
    "hold_s": 30.0,
    "reps_per_side": 3,
    "first_side": "left",
    "rest_s": 10.0,
    "hold_order": "alternate",
    "host": None,
    "pid": None,
}


def export_file(tmp_path: Path, **reps: int | None) -> Path:
    path = tmp_path / "export.json"
    path.write_text(
        json.dumps(
            {
                "format": "stretchcoach-export",
                "version": 1,
                "exported_at": "2026-03-03T00:00:00+00:00",
                "sessions": [SESSION | reps],
                "holds": [],
                "pain_entries": [],
                "screens": [],
                "acknowledgements": [],
            }
        )
    )
    return path


def test_a_rested_leg_without_its_pair_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    path = export_file(tmp_path, left_reps=0, right_reps=None)

    code = run(["import", str(path), "--db", sqlite_url])
    err = capsys.readouterr().err

    assert code == 2
    assert err.count("\n") == 1 and err.startswith("Error: sessions record 1, field 'right_reps'")
    assert "right_reps is missing while left_reps is 0" in err and "nothing was imported" in err
    assert run(["history", "--json", "--db", sqlite_url]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_whole_pair_imports_and_keeps_the_leg_rested(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    path = export_file(tmp_path, left_reps=0, right_reps=3)

    assert run(["import", str(path), "--db", sqlite_url]) == 0
    capsys.readouterr()
    assert run(["export", "--format", "json", "--db", sqlite_url]) == 0
    [kept] = json.loads(capsys.readouterr().out)["sessions"]
    assert (kept["left_reps"], kept["right_reps"]) == (0, 3)
