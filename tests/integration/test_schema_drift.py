"""The migrations build exactly the schema tables.py describes, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.tables import metadata


def test_the_migrated_schema_matches_the_tables_in_code(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()

    assert differences == []
