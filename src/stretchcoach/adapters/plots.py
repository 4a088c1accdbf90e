"""The insight picture (matplotlib, Agg): pain around each session, and the mornings calendar.

Top: pain before (hollow) and after (filled) each session, joined by a short line, with a
faint mark for every session and ratings logged on their own in grey. Bottom: one square per
day, a column per week: a morning done, a stretch outside the morning, or nothing. PNG or SVG
by the file's extension. matplotlib is imported only when a picture is drawn.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from stretchcoach.errors import InvalidInput
from stretchcoach.services.stats import PlotData

FORMATS = (".png", ".svg")
DONE = "#2e8b57"
OTHER = "#e8a317"
MISSED = "#e6e6e6"
BEFORE = "#4f6d9a"
AFTER = "#d9734e"


def check_path(path: Path) -> Path:
    if path.suffix.lower() not in FORMATS:
        raise InvalidInput(f"cannot draw to {str(path)!r}: the file name must end in .png or .svg")
    return path


def draw_insight(data: PlotData, path: Path) -> Path:
    """Write the picture to `path` (.png or .svg) and return it."""
    check_path(path)
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.figure import Figure

    weeks = _weeks(data)
    figure: Figure = plt.figure(figsize=(9, 6.6), dpi=110, layout="constrained")
    try:
        top, bottom = figure.subplots(2, 1, height_ratios=[3, 1.9])
        _pain_panel(top, data)
        _calendar_panel(bottom, data, weeks)
        figure.suptitle(
            f"Your stretch, {data.first_day:%d %b %Y} to {data.today:%d %b %Y}",
            fontsize=13,
            fontweight="bold",
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            figure.savefig(path, format=path.suffix.lower().lstrip("."))
        except OSError as error:
            raise InvalidInput(f"cannot write {str(path)!r}: {error.strerror}") from None
    finally:
        plt.close(figure)
    return path


def _pain_panel(ax: Any, data: PlotData) -> None:
    import matplotlib.dates as mdates

    start = data.first_day
    end = data.today + timedelta(days=1)
    for mark in data.sessions:
        ax.axvline(
            _wall(mark.at), color=DONE if mark.counted else OTHER, alpha=0.35, lw=1.2, zorder=0
        )
    paired = [m for m in data.sessions if m.before is not None and m.after is not None]
    for m in paired:
        ax.plot([_wall(m.at), _wall(m.at)], [m.before, m.after], color="#999999", lw=1, zorder=1)
    befores = [m for m in data.sessions if m.before is not None]
    afters = [m for m in data.sessions if m.after is not None]
    ax.scatter(
        [_wall(m.at) for m in befores],
        [m.before for m in befores],
        s=36,
        facecolors="white",
        edgecolors=BEFORE,
        linewidths=1.6,
        label="before a session",
        zorder=3,
    )
    ax.scatter(
        [_wall(m.at) for m in afters],
        [m.after for m in afters],
        s=36,
        color=AFTER,
        label="after a session",
        zorder=3,
    )
    if data.other_pain:
        ax.scatter(
            [_wall(at) for at, _ in data.other_pain],
            [score for _, score in data.other_pain],
            s=22,
            color="#8a8a8a",
            marker="D",
            label="logged on its own",
            zorder=2,
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
    # matplotlib.dates has no annotations for these two:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
    handles, labels = ax.get_legend_handles_labels()
    from matplotlib.lines import Line2D

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


def _calendar_panel(ax: Any, data: PlotData, weeks: int) -> None:
    from matplotlib.patches import Patch, Rectangle

    monday = data.first_day - timedelta(days=data.first_day.weekday())
    for mark in data.calendar:
        column = (mark.day - monday).days // 7
        row = mark.day.weekday()
        colour = DONE if mark.done else OTHER if mark.other else MISSED
        ax.add_patch(Rectangle((column + 0.06, row + 0.06), 0.88, 0.88, color=colour, linewidth=0))
        if mark.day == data.today:
            ax.add_patch(
                Rectangle(
                    (column + 0.06, row + 0.06), 0.88, 0.88, fill=False, color="#333333", lw=1.4
                )
            )
    ax.set_xlim(0, weeks)
    ax.set_ylim(7, 0)
    ax.set_aspect("equal")
    ax.set_yticks([n + 0.5 for n in range(7)], ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
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
    done = sum(1 for m in data.calendar if m.done)
    ax.set_title(
        f"Mornings ({data.window}): {done} of {len(data.calendar)} days",
        loc="left",
        fontsize=10,
    )
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


def _weeks(data: PlotData) -> int:
    monday = data.first_day - timedelta(days=data.first_day.weekday())
    return (data.today - monday).days // 7 + 1


def _at_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def _wall(moment: datetime) -> datetime:
    """Local wall-clock time as matplotlib should place it (it would convert aware ones to UTC)."""
    return moment.replace(tzinfo=None)
