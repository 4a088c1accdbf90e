"""The clinic's tables on SQLite and PostgreSQL: the fold summary and its migration."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import insert, select

from stretchcoach.adapters.store import tables
from stretchcoach.adapters.store.engine import alembic_config, create_store_engine, parse_url
from stretchcoach.domain.user import Role


def _upgrade(engine: object, target: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:  # type: ignore[attr-defined]
        config.attributes["connection"] = connection
        command.upgrade(config, target)


def test_upgrading_fills_the_fold_summary_from_holds_the_camera_already_watched(
    store_url: str,
) -> None:
    engine = create_store_engine(parse_url(store_url))
    at = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)
    _upgrade(engine, "0003")
    with engine.begin() as c:
        c.execute(
            insert(tables.users).values(
                id="u1", display_name="Ann", role=Role.PATIENT, created_at=at
            )
        )
        c.execute(
            insert(tables.sessions).values(
                id="s1",
                user_id="u1",
                routine_id="r",
                routine_name="R",
                started_at=at,
                time_zone="UTC",
                status="completed",
                practice=False,
                speed=1.0,
                hold_s=30,
                reps_per_side=1,
                first_side="left",
                rest_s=10,
                hold_order="alternate",
            )
        )
        for n, fold in ((1, 60.0), (2, 70.0), (3, None)):
            c.execute(
                insert(tables.holds).values(
                    id=f"h{n}",
                    session_id="s1",
                    hold_number=n,
                    side="left",
                    planned_s=30,
                    held_s=30,
                    completed=True,
                    ended_at=at,
                )
            )
            c.execute(
                insert(tables.hold_form).values(
                    hold_id=f"h{n}",
                    good_form_s=30,
                    max_hip_flexion_deg=fold,
                    min_knee_deg=None,
                    knee_bent=0,
                    back_rounded=0,
                    bouncing=0,
                    too_deep_too_fast=0,
                    too_fast=0,
                )
            )

    _upgrade(engine, "heads")

    with engine.connect() as c:
        row = c.execute(select(tables.session_folds)).one()
    engine.dispose()
    assert (row.session_id, row.user_id, row.started_at) == ("s1", "u1", at)
    assert (row.fold_sum_deg, row.fold_count, row.max_fold_deg) == (130.0, 2, 70.0)
