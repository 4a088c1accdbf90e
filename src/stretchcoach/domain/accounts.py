"""Rules for accounts: what an email, a password and a display name must look like.

Each check names the form field it is about, so the page can show the message beside it.
"""

from __future__ import annotations

import re

from stretchcoach.domain.text import clean_text
from stretchcoach.domain.user import Role
from stretchcoach.errors import InvalidInput

MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 200
MAX_EMAIL_CHARS = 254
MAX_NAME_CHARS = 80

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_email(raw: str) -> str:
    """The address, trimmed and lower-cased; InvalidInput when it cannot be an address."""
    email = clean_text(raw, field="email", max_length=MAX_EMAIL_CHARS, required=True).lower()
    if len(email) > MAX_EMAIL_CHARS or not _EMAIL.match(email):
        raise InvalidInput(
            f"{raw!r} does not look like an email address: use one like name@example.org",
            field="email",
        )
    return email


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise InvalidInput(
            f"a password of {len(password)} characters is too short: "
            f"use at least {MIN_PASSWORD_CHARS}",
            field="password",
        )
    if len(password) > MAX_PASSWORD_CHARS:
        raise InvalidInput(
            f"a password of {len(password)} characters is too long: "
            f"use at most {MAX_PASSWORD_CHARS}",
            field="password",
        )
    return password


def check_display_name(raw: str) -> str:
    """The name as others will see it: printable, nothing invisible or direction-changing."""
    name = " ".join(clean_text(raw, field="display_name", max_length=MAX_NAME_CHARS).split())
    if not name or len(name) > MAX_NAME_CHARS:
        raise InvalidInput(
            f"name {raw!r} cannot be used: give 1 to {MAX_NAME_CHARS} characters",
            field="display_name",
        )
    return name


def check_role(raw: str) -> Role:
    try:
        return Role(raw.strip().lower())
    except ValueError:
        allowed = " or ".join(repr(r.value) for r in Role)
        raise InvalidInput(f"role {raw!r} is not known: choose {allowed}", field="role") from None
