"""Small closed sets and values shared across the domain."""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    """Which leg."""

    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> Side:
        return Side.RIGHT if self is Side.LEFT else Side.LEFT


class Order(StrEnum):
    """How holds are ordered between the legs."""

    ALTERNATE = "alternate"  # left, right, left, right, ...
    BLOCKED = "blocked"  # left, left, left, right, right, right


class SessionStatus(StrEnum):
    """Where a guided session stands."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STOPPED = "stopped"
    INTERRUPTED = "interrupted"

    @property
    def is_final(self) -> bool:
        return self is not SessionStatus.IN_PROGRESS


def signed(value: float, digits: int = 1) -> str:
    """A change with its sign (+1.5, -0.3), and a plain 0.0 for one that rounds to nothing."""
    text = f"{value:+.{digits}f}"
    return f"{0:.{digits}f}" if float(text) == 0 else text
