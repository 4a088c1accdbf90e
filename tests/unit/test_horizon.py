"""Until when a verdict and a patient's figures stand by the clock alone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.domain.adherence import MorningWindow
from stretchcoach.domain.attention import figures_steady_until
from stretchcoach.domain.clinical.horizon import (
    SPANS,
    first_span_end,
    local_moment,
    steady_until,
)
from stretchcoach.domain.clinical.inputs import summarise
from stretchcoach.domain.safety import QUESTIONS, SCREEN_EVERY, SCREEN_VERSION
from stretchcoach.domain.screening import ScreenResult

LONDON = ZoneInfo("Europe/London")
AUCKLAND = ZoneInfo("Pacific/Auckland")
NOW = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)


def _check(at: datetime) -> ScreenResult:
    return ScreenResult("c1", "u", at, (False,) * len(QUESTIONS), SCREEN_VERSION, stored_at=at)


def _inputs(*checks: ScreenResult):  # type: ignore[no-untyped-def]
    anchor = max((c.answered_at for c in checks), default=None)
    return summarise(
        sessions=[],
        entries=[],
        checks=checks,
        acknowledgements=[],
        outlines=[],
        folds=[],
        anchor=anchor,
        last_session_at=None,
    )


def test_with_no_records_a_verdict_stands_until_the_next_local_midnight() -> None:
    assert steady_until(_inputs(), now=NOW, zone=LONDON) == datetime(2026, 6, 10, 23, 0, tzinfo=UTC)
    assert steady_until(_inputs(), now=NOW, zone=AUCKLAND) == datetime(
        2026, 6, 10, 12, 0, tzinfo=UTC
    )


def test_a_check_stands_until_it_falls_due_if_that_comes_before_midnight() -> None:
    answered = NOW - SCREEN_EVERY + timedelta(hours=2)

    assert steady_until(_inputs(_check(answered)), now=NOW, zone=LONDON) == answered + SCREEN_EVERY


def test_a_record_already_past_every_span_moves_nothing() -> None:
    old = NOW - max(SPANS) - timedelta(days=1)
    at = first_span_end([old], SPANS, now=NOW)

    assert at == datetime.max.replace(tzinfo=UTC)


def test_a_span_ending_right_now_leaves_nothing_standing() -> None:
    assert first_span_end([NOW - SCREEN_EVERY], [SCREEN_EVERY], now=NOW) == NOW


def test_a_local_time_that_comes_twice_or_never_is_read_at_its_earlier_moment() -> None:
    # London falls back on 25 Oct 2026 (01:30 comes twice) and springs forward on 29 Mar
    # (01:30 never comes): the earlier reading, never a later one than the clock shows.
    assert local_moment(date(2026, 10, 25), time(1, 30), LONDON) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
    assert local_moment(date(2026, 3, 29), time(1, 30), LONDON) == datetime(
        2026, 3, 29, 0, 30, tzinfo=UTC
    )


def test_figures_stand_until_the_morning_window_ends_then_until_midnight() -> None:
    window = MorningWindow(time(6), time(11))
    morning = datetime(2026, 6, 10, 7, 0, tzinfo=UTC)  # 08:00 in London

    assert figures_steady_until(_inputs(), now=morning, zone=LONDON, window=window) == datetime(
        2026, 6, 10, 10, 0, tzinfo=UTC
    )
    evening = datetime(2026, 6, 10, 19, 0, tzinfo=UTC)
    assert figures_steady_until(_inputs(), now=evening, zone=LONDON, window=window) == datetime(
        2026, 6, 10, 23, 0, tzinfo=UTC
    )
