"""Account security: atomic login and sign-up limits, password resets, clinician approval.

- `login_limits` replaces `login_attempts`: one counter row per key ("account+address",
  "address", "signup address") and window, raised with a single atomic upsert, so parallel
  requests cannot all slip under the limit.
- `password_resets`: one-time reset links a clinic hands out, kept only as SHA-256 digests.
- `clinician_approvals`: a clinician sees patients only once a clinic admin approved them.
  Clinicians who exist already keep what they had: they are approved by this migration.

Revision ID: 0008
Revises: 0006
Depends on: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from stretchcoach.adapters.store.tables import UTCDateTime

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = "0005"


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "login_limits",
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_login_limits"),
    )
    op.create_index("ix_login_limits_window_start", "login_limits", ["window_start"])
    op.drop_index("ix_login_attempts_key_attempted_at", table_name="login_attempts")
    op.drop_table("login_attempts")
    op.create_table(
        "password_resets",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name="pk_password_resets"),
        _user_fk("password_resets"),
    )
    op.create_index("ix_password_resets_user_id", "password_resets", ["user_id"])
    op.create_table(
        "clinician_approvals",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("approved_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_clinician_approvals"),
        _user_fk("clinician_approvals"),
    )
    op.execute(
        "INSERT INTO clinician_approvals (user_id, approved_at)"
        " SELECT u.id, c.created_at FROM users u JOIN credentials c ON c.user_id = u.id"
        " WHERE u.role = 'clinician'"
    )


def downgrade() -> None:
    op.drop_table("clinician_approvals")
    op.drop_index("ix_password_resets_user_id", table_name="password_resets")
    op.drop_table("password_resets")
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("attempted_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_attempts"),
    )
    op.create_index("ix_login_attempts_key_attempted_at", "login_attempts", ["key", "attempted_at"])
    op.drop_index("ix_login_limits_window_start", table_name="login_limits")
    op.drop_table("login_limits")
