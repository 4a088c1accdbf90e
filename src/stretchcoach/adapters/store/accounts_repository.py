"""Accounts in SQL: credentials, login sessions, login limits, password resets, clinician
approval, and deleting a whole account."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, case, delete, insert, literal, select, update

from stretchcoach.adapters.store.tables import (
    UTCDateTime,
    auth_sessions,
    care_links,
    clinician_approvals,
    credentials,
    holds,
    invitations,
    login_limits,
    metadata,
    password_resets,
    sessions,
    users,
)
from stretchcoach.domain.user import Role, User


class SqlAccountsRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add_credentials(
        self, user_id: str, email: str, password_hash: str, *, now: datetime
    ) -> None:
        self._c.execute(
            insert(credentials).values(
                user_id=user_id, email=email, password_hash=password_hash, created_at=now
            )
        )

    def email_taken(self, email: str) -> bool:
        query = select(credentials.c.user_id).where(credentials.c.email == email)
        return self._c.execute(query).first() is not None

    def credentials_for(self, email: str) -> tuple[str, str] | None:
        """(user id, password hash) of the account with this email, if there is one."""
        row = self._c.execute(
            select(credentials.c.user_id, credentials.c.password_hash).where(
                credentials.c.email == email
            )
        ).first()
        return (row.user_id, row.password_hash) if row else None

    def email_of(self, user_id: str) -> str | None:
        query = select(credentials.c.email).where(credentials.c.user_id == user_id)
        email: str | None = self._c.execute(query).scalar()
        return email

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        self._c.execute(
            update(credentials)
            .where(credentials.c.user_id == user_id)
            .values(password_hash=password_hash)
        )

    def add_session(
        self, token_hash: str, user_id: str, *, created_at: datetime, expires_at: datetime
    ) -> None:
        self._c.execute(
            insert(auth_sessions).values(
                token_hash=token_hash,
                user_id=user_id,
                created_at=created_at,
                expires_at=expires_at,
            )
        )

    def user_for_session(self, token_hash: str, *, now: datetime) -> User | None:
        """The user a live session token belongs to; None when unknown or expired."""
        row = self._c.execute(
            select(users)
            .join(auth_sessions, auth_sessions.c.user_id == users.c.id)
            .where(auth_sessions.c.token_hash == token_hash, auth_sessions.c.expires_at > now)
        ).first()
        if row is None:
            return None
        m = row._mapping
        return User(m["id"], m["display_name"], Role(m["role"]), m["created_at"])

    def delete_session(self, token_hash: str) -> None:
        self._c.execute(delete(auth_sessions).where(auth_sessions.c.token_hash == token_hash))

    def delete_expired_sessions(self, *, now: datetime) -> None:
        self._c.execute(delete(auth_sessions).where(auth_sessions.c.expires_at <= now))

    def take_slot(self, key: str, *, now: datetime, window: timedelta) -> int:
        """Count one more try for `key` in its window, atomically; the count after it.

        One upsert: concurrent callers queue on the row's lock (PostgreSQL) or the write lock
        (SQLite), so each sees a distinct count and no more than the limit pass. A window
        older than `window` starts again at 1.
        """
        stale = login_limits.c.window_start <= now - window
        conflict: dict[str, Any] = {
            "index_elements": [login_limits.c.key],
            "set_": {
                "count": case((stale, 1), else_=login_limits.c.count + 1),
                "window_start": case(
                    (stale, literal(now, UTCDateTime())), else_=login_limits.c.window_start
                ),
            },
        }
        row = {"key": key, "window_start": now, "count": 1}
        query: Any
        if self._c.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as postgresql_insert

            query = postgresql_insert(login_limits).values(row).on_conflict_do_update(**conflict)
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            query = sqlite_insert(login_limits).values(row).on_conflict_do_update(**conflict)
        query = query.returning(login_limits.c.count)
        return int(self._c.execute(query).scalar_one())

    def give_back_slot(self, key: str) -> None:
        """Undo one `take_slot` (a try that turned out to be the owner's)."""
        self._c.execute(
            update(login_limits)
            .where(login_limits.c.key == key, login_limits.c.count > 0)
            .values(count=login_limits.c.count - 1)
        )

    def clear_slots(self, key: str) -> None:
        self._c.execute(delete(login_limits).where(login_limits.c.key == key))

    def forget_slots(self, *, before: datetime) -> None:
        """Drop counters whose window began before `before`; rows in use are left alone."""
        old = select(login_limits.c.key).where(login_limits.c.window_start < before).limit(500)
        if self._c.dialect.name == "postgresql":
            old = old.with_for_update(skip_locked=True)
        self._c.execute(delete(login_limits).where(login_limits.c.key.in_(old.scalar_subquery())))

    # -- password resets and clinician approval -------------------------------------------

    def user_id_for_email(self, email: str) -> str | None:
        query = select(credentials.c.user_id).where(credentials.c.email == email)
        found: str | None = self._c.execute(query).scalar()
        return found

    def add_reset(
        self, token_hash: str, user_id: str, *, created_at: datetime, expires_at: datetime
    ) -> None:
        self._c.execute(
            insert(password_resets).values(
                token_hash=token_hash, user_id=user_id, created_at=created_at, expires_at=expires_at
            )
        )

    def open_reset(self, token_hash: str, *, now: datetime) -> str | None:
        """The user id of a reset link that is unused and not out of date."""
        query = select(password_resets.c.user_id).where(
            password_resets.c.token_hash == token_hash,
            password_resets.c.used_at.is_(None),
            password_resets.c.expires_at > now,
        )
        found: str | None = self._c.execute(query).scalar()
        return found

    def use_reset(self, token_hash: str, *, now: datetime) -> bool:
        """Mark the link used; False when another request used it first."""
        result = self._c.execute(
            update(password_resets)
            .where(password_resets.c.token_hash == token_hash, password_resets.c.used_at.is_(None))
            .values(used_at=now)
        )
        return result.rowcount == 1

    def drop_resets(self, user_id: str) -> None:
        self._c.execute(delete(password_resets).where(password_resets.c.user_id == user_id))

    def delete_sessions(self, user_id: str, *, keep: str | None = None) -> None:
        """End every login session of the user, except the one whose digest is `keep`."""
        query = delete(auth_sessions).where(auth_sessions.c.user_id == user_id)
        if keep is not None:
            query = query.where(auth_sessions.c.token_hash != keep)
        self._c.execute(query)

    def approve(self, user_id: str, *, now: datetime) -> bool:
        """Approve a clinician; False when they were approved already."""
        if self.is_approved(user_id):
            return False
        self._c.execute(insert(clinician_approvals).values(user_id=user_id, approved_at=now))
        return True

    def is_approved(self, user_id: str) -> bool:
        query = select(clinician_approvals.c.user_id).where(
            clinician_approvals.c.user_id == user_id
        )
        return self._c.execute(query).first() is not None

    def waiting_clinicians(self) -> list[tuple[User, str]]:
        """Clinicians not approved yet, oldest first, with their emails."""
        approved = select(clinician_approvals.c.user_id)
        rows = self._c.execute(
            select(users, credentials.c.email)
            .join(credentials, credentials.c.user_id == users.c.id)
            .where(users.c.role == Role.CLINICIAN.value, users.c.id.not_in(approved))
            .order_by(credentials.c.created_at)
        ).all()
        return [(User(r.id, r.display_name, Role(r.role), r.created_at), r.email) for r in rows]

    def delete_user(self, user_id: str) -> None:
        """Remove the user and every row that belongs to them, in every table.

        Foreign keys cascade too; deleting table by table keeps it true on a database where a
        cascade is missing, and fails loudly rather than leave a row behind.
        """
        session_ids = select(sessions.c.id).where(sessions.c.user_id == user_id)
        hold_ids = select(holds.c.id).where(holds.c.session_id.in_(session_ids))
        for table in reversed(metadata.sorted_tables):
            if "hold_id" in table.c and table.name != "holds":
                self._c.execute(delete(table).where(table.c.hold_id.in_(hold_ids)))
        self._c.execute(delete(holds).where(holds.c.session_id.in_(session_ids)))
        self._c.execute(
            delete(care_links).where(
                (care_links.c.patient_id == user_id) | (care_links.c.clinician_id == user_id)
            )
        )
        self._c.execute(delete(invitations).where(invitations.c.clinician_id == user_id))
        for table in reversed(metadata.sorted_tables):
            if "user_id" in table.c:
                self._c.execute(delete(table).where(table.c.user_id == user_id))
        self._c.execute(delete(users).where(users.c.id == user_id))
