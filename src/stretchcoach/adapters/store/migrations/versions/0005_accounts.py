"""Accounts and clinics: credentials, login sessions, login attempts, invitations, care links.

Also `session_folds`, one row per camera-watched session with its folds summed, kept beside
the user and the time so the clinic dashboard reads a few rows per patient instead of
joining every hold ever recorded. It is filled from `hold_form` (migration 0003), hence the
dependency.

Revision ID: 0005
Revises: 0001
Depends on: 0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from stretchcoach.adapters.store.tables import UTCDateTime

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = "0003"


def _user_fk(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=f"fk_{table}_{column}_users", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "credentials",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_credentials"),
        _user_fk("user_id", "credentials"),
        sa.UniqueConstraint("email", name="uq_credentials_email"),
    )
    op.create_table(
        "auth_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name="pk_auth_sessions"),
        _user_fk("user_id", "auth_sessions"),
    )
    op.create_index("ix_auth_sessions_user_id", "auth_sessions", ["user_id"])
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("attempted_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_attempts"),
    )
    op.create_index("ix_login_attempts_key_attempted_at", "login_attempts", ["key", "attempted_at"])
    op.create_table(
        "invitations",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("clinician_id", sa.String(36), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("code_hash", name="pk_invitations"),
        _user_fk("clinician_id", "invitations"),
    )
    op.create_index("ix_invitations_clinician_id", "invitations", ["clinician_id"])
    op.create_table(
        "care_links",
        sa.Column("clinician_id", sa.String(36), nullable=False),
        sa.Column("patient_id", sa.String(36), nullable=False),
        sa.Column("accepted_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("clinician_id", "patient_id", name="pk_care_links"),
        _user_fk("clinician_id", "care_links"),
        _user_fk("patient_id", "care_links"),
    )
    op.create_index("ix_care_links_patient_id", "care_links", ["patient_id"])
    op.create_table(
        "session_folds",
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("fold_sum_deg", sa.Float(), nullable=False),
        sa.Column("fold_count", sa.Integer(), nullable=False),
        sa.Column("max_fold_deg", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("session_id", name="pk_session_folds"),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name="fk_session_folds_session_id_sessions",
            ondelete="CASCADE",
        ),
        _user_fk("user_id", "session_folds"),
    )
    op.create_index(
        "ix_session_folds_user_id_started_at", "session_folds", ["user_id", "started_at"]
    )
    op.execute(
        "INSERT INTO session_folds (session_id, user_id, started_at, fold_sum_deg, fold_count,"
        " max_fold_deg)"
        " SELECT s.id, s.user_id, s.started_at, sum(f.max_hip_flexion_deg),"
        " count(f.max_hip_flexion_deg), max(f.max_hip_flexion_deg)"
        " FROM hold_form f JOIN holds h ON h.id = f.hold_id JOIN sessions s ON s.id = h.session_id"
        " WHERE f.max_hip_flexion_deg IS NOT NULL"
        " GROUP BY s.id, s.user_id, s.started_at"
    )


def downgrade() -> None:
    op.drop_table("session_folds")
    op.drop_table("care_links")
    op.drop_table("invitations")
    op.drop_table("login_attempts")
    op.drop_table("auth_sessions")
    op.drop_table("credentials")
