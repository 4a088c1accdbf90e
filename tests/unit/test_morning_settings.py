"""One morning window: the terminal's default and a web user's default are the same constant,
and the terminal follows the local user's saved web preferences when there are any."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.config import Settings
from stretchcoach.domain.adherence import DEFAULT_MORNING_END, DEFAULT_MORNING_START, MorningWindow
from stretchcoach.domain.preferences import default_preferences
from stretchcoach.domain.values import Side
from stretchcoach.services.settings import morning_and_zone, update_preferences
from stretchcoach.testing import FakeUnitOfWork

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
FROM_SETTINGS = MorningWindow(time(5, 0), time(9, 0))


def test_the_terminal_and_the_web_start_from_the_same_morning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("STRETCHCOACH_MORNING_START", "STRETCHCOACH_MORNING_END"):
        monkeypatch.delenv(name, raising=False)

    web = default_preferences("u", load_builtin(), time_zone="UTC", calendar_token="t")
    terminal = Settings()

    assert (terminal.morning_start, terminal.morning_end) == (web.morning_start, web.morning_end)
    assert (web.morning_start, web.morning_end) == (DEFAULT_MORNING_START, DEFAULT_MORNING_END)
    assert (time(4, 0), time(12, 0)) == (DEFAULT_MORNING_START, DEFAULT_MORNING_END)  # issue 4


def test_without_saved_preferences_the_settings_decide_and_nothing_is_saved() -> None:
    uow = FakeUnitOfWork()

    found = morning_and_zone("u", uow=uow, window=FROM_SETTINGS, time_zone="Europe/Paris")

    assert found == (FROM_SETTINGS, "Europe/Paris")
    assert uow.preferences.get("u") is None


def test_saved_preferences_win_over_the_settings() -> None:
    uow = FakeUnitOfWork()
    update_preferences(
        "u",
        load_builtin(),
        hold_s=30,
        reps_per_side=3,
        first_side=Side.LEFT,
        morning_start=time(6, 30),
        morning_end=time(10, 0),
        time_zone="America/Chicago",
        reminder_at=None,
        uow=uow,
        now=NOW,
    )

    found = morning_and_zone("u", uow=uow, window=FROM_SETTINGS, time_zone="Europe/Paris")
    someone_else = morning_and_zone("v", uow=uow, window=FROM_SETTINGS, time_zone="UTC")

    assert found == (MorningWindow(time(6, 30), time(10, 0)), "America/Chicago")
    assert someone_else == (FROM_SETTINGS, "UTC")
