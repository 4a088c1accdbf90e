"""Is the pain changing? The first week against the last, the slope, and the session effect.

The trend uses the ratings that describe the day (before a session, or logged on their own),
not the ones given straight after a stretch. The period starts on the first day with such a
rating (or the first day asked for, if later) and ends today; comparing a first and a last
week needs at least two weeks of it.

Whether a change is one "most people notice" follows the published group averages (Farrar
2001; Ostelo 2008; see docs/sources.md), which measured improvement: a fall of about 2 points
or 30% matched patients calling themselves "much improved".

- A fall: about 1 point from a start of 1-4, 2 points from 5-7, 3 points from 8-10, or 30% of
  the start, whichever comes first; never less than 1 point (`noticeable_threshold`).
- A rise (a convention: the papers measured improvement only): 2 points or 30% of the start,
  whichever is more, but never more than it takes to reach 9 (the top of the scale, 9-10, is
  reached from anywhere below it) and never less than 1 point (`noticeable_rise`). So small
  moves in mild pain (1 -> 2 -> 3) are not a worsening, and 8 -> 10 is one.

These are averages across many people, so the product says "a change most people notice", not
a verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from stretchcoach.domain.journal import PainContext, PainEntry, around_sessions

WEEK_DAYS = 7
MIN_PERIOD_DAYS = 2 * WEEK_DAYS
RELATIVE_CHANGE = 0.30  # of the start: a change most people notice, either way
RISE_POINTS = 2.0  # the absolute part of a noticeable rise
MIN_CHANGE = 1.0  # no change smaller than one step of the scale counts
TOP_BAND = 9  # 9 and 10: the top of the scale; a rise into it never needs more than reaching it


class Change(StrEnum):
    BETTER = "better"  # less pain, by a change most people notice
    WORSE = "worse"  # more pain, by a change most people notice
    SMALL = "small"  # a change smaller than most people notice
    TOO_EARLY = "too-early"  # not two weeks of ratings yet


@dataclass(frozen=True, slots=True)
class PainTrend:
    first_day: date | None
    last_day: date
    first_week_mean: float | None
    last_week_mean: float | None
    slope_per_week: float | None  # points per week, least squares over every rating
    threshold: float | None  # points a change needs, in its direction, to be one most notice
    change: Change

    @property
    def difference(self) -> float | None:
        if self.first_week_mean is None or self.last_week_mean is None:
            return None
        return self.last_week_mean - self.first_week_mean


def noticeable_threshold(baseline: float) -> float:
    """Points of fall most people notice, from a starting score on the 0-10 scale: the by-start
    band (1 point from 1-4, 2 from 5-7, 3 from 8-10) or 30% of the start, whichever comes
    first, never less than 1 point. Farrar 2001 found a fall of about 2 points or 30% matched
    "much improved", the percentage alike at every start, so the smaller of the two counts."""
    start = round(baseline)
    if start >= 8:
        points = 3.0
    elif start >= 5:
        points = 2.0
    else:
        points = 1.0
    return max(MIN_CHANGE, min(points, RELATIVE_CHANGE * baseline))


def noticeable_rise(reference: float) -> float:
    """Points of rise most people notice, from a reference on the 0-10 scale.

    Both parts of Farrar's "about 2 points or 30%", whichever is more: 2 points from a
    reference up to 6.7 (so 0 -> 1 -> 2 and 1 -> 2 -> 3 are not a worsening, where a 1-point
    floor called them one), 30% above it. The relative part never asks for more than the scale
    allows: the rise is capped at what it takes to reach 9, so any rise into 9-10 counts (from
    7, 30% would be 2.1 points, and 9 would not be enough; from 8, 2.4, and even 10 would not
    be). Never less than 1 point, the smallest step of the scale: from a reference above 9
    nothing higher is a rise of a whole point, and every morning at 9-10 is flagged on its own.
    For a reference of 9 or less the rise is always reachable: reference + rise <= 10.
    """
    wanted = max(RISE_POINTS, RELATIVE_CHANGE * reference)
    return max(MIN_CHANGE, min(wanted, TOP_BAND - reference))


def slope_per_week(points: Sequence[tuple[date, float]]) -> float | None:
    """Least-squares slope of score against day, in points per week; None under two days."""
    if len({day for day, _ in points}) < 2:
        return None
    origin = min(day for day, _ in points)
    xs = [(day - origin).days for day, _ in points]
    ys = [score for _, score in points]
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return sxy / sxx * WEEK_DAYS


def pain_trend(entries: Iterable[PainEntry], *, today: date, days: int) -> PainTrend:
    """The trend over the last `days` local days up to `today`."""
    start = today - timedelta(days=days - 1)
    points = sorted(
        (day, float(e.score))
        for e in entries
        if e.context is not PainContext.AFTER and start <= (day := e.local_time.date()) <= today
    )
    if not points:
        return PainTrend(None, today, None, None, None, None, Change.TOO_EARLY)
    first_day = points[0][0]
    slope = slope_per_week(points)
    if (today - first_day).days + 1 < MIN_PERIOD_DAYS:
        return PainTrend(first_day, today, None, None, slope, None, Change.TOO_EARLY)
    first_week = [s for d, s in points if d < first_day + timedelta(days=WEEK_DAYS)]
    last_week = [s for d, s in points if d > today - timedelta(days=WEEK_DAYS)]
    if not last_week:
        return PainTrend(first_day, today, None, None, slope, None, Change.TOO_EARLY)
    first_mean = sum(first_week) / len(first_week)
    last_mean = sum(last_week) / len(last_week)
    difference = last_mean - first_mean
    rising = difference > 0
    threshold = noticeable_rise(first_mean) if rising else noticeable_threshold(first_mean)
    if rising and difference >= threshold:
        change = Change.WORSE
    elif not rising and difference <= -threshold:
        change = Change.BETTER
    else:
        change = Change.SMALL
    return PainTrend(first_day, today, first_mean, last_mean, slope, threshold, change)


@dataclass(frozen=True, slots=True)
class SessionEffect:
    """Pain straight after a session minus just before it, averaged over sessions with both."""

    sessions: int
    mean_change: float | None


def session_effect(entries: Iterable[PainEntry]) -> SessionEffect:
    found = around_sessions(entries).values()
    changes = [pain.change for pain in found if pain.change is not None]
    if not changes:
        return SessionEffect(0, None)
    return SessionEffect(len(changes), sum(changes) / len(changes))
