"""`stretchcoach --help` and the reading commands stay fast: nothing loads until it is used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.services.users import ensure_local_user

HEAVY = [
    "sqlalchemy",
    "alembic",
    "psycopg",
    "numpy",
    "cv2",
    "mediapipe",
    "matplotlib",
    "reportlab",
    "fastapi",
    "uvicorn",
    "icalendar",
    "pydantic_settings",
]


def test_importing_the_cli_and_showing_help_loads_no_heavy_module() -> None:
    code = (
        "import sys, json, contextlib, io\n"
        "from stretchcoach.cli.app import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    run(['--help'])\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert json.loads(result.stdout) == []


NOT_FOR_READING = [
    "sqlalchemy",  # a plain SQLite file at the newest schema is opened with sqlite3 alone
    "alembic",  # the schema is current: its version is read without Alembic
    "pydantic",  # settings, options and the built-in routine are read without it
    "pydantic_settings",
    "rich",  # nothing is drawn for --json
    "matplotlib",
    "reportlab",
    "fastapi",
    "uvicorn",
    "numpy",
    "cv2",
    "psycopg",
    "stretchcoach.web",
    "stretchcoach.adapters.store.clinic_repository",
    "stretchcoach.domain.symptoms",  # the note reader: only a rating with a note loads it
]


def test_reading_commands_load_only_what_they_use(tmp_path: Path) -> None:
    """Start-up is most of a reading command's CPU (docs/benchmarks.md): no module it does
    not need, checked by name rather than by time so that the test cannot be flaky."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = open_store(url)  # created and migrated here, so the commands find it current
    ensure_local_user(uow=SqlUnitOfWork(engine), now=datetime.now(UTC))
    engine.dispose()
    commands = [
        ["history", "--json"],
        ["log", "--days", "7", "--json"],
        ["stats", "--json"],
        ["export"],
        ["log", "--pain", "3", "--where", "left:calf", "--json"],  # a write, and the verdict
    ]
    code = (
        "import sys, json, contextlib, io\n"
        "from stretchcoach.cli.app import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    codes = [run([*args, '--db', {url!r}]) for args in {commands!r}]\n"
        "loaded = sorted({m for m in sys.modules for name in "
        f"{NOT_FOR_READING!r} if m == name or m.startswith(name + '.')}})\n"
        "print(json.dumps({'codes': codes, 'loaded': loaded}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    env |= {"STRETCHCOACH_TIME_ZONE": "UTC", "XDG_DATA_HOME": str(tmp_path / "data")}

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )

    found = json.loads(result.stdout)
    assert found["codes"] == [0] * len(commands), result.stderr
    assert found["loaded"] == []
