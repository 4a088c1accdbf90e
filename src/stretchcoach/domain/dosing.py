"""The next session's dose, from what the last holds felt like.

After each hold the person says what they felt: a mild pull at the back of the thigh (the
muscle: just right), nothing much (the lean was too shy), or tingling, burning or shooting below
the knee (the nerve: the stretch also tensions it). The rules, with their sources in
docs/sources.md:

- any nerve answer last time -> lean less and hold STEP_DOWN_S shorter (never below the range);
- every answer a pull -> one STEP_UP_S step toward a minute (never above the range), the lean
  the same; 30 s is already enough, so the step is small and stops at the top;
- some "nothing much", no nerve -> lean a little further, the same hold;
- no answers -> the same as last time.
A nerve answer in NERVE_REPEAT of the last NERVE_WINDOW sessions with answers raises a flag.
Every suggestion stays inside the routine's allowed hold range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from stretchcoach.domain.feel import Felt
from stretchcoach.domain.routine import Dose

STEP_UP_S = 5.0
STEP_DOWN_S = 10.0
HOLD_CEILING_S = 60.0  # longer holds add nothing (docs/sources.md)
NERVE_REPEAT = 2
NERVE_WINDOW = 3


class Lean(StrEnum):
    """How far to lean next time, compared with last time."""

    LESS = "less"
    SAME = "same"
    FURTHER = "a-little-further"


@dataclass(frozen=True, slots=True)
class Suggestion:
    hold_s: float
    lean: Lean
    reason: str
    nerve_repeated: bool = False


def nerve_repeated(recent: Sequence[Sequence[Felt]]) -> bool:
    """A nerve answer in NERVE_REPEAT of the last NERVE_WINDOW sessions that had answers."""
    answered = [felts for felts in recent if felts][:NERVE_WINDOW]
    return sum(1 for felts in answered if Felt.NERVE in felts) >= NERVE_REPEAT


def suggest(
    dose: Dose, *, last_hold_s: float | None, recent: Sequence[Sequence[Felt]]
) -> Suggestion:
    """The next dose. `recent`: each session's answers, newest session first."""
    allowed = dose.hold_range
    base = allowed.clamp(dose.hold_s if last_hold_s is None else last_hold_s)
    answered = [felts for felts in recent if felts]
    repeated = nerve_repeated(answered)
    if not answered:
        return Suggestion(
            base, Lean.SAME, f"No answers about last time's holds, so {_s(base)} again."
        )
    latest = answered[0]
    nerves = latest.count(Felt.NERVE)
    if nerves:
        hold = allowed.clamp(base - STEP_DOWN_S)
        shorter = f"hold {_s(hold)}" if hold < base else f"keep to {_s(hold)}, the shortest"
        reason = (
            f"{_holds(nerves)} reached the nerve (tingling or shooting below the knee): "
            f"lean less, keep the foot relaxed and the head level, and {shorter}."
        )
        if repeated:
            reason += " This keeps happening: please check with a doctor or physiotherapist."
        return Suggestion(hold, Lean.LESS, reason, repeated)
    if all(felt is Felt.PULL for felt in latest):
        ceiling = min(allowed.high, max(HOLD_CEILING_S, allowed.low))
        hold = min(base + STEP_UP_S, ceiling) if base < ceiling else base
        if hold > base:
            reason = f"Every hold was a mild pull in the thigh, just right: try {_s(hold)} holds."
        else:
            reason = f"Every hold was a mild pull in the thigh, just right: stay at {_s(hold)}."
        return Suggestion(hold, Lean.SAME, reason, repeated)
    shy = latest.count(Felt.NOTHING)
    return Suggestion(
        base,
        Lean.FURTHER,
        f"{_holds(shy)} felt like nothing much: lean a little further, only until you feel "
        f"a mild pull, and hold {_s(base)}.",
        repeated,
    )


def _s(seconds: float) -> str:
    return f"{seconds:g} s"


def _holds(n: int) -> str:
    return "1 hold" if n == 1 else f"{n} holds"
