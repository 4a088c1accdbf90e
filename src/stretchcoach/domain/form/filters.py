"""The One Euro filter (Casiez, Roussel & Vogel, CHI 2012): smooth when still, quick when moving.

A low-pass filter whose cut-off rises with the signal's speed: a held stretch is smoothed
hard (jitter gone), a real movement passes with little lag.
"""

from __future__ import annotations

import math


class OneEuroFilter:
    """Filters one scalar signal sampled at irregular times (seconds)."""

    def __init__(
        self, *, min_cutoff_hz: float = 1.0, beta: float = 0.0, d_cutoff_hz: float = 1.0
    ) -> None:
        if min_cutoff_hz <= 0 or d_cutoff_hz <= 0 or beta < 0:
            raise ValueError("cut-offs must be positive and beta not negative")
        self.min_cutoff_hz = min_cutoff_hz
        self.beta = beta
        self.d_cutoff_hz = d_cutoff_hz
        self._t: float | None = None
        self._x = 0.0
        self._dx = 0.0

    @property
    def value(self) -> float:
        return self._x

    def reset(self) -> None:
        self._t = None

    def __call__(self, t: float, x: float) -> float:
        if self._t is None:
            self._t, self._x, self._dx = t, x, 0.0
            return x
        dt = t - self._t
        if dt <= 0:
            return self._x
        self._t = t
        dx = (x - self._x) / dt
        self._dx += _alpha(dt, self.d_cutoff_hz) * (dx - self._dx)
        cutoff = self.min_cutoff_hz + self.beta * abs(self._dx)
        self._x += _alpha(dt, cutoff) * (x - self._x)
        return self._x


def _alpha(dt: float, cutoff_hz: float) -> float:
    tau = 1.0 / (2.0 * math.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / dt)
