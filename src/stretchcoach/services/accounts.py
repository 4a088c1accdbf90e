"""Use cases for accounts: register, log in and out, find who a session belongs to, delete.

Session tokens and invitation codes are secrets handed to the browser once; the store keeps
only their SHA-256 digest, so a copy of the database cannot be used to log in. Passwords are
hashed by a `PasswordHasher` (argon2 in the web app). Failed logins are counted in the store,
per account and per address, so every worker sees the same count.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any, Protocol

from stretchcoach.domain.accounts import (
    check_display_name,
    check_email,
    check_password,
    check_role,
)
from stretchcoach.domain.user import LOCAL_USER_ID, User
from stretchcoach.errors import InvalidInput, NotFound, StretchcoachError
from stretchcoach.services.uow import UnitOfWork

SESSION_LIFETIME = timedelta(days=30)
ATTEMPT_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


class LoginRefused(StretchcoachError):
    """The email and password do not match an account."""


class TooManyAttempts(StretchcoachError):
    """Too many failed logins lately for this account or address; try again later."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool:
        """True when the password matches; False (never an exception) when it does not."""
        ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class AccountsRepository(Protocol):
    def add_credentials(
        self, user_id: str, email: str, password_hash: str, *, now: datetime
    ) -> None: ...

    def email_taken(self, email: str) -> bool: ...

    def credentials_for(self, email: str) -> tuple[str, str] | None: ...

    def email_of(self, user_id: str) -> str | None: ...

    def set_password_hash(self, user_id: str, password_hash: str) -> None: ...

    def add_session(
        self, token_hash: str, user_id: str, *, created_at: datetime, expires_at: datetime
    ) -> None: ...

    def user_for_session(self, token_hash: str, *, now: datetime) -> User | None: ...

    def delete_session(self, token_hash: str) -> None: ...

    def delete_expired_sessions(self, *, now: datetime) -> None: ...

    def count_attempts(self, key: str, *, since: datetime) -> int: ...

    def add_attempt(self, key: str, *, at: datetime) -> None: ...

    def clear_attempts(self, key: str, *, before: datetime | None = None) -> None: ...

    def forget_attempts(self, *, before: datetime) -> None: ...

    def delete_user(self, user_id: str) -> None: ...


class AccountsUnitOfWork(UnitOfWork, Protocol):
    @property
    def accounts(self) -> AccountsRepository: ...


@dataclass(frozen=True, slots=True)
class LoggedIn:
    """A new login: the user, and the session token to hand to the browser (once)."""

    user: User
    token: str
    expires_at: datetime


def digest(secret: str) -> str:
    """The SHA-256 hex digest under which a token or code is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def register(
    email: str,
    password: str,
    display_name: str,
    role: str = "patient",
    *,
    uow: AccountsUnitOfWork,
    hasher: PasswordHasher,
    now: datetime,
) -> User:
    """A new account; InvalidInput (naming the field) when a value is wrong or the email taken."""
    clean_email = check_email(email)
    check_password(password)
    name = check_display_name(display_name)
    user_role = check_role(role)
    password_hash = hasher.hash(password)
    user = User(str(uuid.uuid4()), name, user_role, now)
    with uow:
        if uow.accounts.email_taken(clean_email):
            raise InvalidInput(
                f"an account with {clean_email!r} already exists: log in instead",
                field="email",
            )
        uow.users.add(user)
        uow.accounts.add_credentials(user.id, clean_email, password_hash, now=now)
        uow.commit()
    return user


def log_in(
    email: str,
    password: str,
    *,
    address: str,
    uow: AccountsUnitOfWork,
    hasher: PasswordHasher,
    now: datetime,
) -> LoggedIn:
    """Check the password and open a session; LoginRefused or TooManyAttempts otherwise.

    Unknown emails cost the same hashing work as known ones, so timing does not tell
    which addresses have accounts.
    """
    clean_email = check_email(email)  # InvalidInput (field email) for what cannot be one
    keys = (f"email:{clean_email}", f"ip:{address}")
    since = now - ATTEMPT_WINDOW
    with uow:
        failures = [uow.accounts.count_attempts(key, since=since) for key in keys]
        found = uow.accounts.credentials_for(clean_email)
    if failures[0] >= MAX_FAILURES_PER_ACCOUNT or failures[1] >= MAX_FAILURES_PER_ADDRESS:
        minutes = int(ATTEMPT_WINDOW.total_seconds() // 60)
        raise TooManyAttempts(
            f"too many tries to log in: please wait {minutes} minutes and try again",
            retry_after_s=int(ATTEMPT_WINDOW.total_seconds()),
        )
    matches = hasher.verify(found[1] if found else _dummy_hash(hasher), password)
    if found is None or not matches:
        with uow:
            for key in keys:
                uow.accounts.add_attempt(key, at=now)
            uow.accounts.forget_attempts(before=since)  # only the window counts
            uow.commit()
        raise LoginRefused("that email and password do not match an account")
    user_id, password_hash = found
    token = new_secret()
    expires_at = now + SESSION_LIFETIME
    with uow:
        user = uow.users.find(user_id)
        if user is None:
            raise LoginRefused("that email and password do not match an account")
        if hasher.needs_rehash(password_hash):
            uow.accounts.set_password_hash(user_id, hasher.hash(password))
        uow.accounts.clear_attempts(keys[0])
        uow.accounts.delete_expired_sessions(now=now)
        uow.accounts.add_session(digest(token), user_id, created_at=now, expires_at=expires_at)
        uow.commit()
    return LoggedIn(user, token, expires_at)


_DUMMY: dict[int, str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = id(hasher)
    if key not in _DUMMY:
        _DUMMY[key] = hasher.hash(new_secret())
    return _DUMMY[key]


def user_for_token(token: str, *, uow: AccountsUnitOfWork, now: datetime) -> User | None:
    """Who a session token (from the cookie) belongs to, while it is live."""
    if not token or len(token) > 200:
        return None
    with uow:
        return uow.accounts.user_for_session(digest(token), now=now)


def log_out(token: str, *, uow: AccountsUnitOfWork) -> None:
    with uow:
        uow.accounts.delete_session(digest(token))
        uow.commit()


def email_of(user_id: str, *, uow: AccountsUnitOfWork) -> str | None:
    with uow:
        return uow.accounts.email_of(user_id)


def delete_account(user_id: str, *, uow: AccountsUnitOfWork) -> None:
    """Remove the user and everything that is theirs: sessions, holds, journal, links, logins."""
    if user_id == LOCAL_USER_ID:
        raise InvalidInput("the local user cannot be deleted from the web app", field="user_id")
    with uow:
        if uow.users.find(user_id) is None:
            raise NotFound(f"no user with id {user_id!r}")
        uow.accounts.delete_user(user_id)
        uow.commit()


def account_details(user_id: str, *, uow: AccountsUnitOfWork) -> dict[str, Any]:
    """What the journal export does not hold: the account, its email, the preferences.

    Goes into the download beside the journal's records (services.transfer), as plain data.
    """
    with uow:
        user = uow.users.find(user_id)
        if user is None:
            raise NotFound(f"no user with id {user_id!r}")
        details = {
            "user": user,
            "email": uow.accounts.email_of(user_id),
            "preferences": uow.preferences.get(user_id),
        }
    plain: dict[str, Any] = _plain(details)
    return plain


def _plain(value: Any) -> Any:
    """Dataclasses, enums, times and containers as JSON types."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def confirm_password(
    user_id: str, password: str, *, uow: AccountsUnitOfWork, hasher: PasswordHasher
) -> None:
    """InvalidInput unless `password` is this user's: asked before deleting everything."""
    with uow:
        email = uow.accounts.email_of(user_id)
        found = uow.accounts.credentials_for(email) if email else None
    if found is None or not hasher.verify(found[1], password):
        raise InvalidInput("that is not your password: type it again to confirm", field="password")
