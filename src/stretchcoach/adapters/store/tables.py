"""The schema, as SQLAlchemy Core tables. Every change to it is an Alembic migration."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; times must be timezone-aware")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("routine_id", String(64), nullable=False),
    Column("routine_name", String(200), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime(), nullable=True),
    Column("last_seen_at", UTCDateTime(), nullable=True),
    Column("time_zone", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("practice", Boolean(), nullable=False),
    Column("speed", Float(), nullable=False),
    Column("hold_s", Float(), nullable=False),
    Column("reps_per_side", Integer(), nullable=False),
    Column("first_side", String(5), nullable=False),
    Column("rest_s", Float(), nullable=False),
    Column("hold_order", String(16), nullable=False),
    Column("host", String(255), nullable=True),
    Column("pid", Integer(), nullable=True),
    Column("left_reps", Integer(), nullable=True),  # holds per leg, when not reps_per_side
    Column("right_reps", Integer(), nullable=True),
    Index(None, "user_id", "started_at"),
    Index(None, "status"),
)

holds = Table(
    "holds",
    metadata,
    Column("id", String(36), primary_key=True),
    Column(
        "session_id",
        String(36),
        ForeignKey("sessions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("hold_number", Integer(), nullable=False),
    Column("side", String(5), nullable=False),
    Column("planned_s", Float(), nullable=False),
    Column("held_s", Float(), nullable=False),
    Column("completed", Boolean(), nullable=False),
    Column("ended_at", UTCDateTime(), nullable=False),
    Column("felt", String(16), nullable=True),
    UniqueConstraint("session_id", "hold_number"),
    Index(None, "session_id"),
)

pain_entries = Table(
    "pain_entries",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("score", Integer(), nullable=False),
    Column("sites", String(400), nullable=False),  # "left:thigh,right:buttock"
    Column("context", String(16), nullable=False),
    Column("session_id", String(36), ForeignKey("sessions.id", ondelete="SET NULL"), nullable=True),
    Column("note", String(500), nullable=False),
    # A correction by its owner: when, and the rating that replaced it (null: withdrawn).
    # The row stays, so a clinician sees it was corrected; readers take rows never corrected.
    Column("corrected_at", UTCDateTime(), nullable=True),
    Column("superseded_by", String(36), nullable=True),
    Index(None, "user_id", "recorded_at"),
)

screens = Table(
    "screens",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("answered_at", UTCDateTime(), nullable=False),
    Column("answers", String(64), nullable=False),  # "0,0,1,0,0,0,0,0" in question order
    Column("any_yes", Boolean(), nullable=False),
    Column("version", Integer(), nullable=False),
    Column("stored_at", UTCDateTime(), nullable=False),  # the store's time: the gate's order
    Index(None, "user_id", "answered_at"),
    Index(None, "user_id", "stored_at"),
)

screen_acknowledgements = Table(
    "screen_acknowledgements",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("codes", String(1000), nullable=False),  # "cancer,stop-worsening"
    Column("seen_on", Date(), nullable=False),
    Column("by_user_id", String(36), nullable=False),
    Column("by_name", String(200), nullable=False),
    Column("note", String(500), nullable=False),
    Column("stored_at", UTCDateTime(), nullable=False),
    Index(None, "user_id", "stored_at"),
)

user_settings = Table(
    "user_settings",
    metadata,
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("hold_s", Float(), nullable=False),
    Column("reps_per_side", Integer(), nullable=False),
    Column("first_side", String(5), nullable=False),
    Column("morning_start", String(5), nullable=False),  # local "HH:MM"
    Column("morning_end", String(5), nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("reminder_at", String(5), nullable=True),  # local "HH:MM", null: no reminder
    Column("calendar_token", String(64), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("calendar_token"),
)

consents = Table(  # each yes to keeping a person's records (migration 0013)
    "consents",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("given_at", UTCDateTime(), nullable=False),
    Column("version", Integer(), nullable=False),
    Column("kept_on", String(8), nullable=False),  # device | server
    Index(None, "user_id"),
)

hold_form = Table(
    "hold_form",
    metadata,
    Column(
        "hold_id",
        String(36),
        ForeignKey("holds.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("good_form_s", Float(), nullable=False),
    Column("max_hip_flexion_deg", Float(), nullable=True),  # deepest fold in good form
    Column("min_knee_deg", Float(), nullable=True),
    Column("knee_bent", Integer(), nullable=False),  # fault counts, one column per fault
    Column("back_rounded", Integer(), nullable=False),
    Column("bouncing", Integer(), nullable=False),
    Column("too_deep_too_fast", Integer(), nullable=False),
    Column("too_fast", Integer(), nullable=False),
)

# What the phone's camera coach measured of a hold, until the hold arrives through the phone's
# outbox and the two are joined into hold_form (migration 0012).
measured_form = Table(
    "measured_form",
    metadata,
    Column(
        "session_id",
        String(36),
        ForeignKey("sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("hold_number", Integer(), primary_key=True),
    Column("side", String(5), nullable=False),
    Column("start_s", Float(), nullable=False),
    Column("end_s", Float(), nullable=False),
    Column("good_form_s", Float(), nullable=False),
    Column("max_hip_flexion_deg", Float(), nullable=True),
    Column("min_knee_deg", Float(), nullable=True),
    Column("knee_bent", Integer(), nullable=False),
    Column("back_rounded", Integer(), nullable=False),
    Column("bouncing", Integer(), nullable=False),
    Column("too_deep_too_fast", Integer(), nullable=False),
    Column("too_fast", Integer(), nullable=False),
)

# Accounts and clinics (migration 0005). Secrets (session tokens, invitation codes) are kept
# only as SHA-256 digests, passwords only as argon2 hashes.
credentials = Table(
    "credentials",
    metadata,
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("email", String(254), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("email"),
)

auth_sessions = Table(
    "auth_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Index(None, "user_id"),
)

# One counter per key and window (migration 0008): "login:<email>|<address>",
# "login-address:<address>", "signup:<address>". Raised by one atomic upsert per request.
login_limits = Table(
    "login_limits",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("window_start", UTCDateTime(), nullable=False),
    Column("count", Integer(), nullable=False),
    Index(None, "window_start"),
)

# One-time password reset links (migration 0008), kept only as SHA-256 digests.
password_resets = Table(
    "password_resets",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime(), nullable=True),
    Index(None, "user_id"),
)

# Clinicians a clinic admin approved (migration 0008); until then they see no patients.
clinician_approvals = Table(
    "clinician_approvals",
    metadata,
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("approved_at", UTCDateTime(), nullable=False),
)

invitations = Table(
    "invitations",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("clinician_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime(), nullable=True),
    Index(None, "clinician_id"),
)

care_links = Table(
    "care_links",
    metadata,
    Column(
        "clinician_id",
        String(36),
        ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "patient_id",
        String(36),
        ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("accepted_at", UTCDateTime(), nullable=False),
    Index(None, "patient_id"),
)

# The clinic dashboard's view of the camera's figures: per session, the good-form folds of its
# holds summed (kept up to date by writes.HoldFormStore.add), next to the user and the time.
session_folds = Table(
    "session_folds",
    metadata,
    Column(
        "session_id", String(36), ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("fold_sum_deg", Float(), nullable=False),
    Column("fold_count", Integer(), nullable=False),
    Column("max_fold_deg", Float(), nullable=False),
    Index(None, "user_id", "started_at"),
)

# Reminders by notification (migration 0010). A subscription is what the browser's
# PushSubscription.toJSON() gave: where to post (a push service's address) and the keys the
# message is encrypted to. One row per browser: the same endpoint again replaces it.
push_subscriptions = Table(
    "push_subscriptions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("endpoint", String(2048), nullable=False),
    Column("p256dh", String(128), nullable=False),  # base64url: the browser's P-256 key
    Column("auth", String(64), nullable=False),  # base64url: the 16-byte auth secret
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("endpoint"),
    Index(None, "user_id"),
)

# Each person's reminder of the day, claimed by one worker with one UPDATE: `sent_day` is
# the local day whose reminder went (or was answered "done today"); `snooze_until` a later
# one asked for from the notification.
push_reminders = Table(
    "push_reminders",
    metadata,
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("sent_day", Date(), nullable=True),
    Column("snooze_until", UTCDateTime(), nullable=True),
)

# The server's own keys, made once on first use and shared by every worker: the VAPID key
# that signs each message to a push service.
server_keys = Table(
    "server_keys",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("private_pem", Text(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

# Records the phone sent that the server refused for good (migration 0011): kept aside with
# the server's reason, one row per record the phone made (its id is `record_key`), never
# applied. The body is the record as sent, in ASCII JSON.
phone_set_aside = Table(
    "phone_set_aside",
    metadata,
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("record_key", String(100), primary_key=True),
    Column("method", String(8), nullable=False),
    Column("path", String(300), nullable=False),
    Column("body", Text(), nullable=False),
    Column("status", Integer(), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("kept_at", UTCDateTime(), nullable=False),
)

# Each person's verdict inputs and dashboard figures, kept up to date in the transaction that
# saves their records (adapters/store/summaries.py, domain/clinical/inputs.py). `version`
# names the code that made it: a summary of another version is rebuilt, never read.
patient_summaries = Table(
    "patient_summaries",
    metadata,
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer(), nullable=False),
    Column("body", Text(), nullable=False),  # JSON
    Column("digest", String(32), nullable=True),  # of body (summaries.digest)
)
