"""Where the pain reaches, day by day, and which way it moves on each side."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stretchcoach.domain.centralisation import (
    NO_PAIN,
    DayReach,
    Direction,
    daily_reach,
    direction,
    directions,
)
from stretchcoach.domain.journal import PainEntry, PainSite, Region, parse_sites
from stretchcoach.domain.values import Side

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 3, 20)


def note(day: date, where: str, score: int = 4, at: time = time(7, 30)) -> PainEntry:
    local = datetime.combine(day, at, tzinfo=PARIS)
    return PainEntry(
        id=f"{day}-{at}-{where}",
        user_id="u",
        recorded_at=local.astimezone(UTC),
        time_zone="Europe/Paris",
        score=score,
        sites=parse_sites(where),
    )


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


@pytest.mark.parametrize(
    ("places", "left", "right"),
    [
        ([], Direction.NO_DATA, Direction.NO_DATA),
        (["left:calf"], Direction.NO_DATA, Direction.NO_DATA),
        (
            ["left:foot", "left:calf", "left:thigh", "left:buttock"],
            Direction.CENTRALISING,
            Direction.STABLE,
        ),
        (
            ["left:thigh", "left:thigh", "left:thigh", "left:foot"],
            Direction.PERIPHERALISING,
            Direction.STABLE,
        ),
        (
            ["left:thigh", "left:calf", "left:thigh", "left:calf"],
            Direction.STABLE,
            Direction.STABLE,
        ),
        (
            ["right:calf,left:lower-back", "right:buttock,left:lower-back"],
            Direction.STABLE,
            Direction.CENTRALISING,
        ),
        (["left:calf", "left:lower-back"], Direction.CENTRALISING, Direction.STABLE),
        (
            ["left:calf,left:lower-back", "left:lower-back"],
            Direction.CENTRALISING,
            Direction.STABLE,
        ),
    ],
    ids=[
        "nothing",
        "one-day",
        "retreats-up-the-leg",
        "spreads-to-the-foot",
        "back-and-forth",
        "each-side-on-its-own",
        "only-the-back-left",
        "back-pain-stays-leg-pain-goes",
    ],
)
def test_direction_per_side_follows_the_furthest_point(
    places: list[str], left: Direction, right: Direction
) -> None:
    entries = [note(days_ago(len(places) - 1 - i), where) for i, where in enumerate(places)]

    assert directions(entries, today=TODAY, zone=PARIS) == {Side.LEFT: left, Side.RIGHT: right}


def test_a_pain_free_side_counts_as_retreating_all_the_way() -> None:
    entries = [note(days_ago(2), "left:foot"), note(days_ago(0), "right:buttock")]

    assert directions(entries, today=TODAY, zone=PARIS)[Side.LEFT] is Direction.CENTRALISING


def test_a_rating_without_places_says_nothing_about_where() -> None:
    entries = [note(days_ago(2), "left:foot"), note(days_ago(0), "")]

    assert directions(entries, today=TODAY, zone=PARIS)[Side.LEFT] is Direction.NO_DATA


def test_a_zero_rating_means_no_pain_on_either_side() -> None:
    entries = [note(days_ago(2), "left:calf,right:thigh"), note(days_ago(0), "", score=0)]

    assert directions(entries, today=TODAY, zone=PARIS) == {
        Side.LEFT: Direction.CENTRALISING,
        Side.RIGHT: Direction.CENTRALISING,
    }


def test_only_the_last_14_local_days_count() -> None:
    entries = [
        note(days_ago(14), "left:big-toe"),
        note(days_ago(1), "left:thigh"),
        note(days_ago(0), "left:thigh"),
    ]

    assert directions(entries, today=TODAY, zone=PARIS)[Side.LEFT] is Direction.STABLE
    assert directions(entries, today=TODAY, zone=PARIS, days=15)[Side.LEFT] is (
        Direction.CENTRALISING
    )


def test_days_are_the_persons_local_days_and_keep_the_furthest_of_the_day() -> None:
    late = note(days_ago(1), "left:foot", at=time(23, 30))  # 22:30 UTC, still that day
    early = note(days_ago(0), "left:thigh", at=time(0, 30))  # 23:30 UTC the day before
    later = note(days_ago(0), "left:calf", at=time(9, 0))

    series = daily_reach([late, early, later], zone=PARIS, first=days_ago(2), last=TODAY)

    assert [(d.day, d.label) for d in series[Side.LEFT]] == [
        (days_ago(2), "no record"),
        (days_ago(1), "foot"),
        (days_ago(0), "calf"),
    ]
    assert [d.depth for d in series[Side.RIGHT]] == [None, NO_PAIN, NO_PAIN]


depths = st.one_of(st.none(), st.integers(NO_PAIN, len(Region) - 1))
pain_depths = st.one_of(st.none(), st.integers(0, len(Region) - 1))
FLIP = {
    Direction.CENTRALISING: Direction.PERIPHERALISING,
    Direction.PERIPHERALISING: Direction.CENTRALISING,
    Direction.STABLE: Direction.STABLE,
    Direction.NO_DATA: Direction.NO_DATA,
}


def _series(values: list[int | None]) -> list[DayReach]:
    return [DayReach(days_ago(len(values) - 1 - i), v) for i, v in enumerate(values)]


@given(st.lists(pain_depths, max_size=20))
def test_the_mirror_of_a_series_with_pain_moves_the_other_way(values: list[int | None]) -> None:
    top = len(Region) - 1
    series = _series(values)
    mirrored = [
        DayReach(d.day, None if d.depth is None else top - d.depth) for d in series
    ]  # lower back <-> big toe, buttock <-> foot, thigh <-> calf

    assert direction(mirrored) is FLIP[direction(series)]


@given(st.lists(depths, max_size=20), st.integers(0, len(Region) - 1))
def test_a_pain_free_day_never_makes_the_pain_after_it_count_as_spreading(
    values: list[int | None], latest: int
) -> None:
    with_free_days = _series([*values, latest])
    without = _series([v for v in values if v != NO_PAIN] + [latest])

    if direction(with_free_days) is Direction.PERIPHERALISING:
        assert direction(without) is Direction.PERIPHERALISING


@given(st.lists(depths, max_size=20))
def test_a_pain_free_day_after_pain_is_always_centralising(values: list[int | None]) -> None:
    had_pain = any(v is not None and v != NO_PAIN for v in values)

    assert (direction(_series([*values, NO_PAIN])) is Direction.CENTRALISING) is had_pain


@pytest.mark.parametrize(
    ("ratings", "left"),
    [
        ([(0, ""), (1, "left:thigh"), (2, "left:thigh")], Direction.STABLE),
        ([(3, "left:calf"), (0, ""), (3, "left:calf")], Direction.STABLE),
        ([(0, ""), (2, "left:thigh"), (3, "left:foot")], Direction.PERIPHERALISING),
        ([(4, "right:thigh"), (4, "right:thigh,left:calf")], Direction.STABLE),
    ],
    ids=["from-zero-to-the-thigh", "back-where-it-was", "further-than-before", "new-leg"],
)
def test_pain_after_no_pain_spreads_only_past_where_it_reached(
    ratings: list[tuple[int, str]], left: Direction
) -> None:
    entries = [
        note(days_ago(len(ratings) - 1 - i), where, score=score)
        for i, (score, where) in enumerate(ratings)
    ]

    assert directions(entries, today=TODAY, zone=PARIS)[Side.LEFT] is left


@given(
    st.lists(
        st.tuples(st.sampled_from(list(Side)), st.sampled_from(list(Region))),
        min_size=1,
        max_size=4,
    ),
    st.integers(0, 13),
)
def test_swapping_legs_swaps_the_directions(places: list[tuple[Side, Region]], gap: int) -> None:
    def entries(swap: bool) -> list[PainEntry]:
        sites = frozenset(PainSite(s.other if swap else s, r) for s, r in places)
        first = note(days_ago(gap), "left:calf,right:calf")
        last = note(TODAY, "")
        return [first, PainEntry(**{**_fields(last), "sites": sites})]

    plain = directions(entries(False), today=TODAY, zone=PARIS)
    swapped = directions(entries(True), today=TODAY, zone=PARIS)

    assert swapped == {Side.LEFT: plain[Side.RIGHT], Side.RIGHT: plain[Side.LEFT]}


def _fields(entry: PainEntry) -> dict[str, object]:
    return {name: getattr(entry, name) for name in PainEntry.__slots__}
