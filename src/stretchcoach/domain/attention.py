"""Who needs a clinician's attention first: the clinical core's verdict per patient, ranked.

Each patient's figures come from the summary the store keeps of their records
(domain/clinical/inputs.py), worked out at the time of asking: the mornings done in the last 7
and 30 days are counted by domain/adherence in the patient's own zone and morning window, as
their own `stats` counts them; pain and the forward fold are averaged over the last 7 days and
the 23 before. The safety verdict (warning signs, stop rules, worsening, spread, nerve) is the
clinical core's, the same one the patient sees (domain/clinical/). This module only orders
patients and words the reasons: a flag's clinician wording, then missed days. The app never
diagnoses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from statistics import fmean
from zoneinfo import ZoneInfo

from stretchcoach.domain.adherence import MorningWindow, adherence, counted_days, today_is_open
from stretchcoach.domain.centralisation import Direction
from stretchcoach.domain.clinical import Verdict
from stretchcoach.domain.clinical.horizon import first_span_end, local_moment, record_times
from stretchcoach.domain.clinical.inputs import VerdictInputs
from stretchcoach.domain.safety import Severity
from stretchcoach.domain.values import Side

LOW_ADHERENCE_DAYS = 3  # of the last 7
RECENT = timedelta(days=7)  # pain and fold: the last 7 days, against the 23 before
WINDOW = timedelta(days=30)
SEVERITY_SCORE = {
    Severity.URGENT: 100,
    Severity.SEE_DOCTOR: 60,
    Severity.STOP: 50,
    Severity.EASE_OFF: 30,
    Severity.INFO: 0,
}


class Spread(StrEnum):
    """Where the pain is heading, per the clinical core's reading of the patient's journal."""

    CENTRALISING = "centralising"  # retreating toward the back: a good sign
    PERIPHERALISING = "peripheralising"  # spreading down a leg: a warning
    STEADY = "steady"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class PatientFigures:
    """One patient's recent figures (figures_at). None: nothing recorded."""

    patient_id: str
    display_name: str
    days_7: int  # mornings done among the last 7 days (domain/adherence)
    days_30: int
    last_session_at: datetime | None  # the latest session in the last 30 days
    pain_recent: float | None  # mean score, last 7 days
    pain_before: float | None  # mean score, the 23 days before
    flex_recent_deg: float | None  # mean deepest good-form fold, last 7 days
    flex_before_deg: float | None
    screened_at: datetime | None


def figures_at(
    inputs: VerdictInputs,
    *,
    patient_id: str,
    display_name: str,
    now: datetime,
    zone: ZoneInfo,
    window: MorningWindow,
) -> PatientFigures:
    """A patient's figures at `now` from their summary, in their zone and morning window."""
    recent, since = now - RECENT, now - WINDOW
    days = counted_days(inputs.starts, window)
    today = now.astimezone(zone).date()
    open_ = today_is_open(days, now=now, zone=zone, window=window)
    pain = [(at, score) for at, score in inputs.pain if at >= since]
    folds = [(at, total, count) for at, total, count in inputs.folds if at >= since]

    def mean_fold(rows: list[tuple[datetime, float, int]]) -> float | None:
        count = sum(n for _, _, n in rows)
        return sum(total for _, total, _ in rows) / count if count else None

    return PatientFigures(
        patient_id=patient_id,
        display_name=display_name,
        days_7=adherence(days, today, over_days=7, today_open=open_).done,
        days_30=adherence(days, today, over_days=30, today_open=open_).done,
        last_session_at=inputs.last_session_at
        if inputs.last_session_at is not None and inputs.last_session_at >= since
        else None,
        pain_recent=_mean([score for at, score in pain if at >= recent]),
        pain_before=_mean([score for at, score in pain if at < recent]),
        flex_recent_deg=mean_fold([f for f in folds if f[0] >= recent]),
        flex_before_deg=mean_fold([f for f in folds if f[0] < recent]),
        screened_at=inputs.screened_at,
    )


def figures_steady_until(
    inputs: VerdictInputs, *, now: datetime, zone: ZoneInfo, window: MorningWindow
) -> datetime:
    """The first moment after `now` at which `figures_at` may read differently with the same
    records: the end (or start) of today's morning window or the next local midnight (days
    done, and whether today is still open), or a record leaving the last 7 or 30 days."""
    today = now.astimezone(zone).date()
    turns = [local_moment(today, clock, zone) for clock in (window.start, window.end)]
    return min(
        local_moment(today + timedelta(days=1), time(0), zone),
        *(turn for turn in turns if turn > now),
        first_span_end(record_times(inputs), (RECENT, WINDOW), now=now),
    )


def _mean(values: list[int]) -> float | None:
    return fmean(values) if values else None


@dataclass(frozen=True, slots=True)
class PatientStatus:
    figures: PatientFigures
    verdict: Verdict
    score: int
    reasons: tuple[str, ...]
    spread: Spread
    pain_change: float | None
    flex_change_deg: float | None

    @property
    def red_flag(self) -> bool:
        """A warning-sign yes stands that no one has settled (the verdict's open answers)."""
        return bool(self.verdict.gate.open)


def _change(recent: float | None, before: float | None) -> float | None:
    return None if recent is None or before is None else recent - before


def spread(directions: dict[Side, Direction]) -> Spread:
    """One word for both legs: spreading on either leg outranks retreating."""
    found = set(directions.values())
    if Direction.PERIPHERALISING in found:
        return Spread.PERIPHERALISING
    if Direction.CENTRALISING in found:
        return Spread.CENTRALISING
    if Direction.STABLE in found:
        return Spread.STEADY
    return Spread.UNKNOWN


def assess(figures: PatientFigures, verdict: Verdict) -> PatientStatus:
    """The patient's attention score (higher first) and the reasons for it."""
    score = 0
    reasons: list[str] = []
    for flag in verdict.flags:
        if flag.severity is Severity.INFO and not flag.code.startswith("seen-"):
            continue
        score += SEVERITY_SCORE[flag.severity]
        reasons.append(flag.for_clinician)
    if figures.days_30 == 0:
        score += 20
        reasons.append("no morning stretch in 30 days")
    elif figures.days_7 < LOW_ADHERENCE_DAYS:
        score += 10 + 3 * (LOW_ADHERENCE_DAYS - figures.days_7)
        reasons.append(f"stretched on {figures.days_7} of the last 7 mornings")
    moved = spread(verdict.signals.directions)
    if moved is Spread.CENTRALISING:
        score -= 5
    return PatientStatus(
        figures=figures,
        verdict=verdict,
        score=score,
        reasons=tuple(reasons),
        spread=moved,
        pain_change=_change(figures.pain_recent, figures.pain_before),
        flex_change_deg=_change(figures.flex_recent_deg, figures.flex_before_deg),
    )


def by_attention(statuses: list[PatientStatus]) -> list[PatientStatus]:
    """Who needs attention first; ties by name, then id."""
    return sorted(
        statuses, key=lambda s: (-s.score, s.figures.display_name.lower(), s.figures.patient_id)
    )
