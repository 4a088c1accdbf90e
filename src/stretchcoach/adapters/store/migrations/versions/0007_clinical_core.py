"""The clinical core's records: when each check was stored, acknowledgements, holds per leg.

- `screens.stored_at`: the store's own time for each check. The gate orders checks by it, so a
  check claiming a date ahead cannot outrank later ones. Existing checks get the earlier of
  their own date and the time of this migration.
- `screen_acknowledgements`: "seen by a clinician on DATE, who said I can exercise", for the
  standing yes answers and stop rules it names.
- `sessions.left_reps` / `right_reps`: holds per leg when one leg was cut down or rested.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from stretchcoach.adapters.store.tables import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screens") as batch:
        batch.add_column(sa.Column("stored_at", UTCDateTime(), nullable=True))
    screens = sa.table(
        "screens",
        sa.column("id", sa.String()),
        sa.column("answered_at", UTCDateTime()),
        sa.column("stored_at", UTCDateTime()),
    )
    bind = op.get_bind()
    now = datetime.now(UTC)
    for row in bind.execute(sa.select(screens.c.id, screens.c.answered_at)).all():
        bind.execute(
            screens.update()
            .where(screens.c.id == row.id)
            .values(stored_at=min(row.answered_at, now))
        )
    with op.batch_alter_table("screens") as batch:
        batch.alter_column("stored_at", existing_type=UTCDateTime(), nullable=False)
        batch.create_index("ix_screens_user_id_stored_at", ["user_id", "stored_at"])

    op.create_table(
        "screen_acknowledgements",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("codes", sa.String(1000), nullable=False),
        sa.Column("seen_on", sa.Date(), nullable=False),
        sa.Column("by_user_id", sa.String(36), nullable=False),
        sa.Column("by_name", sa.String(200), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("stored_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_screen_acknowledgements"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_screen_acknowledgements_user_id_users",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_screen_acknowledgements_user_id_stored_at",
        "screen_acknowledgements",
        ["user_id", "stored_at"],
    )
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("left_reps", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("right_reps", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("right_reps")
        batch.drop_column("left_reps")
    op.drop_index(
        "ix_screen_acknowledgements_user_id_stored_at", table_name="screen_acknowledgements"
    )
    op.drop_table("screen_acknowledgements")
    with op.batch_alter_table("screens") as batch:
        batch.drop_index("ix_screens_user_id_stored_at")
        batch.drop_column("stored_at")
