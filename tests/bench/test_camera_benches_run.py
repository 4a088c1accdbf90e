"""The camera benchmarks still run: the pose model, the video files and the camera socket,
each bench as a real process at a tiny size (tests/bench/benches.py holds the table)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.bench.benches import CAMERA, run_tiny

pytestmark = [pytest.mark.e2e, pytest.mark.vision]


@pytest.mark.parametrize("script", sorted(CAMERA), ids=lambda s: s.removesuffix(".py"))
def test_the_camera_bench_runs_to_its_end_at_a_tiny_size(script: str, tmp_path: Path) -> None:
    run_tiny(script, CAMERA[script], tmp_path)
