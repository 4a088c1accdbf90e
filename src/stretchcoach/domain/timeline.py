"""A routine plus a session's settings, expanded into the phases a runner drives.

    get ready -> hold left 1 -> release & switch -> hold right 1 -> ... -> hold right N

Each phase carries what to show and say when it starts. There is no rest after the last hold.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from stretchcoach.domain.routine import Routine, SessionSettings, fill
from stretchcoach.domain.values import Order, Side


class PhaseKind(StrEnum):
    GET_READY = "get_ready"
    HOLD = "hold"
    REST = "rest"


@dataclass(frozen=True, slots=True)
class Phase:
    """One timed step of a session."""

    index: int
    kind: PhaseKind
    duration_s: float
    title: str
    instruction: str
    cue: str
    side: Side | None = None
    hold_number: int | None = None  # 1-based across the session, for holds
    rep: int | None = None  # 1-based within the side, for holds

    @property
    def is_hold(self) -> bool:
        return self.kind is PhaseKind.HOLD


@dataclass(frozen=True, slots=True)
class Timeline:
    """The ordered phases of one session, with the settings they came from."""

    routine: Routine
    settings: SessionSettings
    phases: tuple[Phase, ...]

    def __iter__(self) -> Iterator[Phase]:
        return iter(self.phases)

    def __len__(self) -> int:
        return len(self.phases)

    def __getitem__(self, index: int) -> Phase:
        return self.phases[index]

    @property
    def total_s(self) -> float:
        return sum(p.duration_s for p in self.phases)

    @property
    def holds(self) -> tuple[Phase, ...]:
        return tuple(p for p in self.phases if p.is_hold)

    def next_after(self, index: int) -> Phase | None:
        return self.phases[index + 1] if index + 1 < len(self.phases) else None


def hold_sides(settings: SessionSettings) -> list[Side]:
    """The side of every hold, in order."""
    first, second = settings.first_side, settings.first_side.other
    a, b = settings.reps_for(first), settings.reps_for(second)
    if settings.order is Order.BLOCKED:
        return [first] * a + [second] * b
    sides: list[Side] = []
    for n in range(max(a, b)):
        sides += [side for side, reps in ((first, a), (second, b)) if n < reps]
    return sides


def build_timeline(routine: Routine, settings: SessionSettings) -> Timeline:
    """Expand a routine and its settings into phases."""
    cues = routine.cues
    sides = hold_sides(settings)
    phases: list[Phase] = []

    def add(
        kind: PhaseKind, duration_s: float, title: str, instruction: str, cue: str, **extra: object
    ) -> None:
        phases.append(Phase(len(phases), kind, duration_s, title, instruction, cue, **extra))  # type: ignore[arg-type]

    add(
        PhaseKind.GET_READY,
        routine.dose.get_ready_s,
        "Get ready",
        " ".join(routine.steps),
        fill(cues.get_ready, sides[0]),
        side=sides[0],
    )
    reps_done = dict.fromkeys(Side, 0)
    for number, side in enumerate(sides, start=1):
        reps_done[side] += 1
        add(
            PhaseKind.HOLD,
            settings.hold_s,
            f"{side.value.capitalize()} leg · hold {reps_done[side]} of {settings.reps_for(side)}",
            fill(cues.hold_instruction, side),
            fill(cues.hold_start, side),
            side=side,
            hold_number=number,
            rep=reps_done[side],
        )
        if number < len(sides):
            following = sides[number]
            template = cues.release_switch if following is not side else cues.release_same
            add(
                PhaseKind.REST,
                settings.rest_s,
                (
                    f"Release, switch to the {following.value} leg"
                    if following is not side
                    else f"Release, {following.value} leg again"
                ),
                fill(cues.rest_instruction, following),
                fill(template, following),
                side=following,
            )
    return Timeline(routine, settings, tuple(phases))
