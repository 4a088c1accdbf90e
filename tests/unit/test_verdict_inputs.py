"""What the summary keeps of the checks: enough for every episode, and no more."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stretchcoach.domain.clinical.inputs import needed_checks
from stretchcoach.domain.safety import QUESTIONS, SCREEN_VERSION
from stretchcoach.domain.screening import ScreenResult, episodes

START = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)


def _check(n: int, first: bool | None, *, rest: bool | None = False) -> ScreenResult:
    at = START + timedelta(days=n)
    answers = (first,) + (rest,) * (len(QUESTIONS) - 1)
    return ScreenResult(f"c{n}", "u", at, answers, SCREEN_VERSION, stored_at=at)


def test_a_long_run_of_yes_keeps_its_first_and_last_yes_and_the_no_that_ends_it() -> None:
    answers = [True, True, True, True, False, False, False, True, True]
    checks = [_check(n, a) for n, a in enumerate(answers)]

    kept = needed_checks(checks)

    assert [c.id for c in kept] == ["c0", "c3", "c4", "c7", "c8"]  # c8: the latest complete too
    assert episodes(kept, (), zone=UTC) == episodes(checks, (), zone=UTC)


def test_checks_answered_no_all_along_keep_only_the_latest() -> None:
    checks = [_check(n, False) for n in range(40)]

    assert [c.id for c in needed_checks(checks)] == ["c39"]
