"""Where the pain reaches, day by day, and which way it is moving on each side.

Centralisation is the furthest point of pain retreating toward the spine (a good sign);
peripheralisation is the pain spreading further down the leg (a reason to ease off). For each
side we take, per local day, the furthest region that hurt (lower back 0 ... big toe 5), or
`NO_PAIN` when the person said where it hurt and this side was not among the places, or a
rating of 0. A rating given without any place says nothing about where, so it is left out.

The current direction compares the latest day with data against where the pain reached when
the window started (the mean of its first few days with pain on that side): a move of a whole
region or more either way is a direction, less is stable. A pain-free day sets no starting
point: pain that comes back after a rating of 0 (or on a side a rating left out) has not
spread unless it reaches further than it did before, and pain on a side that had none is new
pain there (the second-leg rule speaks of it), not pain spreading. A pain-free latest day after
pain is centralising. Back pain rising while leg pain retreats still counts as centralising,
because only the furthest point is compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from stretchcoach.domain.journal import PainEntry, Region, region_words
from stretchcoach.domain.values import Side

NO_PAIN = -1  # the side was pain-free that day
REACH_STEP = 1.0  # regions the furthest point must move to count as a direction
BASELINE_DAYS = 3  # days with pain, at the start of the window, that set where it started
DEFAULT_DAYS = 14


class Direction(StrEnum):
    CENTRALISING = "centralising"  # retreating toward the back: a good sign
    PERIPHERALISING = "peripheralising"  # spreading down the leg: ease off
    STABLE = "stable"
    NO_DATA = "no-data"  # fewer than two days that say where it hurt


@dataclass(frozen=True, slots=True)
class DayReach:
    """How far down one leg the pain reached on one local day."""

    day: date
    depth: int | None  # NO_PAIN, a Region.depth, or None when nothing says where

    @property
    def label(self) -> str:
        return depth_label(self.depth)


def depth_label(depth: int | None) -> str:
    if depth is None:
        return "no record"
    if depth == NO_PAIN:
        return "no pain"
    return region_words(list(Region)[depth])


def entry_reach(entry: PainEntry, side: Side) -> int | None:
    """The furthest region one entry reports on a side; NO_PAIN, or None if it says nothing."""
    if entry.score == 0:
        return NO_PAIN
    if not entry.sites:
        return None
    depths = [site.region.depth for site in entry.sites if site.side is side]
    return max(depths) if depths else NO_PAIN


def daily_reach(
    entries: Sequence[PainEntry], *, zone: ZoneInfo, first: date, last: date
) -> dict[Side, list[DayReach]]:
    """Every local day from `first` to `last`, per side: the furthest the pain reached."""
    furthest: dict[tuple[Side, date], int] = {}
    for entry in entries:
        day = entry.recorded_at.astimezone(zone).date()
        if not first <= day <= last:
            continue
        for side in Side:
            depth = entry_reach(entry, side)
            if depth is None:
                continue
            key = (side, day)
            furthest[key] = max(furthest.get(key, NO_PAIN), depth)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return {side: [DayReach(day, furthest.get((side, day))) for day in days] for side in Side}


def direction(series: Sequence[DayReach]) -> Direction:
    """Which way the furthest point moved over one side's days."""
    known = [d.depth for d in series if d.depth is not None]
    if len(known) < 2:
        return Direction.NO_DATA
    *earlier, latest = known
    painful = [depth for depth in earlier if depth != NO_PAIN][:BASELINE_DAYS]
    if not painful:  # no pain on this side before: nothing to retreat from or spread past
        return Direction.STABLE
    baseline = sum(painful) / len(painful)
    moved = latest - baseline
    if moved <= -REACH_STEP:
        return Direction.CENTRALISING
    if moved >= REACH_STEP:
        return Direction.PERIPHERALISING
    return Direction.STABLE


def directions(
    entries: Sequence[PainEntry], *, today: date, zone: ZoneInfo, days: int = DEFAULT_DAYS
) -> dict[Side, Direction]:
    """Per side, the direction over the last `days` local days, today included."""
    series = daily_reach(entries, zone=zone, first=today - timedelta(days=days - 1), last=today)
    return {side: direction(series[side]) for side in Side}
