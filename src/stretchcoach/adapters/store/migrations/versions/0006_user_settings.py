"""Each user's standing choices: dose, morning window, time zone, reminder, calendar token.

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from stretchcoach.adapters.store.tables import UTCDateTime

revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_settings",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("hold_s", sa.Float(), nullable=False),
        sa.Column("reps_per_side", sa.Integer(), nullable=False),
        sa.Column("first_side", sa.String(5), nullable=False),
        sa.Column("morning_start", sa.String(5), nullable=False),
        sa.Column("morning_end", sa.String(5), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("reminder_at", sa.String(5), nullable=True),
        sa.Column("calendar_token", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_user_settings"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_user_settings_user_id_users", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("calendar_token", name="uq_user_settings_calendar_token"),
    )


def downgrade() -> None:
    op.drop_table("user_settings")
