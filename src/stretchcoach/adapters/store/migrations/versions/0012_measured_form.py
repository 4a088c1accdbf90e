"""What the phone's camera coach measured of a hold, kept on the server until the hold arrives.

The camera socket measures a hold's form on the server; the hold itself comes later through
the phone's outbox (at once, or hours later after the phone was offline). `measured_form`
keeps the measurement under its session and hold number until then; when the hold arrives
the two are joined into `hold_form` and the row goes. A hold that never arrives leaves its
row to go with its session.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "measured_form",
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("hold_number", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(5), nullable=False),
        sa.Column("start_s", sa.Float(), nullable=False),
        sa.Column("end_s", sa.Float(), nullable=False),
        sa.Column("good_form_s", sa.Float(), nullable=False),
        sa.Column("max_hip_flexion_deg", sa.Float(), nullable=True),
        sa.Column("min_knee_deg", sa.Float(), nullable=True),
        sa.Column("knee_bent", sa.Integer(), nullable=False),
        sa.Column("back_rounded", sa.Integer(), nullable=False),
        sa.Column("bouncing", sa.Integer(), nullable=False),
        sa.Column("too_deep_too_fast", sa.Integer(), nullable=False),
        sa.Column("too_fast", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name="fk_measured_form_session_id_sessions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "hold_number", name="pk_measured_form"),
    )


def downgrade() -> None:
    op.drop_table("measured_form")
