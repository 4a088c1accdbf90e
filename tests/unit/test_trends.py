"""The pain trend: first week against last, the weekly slope, a change most people notice."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcoach.domain.journal import PainContext, PainEntry
from stretchcoach.domain.session import new_id
from stretchcoach.domain.trends import (
    Change,
    noticeable_rise,
    noticeable_threshold,
    pain_trend,
    session_effect,
    slope_per_week,
)

TODAY = date(2026, 6, 30)
ZONE = "Europe/Berlin"


def entry(
    day: date,
    score: int,
    *,
    context: PainContext = PainContext.STANDALONE,
    session_id: str | None = None,
    at: time = time(8, 0),
) -> PainEntry:
    return PainEntry(
        new_id(),
        "u",
        datetime.combine(day, at, tzinfo=ZoneInfo(ZONE)),
        ZONE,
        score,
        frozenset(),
        context,
        session_id,
    )


def daily(scores: list[int], *, last: date = TODAY) -> list[PainEntry]:
    first = last - timedelta(days=len(scores) - 1)
    return [entry(first + timedelta(days=n), s) for n, s in enumerate(scores)]


@pytest.mark.parametrize(
    ("baseline", "threshold"),
    [(0, 1.0), (1, 1.0), (3, 1.0), (4, 1.0), (5, 1.5), (6, 1.8), (7, 2.0), (8, 2.4), (10, 3.0)],
    ids=["none", "mild", "3", "4", "5", "6", "7", "8", "worst"],
)
def test_the_change_most_people_notice_depends_on_where_the_pain_started(
    baseline: float, threshold: float
) -> None:
    """About 1 point from 1-4, 2 from 5-7, 3 from 8-10, or 30%, whichever comes first."""
    assert noticeable_threshold(baseline) == pytest.approx(threshold)


@pytest.mark.parametrize(
    ("reference", "rise"),
    [(0, 2.0), (1, 2.0), (3, 2.0), (6, 2.0), (7, 2.0), (7.5, 1.5), (8, 1.0), (9, 1.0), (10, 1.0)],
    ids=["none", "mild", "3", "6", "7", "7.5", "8", "9", "worst"],
)
def test_the_rise_most_people_notice_is_two_points_and_never_out_of_reach(
    reference: float, rise: float
) -> None:
    """2 points or 30%, whichever is more, but never more than it takes to reach 9; 1 point at
    least."""
    assert noticeable_rise(reference) == pytest.approx(rise)


@given(reference=st.floats(min_value=0, max_value=10))
def test_a_rise_is_never_easier_to_call_than_one_point_nor_out_of_the_scale(
    reference: float,
) -> None:
    rise = noticeable_rise(reference)

    assert rise >= 1
    if reference <= 9:
        assert reference + rise <= 10
        assert rise >= min(2.0, 9 - reference)  # never under 2 points below the top band


@pytest.mark.parametrize(
    ("first_week", "last_week", "change"),
    [
        (7, 4, Change.BETTER),
        (7, 6, Change.SMALL),
        (3, 2, Change.BETTER),
        (9, 7, Change.SMALL),
        (9, 6, Change.BETTER),
        (2, 4, Change.WORSE),
        (2, 3, Change.SMALL),
        (8, 10, Change.WORSE),
        (9, 10, Change.WORSE),
        (10, 10, Change.SMALL),
        (0, 0, Change.SMALL),
    ],
    ids=[
        "7-to-4",
        "7-to-6",
        "3-to-2",
        "9-to-7",
        "9-to-6",
        "2-to-4",
        "2-to-3",
        "8-to-10",
        "9-to-10",
        "10-steady",
        "no-pain",
    ],
)
def test_whether_a_change_is_one_most_people_notice(
    first_week: int, last_week: int, change: Change
) -> None:
    scores = [first_week] * 7 + [first_week] * 7 + [last_week] * 7

    trend = pain_trend(daily(scores), today=TODAY, days=30)

    assert trend.first_week_mean == first_week
    assert trend.last_week_mean == last_week
    assert trend.change is change
    rising = last_week > first_week
    assert trend.threshold == pytest.approx(
        noticeable_rise(first_week) if rising else noticeable_threshold(first_week)
    )


def test_ratings_straight_after_a_session_are_left_out_of_the_trend() -> None:
    entries = daily([6] * 14)
    entries += [entry(TODAY - timedelta(days=n), 0, context=PainContext.AFTER) for n in range(14)]

    trend = pain_trend(entries, today=TODAY, days=30)

    assert trend.last_week_mean == 6
    assert trend.change is Change.SMALL


def test_under_two_weeks_of_ratings_is_too_early_to_compare() -> None:
    trend = pain_trend(daily([8, 7, 6, 5, 4, 3, 2, 1, 1, 1]), today=TODAY, days=30)

    assert trend.change is Change.TOO_EARLY
    assert trend.first_week_mean is None
    assert trend.slope_per_week == pytest.approx(-5.9393939)  # numpy.polyfit agrees


def test_no_ratings_at_all() -> None:
    trend = pain_trend([], today=TODAY, days=30)

    assert (trend.change, trend.first_day, trend.slope_per_week) == (Change.TOO_EARLY, None, None)


def test_the_period_starts_at_the_first_rating_inside_the_days_asked_for() -> None:
    old = daily([9] * 10, last=TODAY - timedelta(days=40))
    recent = daily([5] * 7 + [5] * 7 + [2] * 7)

    trend = pain_trend(old + recent, today=TODAY, days=21)

    assert trend.first_day == TODAY - timedelta(days=20)
    assert (trend.first_week_mean, trend.last_week_mean) == (5, 2)


def test_the_slope_is_points_per_week() -> None:
    points = [(date(2026, 6, 1) + timedelta(days=n), 8 - n / 7) for n in range(21)]

    assert slope_per_week(points) == pytest.approx(-1.0)
    assert slope_per_week([(date(2026, 6, 1), 5.0), (date(2026, 6, 1), 3.0)]) is None


@settings(max_examples=50, deadline=None)
@given(
    start=st.floats(min_value=0, max_value=10),
    per_week=st.floats(min_value=-3, max_value=3),
    days=st.integers(min_value=2, max_value=60),
)
def test_a_straight_line_of_ratings_gives_its_own_slope(
    start: float, per_week: float, days: int
) -> None:
    first = date(2026, 3, 20)  # across the spring DST change in Europe
    points = [(first + timedelta(days=n), start + per_week * n / 7) for n in range(days)]

    assert slope_per_week(points) == pytest.approx(per_week, abs=1e-9)


def test_the_session_effect_averages_after_minus_before_for_sessions_with_both() -> None:
    day = TODAY
    entries = [
        entry(day, 6, context=PainContext.BEFORE, session_id="a"),
        entry(day, 4, context=PainContext.AFTER, session_id="a", at=time(8, 10)),
        entry(day, 5, context=PainContext.BEFORE, session_id="b"),
        entry(day, 6, context=PainContext.AFTER, session_id="b", at=time(8, 10)),
        entry(day, 7, context=PainContext.BEFORE, session_id="c"),  # no after: left out
        entry(day, 3),
    ]

    effect = session_effect(entries)

    assert effect.sessions == 2
    assert effect.mean_change == pytest.approx(-0.5)
    assert session_effect([]).mean_change is None
