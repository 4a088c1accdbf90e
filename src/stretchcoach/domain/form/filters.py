"""The One Euro filter (Casiez, Roussel & Vogel, CHI 2012): smooth when still, quick when moving.

A low-pass filter whose cut-off rises with the signal's speed: a held stretch is smoothed
hard (jitter gone), a real movement passes with little lag.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


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


class PointsFilter:
    """A One Euro filter on every coordinate of an array of points (landmarks), at once.

    The cut-off rises with each point's own speed (its length over the coordinates), so a
    still body's jitter is filtered hard while a joint that moves passes with little lag.
    Angles read off the filtered points see a still pose as still.
    """

    def __init__(
        self, *, min_cutoff_hz: float = 1.0, beta: float = 0.0, d_cutoff_hz: float = 1.0
    ) -> None:
        if min_cutoff_hz <= 0 or d_cutoff_hz <= 0 or beta < 0:
            raise ValueError("cut-offs must be positive and beta not negative")
        self.min_cutoff_hz = min_cutoff_hz
        self.beta = beta
        self.d_cutoff_hz = d_cutoff_hz
        self._t: float | None = None
        self._x: FloatArray | None = None
        self._dx: FloatArray | None = None

    def reset(self) -> None:
        self._t = self._x = self._dx = None

    def __call__(self, t: float, x: FloatArray) -> FloatArray:
        if self._t is None or self._x is None or self._dx is None or self._x.shape != x.shape:
            self._t, self._x, self._dx = t, x.copy(), np.zeros(x.shape[0])
            return x.copy()
        dt = t - self._t
        if dt <= 0:
            return self._x.copy()
        self._t = t
        speed = np.sqrt(((x - self._x) ** 2).sum(axis=1)) / dt
        self._dx = self._dx + _alpha(dt, self.d_cutoff_hz) * (speed - self._dx)
        cutoff = self.min_cutoff_hz + self.beta * self._dx
        tau = 1.0 / (2.0 * math.pi * cutoff)
        alpha = (1.0 / (1.0 + tau / dt))[:, None]
        self._x = self._x + alpha * (x - self._x)
        return self._x.copy()
