"""A stretch routine as data, and the settings one session runs it with.

A routine says what the stretch is (its steps and cues in our own words) and which doses are
allowed; a session's settings pick one dose inside that range. Loading a routine from a file is
an adapter's job; this module only holds the values and checks the settings against them.
"""

from __future__ import annotations

from dataclasses import dataclass

from stretchcoach.domain.values import Order, Side
from stretchcoach.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Range:
    """An inclusive range of allowed numbers."""

    low: float
    high: float

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int | float) and self.low <= value <= self.high

    def clamp(self, value: float) -> float:
        return min(max(value, self.low), self.high)

    def describe(self, unit: str = "") -> str:
        suffix = f" {unit}" if unit else ""
        return f"{_num(self.low)} to {_num(self.high)}{suffix}"


@dataclass(frozen=True, slots=True)
class Dose:
    """The default dose of a routine and the range a session may choose from."""

    hold_s: float
    hold_range: Range
    reps_per_side: int
    reps_range: Range
    rest_s: float
    rest_range: Range
    get_ready_s: float
    first_side: Side
    order: Order
    recommended_min_reps: int


@dataclass(frozen=True, slots=True)
class Cues:
    """What the coach says and shows. `{side}`, `{Side}` and `{other}` are filled in."""

    get_ready: str
    hold_start: str
    hold_instruction: str
    halfway: str
    release_switch: str
    release_same: str
    rest_instruction: str
    finish: str


@dataclass(frozen=True, slots=True)
class Routine:
    """A stretch routine: its identity, setup steps, cues and allowed doses."""

    id: str
    name: str
    summary: str
    steps: tuple[str, ...]
    cautions: tuple[str, ...]
    dose: Dose
    cues: Cues


@dataclass(frozen=True, slots=True)
class SessionSettings:
    """The dose one session runs with, always inside the routine's allowed ranges."""

    hold_s: float
    reps_per_side: int
    first_side: Side
    rest_s: float
    order: Order = Order.ALTERNATE
    # Holds on the left and right leg when the clinical core has cut one side down (a nerve
    # answer at the shortest hold); None: `reps_per_side` on each. 0 rests that leg.
    side_reps: tuple[int, int] | None = None

    def reps_for(self, side: Side) -> int:
        if self.side_reps is None:
            return self.reps_per_side
        return self.side_reps[0 if side is Side.LEFT else 1]

    @property
    def total_holds(self) -> int:
        return sum(self.reps_for(side) for side in Side)


def side_reps_pair(left: int | None, right: int | None) -> tuple[int, int] | None:
    """Holds per leg go in pairs: both (a leg cut down or rested) or neither (the full count on
    each). Half a pair is refused, naming the missing half: read as neither, a rested leg would
    come back at full dose."""
    if left is None and right is None:
        return None
    if left is None or right is None:
        given, value, missing = ("left_reps", left, "right_reps") if right is None else (
            "right_reps", right, "left_reps")  # fmt: skip
        raise InvalidInput(
            f"{missing} is missing while {given} is {value}: holds per leg go in pairs, "
            "give both legs or neither",
            field=missing,
        )
    return (left, right)


def choose_settings(
    routine: Routine,
    *,
    hold_s: float | None = None,
    reps_per_side: int | None = None,
    first_side: Side | None = None,
    rest_s: float | None = None,
) -> SessionSettings:
    """Fill unset choices from the routine's defaults and check the rest against its ranges.

    Raises InvalidInput naming the option, the value and what is allowed.
    """
    dose = routine.dose
    hold = dose.hold_s if hold_s is None else hold_s
    reps = dose.reps_per_side if reps_per_side is None else reps_per_side
    rest = dose.rest_s if rest_s is None else rest_s
    if hold not in dose.hold_range:
        raise InvalidInput(
            f"hold of {_num(hold)} s is outside what {routine.name} allows: "
            f"{dose.hold_range.describe('seconds')}"
        )
    if reps < 1 or reps not in dose.reps_range:
        raise InvalidInput(
            f"{reps!r} holds per leg is not allowed: use {dose.reps_range.describe()} (at least 1)"
        )
    if rest not in dose.rest_range:
        raise InvalidInput(
            f"rest of {_num(rest)} s is outside what {routine.name} allows: "
            f"{dose.rest_range.describe('seconds')}"
        )
    return SessionSettings(
        hold_s=float(hold),
        reps_per_side=int(reps),
        first_side=first_side or dose.first_side,
        rest_s=float(rest),
        order=dose.order,
    )


def fill(template: str, side: Side | None) -> str:
    """Fill a cue template with the side it is about."""
    if side is None:
        return template
    return template.format(side=side.value, Side=side.value.capitalize(), other=side.other.value)


def _num(value: float) -> str:
    return f"{value:g}"
