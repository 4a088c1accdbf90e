"""Per-hold form metrics and the flexibility trend on a real database (SQLite, PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, delete, inspect, select

from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.tables import hold_form, holds
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.domain.form.metrics import Fault, HoldForm
from stretchcoach.domain.routine import Routine, choose_settings
from stretchcoach.domain.runner import HoldResult
from stretchcoach.domain.values import Side
from stretchcoach.errors import StoreUnavailable
from stretchcoach.services.flexibility import (
    flexibility_trend,
    record_hold_with_form,
    session_flexibility,
    usual_form,
)
from stretchcoach.services.sessions import begin_session, get_session
from stretchcoach.services.users import ensure_local_user

START = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = open_store(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> SqlUnitOfWork:
    return SqlUnitOfWork(engine)


def form(side: Side, deepest: float | None, **faults: int) -> HoldForm:
    return HoldForm(
        side=side,
        start_s=0.0,
        end_s=31.0,
        good_form_s=30.0,
        max_hip_flexion_deg=deepest,
        min_knee_deg=171.5,
        faults={Fault(name): n for name, n in faults.items()},
    )


def session_with(
    uow: SqlUnitOfWork, routine: Routine, user_id: str, day: int, forms: list[HoldForm | None]
) -> str:
    settings = choose_settings(routine, reps_per_side=len(forms) // 2 or 1)
    now = START + timedelta(days=day)
    session = begin_session(routine, settings, user_id=user_id, uow=uow, now=now, time_zone="UTC")
    for number, f in enumerate(forms, start=1):
        side = f.side if f else Side.LEFT
        result = HoldResult(number, side, 30.0, 30.0, completed=True)
        record_hold_with_form(session.id, result, f, uow=uow, now=now)
    return session.id


def test_the_form_table_is_its_own_migration_branch(engine: Engine) -> None:
    columns = {c["name"] for c in inspect(engine).get_columns("hold_form")}

    assert {"hold_id", "good_form_s", "max_hip_flexion_deg", "min_knee_deg"} <= columns
    assert {f.value for f in Fault} <= columns
    assert {c["name"] for c in inspect(engine).get_columns("holds")} >= {"felt", "held_s"}


def test_a_hold_and_its_form_are_saved_together_and_deleted_together(
    uow: SqlUnitOfWork, engine: Engine, routine: Routine
) -> None:
    user_id = ensure_local_user(uow=uow, now=START)
    sid = session_with(uow, routine, user_id, 0, [form(Side.LEFT, 118.5, knee_bent=2), None])

    with engine.connect() as c:
        rows = c.execute(select(hold_form)).all()
    assert len(rows) == 1
    assert rows[0].knee_bent == 2 and rows[0].bouncing == 0
    assert rows[0].max_hip_flexion_deg == pytest.approx(118.5)
    assert len(get_session(sid, uow=uow).holds) == 2
    with engine.begin() as c:
        c.execute(delete(holds))
    with engine.connect() as c:
        assert c.execute(select(hold_form)).all() == []


def test_a_failed_save_keeps_neither_the_hold_nor_its_form(
    uow: SqlUnitOfWork, engine: Engine, routine: Routine
) -> None:
    user_id = ensure_local_user(uow=uow, now=START)
    sid = session_with(uow, routine, user_id, 0, [form(Side.LEFT, 110.0)])
    again = HoldResult(1, Side.LEFT, 30.0, 30.0, completed=True)  # the same hold number

    with pytest.raises(Exception) as caught:
        record_hold_with_form(sid, again, form(Side.LEFT, 111.0), uow=uow, now=START)

    assert not isinstance(caught.value, StoreUnavailable)
    with engine.connect() as c:
        assert len(c.execute(select(hold_form)).all()) == 1


def test_flexibility_per_leg_per_session_and_its_trend(
    uow: SqlUnitOfWork, routine: Routine
) -> None:
    user_id = ensure_local_user(uow=uow, now=START)
    weeks = [0, 7, 14]
    ids = [
        session_with(
            uow,
            routine,
            user_id,
            day,
            [form(Side.LEFT, 110.0 + 2 * i), form(Side.RIGHT, 105.0 + i), form(Side.LEFT, 100.0)],
        )
        for i, day in enumerate(weeks)
    ]
    no_camera = session_with(uow, routine, user_id, 20, [None, None])
    bouncy = session_with(uow, routine, user_id, 21, [form(Side.LEFT, None, bouncing=3)])

    figures = session_flexibility([*ids, no_camera, bouncy], uow=uow)
    trend = flexibility_trend(uow=uow, user_id=user_id)

    assert figures[ids[0]] == {Side.LEFT: 110.0, Side.RIGHT: 105.0}
    assert figures[bouncy] == {Side.LEFT: None, Side.RIGHT: None}
    assert no_camera not in figures
    assert [p.left_deg for p in trend.points] == [110.0, 112.0, 114.0, None]
    assert trend.left_slope_deg_per_week == pytest.approx(2.0)
    assert trend.right_slope_deg_per_week == pytest.approx(1.0)
    usual = usual_form(uow=uow, user_id=user_id)
    assert usual.depth_deg == {Side.LEFT: 114.0, Side.RIGHT: 107.0}
    assert usual.folds_deg == {Side.LEFT: (110.0, 112.0, 114.0), Side.RIGHT: (105.0, 106.0, 107.0)}
    recent = flexibility_trend(uow=uow, user_id=user_id, since=START + timedelta(days=10))
    assert [p.session_id for p in recent.points] == [ids[2], bouncy]
    assert flexibility_trend(uow=uow, user_id="someone-else").points == ()


def test_history_and_stats_show_the_flexibility_figure_per_leg(
    uow: SqlUnitOfWork, store_url: str, routine: Routine
) -> None:
    user_id = ensure_local_user(uow=uow, now=START)
    session_with(uow, routine, user_id, 0, [form(Side.LEFT, 112.5), form(Side.RIGHT, None)])
    session_with(uow, routine, user_id, 1, [None, None])

    listed = json.loads(history(store_url, "--json"))
    table = history(store_url)
    stats = json.loads(command(store_url, "stats", "--json"))

    assert [s["flexibility"] for s in listed] == [
        {"left": None, "right": None},
        {"left": 112.5, "right": None},
    ]
    assert "Flexibility" in table and "112° / –" in table
    assert [(s["left"], s["right"]) for s in stats["flexibility"]["sessions"]] == [(112.5, None)]


def history(store_url: str, *args: str) -> str:
    return command(store_url, "history", *args)


def command(store_url: str, name: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    result = subprocess.run(
        [sys.executable, "-m", "stretchcoach", name, "--db", store_url, *args],
        env=env | {"COLUMNS": "120"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout
