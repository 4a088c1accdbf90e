"""How the terminal words a session that ended: never "0 s of stretching" for one stopped at
the start."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.cli.render import session_summary
from stretchcoach.domain.routine import choose_settings
from stretchcoach.domain.session import Hold, Session
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services.sessions import new_session

NOW = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


def _session(status: SessionStatus, held: list[float]) -> Session:
    routine = load_builtin()
    made = new_session(routine, choose_settings(routine), user_id="u", now=NOW, time_zone="UTC")
    holds = tuple(
        Hold(f"h{n}", made.id, n, Side.LEFT, 30.0, s, s >= 30, NOW)
        for n, s in enumerate(held, start=1)
    )
    return replace(made, status=status, holds=holds)


@pytest.mark.parametrize(
    ("status", "held", "said"),
    [
        (SessionStatus.STOPPED, [], "Stopped before the first hold got going."),
        (SessionStatus.STOPPED, [0.3], "Stopped before the first hold got going."),
        (SessionStatus.INTERRUPTED, [], "Stopped before the first hold got going."),
        (SessionStatus.STOPPED, [30.0, 12.0], "Stopped early: 1 of 6 holds"),
    ],
    ids=["no-hold", "a-blink", "interrupted", "after-a-hold"],
)
def test_a_session_stopped_at_the_start_says_so_in_words(
    status: SessionStatus, held: list[float], said: str
) -> None:
    line = session_summary(_session(status, held))

    assert line.startswith(said)
    assert "0 s" not in line
