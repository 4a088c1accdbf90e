"""Accounts in plain SQL: credentials, login sessions, login limits, password resets, clinician
approval, and deleting a whole account.

Written once on the `Rows` port (reads.py), so SQLite and PostgreSQL run the same statements;
the few written for each say so (`rows.postgres`). Times are bound and read back as reads.py
does (`bound`, `utc`), so both give the same aware UTC values.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from stretchcoach.adapters.store.reads import Rows, _user
from stretchcoach.domain.user import Role, User

# Where a person's rows are, deleted children first (the order of the schema's foreign keys,
# tables.metadata.sorted_tables reversed; a test holds these to the schema).
HOLD_TABLES = ("hold_form",)  # rows of one hold, keyed by `hold_id`
USER_TABLES = (  # rows of one person, keyed by `user_id`
    *("session_folds", "pain_entries", "user_settings", "sessions", "screens"),
    *("screen_acknowledgements", "push_subscriptions", "push_reminders", "phone_set_aside"),
    *("patient_summaries", "password_resets", "credentials", "consents"),
    *("clinician_approvals", "auth_sessions"),
)
_SESSIONS_OF = "SELECT id FROM sessions WHERE user_id = :user"
_HOLDS_OF = f"SELECT id FROM holds WHERE session_id IN ({_SESSIONS_OF})"

# One more try in the key's window, or the first of a new window when it has passed.
_TAKE_SLOT = (
    'INSERT INTO login_limits ("key", window_start, "count") VALUES (:key, :now, 1) '
    'ON CONFLICT ("key") DO UPDATE SET '
    '"count" = CASE WHEN login_limits.window_start <= :stale THEN 1 '
    'ELSE login_limits."count" + 1 END, '
    "window_start = CASE WHEN login_limits.window_start <= :stale THEN :now "
    "ELSE login_limits.window_start END "
    'RETURNING "count"'
)


class SqlAccountsRepository:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def add_credentials(
        self, user_id: str, email: str, password_hash: str, *, now: datetime
    ) -> None:
        self._rows.run(
            "INSERT INTO credentials (user_id, email, password_hash, created_at) "
            "VALUES (:user, :email, :hash, :now)",
            {"user": user_id, "email": email, "hash": password_hash, "now": now},
        )

    def email_taken(self, email: str) -> bool:
        return self.user_id_for_email(email) is not None

    def credentials_for(self, email: str) -> tuple[str, str] | None:
        """(user id, password hash) of the account with this email, if there is one."""
        found = self._rows(
            "SELECT user_id, password_hash FROM credentials WHERE email = :email",
            {"email": email},
        )
        return (found[0]["user_id"], found[0]["password_hash"]) if found else None

    def email_of(self, user_id: str) -> str | None:
        found = self._rows("SELECT email FROM credentials WHERE user_id = :user", {"user": user_id})
        return str(found[0]["email"]) if found else None

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        self._rows.run(
            "UPDATE credentials SET password_hash = :hash WHERE user_id = :user",
            {"user": user_id, "hash": password_hash},
        )

    def add_session(
        self, token_hash: str, user_id: str, *, created_at: datetime, expires_at: datetime
    ) -> None:
        self._rows.run(
            "INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) "
            "VALUES (:token, :user, :created_at, :expires_at)",
            {
                "token": token_hash,
                "user": user_id,
                "created_at": created_at,
                "expires_at": expires_at,
            },
        )

    def user_for_session(self, token_hash: str, *, now: datetime) -> User | None:
        """The user a live session token belongs to; None when unknown or expired."""
        found = self._rows(
            "SELECT u.* FROM users AS u JOIN auth_sessions AS a ON a.user_id = u.id "
            "WHERE a.token_hash = :token AND a.expires_at > :now",
            {"token": token_hash, "now": now},
        )
        return _user(found[0]) if found else None

    def delete_session(self, token_hash: str) -> None:
        self._rows.run("DELETE FROM auth_sessions WHERE token_hash = :token", {"token": token_hash})

    def delete_expired_sessions(self, *, now: datetime) -> None:
        self._rows.run("DELETE FROM auth_sessions WHERE expires_at <= :now", {"now": now})

    def take_slot(self, key: str, *, now: datetime, window: timedelta) -> int:
        """Count one more try for `key` in its window, atomically; the count after it.

        One upsert: concurrent callers queue on the row's lock (PostgreSQL) or the write lock
        (SQLite), so each sees a distinct count and no more than the limit pass. A window
        older than `window` starts again at 1.
        """
        found = self._rows(_TAKE_SLOT, {"key": key, "now": now, "stale": now - window})
        return int(found[0]["count"])

    def give_back_slot(self, key: str) -> None:
        """Undo one `take_slot` (a try that turned out to be the owner's)."""
        self._rows.run(
            'UPDATE login_limits SET "count" = "count" - 1 WHERE "key" = :key AND "count" > 0',
            {"key": key},
        )

    def clear_slots(self, key: str) -> None:
        self._rows.run('DELETE FROM login_limits WHERE "key" = :key', {"key": key})

    def forget_slots(self, *, before: datetime) -> None:
        """Drop counters whose window began before `before`; rows in use are left alone."""
        in_use = " FOR UPDATE SKIP LOCKED" if self._rows.postgres else ""
        self._rows.run(
            'DELETE FROM login_limits WHERE "key" IN (SELECT "key" FROM login_limits '
            f"WHERE window_start < :before LIMIT 500{in_use})",
            {"before": before},
        )

    # -- password resets and clinician approval -------------------------------------------

    def user_id_for_email(self, email: str) -> str | None:
        found = self._rows("SELECT user_id FROM credentials WHERE email = :email", {"email": email})
        return str(found[0]["user_id"]) if found else None

    def add_reset(
        self, token_hash: str, user_id: str, *, created_at: datetime, expires_at: datetime
    ) -> None:
        self._rows.run(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) "
            "VALUES (:token, :user, :created_at, :expires_at)",
            {
                "token": token_hash,
                "user": user_id,
                "created_at": created_at,
                "expires_at": expires_at,
            },
        )

    def open_reset(self, token_hash: str, *, now: datetime) -> str | None:
        """The user id of a reset link that is unused and not out of date."""
        found = self._rows(
            "SELECT user_id FROM password_resets "
            "WHERE token_hash = :token AND used_at IS NULL AND expires_at > :now",
            {"token": token_hash, "now": now},
        )
        return str(found[0]["user_id"]) if found else None

    def use_reset(self, token_hash: str, *, now: datetime) -> bool:
        """Mark the link used; False when another request used it first."""
        used = self._rows.run(
            "UPDATE password_resets SET used_at = :now "
            "WHERE token_hash = :token AND used_at IS NULL",
            {"token": token_hash, "now": now},
        )
        return used == 1

    def drop_resets(self, user_id: str) -> None:
        self._rows.run("DELETE FROM password_resets WHERE user_id = :user", {"user": user_id})

    def delete_sessions(self, user_id: str, *, keep: str | None = None) -> None:
        """End every login session of the user, except the one whose digest is `keep`."""
        if keep is None:
            self._rows.run("DELETE FROM auth_sessions WHERE user_id = :user", {"user": user_id})
            return
        self._rows.run(
            "DELETE FROM auth_sessions WHERE user_id = :user AND token_hash <> :keep",
            {"user": user_id, "keep": keep},
        )

    def approve(self, user_id: str, *, now: datetime) -> bool:
        """Approve a clinician; False when they were approved already (by anyone, even an
        instant ago)."""
        return self._rows.insert_new(
            "INSERT INTO clinician_approvals (user_id, approved_at) VALUES (:user, :now)",
            {"user": user_id, "now": now},
        )

    def is_approved(self, user_id: str) -> bool:
        found = self._rows(
            "SELECT user_id FROM clinician_approvals WHERE user_id = :user", {"user": user_id}
        )
        return bool(found)

    def waiting_clinicians(self) -> list[tuple[User, str]]:
        """Clinicians not approved yet, oldest first (by email when they came at once), with
        their emails."""
        found = self._rows(
            "SELECT u.*, c.email FROM users AS u JOIN credentials AS c ON c.user_id = u.id "
            "WHERE u.role = :role AND u.id NOT IN (SELECT user_id FROM clinician_approvals) "
            "ORDER BY c.created_at, c.email, u.id",
            {"role": Role.CLINICIAN.value},
        )
        return [(_user(r), str(r["email"])) for r in found]

    def delete_user(self, user_id: str) -> None:
        """Remove the user and every row that belongs to them, in every table.

        Foreign keys cascade too; deleting table by table keeps it true on a database where a
        cascade is missing, and fails loudly rather than leave a row behind.
        """
        person = {"user": user_id}
        for table in HOLD_TABLES:
            self._rows.run(f"DELETE FROM {table} WHERE hold_id IN ({_HOLDS_OF})", person)
        self._rows.run(f"DELETE FROM holds WHERE session_id IN ({_SESSIONS_OF})", person)
        self._rows.run(f"DELETE FROM measured_form WHERE session_id IN ({_SESSIONS_OF})", person)
        self._rows.run(
            "DELETE FROM care_links WHERE patient_id = :user OR clinician_id = :user", person
        )
        self._rows.run("DELETE FROM invitations WHERE clinician_id = :user", person)
        for table in USER_TABLES:
            self._rows.run(f"DELETE FROM {table} WHERE user_id = :user", person)
        self._rows.run("DELETE FROM users WHERE id = :user", person)
