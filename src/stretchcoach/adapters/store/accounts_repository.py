"""Accounts in SQL: credentials, login sessions, login attempts, and deleting a whole account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from stretchcoach.adapters.store.tables import (
    auth_sessions,
    care_links,
    credentials,
    holds,
    invitations,
    login_attempts,
    metadata,
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

    def count_attempts(self, key: str, *, since: datetime) -> int:
        query = select(func.count()).where(
            login_attempts.c.key == key, login_attempts.c.attempted_at >= since
        )
        return int(self._c.execute(query).scalar_one())

    def add_attempt(self, key: str, *, at: datetime) -> None:
        self._c.execute(insert(login_attempts).values(key=key, attempted_at=at))

    def clear_attempts(self, key: str, *, before: datetime | None = None) -> None:
        query = delete(login_attempts).where(login_attempts.c.key == key)
        if before is not None:
            query = query.where(login_attempts.c.attempted_at < before)
        self._c.execute(query)

    def forget_attempts(self, *, before: datetime) -> None:
        """Drop every counted failure older than `before`, whoever it was for."""
        self._c.execute(delete(login_attempts).where(login_attempts.c.attempted_at < before))

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
