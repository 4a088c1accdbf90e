"""The clock interface the domain runs against.

Real time comes from the system clock adapter; tests tick a fake one. Monotonic readings are
seconds on the session's own clock, which may run faster than real time in a practice run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """Wall time (aware, UTC) and a monotonic session clock in seconds."""

    def now(self) -> datetime:
        """The current wall time, timezone-aware, in UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds on the session clock; never goes backwards."""
        ...

    def real_seconds(self, span_s: float) -> float:
        """How long `span_s` on the session clock takes in real time."""
        ...

    def sleep_until(self, deadline: float) -> None:
        """Block until the session clock reaches `deadline` (returns at once if it has)."""
        ...
