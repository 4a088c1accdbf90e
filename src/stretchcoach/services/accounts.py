"""Use cases for accounts: register, log in and out, change or reset a password, approve a
clinician, find who a session belongs to, delete.

Session tokens, invitation codes and reset links are secrets handed out once; the store keeps
only their SHA-256 digest, so a copy of the database cannot be used to log in. Passwords are
hashed by a `PasswordHasher` (argon2 in the web app).

Login limits. Every try takes a slot in two counters before its password is checked: one for
this account from this address (5 per 15 minutes) and one for the address (20 per 15
minutes). Taking a slot is one atomic upsert in the store, so every worker sees the same count
and parallel tries cannot all slip under the limit: at most 5 (or 20) passwords are checked,
the rest answer 429 without hashing. A successful login gives its slots back. There is no
count per account alone: someone guessing from elsewhere cannot lock the owner out of their
own address, or out of any other; a person guessing from many addresses gets 5 tries at each,
against a 10-character password and argon2. Sign-ups take a slot per address too (10 an hour).
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
from stretchcoach.domain.user import LOCAL_USER_ID, Role, User
from stretchcoach.errors import InvalidInput, NotFound, StretchcoachError
from stretchcoach.services.uow import UnitOfWork

SESSION_LIFETIME = timedelta(days=30)
ATTEMPT_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5  # per account from one address
MAX_FAILURES_PER_ADDRESS = 20  # per address, whatever the account
SIGNUP_WINDOW = timedelta(hours=1)
MAX_SIGNUPS_PER_ADDRESS = 10
RESET_LIFETIME = timedelta(hours=24)


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

    def take_slot(self, key: str, *, now: datetime, window: timedelta) -> int: ...

    def give_back_slot(self, key: str) -> None: ...

    def clear_slots(self, key: str) -> None: ...

    def forget_slots(self, *, before: datetime) -> None: ...

    def user_id_for_email(self, email: str) -> str | None: ...

    def add_reset(
        self, token_hash: str, user_id: str, *, created_at: datetime, expires_at: datetime
    ) -> None: ...

    def open_reset(self, token_hash: str, *, now: datetime) -> str | None: ...

    def use_reset(self, token_hash: str, *, now: datetime) -> bool: ...

    def drop_resets(self, user_id: str) -> None: ...

    def delete_sessions(self, user_id: str, *, keep: str | None = None) -> None: ...

    def approve(self, user_id: str, *, now: datetime) -> bool: ...

    def is_approved(self, user_id: str) -> bool: ...

    def waiting_clinicians(self) -> list[tuple[User, str]]: ...

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
    address: str | None = None,
) -> User:
    """A new account; InvalidInput (naming the field) when a value is wrong or the email taken.

    With an `address` (the web), TooManyAttempts after MAX_SIGNUPS_PER_ADDRESS in an hour.
    """
    clean_email = check_email(email)
    check_password(password)
    name = check_display_name(display_name)
    user_role = check_role(role)
    if address is not None:
        with uow:
            count = uow.accounts.take_slot(f"signup:{address}", now=now, window=SIGNUP_WINDOW)
            uow.commit()
        if count > MAX_SIGNUPS_PER_ADDRESS:
            raise TooManyAttempts(
                "many accounts were made from this address in the last hour: "
                "please try again later",
                retry_after_s=int(SIGNUP_WINDOW.total_seconds()),
            )
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
    account_key, address_key = f"login:{clean_email}|{address}", f"login-address:{address}"
    with uow:  # take both slots first, committed, before any password is checked
        for_account = uow.accounts.take_slot(account_key, now=now, window=ATTEMPT_WINDOW)
        for_address = uow.accounts.take_slot(address_key, now=now, window=ATTEMPT_WINDOW)
        uow.commit()
    if for_account > MAX_FAILURES_PER_ACCOUNT or for_address > MAX_FAILURES_PER_ADDRESS:
        minutes = int(ATTEMPT_WINDOW.total_seconds() // 60)
        raise TooManyAttempts(
            f"too many tries to log in: please wait {minutes} minutes and try again",
            retry_after_s=int(ATTEMPT_WINDOW.total_seconds()),
        )
    with uow:
        found = uow.accounts.credentials_for(clean_email)
    matches = hasher.verify(found[1] if found else _dummy_hash(hasher), password)
    if found is None or not matches:
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
        uow.accounts.clear_slots(account_key)  # the owner is back: their address starts afresh
        uow.accounts.give_back_slot(address_key)
        uow.accounts.delete_expired_sessions(now=now)
        uow.accounts.add_session(digest(token), user_id, created_at=now, expires_at=expires_at)
        uow.commit()
    with uow:
        uow.accounts.forget_slots(before=now - max(ATTEMPT_WINDOW, SIGNUP_WINDOW))
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


# -- changing and resetting a password ------------------------------------------------------


def change_password(
    user_id: str,
    current: str,
    new: str,
    *,
    keep_token: str | None,
    uow: AccountsUnitOfWork,
    hasher: PasswordHasher,
) -> None:
    """A signed-in user's new password; every other session of theirs ends.

    InvalidInput (field current_password) when `current` is not their password, (field
    new_password) when the new one is not allowed.
    """
    try:
        confirm_password(user_id, current, uow=uow, hasher=hasher)
    except InvalidInput as error:
        raise InvalidInput(str(error), field="current_password") from None
    _set_password(user_id, new, keep_token=keep_token, uow=uow, hasher=hasher)


def _set_password(
    user_id: str,
    new: str,
    *,
    keep_token: str | None,
    uow: AccountsUnitOfWork,
    hasher: PasswordHasher,
) -> None:
    try:
        check_password(new)
    except InvalidInput as error:
        raise InvalidInput(str(error), field="new_password") from None
    password_hash = hasher.hash(new)
    with uow:
        uow.accounts.set_password_hash(user_id, password_hash)
        uow.accounts.delete_sessions(user_id, keep=digest(keep_token) if keep_token else None)
        uow.accounts.drop_resets(user_id)
        uow.commit()


@dataclass(frozen=True, slots=True)
class ResetLink:
    """A one-time password reset: the secret (shown once, stored as a digest) and its end."""

    user: User
    token: str
    expires_at: datetime


def start_reset(email: str, *, uow: AccountsUnitOfWork, now: datetime) -> ResetLink:
    """A new reset link for the account with this email; earlier links stop working."""
    clean_email = check_email(email)
    token = new_secret()
    expires_at = now + RESET_LIFETIME
    with uow:
        user_id = uow.accounts.user_id_for_email(clean_email)
        user = uow.users.find(user_id) if user_id else None
        if user is None:
            raise NotFound(f"no account has the email {clean_email!r}")
        uow.accounts.drop_resets(user.id)
        uow.accounts.add_reset(digest(token), user.id, created_at=now, expires_at=expires_at)
        uow.commit()
    return ResetLink(user, token, expires_at)


_RESET_GONE = "this reset link is not valid any more: ask your clinic for a new one"


def reset_link_user(token: str, *, uow: AccountsUnitOfWork, now: datetime) -> User:
    """Whose reset link this is, while it is unused and in date; NotFound otherwise."""
    with uow:
        user_id = uow.accounts.open_reset(digest(token), now=now) if len(token) < 200 else None
        user = uow.users.find(user_id) if user_id else None
    if user is None:
        raise NotFound(_RESET_GONE)
    return user


def finish_reset(
    token: str, new: str, *, uow: AccountsUnitOfWork, hasher: PasswordHasher, now: datetime
) -> User:
    """Set the new password through a reset link; the link works once; every session ends."""
    user = reset_link_user(token, uow=uow, now=now)
    try:
        check_password(new)
    except InvalidInput as error:
        raise InvalidInput(str(error), field="new_password") from None
    with uow:
        if not uow.accounts.use_reset(digest(token), now=now):
            raise NotFound(_RESET_GONE)
        uow.commit()
    _set_password(user.id, new, keep_token=None, uow=uow, hasher=hasher)
    return user


# -- clinician approval ---------------------------------------------------------------------


class NotApproved(StretchcoachError):
    """A clinician account a clinic admin has not approved yet: it sees no patients."""


NOT_APPROVED = (
    "your clinician account is waiting for approval by your clinic: once they approve it you "
    "can invite patients and see them here"
)


def user_by_email(email: str, *, uow: AccountsUnitOfWork) -> User:
    """The account with this email; NotFound when there is none."""
    clean_email = check_email(email)
    with uow:
        user_id = uow.accounts.user_id_for_email(clean_email)
        user = uow.users.find(user_id) if user_id else None
    if user is None:
        raise NotFound(f"no account has the email {clean_email!r}")
    return user


def approve_clinician(email: str, *, uow: AccountsUnitOfWork, now: datetime) -> User:
    """A clinic admin approves a clinician account; approving twice changes nothing."""
    clean_email = check_email(email)
    with uow:
        user_id = uow.accounts.user_id_for_email(clean_email)
        user = uow.users.find(user_id) if user_id else None
        if user is None:
            raise NotFound(f"no account has the email {clean_email!r}")
        if user.role is not Role.CLINICIAN:
            raise InvalidInput(
                f"{clean_email!r} is a {user.role.value} account: only clinicians need approval",
                field="email",
            )
        uow.accounts.approve(user.id, now=now)
        uow.commit()
    return user


def is_approved(user: User, *, uow: AccountsUnitOfWork) -> bool:
    """Patients need no approval; a clinician needs a clinic admin's."""
    if user.role is not Role.CLINICIAN:
        return True
    with uow:
        return uow.accounts.is_approved(user.id)


def require_approved(user: User, *, uow: AccountsUnitOfWork) -> None:
    if not is_approved(user, uow=uow):
        raise NotApproved(NOT_APPROVED)


def waiting_clinicians(*, uow: AccountsUnitOfWork) -> list[tuple[User, str]]:
    """Clinician accounts waiting for approval, oldest first, with their emails."""
    with uow:
        return uow.accounts.waiting_clinicians()
