"""One settings object, read from STRETCHCOACH_* environment variables when asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

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

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()
