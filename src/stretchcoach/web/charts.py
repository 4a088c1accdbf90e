"""Charts drawn on the server as small SVG documents: no script, readable by screen readers.

Each chart has a role="img" and an aria-label that says in words what it shows, and a
<title> on every mark so a long press or hover tells the value. Colours come from app.css
classes so the pages stay in one palette.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from html import escape

CELL = 14
GAP = 3
DAY_NAMES = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def _attr(text: str) -> str:
    return escape(text, quote=True)


def adherence_calendar(days: frozenset[date] | set[date], *, first: date, today: date) -> str:
    """A week-per-column grid from `first` to `today`; a filled square is a morning done."""
    start = first - timedelta(days=first.weekday())  # back to Monday
    weeks = (today - start).days // 7 + 1
    left, top = 42, 22
    width = left + weeks * (CELL + GAP)
    height = top + 7 * (CELL + GAP)
    done = sum(1 for d in days if first <= d <= today)
    total = (today - first).days + 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart calendar" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_attr(f"Stretch calendar: {done} of the last {total} days done")}">'
    ]
    for row, name in enumerate(DAY_NAMES):
        if name:
            y = top + row * (CELL + GAP) + CELL - 3
            parts.append(f'<text x="0" y="{y}" class="axis">{name}</text>')
    for week in range(weeks):
        monday = start + timedelta(weeks=week)
        x = left + week * (CELL + GAP)
        sunday = monday + timedelta(days=6)
        if sunday.day <= 7:  # the 1st of a month falls in this week: name the month
            at_end = week == weeks - 1  # the last column: the name ends at its right edge
            anchor = f'x="{x + CELL}" text-anchor="end"' if at_end else f'x="{x}"'
            parts.append(f'<text {anchor} y="15" class="axis">{sunday:%b}</text>')
        for row in range(7):
            day = monday + timedelta(days=row)
            if day < first or day > today:
                continue
            y = top + row * (CELL + GAP)
            state = "done" if day in days else "missed"
            extra = " today" if day == today else ""
            label = f"{day:%a %d %b}: {'stretched' if state == 'done' else 'no stretch'}"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="3" '
                f'class="day {state}{extra}"><title>{_attr(label)}</title></rect>'
            )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    series: Mapping[str, Sequence[tuple[date, float]]],
    *,
    first: date,
    last: date,
    y_min: float,
    y_max: float,
    label: str,
    unit: str = "",
    axis: str = "",
    width: int = 300,
    height: int = 170,
) -> str:
    """Lines over days, one per named series, with a light grid; empty series are skipped.

    `axis` names what the upright axis counts, with its unit (`pain, 0 to 10`), above it;
    `unit` follows each of its numbers (`°`) and each value said in words.
    About as wide in its own units as a small phone shows it, so its labels stay readable."""
    left, right, top, bottom = 36 + 8 * len(unit), 8, 30 if axis else 12, 28
    span_days = max((last - first).days, 1)
    y_span = (y_max - y_min) or 1.0

    def x_of(day: date) -> float:
        return left + (width - left - right) * (day - first).days / span_days

    def y_of(value: float) -> float:
        return top + (height - top - bottom) * (1 - (value - y_min) / y_span)

    points_total = sum(len(points) for points in series.values())
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart line" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_attr(_describe(series, label, unit))}">'
    ]
    for tick in _ticks(y_min, y_max):
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
        )
        parts.append(f'<text x="0" y="{y + 5:.1f}" class="axis">{tick:g}{_attr(unit)}</text>')
    if axis:
        parts.append(f'<text x="0" y="16" class="axis">{_attr(axis)}</text>')
    parts.append(f'<text x="{left}" y="{height - 4}" class="axis">{first:%d %b}</text>')
    parts.append(
        f'<text x="{width - right}" y="{height - 4}" class="axis" text-anchor="end">'
        f"{last:%d %b}</text>"
    )
    for index, (name, points) in enumerate(series.items()):
        if not points:
            continue
        ordered = sorted(points)
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{x_of(d):.1f},{y_of(v):.1f}"
            for i, (d, v) in enumerate(ordered)
        )
        parts.append(f'<path d="{path}" class="series s{index}" fill="none"/>')
        for day, value in ordered:
            parts.append(
                f'<circle cx="{x_of(day):.1f}" cy="{y_of(value):.1f}" r="3" '
                f'class="series s{index}">'
                f"<title>{_attr(f'{name} {day:%d %b}: {value:g}{unit}')}</title></circle>"
            )
    if points_total == 0:
        parts.append(
            f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" class="empty" text-anchor="middle">'
            "Nothing recorded yet</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _ticks(low: float, high: float) -> list[float]:
    step = (high - low) / 2
    return [low, low + step, high]


def _describe(series: Mapping[str, Sequence[tuple[date, float]]], label: str, unit: str) -> str:
    bits = []
    for name, points in series.items():
        if not points:
            continue
        ordered = sorted(points)
        first, last = ordered[0], ordered[-1]
        bits.append(
            f"{name}: {len(ordered)} readings, from {first[1]:g}{unit} on {first[0]:%d %b} "
            f"to {last[1]:g}{unit} on {last[0]:%d %b}"
        )
    return f"{label}. " + ("; ".join(bits) if bits else "Nothing recorded yet.")
