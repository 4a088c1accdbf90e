"""The next dose as the terminal tells it: after a break, after pain rose."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.cli.app import run
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.session import Hold, Session, new_id
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services.users import ensure_local_user

pytestmark = pytest.mark.e2e


def kept_session(
    url: str, days_ago: int, hold_s: float, *, pain: tuple[int, int] | None = None
) -> None:
    """A finished session `days_ago` days back, every hold a mild pull, as the store keeps it."""
    engine = open_store(url)
    try:
        uow = SqlUnitOfWork(engine)
        start = datetime.now(UTC) - timedelta(days=days_ago)
        user = ensure_local_user(uow=uow, now=start)
        settings = SessionSettings(hold_s, 3, Side.LEFT, 10)
        s = Session(new_id(), user, "seated-hamstring", "Seated hamstring stretch", start, "UTC",
                    settings, status=SessionStatus.COMPLETED,
                    ended_at=start + timedelta(minutes=5))  # fmt: skip
        with uow:
            uow.sessions.add(s)
            for n in range(1, 7):
                side = Side.LEFT if n % 2 else Side.RIGHT
                at = start + timedelta(seconds=40 * n)
                uow.sessions.add_hold(
                    Hold(new_id(), s.id, n, side, hold_s, hold_s, True, at, Felt.PULL)
                )
            moments = ((PainContext.BEFORE, 0), (PainContext.AFTER, 6))
            for score, (context, later) in zip(pain or (), moments, strict=False):
                at = start + timedelta(minutes=later)
                where = parse_sites("left:thigh")
                uow.journal.add(PainEntry(new_id(), user, at, "UTC", score, where, context, s.id))
            uow.sessions.set_status(s.id, SessionStatus.COMPLETED, start + timedelta(minutes=5))
            uow.commit()
    finally:
        engine.dispose()


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRETCHCOACH_TIME_ZONE", "UTC")  # whole days, whatever the hour


def next_dose(capsys: pytest.CaptureFixture[str], url: str) -> dict[str, object]:
    assert run(["stats", "--json", "--db", url]) == 0
    found: dict[str, object] = json.loads(capsys.readouterr().out)["next_dose"]
    return found


@pytest.mark.parametrize(("days", "hold_s"), [(6, 45.0), (7, 30.0), (10, 30.0)])
def test_stats_starts_again_at_the_routines_dose_after_a_week_without_a_session(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, days: int, hold_s: float
) -> None:
    kept_session(sqlite_url, days, 40 if days == 6 else 55)

    found = next_dose(capsys, sqlite_url)

    assert found["hold_s"] == hold_s
    if days >= 7:
        assert found["reason"] == (
            f"It has been {days} days since your last session: back to the routine's 30 s to "
            "start again."
        )


def test_stats_leans_less_after_pain_rose_after_the_last_session(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    kept_session(sqlite_url, 1, 40, pain=(3, 6))

    found = next_dose(capsys, sqlite_url)

    assert (found["lean"], found["hold_s"]) == ("less", 40)
    assert "lean less than last time" in str(found["reason"])


def test_after_a_practice_run_with_tingling_the_terminal_advises_what_stats_plans(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    from stretchcoach.domain.safety import QUESTIONS
    from stretchcoach.services.session_case import PRACTICE_NOTE

    kept_session(sqlite_url, 1, 40)
    assert run(["screen", "--answers", ",".join("n" * len(QUESTIONS)), "--db", sqlite_url]) == 0
    capsys.readouterr()
    planned = next_dose(capsys, sqlite_url)

    code = run(["start", "--speed", "200", "--no-voice", "--felt", "nerve", "--pain-before",
                "3", "--pain-after", "3", "--db", sqlite_url])  # fmt: skip
    out = " ".join(capsys.readouterr().out.split())

    assert code == 0
    assert PRACTICE_NOTE in out
    assert f"Next time: {planned['reason']}" in out
    assert (
        next_dose(capsys, sqlite_url)
        == planned
        == {
            "hold_s": 45.0,
            "reps": {"left": 3, "right": 3},
            "lean": "same",
            "reason": "Every hold was a mild pull in the thigh, just right: try 45 s holds.",
        }
    )
