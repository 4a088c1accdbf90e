"""The morning habit: which sessions count, streaks and adherence, across DST and travel."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcoach.domain.adherence import (
    Adherence,
    MorningWindow,
    adherence,
    best_streak,
    current_streak,
    habit,
    habit_days,
    morning_day,
)
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.session import Session, new_id
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import InvalidInput

SETTINGS = SessionSettings(hold_s=30, reps_per_side=3, first_side=Side.LEFT, rest_s=10)
WINDOW = MorningWindow()
ZONES_WITH_DST = ["Europe/London", "America/New_York", "Australia/Sydney", "America/Santiago"]


def session_at(
    local: datetime,
    *,
    status: SessionStatus = SessionStatus.COMPLETED,
    practice: bool = False,
) -> Session:
    """A session that started at the local wall time `local` (aware, in its own zone)."""
    assert isinstance(local.tzinfo, ZoneInfo)
    return Session(
        new_id(),
        "u",
        "r",
        "R",
        local.astimezone(UTC),
        local.tzinfo.key,
        SETTINGS,
        practice=practice,
        status=status,
    )


def local(day: date, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(
    ("at", "status", "practice", "counts"),
    [
        (time(4, 0), SessionStatus.COMPLETED, False, True),
        (time(7, 30), SessionStatus.COMPLETED, False, True),
        (time(11, 59), SessionStatus.COMPLETED, False, True),
        (time(12, 0), SessionStatus.COMPLETED, False, False),
        (time(3, 59), SessionStatus.COMPLETED, False, False),
        (time(7, 30), SessionStatus.STOPPED, False, False),
        (time(7, 30), SessionStatus.INTERRUPTED, False, False),
        (time(7, 30), SessionStatus.IN_PROGRESS, False, False),
        (time(7, 30), SessionStatus.COMPLETED, True, False),
    ],
    ids=[
        "start-of-window",
        "mid-morning",
        "last-minute",
        "noon-is-outside",
        "before-dawn",
        "stopped",
        "interrupted",
        "still-running",
        "practice-run",
    ],
)
def test_a_day_counts_only_for_a_completed_real_session_in_the_morning(
    at: time, status: SessionStatus, practice: bool, counts: bool
) -> None:
    day = date(2026, 5, 4)

    found = morning_day(
        session_at(local(day, at, "Europe/Paris"), status=status, practice=practice), WINDOW
    )

    assert found == (day if counts else None)


def test_the_morning_window_is_a_setting() -> None:
    early = MorningWindow(time(5, 0), time(7, 0))
    at_eight = session_at(local(date(2026, 5, 4), time(8, 0), "UTC"))

    assert morning_day(at_eight, WINDOW) == date(2026, 5, 4)
    assert morning_day(at_eight, early) is None


def test_a_morning_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidInput, match="12:00-04:00 ends before it starts"):
        MorningWindow(time(12, 0), time(4, 0))


def test_a_session_counts_on_the_local_date_of_the_zone_it_was_recorded_in() -> None:
    # 23:30 UTC on 1 March is already 08:30 on 2 March in Tokyo: a Tokyo morning.
    tokyo = session_at(datetime(2026, 3, 1, 23, 30, tzinfo=UTC).astimezone(ZoneInfo("Asia/Tokyo")))

    assert morning_day(tokyo, WINDOW) == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("days", "today", "today_open", "expected"),
    [
        ({-1, -2, -3}, 0, True, 3),
        ({-1, -2, -3}, 0, False, 0),
        ({0, -1, -2, -3}, 0, False, 4),
        ({0, -2, -3}, 0, True, 1),
        (set(), 0, True, 0),
    ],
    ids=[
        "yesterday-counts-while-today-is-open",
        "broken-once-the-morning-is-over",
        "today-done",
        "gap-yesterday",
        "nothing-yet",
    ],
)
def test_the_current_streak(days: set[int], today: int, today_open: bool, expected: int) -> None:
    base = date(2026, 6, 10)
    dates = frozenset(base + timedelta(days=d) for d in days)

    assert current_streak(dates, base + timedelta(days=today), today_open=today_open) == expected


def test_the_best_streak_is_the_longest_run_ever() -> None:
    base = date(2026, 1, 1)
    days = [base + timedelta(days=d) for d in (0, 1, 2, 5, 6, 7, 8, 9, 20)]

    assert best_streak(days) == 5
    assert best_streak([]) == 0


def test_adherence_leaves_an_open_today_out() -> None:
    today = date(2026, 6, 10)
    days = frozenset(today - timedelta(days=d) for d in (1, 2, 3, 10))

    assert adherence(days, today, over_days=7, today_open=True) == Adherence(3, 7)
    assert adherence(days, today, over_days=7, today_open=False) == Adherence(3, 7)
    assert adherence(days | {today}, today, over_days=7, today_open=False) == Adherence(4, 7)
    assert adherence(days, today, over_days=30, today_open=True).ratio == pytest.approx(4 / 30)


def test_habit_after_the_morning_counts_today_as_missed() -> None:
    zone = ZoneInfo("Europe/Paris")
    sessions = [session_at(local(date(2026, 6, d), time(7, 0), "Europe/Paris")) for d in (7, 8, 9)]

    before_noon = habit(
        sessions, now=datetime(2026, 6, 10, 9, 0, tzinfo=zone), zone=zone, window=WINDOW
    )
    after_noon = habit(
        sessions, now=datetime(2026, 6, 10, 13, 0, tzinfo=zone), zone=zone, window=WINDOW
    )

    assert (before_noon.current_streak, before_noon.today_open) == (3, True)
    assert (after_noon.current_streak, after_noon.today_open) == (0, False)
    assert after_noon.best_streak == 3
    assert after_noon.last_7 == Adherence(3, 7)


def test_a_flight_east_keeps_every_morning_on_its_own_date() -> None:
    """London on the 1st and 2nd, Tokyo from the 3rd: four mornings, four days in a row."""
    sessions = [
        session_at(local(date(2026, 4, 1), time(7, 0), "Europe/London")),
        session_at(local(date(2026, 4, 2), time(11, 30), "Europe/London")),
        session_at(local(date(2026, 4, 3), time(4, 30), "Asia/Tokyo")),  # 20:30 on the 2nd UTC
        session_at(local(date(2026, 4, 4), time(8, 0), "Asia/Tokyo")),
    ]
    tokyo = ZoneInfo("Asia/Tokyo")

    found = habit(
        sessions, now=datetime(2026, 4, 4, 20, 0, tzinfo=tokyo), zone=tokyo, window=WINDOW
    )

    assert found.days == {date(2026, 4, d) for d in (1, 2, 3, 4)}
    assert found.current_streak == 4


# -- properties: DST changes and zone changes never break or invent a morning ---------------

days_around_dst = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))
morning_times = st.times(min_value=time(4, 0), max_value=time(11, 59, 59))


@settings(max_examples=60, deadline=None)
@given(
    first=days_around_dst,
    length=st.integers(min_value=1, max_value=60),
    zone=st.sampled_from(ZONES_WITH_DST),
    at=st.lists(morning_times, min_size=60, max_size=60),
)
def test_a_morning_every_day_is_an_unbroken_streak_whatever_the_clocks_do(
    first: date, length: int, zone: str, at: list[time]
) -> None:
    days = [first + timedelta(days=n) for n in range(length)]
    sessions = [session_at(local(day, at[n], zone)) for n, day in enumerate(days)]
    last = days[-1]
    now = local(last, time(18, 0), zone)

    found = habit(sessions, now=now, zone=ZoneInfo(zone), window=WINDOW)

    assert found.days == set(days)
    assert found.current_streak == found.best_streak == length
    assert found.last_7 == Adherence(min(7, length), 7)
    assert found.last_30 == Adherence(min(30, length), 30)


@settings(max_examples=60, deadline=None)
@given(
    first=days_around_dst,
    zones=st.lists(
        st.sampled_from([*ZONES_WITH_DST, "Asia/Tokyo", "UTC"]), min_size=2, max_size=20
    ),
    at=morning_times,
    skip=st.integers(min_value=0, max_value=19),
)
def test_travelling_between_zones_counts_each_local_morning_once(
    first: date, zones: list[str], at: time, skip: int
) -> None:
    days = [first + timedelta(days=n) for n in range(len(zones))]
    kept = [n for n in range(len(days)) if n != skip % len(days)]
    sessions = [session_at(local(days[n], at, zones[n])) for n in kept]
    # A second, late session on a kept day changes nothing: a day counts once.
    sessions.append(session_at(local(days[kept[0]], time(11, 59, 59), zones[kept[0]])))

    found = habit_days(sessions, WINDOW)

    assert found == {days[n] for n in kept}
    assert best_streak(found) == max(len(run) for run in _runs(sorted(kept)))


def _runs(numbers: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


@settings(max_examples=60, deadline=None)
@given(
    day=days_around_dst,
    zone=st.sampled_from(ZONES_WITH_DST),
    at=st.times(),
)
def test_a_session_counts_exactly_when_its_local_wall_time_is_in_the_window(
    day: date, zone: str, at: time
) -> None:
    moment = local(day, at, zone)
    # A wall time that does not exist (the spring gap) shifts; compare with what the zone says.
    wall = moment.astimezone(UTC).astimezone(ZoneInfo(zone))

    found = morning_day(session_at(moment), WINDOW)

    expected = wall.date() if time(4, 0) <= wall.time() < time(12, 0) else None
    assert found == expected


@settings(max_examples=40, deadline=None)
@given(
    first=days_around_dst,
    done=st.lists(st.integers(min_value=0, max_value=40), max_size=30),
    noise=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=40),
            st.sampled_from(
                [SessionStatus.STOPPED, SessionStatus.INTERRUPTED, SessionStatus.IN_PROGRESS]
            ),
            st.booleans(),
        ),
        max_size=30,
    ),
    zone=st.sampled_from(ZONES_WITH_DST),
)
def test_practice_runs_and_unfinished_sessions_never_change_the_habit(
    first: date,
    done: list[int],
    noise: list[tuple[int, SessionStatus, bool]],
    zone: str,
) -> None:
    real = [session_at(local(first + timedelta(days=d), time(7, 0), zone)) for d in done]
    extra = [
        session_at(local(first + timedelta(days=d), time(8, 0), zone), status=status)
        for d, status, _ in noise
    ] + [
        session_at(local(first + timedelta(days=d), time(9, 0), zone), practice=True)
        for d, _, practice in noise
        if practice
    ]
    now = local(first + timedelta(days=41), time(10, 0), zone)

    assert habit(real + extra, now=now, zone=ZoneInfo(zone), window=WINDOW) == habit(
        real, now=now, zone=ZoneInfo(zone), window=WINDOW
    )
