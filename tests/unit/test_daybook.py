"""Mornings in the person's own calendar: which days count, streaks, adherence, daily pain."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from stretchcoach.domain.daybook import active_days, adherence, daily_pain, streak
from stretchcoach.domain.journal import PainEntry
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.session import Hold, Session
from stretchcoach.domain.values import Side

SETTINGS = SessionSettings(hold_s=30, reps_per_side=3, first_side=Side.LEFT, rest_s=10)


def session(
    started_at: datetime, zone: str, *, completed: int = 1, practice: bool = False
) -> Session:
    s = Session("s", "u", "r", "R", started_at, zone, SETTINGS, practice=practice)
    s.holds = [
        Hold(f"h{i}", "s", i, Side.LEFT, 30, 30, True, started_at) for i in range(1, completed + 1)
    ]
    return s


def test_a_morning_counts_on_the_local_date_where_it_was_done() -> None:
    late_utc = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # already 2 March in Tokyo

    days = active_days([session(late_utc, "Asia/Tokyo"), session(late_utc, "America/New_York")])

    assert days == {date(2026, 3, 2), date(2026, 3, 1)}


def test_practice_runs_and_sessions_without_a_finished_hold_do_not_count() -> None:
    at = datetime(2026, 3, 1, 7, tzinfo=UTC)

    assert (
        active_days([session(at, "UTC", practice=True), session(at, "UTC", completed=0)]) == set()
    )


def test_a_streak_still_stands_in_the_morning_before_today_is_done() -> None:
    today = date(2026, 3, 10)
    days = {today - timedelta(days=i) for i in range(1, 5)}

    assert streak(days, today) == 4
    assert streak(days | {today}, today) == 5
    assert streak(days - {today - timedelta(days=1)}, today) == 0


def test_a_streak_runs_through_the_night_clocks_change() -> None:
    spring = datetime(2026, 3, 29, 6, 30, tzinfo=UTC)  # Europe/London moves to BST that day
    days = active_days([session(spring + timedelta(days=d), "Europe/London") for d in range(-2, 3)])

    assert streak(days, date(2026, 3, 31)) == 5


@given(st.sets(st.integers(0, 60)), st.integers(1, 60))
def test_adherence_never_exceeds_its_window(offsets: set[int], window: int) -> None:
    today = date(2026, 5, 1)
    days = {today - timedelta(days=o) for o in offsets}

    result = adherence(days, today, over_days=window)

    assert 0 <= result.done <= window
    assert result.done == len([o for o in offsets if o < window])


def test_daily_pain_keeps_each_local_days_last_rating() -> None:
    def entry(hour: int, score: int) -> PainEntry:
        at = datetime(2026, 3, 1, hour, tzinfo=UTC)
        return PainEntry(f"e{hour}", "u", at, "America/Chicago", score, frozenset())

    result = daily_pain([entry(20, 6), entry(14, 7), entry(23, 3), entry(5, 8)])

    assert result == {date(2026, 2, 28): 8, date(2026, 3, 1): 3}
