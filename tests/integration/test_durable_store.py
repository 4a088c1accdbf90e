"""A hold reported saved is on the disk: SQLite commits with `synchronous=FULL` whichever way
the store is opened (SQLAlchemy, or the standard library for a terminal command)."""

from __future__ import annotations

from pathlib import Path

from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.light import open_light

FULL = 2  # what `PRAGMA synchronous` reads back for FULL (NORMAL is 1)


def test_the_full_opening_syncs_every_commit(tmp_path: Path) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'stretchcoach.db'}")

    with engine.connect() as connection:
        (level,) = connection.exec_driver_sql("PRAGMA synchronous").one()
    engine.dispose()

    assert level == FULL


def test_the_light_opening_syncs_every_commit(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'stretchcoach.db'}"
    open_store(url).dispose()
    light = open_light(url)
    assert light is not None

    (level,) = light._c.execute("PRAGMA synchronous").fetchone()  # its one connection
    light.close()

    assert level == FULL
