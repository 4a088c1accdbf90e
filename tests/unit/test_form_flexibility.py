"""The flexibility trend on the in-memory store, and how `stats` shows it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stretchcoach.cli.flexibility import flexibility_json, flexibility_lines
from stretchcoach.domain.form.metrics import HoldForm
from stretchcoach.domain.routine import Routine, choose_settings
from stretchcoach.domain.runner import HoldResult
from stretchcoach.domain.values import Side
from stretchcoach.services.flexibility import flexibility_trend, record_hold_with_form
from stretchcoach.services.sessions import begin_session
from stretchcoach.testing import FakeUnitOfWork

MONDAY = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)


def deepest(side: Side, deg: float | None) -> HoldForm:
    return HoldForm(side, 0.0, 31.0, 30.0, deg, 172.0, {})


def add_session(uow: FakeUnitOfWork, routine: Routine, week: int, left: float | None) -> None:
    now = MONDAY + timedelta(weeks=week)
    settings = choose_settings(routine, reps_per_side=1)
    session = begin_session(routine, settings, user_id="me", uow=uow, now=now, time_zone="UTC")
    for number, (side, deg) in enumerate([(Side.LEFT, left), (Side.RIGHT, 100.0 + week)], 1):
        result = HoldResult(number, side, 30.0, 30.0, completed=True)
        record_hold_with_form(session.id, result, deepest(side, deg), uow=uow, now=now)


def test_the_trend_has_a_figure_per_leg_per_session_and_a_weekly_slope(routine: Routine) -> None:
    uow = FakeUnitOfWork()
    for week, left in enumerate([110.0, 113.0, None, 119.0]):
        add_session(uow, routine, week, left)

    trend = flexibility_trend(uow=uow, user_id="me")

    assert [p.left_deg for p in trend.points] == [110.0, 113.0, None, 119.0]
    assert [p.right_deg for p in trend.points] == [100.0, 101.0, 102.0, 103.0]
    assert trend.left_slope_deg_per_week == pytest.approx(3.0, abs=0.01)
    assert trend.right_slope_deg_per_week == pytest.approx(1.0)
    assert flexibility_json(trend)["slope_deg_per_week"] == {"left": 3.0, "right": 1.0}
    lines = flexibility_lines(trend)
    assert "  Left leg: latest 119°, best 119° over 3 sessions, +3.0° a week" in lines
    assert any("not a clinical measurement" in line for line in lines)


def test_without_a_camera_there_is_no_trend_to_show(routine: Routine) -> None:
    uow = FakeUnitOfWork()

    trend = flexibility_trend(uow=uow, user_id="me")

    assert trend.points == ()
    assert trend.left_slope_deg_per_week is None
    assert flexibility_lines(trend) == []
    assert flexibility_json(trend)["sessions"] == []
