"""The system clock, optionally running faster for practice runs and demos."""

from __future__ import annotations

import time
from datetime import UTC, datetime


class SystemClock:
    """Real time. With `speed` > 1 the session clock runs that many times faster.

    Monotonic readings are on the session clock, so durations recorded from it are the same
    in a fast run as in a real one.
    """

    def __init__(self, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return (time.monotonic() - self._origin) * self.speed

    def real_seconds(self, span_s: float) -> float:
        return span_s / self.speed

    def sleep_until(self, deadline: float) -> None:
        while (remaining := deadline - self.monotonic()) > 0:
            time.sleep(remaining / self.speed)
