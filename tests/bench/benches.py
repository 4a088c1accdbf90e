"""Every bench/*.py script, how the test suite runs it at a tiny size, or why it does not.

Two test files share this table (tests/bench/test_*benches_run.py) so that the test command,
which hands each file to one worker, runs the camera benches beside the others.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PG_ADMIN_URL

BENCH = Path(__file__).resolve().parents[2] / "bench"

# script -> its arguments for a tiny run
STORE_AND_WEB: dict[str, list[str]] = {
    "cli_startup.py": ["--tiny"],
    "dashboard.py": ["--tiny", "--admin-url", PG_ADMIN_URL],
    "durable_holds.py": ["--holds", "3", "--rounds", "1"],  # cleans up its temporary folder
    "decade.py": ["--tiny"],
    "import_speed.py": ["--tiny"],
    "insight.py": ["--tiny"],
    "integrity_check.py": ["--years", "1", "--runs", "1"],
    "login_burst.py": ["--tiny"],
    "startup.py": ["--tiny"],
    "symptom_phrases.py": ["--tiny"],
    "timer_drift.py": ["--tiny"],
    "web_load.py": ["--tiny", "--seed-accounts", "--admin-url", PG_ADMIN_URL],
}
CAMERA: dict[str, list[str]] = {
    "camera_socket.py": ["--tiny"],
    "real_footage.py": ["--tiny"],
    "real_people.py": ["1"],  # one seed: pure domain, no model
    "view_angles.py": ["--tiny"],
    # their own smallest sizes: these two have no --tiny
    "vision_latency.py": ["--seconds", "2", "--warm-up", "0.5"],
    "vision_pipeline.py": ["--rounds", "1", "--frames", "5", "--parts", "overhead"],
}
NEEDS_POSTGRES = {"dashboard.py", "web_load.py"}  # each makes and drops its own database
NOT_RUN = {
    "history.py": "a module the benches import (a believable history), not a script",
    "serving.py": "a module the benches import (a server on a free port), not a script",
    "phone_pose_fps.py": "at its smallest (--frames 2 --rounds 1) it still starts Chromium "
    "twice and loads the model in each on the CPU: 48 s here, most of the minute these runs "
    "may take; tests/e2e/test_phone_camera.py runs the same model in the same Chromium",
}


def run_tiny(script: str, args: list[str], tmp_path: Path) -> None:
    """Run the script as a real process; assert it ran to its end and printed its result."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    env |= {"STRETCHCOACH_SPEECH": "off", "XDG_DATA_HOME": str(tmp_path / "data")}

    result = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        cwd=BENCH.parent,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=180,
    )

    tail = (result.stdout[-1500:] + "\n" + result.stderr[-2500:]).strip()
    assert result.returncode == 0, tail
    assert result.stdout.strip(), "it printed no result"
