"""What the camera found about one hold: its faults and its form metrics. No numpy here, so
the store and the services can name these without loading the pose maths."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

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


def form_json(form: HoldForm) -> dict[str, Any]:
    """One hold's form as JSON values, every fault counted: the one shape the web API, the
    camera socket, `analyze --json` and the pending journal write."""
    return {
        "side": form.side.value,
        "start_s": form.start_s,
        "end_s": form.end_s,
        "good_form_s": form.good_form_s,
        "max_hip_flexion_deg": form.max_hip_flexion_deg,
        "min_knee_deg": form.min_knee_deg,
        "faults": {fault.value: form.faults.get(fault, 0) for fault in Fault},
    }


def form_from_json(data: Mapping[str, Any]) -> HoldForm:
    """`form_json`'s shape read back (faults left out count 0); KeyError, ValueError or
    TypeError when it is not that shape."""

    def maybe(value: Any) -> float | None:
        return None if value is None else float(value)

    faults = data["faults"]
    if not isinstance(faults, Mapping):
        raise TypeError(f"faults must be counts by name, not {faults!r}")

    return HoldForm(
        side=Side(data["side"]),
        start_s=float(data["start_s"]),
        end_s=float(data["end_s"]),
        good_form_s=float(data["good_form_s"]),
        max_hip_flexion_deg=maybe(data["max_hip_flexion_deg"]),
        min_knee_deg=maybe(data["min_knee_deg"]),
        faults={Fault(k): int(n) for k, n in faults.items() if int(n)},
    )
