"""One settings object, read from STRETCHCOACH_* environment variables when asked for.

Every command reads the settings, so reading them stays cheap: the usual values (`07:30`,
`off`, `true`, `999`) are checked here with the standard library. Anything else, right or
wrong, goes to a pydantic model that holds the same rules and says what is wrong
(`Input should be 'auto', 'espeak', 'bell' or 'off'`), loaded only then.
"""

from __future__ import annotations

import os
import re
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from stretchcoach.domain.adherence import DEFAULT_MORNING_END, DEFAULT_MORNING_START

if TYPE_CHECKING:
    from pydantic import BaseModel

APP_NAME = "stretchcoach"
ENV_PREFIX = "STRETCHCOACH_"

Speech = Literal["auto", "espeak", "bell", "off"]
# The number the web app's "Call" button dials when the advice is emergency care: 999 in
# the UK; 112 (Europe) or 911 (North America) where the app is deployed there.
EMERGENCY_NUMBER = r"^\+?[0-9]{2,15}$"
# Password hashes (argon2, 64 MiB each) a web worker computes at once; the rest queue.
HASH_CONCURRENCY = (1, 64)
# The fewest poses a second a phone's camera coach may give before the session falls back to
# the timer (docs/form.md). Below 8 the coach's quarter-second decisions are guesses; lower it
# only to try the phone path where the model runs without a GPU.
CAMERA_MIN_FPS = (0.1, 30.0)
# How often, in seconds, each web worker looks for the reminders due (web/reminders.py).
REMIND_EVERY_S = (1.0, 3600.0)
_DECIMAL = re.compile(r"[0-9]{1,2}(\.[0-9]{1,3})?")
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
_PHONE = re.compile(EMERGENCY_NUMBER.removeprefix("^").removesuffix("$"))
PUSH_CONTACT = r"^(mailto:[^@\s]+@[^@\s]+|https://\S+)$"
_CONTACT = re.compile(PUSH_CONTACT.removeprefix("^").removesuffix("$"))
_HH_MM = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?")


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'stretchcoach.db'}"


class Settings:
    """Where the data lives and how the coach talks. Nothing reads this at import time.

    A value given here wins over its STRETCHCOACH_* variable, which wins over the default.
    A bad value raises pydantic's ValidationError, naming the setting.
    """

    __slots__ = (
        "accounts",
        "camera_min_fps",
        "database_url",
        "emergency_number",
        "morning_end",
        "morning_start",
        "password_hash_concurrency",
        "push_contact",
        "push_test_endpoints",
        "remind_every_s",
        "speech",
        "time_zone",
    )

    database_url: str
    time_zone: str  # an IANA name; empty means the machine's own zone
    speech: Speech
    accounts: bool  # the web app asks everyone to log in (required off loopback)
    password_hash_concurrency: int
    # The local morning in which a session counts for the habit: start included, end excluded.
    # The same default as a web user's preferences (one constant, in the domain).
    morning_start: time
    morning_end: time
    emergency_number: str
    camera_min_fps: float
    # Reminders by notification: who runs the server, for the push services (the VAPID `sub`
    # claim: mailto: or https:), and local endpoints tests may post to (`http://127.0.0.1:*`;
    # otherwise only https on public hosts).
    push_contact: str
    push_test_endpoints: str
    remind_every_s: float

    def __init__(
        self,
        *,
        database_url: str | None = None,
        time_zone: str | None = None,
        speech: Speech | None = None,
        accounts: bool | None = None,
        password_hash_concurrency: int | None = None,
        morning_start: time | None = None,
        morning_end: time | None = None,
        emergency_number: str | None = None,
        camera_min_fps: float | None = None,
        push_contact: str | None = None,
        push_test_endpoints: str | None = None,
        remind_every_s: float | None = None,
    ) -> None:
        given = {
            name: value
            for name, value in (
                ("database_url", database_url),
                ("time_zone", time_zone),
                ("speech", speech),
                ("accounts", accounts),
                ("password_hash_concurrency", password_hash_concurrency),
                ("morning_start", morning_start),
                ("morning_end", morning_end),
                ("emergency_number", emergency_number),
                ("camera_min_fps", camera_min_fps),
                ("push_contact", push_contact),
                ("push_test_endpoints", push_test_endpoints),
                ("remind_every_s", remind_every_s),
            )
            if value is not None
        }
        raw = _from_environment() | given
        values = _quick_check(raw)
        if values is None:  # unusual or wrong: the full rules decide, and explain
            values = _full_check(raw)
        for name in self.__slots__:
            object.__setattr__(self, name, values[name])

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed, as given (the caller checks them)."""
        copy = object.__new__(Settings)
        for name in self.__slots__:
            object.__setattr__(copy, name, changes.get(name, getattr(self, name)))
        return copy

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in sorted(self.__slots__))
        return f"Settings({shown})"

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()


DEFAULTS: dict[str, Any] = {
    "database_url": "",
    "time_zone": "",
    "speech": "auto",
    "accounts": False,
    "password_hash_concurrency": 2,
    "morning_start": DEFAULT_MORNING_START,
    "morning_end": DEFAULT_MORNING_END,
    "emergency_number": "999",
    "camera_min_fps": 8.0,
    "push_contact": "mailto:stretchcoach@localhost",
    "push_test_endpoints": "",
    "remind_every_s": 30.0,
}


def _from_environment() -> dict[str, Any]:
    """STRETCHCOACH_* variables by setting name; the names in any case, as pydantic-settings."""
    prefix = ENV_PREFIX.lower()
    found = {key.lower(): value for key, value in os.environ.items()}
    return {name: found[prefix + name] for name in Settings.__slots__ if prefix + name in found}


def _quick_check(raw: dict[str, Any]) -> dict[str, Any] | None:
    """The values when each is one of the plain, usual forms; None for anything else."""
    values = dict(DEFAULTS)
    for name, value in raw.items():
        checked = _plain(name, value)
        if checked is None:
            return None
        values[name] = checked
    if values["morning_start"] >= values["morning_end"]:
        return None
    return values


def _plain(name: str, value: Any) -> Any:
    if name in ("database_url", "time_zone", "push_test_endpoints"):
        return value if isinstance(value, str) else None
    if name == "speech":
        return value if value in get_args(Speech) else None
    if name == "accounts":
        if isinstance(value, bool):
            return value
        text = value.lower() if isinstance(value, str) else None
        return True if text in _TRUE else False if text in _FALSE else None
    if name == "password_hash_concurrency":
        number = value if type(value) is int else _digits(value)
        low, high = HASH_CONCURRENCY
        return number if number is not None and low <= number <= high else None
    if name in ("morning_start", "morning_end"):
        if isinstance(value, time):
            return value
        match = _HH_MM.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            return None
        hour, minute, second = match.groups("0")
        return time(int(hour), int(minute), int(second))
    if name == "emergency_number":
        plain = isinstance(value, str) and _PHONE.fullmatch(value)
        return value if plain else None
    if name in ("camera_min_fps", "remind_every_s"):
        decimal = type(value) in (int, float) or (
            isinstance(value, str) and _DECIMAL.fullmatch(value) is not None
        )
        fewest, most = CAMERA_MIN_FPS if name == "camera_min_fps" else REMIND_EVERY_S
        return float(value) if decimal and fewest <= float(value) <= most else None
    if name == "push_contact":
        plain = isinstance(value, str) and _CONTACT.fullmatch(value)
        return value if plain else None
    raise AssertionError(name)


def _digits(value: Any) -> int | None:
    if isinstance(value, str) and value.isascii() and value.isdigit() and value[0] != "0":
        return int(value)
    return None


def _full_check(raw: dict[str, Any]) -> dict[str, Any]:
    """Every rule, with pydantic's own messages; raises its ValidationError when one fails."""
    return dict(_model()(**raw))


_MODEL: type[BaseModel] | None = None


def _model() -> type[BaseModel]:
    global _MODEL
    if _MODEL is None:
        _MODEL = _build_model()
    return _MODEL


def _build_model() -> type[BaseModel]:
    from typing import Self

    from pydantic import BaseModel, ConfigDict, Field, model_validator

    class CheckedSettings(BaseModel):
        model_config = ConfigDict(extra="ignore")

        database_url: str = DEFAULTS["database_url"]
        time_zone: str = DEFAULTS["time_zone"]
        speech: Speech = DEFAULTS["speech"]
        accounts: bool = DEFAULTS["accounts"]
        password_hash_concurrency: int = Field(
            DEFAULTS["password_hash_concurrency"],
            ge=HASH_CONCURRENCY[0],
            le=HASH_CONCURRENCY[1],
        )
        morning_start: time = DEFAULTS["morning_start"]
        morning_end: time = DEFAULTS["morning_end"]
        emergency_number: str = Field(DEFAULTS["emergency_number"], pattern=EMERGENCY_NUMBER)
        camera_min_fps: float = Field(
            DEFAULTS["camera_min_fps"], ge=CAMERA_MIN_FPS[0], le=CAMERA_MIN_FPS[1]
        )

        push_contact: str = Field(DEFAULTS["push_contact"], pattern=PUSH_CONTACT)
        push_test_endpoints: str = DEFAULTS["push_test_endpoints"]
        remind_every_s: float = Field(
            DEFAULTS["remind_every_s"], ge=REMIND_EVERY_S[0], le=REMIND_EVERY_S[1]
        )

        @model_validator(mode="after")
        def _morning_in_order(self) -> Self:
            if self.morning_start >= self.morning_end:
                raise ValueError(
                    f"the morning ends ({self.morning_end:%H:%M}) before it starts "
                    f"({self.morning_start:%H:%M}): set STRETCHCOACH_MORNING_START earlier than "
                    "STRETCHCOACH_MORNING_END, both HH:MM"
                )
            return self

    return CheckedSettings
