"""`stretchcoach --help` stays fast: the CLI imports no heavy module until a command needs it."""

from __future__ import annotations

import json
import subprocess
import sys

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
