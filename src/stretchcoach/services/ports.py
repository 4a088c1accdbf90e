"""What a guided session needs from the outside world, as protocols."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from stretchcoach.domain.clock import Clock
from stretchcoach.domain.runner import Event, Snapshot


class Speaker(Protocol):
    """Says a cue out loud without blocking the caller."""

    name: str

    def say(self, text: str) -> None: ...

    def close(self) -> None: ...


class KeySource(Protocol):
    """Key presses from the person, if there is a way to get them."""

    interactive: bool

    def wait(self, clock: Clock, deadline: float | None) -> str | None:
        """Wait until `deadline` on `clock` or a key press; return the key, or None."""
        ...


class SessionView(Protocol):
    """Draws the session for the person."""

    def show(self, snapshot: Snapshot, events: Sequence[Event], notice: str | None) -> None: ...
