"""The camera's per-hold form metrics in the store, and the flexibility figure over time.

The flexibility figure of a session is, per leg, the deepest hip flexion held in good form
(degrees; larger is more flexible). It is a trend for one person and one camera set-up,
never a clinical measurement: docs/form.md says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from stretchcoach.domain.session import Hold
from stretchcoach.domain.values import Side

if TYPE_CHECKING:  # the history reads flexibility without the form coach's modules
    from stretchcoach.domain.form.metrics import HoldForm
    from stretchcoach.domain.form.personal import UsualForm
    from stretchcoach.domain.runner import HoldResult
    from stretchcoach.services.uow import ReadUnitOfWork, UnitOfWork

WEEK_S = 7 * 24 * 3600


def record_hold_with_form(
    session_id: str,
    result: HoldResult,
    form: HoldForm | None,
    *,
    uow: UnitOfWork,
    now: datetime,
) -> Hold:
    """Save a finished hold and what the camera saw of it in one transaction: both or neither,
    so a retry after a store hiccup never saves the hold twice."""
    hold = Hold.from_result(session_id, result, ended_at=now)
    with uow:
        uow.sessions.add_hold(hold)
        if form is not None:
            uow.hold_form.add(hold.id, form)
        uow.sessions.touch(session_id, now)
        uow.commit()
    return hold


def usual_form(*, uow: ReadUnitOfWork, user_id: str) -> UsualForm:
    """What this person's recent camera-watched sessions say of their holds: each leg's
    figures, oldest first. The most recent is the usual depth (past it quickly is "too deep
    too fast"); their median sets where a hold starts (`UsualForm.start_lean_deg`)."""
    with uow:
        sessions = uow.sessions.list_recent(user_id, limit=30)
        found = uow.hold_form.max_flexion_by_session([s.id for s in sessions])
    folds: dict[Side, list[float]] = {}
    for session in reversed(sessions):  # oldest first
        for side, deg in found.get(session.id, {}).items():
            folds.setdefault(side, []).append(deg)
    from stretchcoach.domain.form.personal import LEARN_FROM, UsualForm

    return UsualForm({side: tuple(f[-LEARN_FROM:]) for side, f in folds.items()})


@dataclass(frozen=True, slots=True)
class FlexibilityPoint:
    """One session's deepest good-form fold per leg (degrees of hip flexion)."""

    session_id: str
    started_at: datetime
    left_deg: float | None
    right_deg: float | None

    def of(self, side: Side) -> float | None:
        return self.left_deg if side is Side.LEFT else self.right_deg


@dataclass(frozen=True, slots=True)
class FlexibilityTrend:
    """Per-leg figures per session, oldest first, and each leg's slope in degrees per week."""

    points: tuple[FlexibilityPoint, ...]
    left_slope_deg_per_week: float | None
    right_slope_deg_per_week: float | None

    def figures(self, side: Side) -> list[float]:
        """One leg's figures, oldest first, leaving out sessions without one for it."""
        return [v for p in self.points if (v := p.of(side)) is not None]

    def slope(self, side: Side) -> float | None:
        """One leg's change in degrees per week."""
        return self.left_slope_deg_per_week if side is Side.LEFT else self.right_slope_deg_per_week


def session_flexibility(
    session_ids: list[str], *, uow: ReadUnitOfWork
) -> dict[str, dict[Side, float | None]]:
    """Each session's deepest good-form fold per leg; sessions without a camera are absent."""
    with uow:
        found = uow.hold_form.max_flexion_by_session(session_ids)
    return {sid: {side: found[sid].get(side) for side in Side} for sid in found}


def flexibility_trend(
    *, uow: ReadUnitOfWork, user_id: str, since: datetime | None = None
) -> FlexibilityTrend:
    """The flexibility figure per leg per session and how fast it changes (least squares)."""
    with uow:
        found = uow.hold_form.max_flexion_for_user(user_id, since=since)
    points = tuple(
        FlexibilityPoint(session_id, started_at, legs.get(Side.LEFT), legs.get(Side.RIGHT))
        for session_id, started_at, legs in found
    )
    return FlexibilityTrend(points, _slope(points, Side.LEFT), _slope(points, Side.RIGHT))


def _slope(points: tuple[FlexibilityPoint, ...], side: Side) -> float | None:
    """Least-squares slope of the figure against time, in degrees per week."""
    pairs = [
        (p.started_at.timestamp() / WEEK_S, v) for p in points if (v := p.of(side)) is not None
    ]
    if len(pairs) < 2:
        return None
    mean_t = sum(t for t, _ in pairs) / len(pairs)
    mean_y = sum(y for _, y in pairs) / len(pairs)
    spread = sum((t - mean_t) ** 2 for t, _ in pairs)
    if spread == 0:
        return None
    return round(sum((t - mean_t) * (y - mean_y) for t, y in pairs) / spread, 2)
