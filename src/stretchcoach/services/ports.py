"""What a guided session needs from the outside world, as protocols."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

from stretchcoach.domain.clock import Clock

if TYPE_CHECKING:
    from stretchcoach.domain.runner import Event, HoldResult, Snapshot
    from stretchcoach.services.safekeeping import Kept, PendingEntry


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

    def hold_kept(self, hold: HoldResult, kept: Kept) -> None:
        """A hold has ended and is now saved, waiting on this computer, or only in memory."""
        ...


class PendingJournal(Protocol):
    """Records the store could not take yet, on this machine, for one database.

    Append-only: each entry is forced to disk before `append` returns. `claim` holds the
    journal for one replay; it is emptied only when the block ends without an error.
    """

    @property
    def location(self) -> str:
        """Where the journal is, to tell the person."""
        ...

    def append(self, entry: PendingEntry) -> None:
        """Write one entry durably; raises PendingUnwritable when it cannot (disk full)."""
        ...

    def waiting(self) -> list[PendingEntry]:
        """Everything waiting, oldest first, left where it is (to tell the person)."""
        ...

    def claim(self) -> AbstractContextManager[list[PendingEntry]]:
        """Everything waiting, oldest first, locked against other processes."""
        ...
