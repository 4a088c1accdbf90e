"""Who needs attention first: the rules over each patient's figures."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stretchcoach.domain.attention import PatientFigures, Spread, assess, by_attention, spread

CALM = PatientFigures(
    patient_id="p1",
    display_name="Calm",
    days_7=7,
    days_30=30,
    last_session_at=None,
    pain_recent=3.0,
    pain_before=3.0,
    reach_recent=1.0,
    reach_before=1.0,
    flex_recent_deg=60.0,
    flex_before_deg=55.0,
    red_flag=False,
    screened_at=None,
)


@pytest.mark.parametrize(
    ("change", "reasons"),
    [
        ({}, ()),
        ({"red_flag": True}, ("answered yes to a warning sign",)),
        ({"reach_recent": 3.0}, ("pain reaching further down the leg",)),
        ({"pain_recent": 4.5}, ("pain up 1.5 points",)),
        ({"pain_recent": 3.9}, ()),
        ({"days_7": 1}, ("stretched on 1 of the last 7 days",)),
        ({"days_7": 0, "days_30": 0}, ("no sessions in 30 days",)),
        ({"pain_before": None}, ()),
    ],
    ids=[
        "calm",
        "red-flag",
        "spreading",
        "pain-up",
        "small-rise-ignored",
        "missed-days",
        "no-sessions",
        "no-earlier-pain",
    ],
)
def test_each_rule_gives_its_reason(change: dict[str, object], reasons: tuple[str, ...]) -> None:
    status = assess(replace(CALM, **change))  # type: ignore[arg-type]

    assert status.reasons == reasons


@pytest.mark.parametrize(
    ("recent", "before", "expected"),
    [
        (0.5, 2.0, Spread.CENTRALISING),
        (3.0, 2.0, Spread.PERIPHERALISING),
        (2.2, 2.0, Spread.STEADY),
        (None, 2.0, Spread.UNKNOWN),
    ],
    ids=["toward-the-back", "down-the-leg", "same-place", "no-recent-entries"],
)
def test_spread_compares_how_far_the_pain_reaches(
    recent: float | None, before: float | None, expected: Spread
) -> None:
    assert spread(replace(CALM, reach_recent=recent, reach_before=before)) is expected


figures = st.builds(
    PatientFigures,
    patient_id=st.uuids().map(str),
    display_name=st.text(min_size=1, max_size=8),
    days_7=st.integers(0, 7),
    days_30=st.integers(7, 30),
    last_session_at=st.none(),
    pain_recent=st.none() | st.floats(0, 10),
    pain_before=st.none() | st.floats(0, 10),
    reach_recent=st.none() | st.floats(0, 5),
    reach_before=st.none() | st.floats(0, 5),
    flex_recent_deg=st.none(),
    flex_before_deg=st.none(),
    red_flag=st.booleans(),
    screened_at=st.none(),
)


@given(st.lists(figures, max_size=12))
def test_anyone_with_a_red_flag_comes_before_everyone_without(
    patients: list[PatientFigures],
) -> None:
    ordered = [s.figures.red_flag for s in by_attention(patients)]

    assert ordered == sorted(ordered, reverse=True)
    assert len(ordered) == len(patients)
