"""Users, sessions and their holds, the pain journal and red-flag screens.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from stretchcoach.adapters.store.tables import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("routine_id", sa.String(64), nullable=False),
        sa.Column("routine_name", sa.String(200), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("last_seen_at", UTCDateTime(), nullable=True),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("practice", sa.Boolean(), nullable=False),
        sa.Column("speed", sa.Float(), nullable=False),
        sa.Column("hold_s", sa.Float(), nullable=False),
        sa.Column("reps_per_side", sa.Integer(), nullable=False),
        sa.Column("first_side", sa.String(5), nullable=False),
        sa.Column("rest_s", sa.Float(), nullable=False),
        sa.Column("hold_order", sa.String(16), nullable=False),
        sa.Column("host", sa.String(255), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        _user_fk("sessions"),
    )
    op.create_index("ix_sessions_user_id_started_at", "sessions", ["user_id", "started_at"])
    op.create_index("ix_sessions_status", "sessions", ["status"])
    op.create_table(
        "holds",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("hold_number", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(5), nullable=False),
        sa.Column("planned_s", sa.Float(), nullable=False),
        sa.Column("held_s", sa.Float(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=False),
        sa.Column("felt", sa.String(16), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name="fk_holds_session_id_sessions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_holds"),
        sa.UniqueConstraint("session_id", "hold_number", name="uq_holds_session_id_hold_number"),
    )
    op.create_index("ix_holds_session_id", "holds", ["session_id"])
    op.create_table(
        "pain_entries",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("sites", sa.String(400), nullable=False),
        sa.Column("reach_left", sa.Integer(), nullable=True),
        sa.Column("reach_right", sa.Integer(), nullable=True),
        sa.Column("context", sa.String(16), nullable=False),
        sa.Column("session_id", sa.String(36), nullable=True),
        sa.Column("note", sa.String(500), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pain_entries"),
        _user_fk("pain_entries"),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name="fk_pain_entries_session_id_sessions",
            ondelete="SET NULL",
        ),
    )
    op.create_index(
        "ix_pain_entries_user_id_recorded_at", "pain_entries", ["user_id", "recorded_at"]
    )
    op.create_table(
        "screens",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
        sa.Column("answers", sa.String(64), nullable=False),
        sa.Column("any_yes", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_screens"),
        _user_fk("screens"),
    )
    op.create_index("ix_screens_user_id_answered_at", "screens", ["user_id", "answered_at"])


def downgrade() -> None:
    for table in ("screens", "pain_entries", "holds", "sessions", "users"):
        op.drop_table(table)
