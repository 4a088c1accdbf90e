"""`stretchcoach screen --seen` as a real process: a visit dated before the yes it settles is
refused in one line and nothing is kept; after answering, the words say what still stands."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from stretchcoach.domain.safety import QUESTIONS

from .test_journal_cli import cli

pytestmark = pytest.mark.e2e


def answers_with(code: str) -> str:
    return ",".join("yes" if q.code == code else "no" for q in QUESTIONS)


def today() -> str:
    return datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()  # cli_env's zone


def test_a_visit_before_todays_yes_is_refused_and_one_dated_today_settles_it(
    sqlite_url: str,
) -> None:
    now = datetime.now(ZoneInfo("Europe/Paris"))  # cli_env's zone
    cli(sqlite_url, "screen", "--answers", answers_with("saddle-numbness"))
    first_day = now.strftime("%d %b %Y")
    before = now - timedelta(days=30)  # recent, but before the yes
    long_ago = (now - timedelta(days=6 * 366)).date().isoformat()

    refused = cli(sqlite_url, "screen", "--seen", before.date().isoformat(), "--note", "fine")
    too_old = cli(sqlite_url, "screen", "--seen", long_ago)
    still = json.loads(cli(sqlite_url, "stats", "--json").stdout)
    seen = cli(sqlite_url, "screen", "--seen", today(), "--note", "A&E: no emergency")

    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == (
        f"Error: the visit on {before:%d %b %Y} is before the first yes ({first_day}): give the "
        f"date you were seen about it, on or after {first_day}\n"
    )
    assert too_old.returncode == 2
    assert (
        too_old.stderr == f"Error: seen on {long_ago} is over five years ago: give a recent visit\n"
    )
    assert "seen-saddle-numbness" not in [f["code"] for f in still["flags"]]
    assert seen.returncode == 0, seen.stderr
    assert "seen-saddle-numbness" in [
        f["code"] for f in json.loads(cli(sqlite_url, "stats", "--json").stdout)["flags"]
    ]


def test_all_no_right_after_an_emergency_yes_says_go_now_and_never_you_can_stretch(
    sqlite_url: str,
) -> None:
    cli(sqlite_url, "screen", "--answers", answers_with("bladder"))

    shown = cli(sqlite_url, "screen", "--answers", "none")
    as_json = json.loads(cli(sqlite_url, "screen", "--answers", "none", "--json").stdout)

    said = " ".join(shown.stdout.split())
    assert shown.returncode == 0
    assert "you can stretch" not in said and "emergency department now" in said
    assert "earlier yes" in said
    assert "you can stretch" not in as_json["message"] and as_json["gate"] == "blocked"


@pytest.mark.parametrize(
    "args", [["--note", "all fine"], ["--answers", "none", "--note", "all fine"]]
)
def test_a_note_without_a_visit_date_is_an_error_and_nothing_is_kept(
    sqlite_url: str, args: list[str]
) -> None:
    done = cli(sqlite_url, "screen", *args)

    assert done.returncode == 2
    assert done.stderr.startswith("Error: --note goes with --seen DATE")
    assert done.stderr.count("\n") == 1
    assert json.loads(cli(sqlite_url, "stats", "--json").stdout)["gate"]["status"] == "missing"
