"""docs/sources.md states the rules' numbers; these tests hold it to the code.

The page keeps a table of every number a rule uses, each with where it lives in the code; the
rules written out in its prose say the same numbers in words; and its worked examples of a
worse morning are run through the rule itself.
"""

from __future__ import annotations

import importlib
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from stretchcoach.domain.centralisation import BASELINE_DAYS, DEFAULT_DAYS, REACH_STEP
from stretchcoach.domain.clinical import worse_mornings
from stretchcoach.domain.clinical.dose import (
    HOLD_CEILING_S,
    RESTART_AFTER_DAYS,
    STEP_DOWN_S,
    STEP_UP_S,
)
from stretchcoach.domain.clinical.signals import (
    JUMP_SCORE,
    LOOKBACK_DAYS,
    NO_LONGER_FROM,
    REFERENCE_DAYS,
    SEVERE_PAIN,
    STANDING_DAYS,
    STOP_FROM_PAIN,
    STOP_MORNINGS,
    STOP_WINDOW,
    STOP_WITHIN_DAYS,
)
from stretchcoach.domain.plausible import CLOCK_SKEW
from stretchcoach.domain.safety import PAIN_RISE_STOP, SCREEN_EVERY
from stretchcoach.domain.screening import SEEN_OLDEST
from stretchcoach.domain.trends import MIN_CHANGE, RELATIVE_CHANGE, RISE_POINTS, TOP_BAND
from stretchcoach.services.clinical import RECENT_SESSIONS, SESSION_DAYS

SOURCES = Path(__file__).resolve().parents[2] / "docs" / "sources.md"
TEXT = SOURCES.read_text(encoding="utf-8")
PROSE = " ".join(TEXT.split())  # line breaks and indents as single spaces
WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 7: "seven"}
YEAR_DAYS = 366  # the visit rule counts a year as 366 days, so five years never fall short
ROW = re.compile(r"^\| (?P<what>[^|]+?) \| (?P<value>[^|]+?) \| `(?P<where>[\w.]+)` \|$", re.M)
# every number a rule of the worse-morning, stop and dose rules uses: each must have its row
REQUIRED = {
    "trends.RISE_POINTS",
    "trends.RELATIVE_CHANGE",
    "trends.MIN_CHANGE",
    "trends.TOP_BAND",
    "clinical.signals.REFERENCE_DAYS",
    "clinical.signals.STANDING_DAYS",
    "clinical.signals.STOP_MORNINGS",
    "clinical.signals.STOP_WINDOW",
    "clinical.signals.STOP_WITHIN_DAYS",
    "clinical.signals.STOP_FROM_PAIN",
    "clinical.signals.NO_LONGER_FROM",
    "clinical.signals.SEVERE_PAIN",
    "safety.PAIN_RISE_STOP",
    "clinical.dose.STEP_UP_S",
    "clinical.dose.STEP_DOWN_S",
    "clinical.dose.HOLD_CEILING_S",
    "safety.SCREEN_EVERY",
}


def table() -> dict[str, str]:
    return {m["where"]: m["value"] for m in ROW.finditer(TEXT)}


def in_code(where: str) -> float:
    module, _, name = where.rpartition(".")
    value = getattr(importlib.import_module(f"stretchcoach.domain.{module}"), name)
    if isinstance(value, timedelta):
        return value.days
    assert isinstance(value, int | float), where
    return float(value)


def on_the_page(value: str) -> float:
    """'30%' -> 0.3, '5 s' -> 5, '30 days' -> 30, '1 point' -> 1."""
    number = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(%|s|points?|days?)?", value)
    assert number, f"not a number with a unit: {value!r}"
    amount = float(number[1])
    return amount / 100 if number[2] == "%" else amount


def test_the_page_lists_every_number_the_rules_use() -> None:
    assert set(table()) >= REQUIRED, f"missing rows: {sorted(REQUIRED - set(table()))}"


@pytest.mark.parametrize("where", sorted(REQUIRED))
def test_each_number_on_the_page_is_the_one_in_the_code(where: str) -> None:
    assert on_the_page(table()[where]) == pytest.approx(in_code(where)), where


def test_every_row_of_the_table_names_a_number_that_exists() -> None:
    for where, value in table().items():
        assert on_the_page(value) == pytest.approx(in_code(where)), where


@pytest.mark.parametrize(
    "phrase",
    [
        # the stop rule, in words
        f"{WORDS[STOP_MORNINGS]} worse mornings among the last {WORDS[STOP_WINDOW]} days with "
        f"ratings, within {'a week' if STOP_WITHIN_DAYS == 7 else f'{STOP_WITHIN_DAYS} days'}",
        f"at least one of them at {STOP_FROM_PAIN} or more",
        f"stay in mild pain, 0-{STOP_FROM_PAIN - 1}, hold the dose but never stop the stretch",
        # the worse morning and high pain
        f"the up to {REFERENCE_DAYS} earlier days with ratings in the past {LOOKBACK_DAYS}",
        f"{RISE_POINTS:g} points or {RELATIVE_CHANGE:.0%} of that mean, whichever is more, "
        f"capped at what it takes to reach {TOP_BAND}, never under {MIN_CHANGE:g} point",
        f"it stands while it is the latest rated day and within {STANDING_DAYS} days",
        f"the latest rated day (within {STANDING_DAYS} days) at {NO_LONGER_FROM} or more",
        f"at {SEVERE_PAIN} or 10 it is also a flag, whatever the trend",
        # the dose
        f"{PAIN_RISE_STOP} points or more above before it",
        f"{STEP_UP_S:g} s longer, up to {HOLD_CEILING_S:g} s",
        f"{STEP_DOWN_S:g} s shorter",
        # the check
        f"again {SCREEN_EVERY.days} days after the last complete check",
        f"or pain jumps to {JUMP_SCORE} or 10 from below",
        f"dated more than {WORDS[int(CLOCK_SKEW.total_seconds() // 60)]} minutes ahead",
        f"and not over {WORDS[SEEN_OLDEST.days // YEAR_DAYS]} years back",
        # the dose after a break, and what the core reads
        f"The core reads the last {WORDS[RECENT_SESSIONS]} sessions of the last {SESSION_DAYS} "
        "days",
        f"After {RESTART_AFTER_DAYS} days or more without a session",
        # centralisation
        f"Over the last {DEFAULT_DAYS} days, the latest day with data is compared with the mean "
        f"of the first (up to {WORDS[BASELINE_DAYS]}) days with pain on that side: "
        f"{WORDS[int(REACH_STEP)]} whole place or more toward the back is centralising",
        f"the furthest place moved {WORDS[int(REACH_STEP)]} whole place or more down the leg "
        f"over {LOOKBACK_DAYS} days",
    ],
)
def test_the_rules_in_words_say_the_codes_numbers(phrase: str) -> None:
    assert phrase in PROSE


def _examples() -> tuple[list[list[int]], list[list[int]]]:
    examples = r"Examples: (?P<calm>.+?) are not worse mornings; (?P<worse>.+?) are\."
    found = re.search(examples, PROSE)
    assert found, "the worked examples of a worse morning are gone from the page"

    def runs(text: str) -> list[list[int]]:
        return [[int(n) for n in run.split("→")] for run in text.split(",")]

    return runs(found["calm"]), runs(found["worse"])


def _worse(run: list[int]) -> list[bool]:
    first = date(2026, 3, 2)
    days = {first + timedelta(days=i): pain for i, pain in enumerate(run)}
    worse = set(worse_mornings(days))
    return [day in worse for day in days]


def test_the_pages_worked_examples_are_what_the_rule_decides() -> None:
    calm, worse = _examples()

    assert calm and worse
    for run in calm:
        assert not any(_worse(run)), run
    for run in worse:
        assert _worse(run)[-1], run
