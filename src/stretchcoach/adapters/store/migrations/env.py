"""Alembic environment: runs on the connection the store hands over, on SQLite or PostgreSQL."""

from alembic import context

from stretchcoach.adapters.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `stretchcoach db upgrade`")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
