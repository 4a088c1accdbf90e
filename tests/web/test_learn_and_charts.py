"""What the Learn drawing shows and what the history charts' axes say."""

from __future__ import annotations

import itertools
import re
from datetime import date

import httpx

from stretchcoach.web import charts

LIMB = re.compile(r'<path d="([^"]+)" class="limb"/>')
FLOOR = re.compile(r'<line x1="\d+" y1="(\d+)" x2="\d+" y2="\d+" class="floor"/>')


def points(path: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", path)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def test_the_learn_drawing_rests_the_straight_leg_on_the_floor_heel_down(
    client: httpx.Client,
) -> None:
    page = client.get("/learn").text

    found = FLOOR.search(page)
    assert found
    floor_y = int(found.group(1))
    limbs = [points(d) for d in LIMB.findall(page)]
    leg = max(limbs, key=lambda p: p[-1][0])  # the limb reaching furthest out: the straight leg
    heel_x, heel_y = leg[-1]

    assert heel_x > 250
    assert floor_y - 12 <= heel_y <= floor_y  # on the floor, not held up in the air
    assert all(b[1] > a[1] for a, b in itertools.pairwise(leg))  # down from the hip
    assert "heel resting on the floor" in page


def test_the_line_charts_name_their_axis_and_its_unit() -> None:
    points_ = [(date(2026, 1, 3), 95.0), (date(2026, 1, 5), 101.0)]

    svg = charts.line_chart(
        {"Left leg": points_},
        first=date(2026, 1, 1),
        last=date(2026, 1, 7),
        y_min=60,
        y_max=120,
        label="How far you lean",
        unit="°",
        axis="Hip bend, in degrees",
    )

    ticks = re.findall(r'<text x="0" y="[\d.]+" class="axis">([^<]+)</text>', svg)
    assert ticks == ["60°", "90°", "120°", "Hip bend, in degrees"]


def test_the_history_page_says_what_each_chart_counts(client: httpx.Client) -> None:
    page = client.get("/history").text

    assert "Pain, 0 (none) to 10 (worst)" in page
