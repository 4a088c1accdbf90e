"""What the form coach learns about one person: their usual depth and where their hold starts.

Both come from the flexibility figures of their own earlier holds (the deepest fold held 1 s
in good form, per leg): the services read them from the store before a session, and the
tracker adds each hold it finishes, so the coach keeps learning across the holds of a
session. Nothing here is stored on its own: it is always derived from the holds.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from stretchcoach.domain.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds
from stretchcoach.domain.values import Side

LEARN_FROM = 5  # the start follows the median of this many most recent figures per leg
LEVEL_THIGH_DEG = 90.0  # the fold of someone sitting tall with the leg out level: lean 0


@dataclass(frozen=True, slots=True)
class UsualForm:
    """One person's recent flexibility figures per leg, oldest first (degrees of hip flexion)."""

    folds_deg: Mapping[Side, Sequence[float]] = field(default_factory=dict)

    @property
    def depth_deg(self) -> dict[Side, float]:
        """Each leg's usual depth: its most recent figure. Well past it quickly is "too deep
        too fast"."""
        return {side: folds[-1] for side, folds in self.folds_deg.items() if folds}

    def start_lean_deg(
        self, side: Side | None, *, thresholds: FormThresholds = DEFAULT_THRESHOLDS
    ) -> float:
        """The trunk lean that starts a hold on this leg.

        The fixed `lean_enter_deg` (12°) until the person has holds on that leg; then half of
        the lean they usually hold (their figure over 90°, the fold with the thigh level and
        the back upright), between `lean_enter_min_deg` and `lean_enter_deg`. Someone who
        holds at 25° or more keeps 12°; someone very tight, holding at 16°, starts at 8°.
        """
        t = thresholds
        folds = self.folds_deg.get(side, ()) if side is not None else ()
        if not folds:
            return t.lean_enter_deg
        usual_lean = statistics.median(folds[-LEARN_FROM:]) - LEVEL_THIGH_DEG
        share = t.lean_enter_share * usual_lean
        return round(min(t.lean_enter_deg, max(t.lean_enter_min_deg, share)), 1)

    def with_hold(self, side: Side, fold_deg: float) -> UsualForm:
        """The same, having seen one more hold on `side` with this figure."""
        folds = {s: tuple(f) for s, f in self.folds_deg.items()}
        folds[side] = (*folds.get(side, ()), fold_deg)[-LEARN_FROM:]
        return UsualForm(folds)
