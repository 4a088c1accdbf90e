"""Export and import on real databases: SQLite and PostgreSQL, one transaction, idempotent."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Self

import pytest
from sqlalchemy import Engine, func, select

from stretchcoach.adapters.store import summaries
from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.tables import (
    holds,
    pain_entries,
    patient_summaries,
    screens,
    sessions,
)
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.adapters.transfer import read_export, to_csv, to_json
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import Hold, Owner, Session, new_id
from stretchcoach.domain.user import LOCAL_USER_ID, Role, User
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import InvalidInput
from stretchcoach.services.transfer import export_bundle, import_bundle
from stretchcoach.services.users import ensure_local_user

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def target(store_url: str) -> Iterator[Engine]:
    engine = open_store(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Engine]:
    """A SQLite store full of one person's records: a phone's export, say."""
    engine = open_store(f"sqlite:///{tmp_path / 'source.db'}")
    uow = SqlUnitOfWork(engine)
    user = ensure_local_user(uow=uow, now=NOW)
    start = datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC)  # a second before BST
    with uow:
        for day in range(3):
            session = Session(
                new_id(),
                user,
                "seated-hamstring",
                "Seated hamstring",
                start + timedelta(days=day),
                "Europe/London" if day else "America/New_York",
                SessionSettings(hold_s=30, reps_per_side=2, first_side=Side.LEFT, rest_s=10.5),
                status=SessionStatus.COMPLETED if day else SessionStatus.STOPPED,
                ended_at=start + timedelta(days=day, minutes=4),
                owner=Owner("laptop", 100 + day) if day else None,
            )
            uow.sessions.add(session)
            for n in range(1, 5):
                uow.sessions.add_hold(
                    Hold(
                        new_id(),
                        session.id,
                        n,
                        Side.LEFT if n % 2 else Side.RIGHT,
                        30.0,
                        30.0 - n / 7,
                        True,
                        session.started_at + timedelta(seconds=45 * n),
                        [Felt.PULL, Felt.NERVE, None, Felt.NOTHING][n - 1],
                    )
                )
            for context, score, note in (
                (PainContext.BEFORE, 6, ""),
                (PainContext.AFTER, 4 + day, 'a "good" one,\nI think'),
            ):
                uow.journal.add(
                    PainEntry(
                        new_id(),
                        user,
                        session.started_at + timedelta(minutes=5 if note else -1),
                        session.time_zone,
                        score,
                        parse_sites("left:calf,right:buttock" if day else ""),
                        context,
                        session.id,
                        note,
                    )
                )
        uow.journal.add(PainEntry(new_id(), user, NOW, "Asia/Tokyo", 2, frozenset(), note="🙂"))
        uow.screens.add(ScreenResult(new_id(), user, NOW, (False,) * 8))
        uow.commit()
    yield engine
    engine.dispose()


def snapshot(engine: Engine) -> dict[str, Any]:
    uow = SqlUnitOfWork(engine)
    data: dict[str, Any] = json.loads(to_json(export_bundle(LOCAL_USER_ID, uow=uow), now=NOW))
    return data | {"exported_at": None}


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as c:
        return {
            t.name: c.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (sessions, holds, pain_entries, screens)
        }


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_round_trip_between_stores_keeps_every_record_and_field(
    source: Engine, target: Engine, fmt: str
) -> None:
    bundle = export_bundle(LOCAL_USER_ID, uow=SqlUnitOfWork(source))
    text = to_json(bundle, now=NOW) if fmt == "json" else to_csv(bundle)
    uow = SqlUnitOfWork(target)
    user = ensure_local_user(uow=uow, now=NOW)

    first = import_bundle(read_export(text, user_id=user), user_id=user, uow=uow, now=NOW)
    again = import_bundle(read_export(text, user_id=user), user_id=user, uow=uow, now=NOW)

    assert snapshot(target) == snapshot(source)
    assert first.added == {"session": 3, "hold": 12, "pain": 7, "screen": 1, "seen": 0}
    assert sum(again.added.values()) == 0
    assert counts(target) == {"sessions": 3, "holds": 12, "pain_entries": 7, "screens": 1}
    with target.connect() as c:  # the import kept the person's summary up to date as well
        kept = c.execute(select(patient_summaries.c.user_id, patient_summaries.c.version))
        assert kept.all() == [(user, summaries.VERSION)]


def test_a_problem_against_the_store_writes_nothing(source: Engine, target: Engine) -> None:
    text = to_csv(export_bundle(LOCAL_USER_ID, uow=SqlUnitOfWork(source)))
    uow = SqlUnitOfWork(target)
    user = ensure_local_user(uow=uow, now=NOW)
    with uow:
        uow.users.add(User("someone-else", "Someone", Role.PATIENT, NOW))
        uow.commit()
    bundle = read_export(text, user_id=user)
    screen = bundle.screens[0].record
    with uow:  # the screen's id is already someone else's: the last record in the file
        uow.screens.add(ScreenResult(screen.id, "someone-else", NOW, screen.answers))
        uow.commit()

    with pytest.raises(InvalidInput, match=r"row \d+, field 'id': .* someone else's record"):
        import_bundle(bundle, user_id=user, uow=uow, now=NOW)

    assert counts(target) == {"sessions": 0, "holds": 0, "pain_entries": 0, "screens": 1}


class FailingJournalUnitOfWork(SqlUnitOfWork):
    """The store breaks while the pain entries are written, after sessions and holds."""

    def __enter__(self) -> Self:
        super().__enter__()

        def broken(entries: Sequence[PainEntry]) -> None:
            raise RuntimeError("disk full")

        self.journal.add_all = broken  # type: ignore[method-assign]
        return self


def test_a_failure_part_way_through_the_writes_leaves_the_store_as_it_was(
    source: Engine, target: Engine
) -> None:
    text = to_json(export_bundle(LOCAL_USER_ID, uow=SqlUnitOfWork(source)), now=NOW)
    user = ensure_local_user(uow=SqlUnitOfWork(target), now=NOW)

    with pytest.raises(RuntimeError, match="disk full"):
        import_bundle(
            read_export(text, user_id=user),
            user_id=user,
            uow=FailingJournalUnitOfWork(target),
            now=NOW,
        )

    assert counts(target) == {"sessions": 0, "holds": 0, "pain_entries": 0, "screens": 0}
