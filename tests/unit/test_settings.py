"""Settings read quickly agree with the full rules: the same values, the same refusals."""

from __future__ import annotations

from datetime import time

import pytest
from pydantic import ValidationError

from stretchcoach.config import Settings, _full_check

NAMES = list(Settings.__slots__)

CASES = [
    {},
    {"SPEECH": "off"},
    {"SPEECH": "OFF"},
    {"SPEECH": " off"},
    {"SPEECH": "loud"},
    {"ACCOUNTS": "true"},
    {"ACCOUNTS": "YES"},
    {"ACCOUNTS": "0"},
    {"ACCOUNTS": ""},
    {"ACCOUNTS": "maybe"},
    {"PASSWORD_HASH_CONCURRENCY": "4"},
    {"PASSWORD_HASH_CONCURRENCY": "04"},
    {"PASSWORD_HASH_CONCURRENCY": "2.0"},
    {"PASSWORD_HASH_CONCURRENCY": "0"},
    {"PASSWORD_HASH_CONCURRENCY": "65"},
    {"PASSWORD_HASH_CONCURRENCY": "x"},
    {"MORNING_START": "05:30"},
    {"MORNING_START": "5:30"},
    {"MORNING_START": "05:30:15"},
    {"MORNING_START": "05:30:15.5"},
    {"MORNING_START": "25:00"},
    {"MORNING_START": ""},
    {"MORNING_START": "13:00"},
    {"MORNING_START": "09:00", "MORNING_END": "09:00"},
    {"MORNING_END": "23:59"},
    {"MORNING_END": "24:00"},
    {"EMERGENCY_NUMBER": "112"},
    {"EMERGENCY_NUMBER": "+4420"},
    {"EMERGENCY_NUMBER": "999\n"},
    {"EMERGENCY_NUMBER": "999; drop"},
    {"DATABASE_URL": "sqlite:///x.db", "TIME_ZONE": "Europe/Paris"},
    {"REMIND_EVERY_S": "1"},
    {"REMIND_EVERY_S": "2.5"},
    {"REMIND_EVERY_S": "600"},
    {"REMIND_EVERY_S": "0.5"},
    {"REMIND_EVERY_S": "3601"},
    {"REMIND_EVERY_S": "soon"},
]


@pytest.mark.parametrize("variables", CASES, ids=lambda v: repr(v))
def test_variables_give_what_the_full_rules_give(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str]
) -> None:
    for name in NAMES:
        monkeypatch.delenv(f"STRETCHCOACH_{name.upper()}", raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(f"STRETCHCOACH_{name}", value)
    raw = {name.lower(): value for name, value in variables.items()}

    try:
        expected = _full_check(raw)
    except ValidationError as error:
        with pytest.raises(ValidationError) as refused:
            Settings()
        assert refused.value.errors(include_context=False) == error.errors(include_context=False)
        return
    found = Settings()

    assert {name: getattr(found, name) for name in NAMES} == expected


def test_a_value_given_wins_over_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRETCHCOACH_SPEECH", "bell")
    monkeypatch.setenv("stretchcoach_time_zone", "Asia/Tokyo")  # any case, as before

    found = Settings(speech="off", morning_start=time(6, 0))

    assert (found.speech, found.time_zone, found.morning_start) == ("off", "Asia/Tokyo", time(6))
    assert found.replace(database_url="sqlite:///y.db").database_url == "sqlite:///y.db"
