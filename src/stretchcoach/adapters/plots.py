"""The insight picture (matplotlib, Agg): pain around each session, and the mornings calendar.

Top: pain before (hollow) and after (filled) each session, joined by a short line, with a
faint mark for every session and ratings logged on their own in grey. Bottom: one square per
day, a column per week: a morning done, a stretch outside the morning, or nothing. PNG or SVG
by the file's extension. matplotlib is imported only when a picture is drawn, and only its
object API (no pyplot, no global figure list), so the web app may draw in several threads.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from stretchcoach.adapters.files import write_whole
from stretchcoach.domain.centralisation import NO_PAIN, DayReach, depth_label
from stretchcoach.domain.journal import Region
from stretchcoach.domain.values import Side
from stretchcoach.errors import InvalidInput
from stretchcoach.services.stats import PlotData

FORMATS = (".png", ".svg")
Grain = Literal["day", "week", "month"]
DONE = "#2e8b57"
OTHER = "#e8a317"
MISSED = "#e6e6e6"
BEFORE = "#4f6d9a"
AFTER = "#d9734e"
SIDE_COLOURS = {Side.LEFT: "#3b6ea8", Side.RIGHT: "#b5542f"}
MAX_CALENDAR_WEEKS = 60  # beyond this the report shows the mornings as a bar per month
MAX_SESSION_LINES = 150  # beyond this a faint line per session is only noise
WEEKLY_AFTER_DAYS = 90  # longer periods are read through weekly averages (and smaller dots)
MONTH_TICKS_AFTER_DAYS = 200  # the dates on the axis: "%d %b" up to here, "%b %Y" beyond
MONTHLY_AFTER_DAYS = 400  # longer still: monthly averages (in front of faint dots)


def check_path(path: Path) -> Path:
    if path.suffix.lower() not in FORMATS:
        raise InvalidInput(f"cannot draw to {str(path)!r}: the file name must end in .png or .svg")
    return path


def draw_insight(data: PlotData, path: Path) -> Path:
    """Write the picture to `path` (.png or .svg) and return it."""
    check_path(path)
    from matplotlib.figure import Figure

    weeks = _weeks(data)
    figure = Figure(figsize=(9, 6.6), dpi=110, layout="constrained")
    top, bottom = figure.subplots(2, 1, height_ratios=[3, 1.9])
    _pain_panel(top, data)
    _mornings_panel(bottom, data, weeks)
    figure.suptitle(
        f"Your stretch, {data.first_day:%d %b %Y} to {data.today:%d %b %Y}",
        fontsize=13,
        fontweight="bold",
    )
    picture = io.BytesIO()
    figure.savefig(picture, format=path.suffix.lower().lstrip("."))
    return write_whole(path, picture.getvalue())


# -- the clinician report's charts, as PNG bytes for the PDF -------------------------------


def pain_chart(data: PlotData, size: tuple[float, float]) -> bytes:
    """Pain before and after each session (the top of the insight picture)."""

    def draw(figure: Any) -> None:
        ax = figure.subplots()
        _pain_panel(ax, data)
        ax.set_ylabel("Pain, 0-10")  # the picture's longer label is cut on a short chart

    return _png(draw, size)


def calendar_chart(data: PlotData, max_width: float) -> tuple[bytes, tuple[float, float]]:
    """The mornings as a PNG no wider than `max_width` inches, and its size in inches.

    Up to MAX_CALENDAR_WEEKS a square per day (as in the insight picture); longer periods
    get a bar per month, since a square per day would be too small to read.
    """
    weeks = _weeks(data)
    if weeks > MAX_CALENDAR_WEEKS:
        size = (max_width, 2.0)
    else:
        cell = min(0.3, (max_width - 1.0) / weeks)
        size = (min(max_width, max(5.2, weeks * cell + 1.0)), 7 * cell + 0.95)
    png = _png(lambda figure: _mornings_panel(figure.subplots(), data, weeks, title=False), size)
    return png, size


def reach_chart(
    reach: Mapping[Side, Sequence[DayReach]], first: date, last: date, size: tuple[float, float]
) -> bytes:
    """How far down each leg the pain reached, day by day; the spine at the top."""
    return _png(lambda figure: _reach_panel(figure.subplots(), reach, first, last), size)


def _png(draw: Callable[[Any], None], size: tuple[float, float], dpi: int = 200) -> bytes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, dpi=dpi, layout="constrained")
    draw(figure)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _reach_panel(
    ax: Any, reach: Mapping[Side, Sequence[DayReach]], first: date, last: date
) -> None:
    import matplotlib.dates as mdates

    levels = [NO_PAIN, *(region.depth for region in Region)]
    any_record = False
    grain = _grain((last - first).days + 1)
    for offset, side in ((-0.09, Side.LEFT), (0.09, Side.RIGHT)):
        known = [(d.day, d.depth) for d in reach[side] if d.depth is not None]
        any_record = any_record or bool(known)
        if grain == "day":  # a step per day, a gap where nothing says where
            days = [_at_midnight(d.day) + timedelta(hours=12) for d in reach[side]]
            depths = [d.depth + offset if d.depth is not None else math.nan for d in reach[side]]
            style: dict[str, Any] = {"marker": "o", "markersize": 3.2, "drawstyle": "steps-mid"}
            label = f"{side.value} leg"
        else:  # months of daily steps are a solid block: the mean of each week or month
            means = _means([(_at_midnight(day), depth) for day, depth in known], by=grain)
            days = [at for at, _ in means]
            depths = [mean + offset for _, mean in means]
            style = {}
            label = f"{side.value} leg, {grain}ly average"
        ax.plot(days, depths, color=SIDE_COLOURS[side], lw=1.6, label=label, **style)
    if not any_record:
        ax.text(
            0.5,
            0.5,
            "No ratings in these days said where the pain was.",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="#666666",
        )
    ax.set_xlim(_at_midnight(first), _at_midnight(last + timedelta(days=1)))
    ax.set_ylim(max(levels) + 0.5, min(levels) - 0.5)  # the spine at the top, the toe below
    ax.set_yticks(levels, [depth_label(level) for level in levels], fontsize=8)
    ax.set_ylabel("Furthest point of pain")
    ax.grid(axis="y", color="#eeeeee")
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_locator(_date_locator(first, last))
    dates = mdates.DateFormatter(_date_format(first, last))  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(dates)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False, fontsize=8.5)


def _pain_panel(ax: Any, data: PlotData) -> None:
    import matplotlib.dates as mdates

    start = data.first_day
    end = data.today + timedelta(days=1)
    grain = _grain((end - start).days)
    long, years = grain != "day", grain == "month"  # years: a faint cloud behind the average
    dot = 5 if years else 12 if long else 36
    faint = 0.35 if years else 1.0
    lines = len(data.sessions) <= MAX_SESSION_LINES
    for mark in data.sessions if lines else ():
        ax.axvline(
            _wall(mark.at), color=DONE if mark.counted else OTHER, alpha=0.35, lw=1.2, zorder=0
        )
    paired = [m for m in data.sessions if m.before is not None and m.after is not None]
    ax.vlines(  # one collection, however many sessions
        [_wall(m.at) for m in paired],
        [m.before for m in paired],
        [m.after for m in paired],
        color="#999999",
        lw=1,
        alpha=0.2 if years else 1.0,
        zorder=1,
    )
    befores = [m for m in data.sessions if m.before is not None]
    afters = [m for m in data.sessions if m.after is not None]
    ax.scatter(
        [_wall(m.at) for m in befores],
        [m.before for m in befores],
        s=dot,
        facecolors="white",
        edgecolors=BEFORE,
        linewidths=1.0 if long else 1.6,
        alpha=faint,
        label="before a session",
        zorder=3,
    )
    ax.scatter(
        [_wall(m.at) for m in afters],
        [m.after for m in afters],
        s=dot,
        color=AFTER,
        alpha=faint,
        label="after a session",
        zorder=3,
    )
    if data.other_pain:
        ax.scatter(
            [_wall(at) for at, _ in data.other_pain],
            [score for _, score in data.other_pain],
            s=dot * 0.6,
            color="#8a8a8a",
            marker="D",
            alpha=faint,
            label="logged on its own",
            zorder=2,
        )
    if long:
        day_ratings = [(m.at, m.before) for m in befores if m.before is not None]
        means = _means(day_ratings + data.other_pain, by=grain)
        ax.plot(
            [_wall(at) for at, _ in means],
            [mean for _, mean in means],
            color="#1f2933",
            lw=2.2,
            label=f"{grain}ly average (not after a session)",
            zorder=4,
        )
    if not (befores or afters or data.other_pain):
        ax.text(
            0.5,
            0.5,
            "No pain ratings in these days yet.\nLog one with 'stretchcoach log --pain N'.",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="#666666",
        )
    ax.set_xlim(_at_midnight(start), _at_midnight(end))
    ax.set_ylim(-0.5, 10.5)
    ax.set_yticks(range(0, 11, 2))
    ax.set_ylabel("Pain (0 none, 10 worst)")
    ax.grid(axis="y", color="#eeeeee")
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_locator(_date_locator(start, data.today))
    # matplotlib.dates has no annotations for this one:
    dates = mdates.DateFormatter(_date_format(start, data.today))  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(dates)
    handles, labels = ax.get_legend_handles_labels()
    from matplotlib.lines import Line2D

    if lines:
        handles.append(Line2D([0], [0], color=DONE, alpha=0.5, lw=2))
        labels.append("a session (amber: outside the morning)")
    ax.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0, -0.1),
        ncol=2,
        frameon=False,
        fontsize=8.5,
    )


def _mornings_panel(ax: Any, data: PlotData, weeks: int, *, title: bool = True) -> None:
    """A square per day, or past MAX_CALENDAR_WEEKS (too small to read) a bar per month."""
    if weeks > MAX_CALENDAR_WEEKS:
        _months_panel(ax, data)
    else:
        _calendar_panel(ax, data, weeks)
    if title:
        done = sum(1 for m in data.calendar if m.done)
        ax.set_title(
            f"Mornings ({data.window}): {done} of {len(data.calendar)} days",
            loc="left",
            fontsize=10,
        )


def _calendar_panel(ax: Any, data: PlotData, weeks: int) -> None:
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch, Rectangle

    monday = data.first_day - timedelta(days=data.first_day.weekday())
    squares, colours = [], []
    for mark in data.calendar:
        x = (mark.day - monday).days // 7 + 0.06
        y = mark.day.weekday() + 0.06
        squares.append([(x, y), (x + 0.88, y), (x + 0.88, y + 0.88), (x, y + 0.88)])
        colours.append(DONE if mark.done else OTHER if mark.other else MISSED)
        if mark.day == data.today:
            ax.add_patch(Rectangle((x, y), 0.88, 0.88, fill=False, color="#333333", lw=1.4))
    ax.add_collection(PolyCollection(squares, facecolors=colours, linewidths=0))
    ax.set_xlim(0, weeks)
    ax.set_ylim(7, 0)
    ax.set_aspect("equal")
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    rows = range(7) if weeks <= 26 else range(0, 7, 2)  # every other day when squares are small
    ax.set_yticks([n + 0.5 for n in rows], [names[n] for n in rows])
    step = max(1, math.ceil(weeks / 10))  # week labels, two lines each: "12\nOct"
    ax.set_xticks(
        [n + 0.5 for n in range(0, weeks, step)],
        [
            f"{monday + timedelta(weeks=n):%d}\n{monday + timedelta(weeks=n):%b}"
            for n in range(0, weeks, step)
        ],
        fontsize=7.5,
    )
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.figure.legend(
        handles=[
            Patch(color=DONE, label="stretched in the morning"),
            Patch(color=OTHER, label="stretched at another time"),
            Patch(color=MISSED, label="no stretch"),
        ],
        loc="outside lower center",
        ncol=3,
        frameon=False,
        fontsize=8.5,
    )


def _months_panel(ax: Any, data: PlotData) -> None:
    """Per calendar month: the share of its days (in the period) with a morning stretch."""
    months: dict[date, list[bool]] = {}
    for mark in data.calendar:
        months.setdefault(mark.day.replace(day=1), []).append(mark.done)
    starts = sorted(months)
    shares = [100 * sum(months[m]) / len(months[m]) for m in starts]
    ax.bar(
        [_at_midnight(m) + timedelta(days=15) for m in starts],
        shares,
        width=24,
        color=DONE,
    )
    ax.set_xlim(_at_midnight(data.first_day), _at_midnight(data.today + timedelta(days=1)))
    ax.set_ylim(0, 100)
    ax.set_yticks([0, 50, 100], ["0%", "50%", "100%"], fontsize=8)
    ax.set_ylabel("Mornings done", fontsize=9)
    ax.grid(axis="y", color="#eeeeee")
    ax.spines[["top", "right"]].set_visible(False)
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))  # type: ignore[no-untyped-call]
    ax.tick_params(axis="x", labelsize=8)


def _grain(days: int) -> Grain:
    """How a chart of `days` days is read: day by day, or through weekly or monthly means."""
    if days > MONTHLY_AFTER_DAYS:
        return "month"
    return "week" if days > WEEKLY_AFTER_DAYS else "day"


def _means(values: Sequence[tuple[datetime, int]], *, by: Grain) -> list[tuple[datetime, float]]:
    """The mean of each local week (Monday to Sunday) or calendar month, at its middle."""
    groups: dict[date, list[int]] = {}
    for at, value in values:
        day = at.date()
        first = day.replace(day=1) if by == "month" else day - timedelta(days=day.weekday())
        groups.setdefault(first, []).append(value)
    middle = timedelta(days=15) if by == "month" else timedelta(days=3, hours=12)
    return [(_at_midnight(first) + middle, sum(v) / len(v)) for first, v in sorted(groups.items())]


def _date_locator(first: date, last: date) -> Any:
    """Ticks for an axis from `first` to `last`: while they fall on days, evenly spaced from
    `first` (matplotlib's own restart at each month's first day, two days after the 29th,
    and their labels collide); over longer spans, matplotlib's choice."""
    import matplotlib.dates as mdates

    days = (last - first).days + 1
    if 4 <= days <= MONTH_TICKS_AFTER_DAYS:
        step = -(-days // 8)  # at most 8 intervals
        every = mdates.rrulewrapper(mdates.DAILY, interval=step, dtstart=_at_midnight(first))  # type: ignore[no-untyped-call]
        return mdates.RRuleLocator(every)  # type: ignore[no-untyped-call]
    return mdates.AutoDateLocator(minticks=4, maxticks=9)  # type: ignore[no-untyped-call]


def _date_format(first: date, last: date) -> str:
    """Dates for an axis from `first` to `last` (both shown): hours for a day or two, then day
    and month while ticks can fall within a month, then month and year."""
    days = (last - first).days + 1
    if days == 1:
        return "%H:%M"
    if days <= 3:
        return "%a %H:%M"
    return "%b %Y" if days > MONTH_TICKS_AFTER_DAYS else "%d %b"


def _weeks(data: PlotData) -> int:
    monday = data.first_day - timedelta(days=data.first_day.weekday())
    return (data.today - monday).days // 7 + 1


def _at_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def _wall(moment: datetime) -> datetime:
    """Local wall-clock time as matplotlib should place it (it would convert aware ones to UTC)."""
    return moment.replace(tzinfo=None)
