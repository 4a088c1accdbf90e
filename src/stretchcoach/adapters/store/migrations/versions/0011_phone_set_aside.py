"""Records the phone sent and the server refused for good, kept aside with the reason.

- `phone_set_aside`: one row per refused record, keyed by its owner and the id the phone
  made for it; what was sent (method, path, JSON body), the answer (status, reason) and when
  it was reported. Nothing in it is applied to the person's records.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from stretchcoach.adapters.store.tables import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "phone_set_aside",
        sa.Column(
            "user_id",
            sa.String(36),
            sa.ForeignKey(
                "users.id",
                ondelete="CASCADE",
                name="fk_phone_set_aside_user_id_users",
            ),
            nullable=False,
        ),
        sa.Column("record_key", sa.String(100), nullable=False),
        sa.Column("method", sa.String(8), nullable=False),
        sa.Column("path", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("kept_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "record_key", name="pk_phone_set_aside"),
    )


def downgrade() -> None:
    op.drop_table("phone_set_aside")
