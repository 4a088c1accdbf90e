"""Journal corrections on SQLite and PostgreSQL: migration 0009, a correction kept beside the
rating it replaces, and every reader taking the corrected record."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import Engine, insert, select

from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.adapters.store import tables
from stretchcoach.adapters.store.engine import (
    alembic_config,
    create_store_engine,
    open_store,
    parse_url,
)
from stretchcoach.adapters.store.light import open_light
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.domain.clinical import GateStatus
from stretchcoach.domain.user import Role
from stretchcoach.errors import Conflict, NotFound
from stretchcoach.services.clinical import verdict
from stretchcoach.services.correction import correct_pain, corrections, withdraw_pain
from stretchcoach.services.journal import log_pain, recent_entries
from stretchcoach.services.users import ensure_local_user

NOW = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = open_store(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> SqlUnitOfWork:
    return SqlUnitOfWork(engine)


def _log(uow: SqlUnitOfWork, user_id: str, score: int, where: str = "", *, ago_h: int = 1):
    return log_pain(
        score,
        where=where,
        user_id=user_id,
        uow=uow,
        now=NOW - timedelta(hours=ago_h),
        time_zone="Europe/Paris",
    )


def test_upgrading_keeps_every_rating_as_said(store_url: str) -> None:
    engine = create_store_engine(parse_url(store_url))
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0008")
    with engine.begin() as c:
        c.execute(
            insert(tables.users).values(
                id="u1", display_name="Ann", role=Role.PATIENT, created_at=NOW
            )
        )
        c.execute(
            insert(tables.pain_entries).values(
                id="p1",
                user_id="u1",
                recorded_at=NOW,
                time_zone="UTC",
                score=4,
                sites="left:calf",
                context="standalone",
                note="",
            )
        )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
    with engine.connect() as c:
        row = c.execute(select(tables.pain_entries)).one()
    engine.dispose()

    assert (row.corrected_at, row.superseded_by) == (None, None)
    migrated = open_store(store_url)
    try:
        assert [e.id for e in recent_entries("u1", uow=SqlUnitOfWork(migrated), now=NOW)] == ["p1"]
    finally:
        migrated.dispose()


def test_a_correction_is_a_new_rating_and_the_first_stays_marked(uow: SqlUnitOfWork) -> None:
    me = ensure_local_user(uow=uow, now=NOW)
    first = _log(uow, me, 7, "left:foot")

    new = correct_pain(first.id, user_id=me, uow=uow, now=NOW, score=4, note="wrong tap")

    assert [(e.id, e.score, e.note) for e in recent_entries(me, uow=uow, now=NOW)] == [
        (new.id, 4, "wrong tap")
    ]
    assert new.recorded_at == first.recorded_at and new.sites == first.sites
    [old] = corrections(me, uow=uow)
    assert (old.id, old.score, old.superseded_by, old.corrected_at) == (first.id, 7, new.id, NOW)


def test_a_rating_taken_back_no_longer_counts_and_twice_changes_nothing(
    uow: SqlUnitOfWork,
) -> None:
    me = ensure_local_user(uow=uow, now=NOW)
    wrong = _log(uow, me, 9, "left:calf")
    later = NOW + timedelta(minutes=5)

    withdraw_pain(wrong.id, user_id=me, uow=uow, now=NOW)
    again = withdraw_pain(wrong.id, user_id=me, uow=uow, now=later)

    assert recent_entries(me, uow=uow, now=NOW) == []
    assert again.withdrawn and again.corrected_at == NOW
    with pytest.raises(Conflict, match="taken back already"):
        correct_pain(wrong.id, user_id=me, uow=uow, now=later, score=3)


def test_the_verdict_reads_the_corrected_record(uow: SqlUnitOfWork) -> None:
    me = ensure_local_user(uow=uow, now=NOW)
    tapped = _log(uow, me, 10, "left:calf")  # a jump to 10 asks the urgent questions again
    before = verdict(me, load_builtin(), uow=uow, now=NOW, zone=PARIS)

    correct_pain(tapped.id, user_id=me, uow=uow, now=NOW, score=2)
    after = verdict(me, load_builtin(), uow=uow, now=NOW, zone=PARIS)

    assert "pain-severe" in {f.code for f in before.flags}
    assert "pain-severe" not in {f.code for f in after.flags}
    assert after.signals.day_pain == {NOW.astimezone(PARIS).date(): 2}
    assert after.gate.status is not GateStatus.RECHECK


def test_another_persons_rating_is_not_found_and_stays_as_it_was(uow: SqlUnitOfWork) -> None:
    me = ensure_local_user(uow=uow, now=NOW)
    mine = _log(uow, me, 5)

    for attempt in (
        lambda: correct_pain(mine.id, user_id="someone-else", uow=uow, now=NOW, score=1),
        lambda: withdraw_pain(mine.id, user_id="someone-else", uow=uow, now=NOW),
    ):
        with pytest.raises(NotFound):
            attempt()

    assert [e.score for e in recent_entries(me, uow=uow, now=NOW)] == [5]
    assert corrections(me, uow=uow) == []


def test_the_terminals_light_store_reads_and_writes_corrections_the_same(sqlite_url: str) -> None:
    engine = open_store(sqlite_url)  # created and migrated the full way
    full = SqlUnitOfWork(engine)
    me = ensure_local_user(uow=full, now=NOW)
    first = _log(full, me, 6, "right:thigh")
    engine.dispose()
    light = open_light(sqlite_url)
    assert light is not None

    new = correct_pain(first.id, user_id=me, uow=light, now=NOW, sites=frozenset())

    assert [e.id for e in recent_entries(me, uow=light, now=NOW)] == [new.id]
    light.close()
    reopened = open_store(sqlite_url)
    try:
        [old] = corrections(me, uow=SqlUnitOfWork(reopened))
    finally:
        reopened.dispose()
    assert (old.id, old.superseded_by) == (first.id, new.id)
