"""`stats`: what stops the stretch comes first, above the streak and any word of praise."""

from __future__ import annotations

import pytest

from stretchcoach.cli.app import run
from stretchcoach.domain.safety import QUESTIONS

pytestmark = pytest.mark.e2e


def stats_text(capsys: pytest.CaptureFixture[str], url: str, *yes: str) -> str:
    answers = ",".join("y" if q.code in yes else "n" for q in QUESTIONS)
    assert run(["screen", "--answers", answers, "--db", url]) == 0
    capsys.readouterr()
    assert run(["stats", "--db", url]) == 0
    return " ".join(capsys.readouterr().out.split())


def test_a_standing_yes_is_read_first(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    text = stats_text(capsys, sqlite_url, "unwell")

    assert text.startswith("Please read first - You said yes to")
    assert text.index("Get seen today") < text.index("Your mornings") < text.index("Streak")
    assert text.count("Please read") == 1


def test_with_nothing_standing_the_mornings_come_first(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    text = stats_text(capsys, sqlite_url, "not-easing")  # routine: the stretch goes on

    assert text.startswith("Your mornings")
    assert text.index("Streak") < text.index("Please read - You said yes")
