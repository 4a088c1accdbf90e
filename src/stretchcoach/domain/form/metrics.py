"""What the camera found about one hold: its faults and its form metrics. No numpy here, so
the store and the services can name these without loading the pose maths."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from stretchcoach.domain.values import Side


class Fault(StrEnum):
    """What can be wrong with a stretch, most important first."""

    KNEE_BENT = "knee_bent"
    BACK_ROUNDED = "back_rounded"
    BOUNCING = "bouncing"
    TOO_DEEP_TOO_FAST = "too_deep_too_fast"
    TOO_FAST = "too_fast"


@dataclass(frozen=True, slots=True)
class HoldForm:
    """How one hold went, as the camera saw it. Times in seconds on the caller's clock."""

    side: Side
    start_s: float
    end_s: float
    good_form_s: float
    max_hip_flexion_deg: float | None  # deepest fold held 1 s while the form was right
    min_knee_deg: float | None  # the most the raised knee bent during the hold
    faults: dict[Fault, int] = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s
