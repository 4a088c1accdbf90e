"""The camera's form metrics per hold, in a table of their own beside the holds.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hold_form",
        sa.Column("hold_id", sa.String(36), nullable=False),
        sa.Column("good_form_s", sa.Float(), nullable=False),
        sa.Column("max_hip_flexion_deg", sa.Float(), nullable=True),
        sa.Column("min_knee_deg", sa.Float(), nullable=True),
        sa.Column("knee_bent", sa.Integer(), nullable=False),
        sa.Column("back_rounded", sa.Integer(), nullable=False),
        sa.Column("bouncing", sa.Integer(), nullable=False),
        sa.Column("too_deep_too_fast", sa.Integer(), nullable=False),
        sa.Column("too_fast", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hold_id"], ["holds.id"], name="fk_hold_form_hold_id_holds", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("hold_id", name="pk_hold_form"),
    )


def downgrade() -> None:
    op.drop_table("hold_form")
