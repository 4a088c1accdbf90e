"""One settings object, read from STRETCHCOACH_* environment variables when asked for."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from stretchcoach.domain.adherence import DEFAULT_MORNING_END, DEFAULT_MORNING_START

APP_NAME = "stretchcoach"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'stretchcoach.db'}"


class Settings(BaseSettings):
    """Where the data lives and how the coach talks. Nothing reads this at import time."""

    model_config = SettingsConfigDict(env_prefix="STRETCHCOACH_", extra="ignore")

    database_url: str = ""
    time_zone: str = ""  # an IANA name; empty means the machine's own zone
    speech: Literal["auto", "espeak", "bell", "off"] = "auto"
    accounts: bool = False  # the web app asks everyone to log in (required off loopback)
    # Password hashes (argon2, 64 MiB each) a web worker computes at once; the rest queue.
    password_hash_concurrency: int = Field(2, ge=1, le=64)
    # The local morning in which a session counts for the habit: start included, end excluded.
    # The same default as a web user's preferences (one constant, in the domain).
    morning_start: time = DEFAULT_MORNING_START
    morning_end: time = DEFAULT_MORNING_END
    # The number the web app's "Call" button dials when the advice is emergency care: 999 in
    # the UK; 112 (Europe) or 911 (North America) where the app is deployed there.
    emergency_number: str = Field("999", pattern=r"^\+?[0-9]{2,15}$")
    # The fewest poses a second a phone's camera coach may give before the session falls back
    # to the timer (docs/form.md). Below 8 the coach's quarter-second decisions are guesses;
    # lower it only to try the phone path where the model runs without a GPU.
    camera_min_fps: float = Field(8.0, ge=0.1, le=30.0)

    @model_validator(mode="after")
    def _morning_in_order(self) -> Self:
        if self.morning_start >= self.morning_end:
            raise ValueError(
                f"the morning ends ({self.morning_end:%H:%M}) before it starts "
                f"({self.morning_start:%H:%M}): set STRETCHCOACH_MORNING_START earlier than "
                "STRETCHCOACH_MORNING_END, both HH:MM"
            )
        return self

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()
