"""Every benchmark still runs: each bench/*.py script as a real process at a tiny size.

A bench that no longer runs measures nothing and says so only when someone next needs its
numbers; here it fails the test suite instead. The numbers printed at this size mean
nothing: only that the script ran to its end, exit 0. The camera benches are in
test_camera_benches_run.py; tests/bench/benches.py holds the table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.bench.benches import BENCH, CAMERA, NEEDS_POSTGRES, NOT_RUN, STORE_AND_WEB, run_tiny

pytestmark = pytest.mark.e2e


def test_every_bench_script_is_run_here_or_says_why_not() -> None:
    scripts = {path.name for path in BENCH.glob("*.py")}
    tables = [set(STORE_AND_WEB), set(CAMERA), set(NOT_RUN)]

    assert scripts == set().union(*tables)
    assert sum(len(t) for t in tables) == len(scripts)  # none in two places


@pytest.mark.parametrize("script", sorted(STORE_AND_WEB), ids=lambda s: s.removesuffix(".py"))
def test_the_bench_runs_to_its_end_at_a_tiny_size(
    script: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if script in NEEDS_POSTGRES:
        request.applymarker(pytest.mark.postgres)
        request.getfixturevalue("postgres_url")  # the server is up: fails under CI, else skips

    run_tiny(script, STORE_AND_WEB[script], tmp_path)
