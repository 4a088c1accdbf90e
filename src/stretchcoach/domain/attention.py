"""Who needs a clinician's attention first: rules over each patient's recent figures.

The store sums each patient's last 30 days (adherence, pain, how far down the leg the pain
reaches, how far they fold, the latest red-flag screen); these rules turn the figures into
an order and a short reason a clinician can read at a glance. The app never diagnoses: the
reasons describe what the patient reported, not what it means.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

PAIN_CHANGE = 1.0  # points on the 0-10 scale that count as a real change
REACH_CHANGE = 0.5  # regions along the leg (lower back 0 ... big toe 5)
LOW_ADHERENCE_DAYS = 3  # of the last 7


class Spread(StrEnum):
    """How the place of the pain moved between the earlier weeks and the last one."""

    CENTRALISING = "centralising"  # retreating toward the back: a good sign
    PERIPHERALISING = "peripheralising"  # spreading down the leg: a warning
    STEADY = "steady"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class PatientFigures:
    """One patient's recent figures, as the store aggregates them. None: nothing recorded."""

    patient_id: str
    display_name: str
    days_7: int  # days with a finished session among the last 7
    days_30: int
    last_session_at: datetime | None
    pain_recent: float | None  # mean score, last 7 days
    pain_before: float | None  # mean score, the 23 days before
    reach_recent: float | None  # mean furthest region reached, last 7 days
    reach_before: float | None
    flex_recent_deg: float | None  # mean deepest good-form fold, last 7 days
    flex_before_deg: float | None
    red_flag: bool  # the latest warning-sign screen had a yes
    screened_at: datetime | None


@dataclass(frozen=True, slots=True)
class PatientStatus:
    figures: PatientFigures
    score: int
    reasons: tuple[str, ...]
    spread: Spread
    pain_change: float | None
    flex_change_deg: float | None


def _change(recent: float | None, before: float | None) -> float | None:
    return None if recent is None or before is None else recent - before


def spread(figures: PatientFigures) -> Spread:
    change = _change(figures.reach_recent, figures.reach_before)
    if change is None:
        return Spread.UNKNOWN
    if change <= -REACH_CHANGE:
        return Spread.CENTRALISING
    if change >= REACH_CHANGE:
        return Spread.PERIPHERALISING
    return Spread.STEADY


def assess(figures: PatientFigures) -> PatientStatus:
    """The patient's attention score (higher first) and the reasons for it."""
    score = 0
    reasons: list[str] = []
    if figures.red_flag:
        score += 100
        reasons.append("answered yes to a warning sign")
    moved = spread(figures)
    if moved is Spread.PERIPHERALISING:
        score += 40
        reasons.append("pain reaching further down the leg")
    pain_change = _change(figures.pain_recent, figures.pain_before)
    if pain_change is not None and pain_change >= PAIN_CHANGE:
        score += 30
        reasons.append(f"pain up {pain_change:.1f} points")
    if figures.days_30 == 0:
        score += 20
        reasons.append("no sessions in 30 days")
    elif figures.days_7 < LOW_ADHERENCE_DAYS:
        score += 10 + 3 * (LOW_ADHERENCE_DAYS - figures.days_7)
        reasons.append(f"stretched on {figures.days_7} of the last 7 days")
    if moved is Spread.CENTRALISING:
        score -= 5
    return PatientStatus(
        figures=figures,
        score=score,
        reasons=tuple(reasons),
        spread=moved,
        pain_change=pain_change,
        flex_change_deg=_change(figures.flex_recent_deg, figures.flex_before_deg),
    )


def by_attention(all_figures: list[PatientFigures]) -> list[PatientStatus]:
    """Everyone assessed, who needs attention first; ties by name, then id."""
    assessed = [assess(f) for f in all_figures]
    return sorted(
        assessed, key=lambda s: (-s.score, s.figures.display_name.lower(), s.figures.patient_id)
    )
