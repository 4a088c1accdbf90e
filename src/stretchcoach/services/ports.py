"""What a guided session needs from the outside world, as protocols."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from stretchcoach.domain.clock import Clock

if TYPE_CHECKING:
    from stretchcoach.domain.runner import Event, HoldResult, Snapshot
    from stretchcoach.services.safekeeping import Kept, PendingEntry, SetAside, Waiting


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


class Courier(Protocol):
    """Takes records to the store without keeping the caller waiting (adapters/courier.py)."""

    def keep(self, entry: PendingEntry) -> Kept:
        """Send a record on its way (Kept.ON_ITS_WAY); never waits on the store."""
        ...

    def news(self) -> list[tuple[PendingEntry, Kept]]:
        """Records whose place changed since the last call, in order."""
        ...

    def finish(self, timeout_s: float = ...) -> bool:
        """Wait (bounded) until every record sent has a place; False if some have none."""
        ...


class PendingJournal(Protocol):
    """Records the store could not take yet, on this machine, for one database.

    Append-only: each entry is forced to disk before `append` returns. A replay reads the
    lines, writes them to the store, then `remove`s those it wrote; nothing is locked while
    the store is written. A line the store refuses for good is `set_aside` with why, in a
    file of its own, never dropped.
    """

    @property
    def location(self) -> str:
        """Where the journal is, to tell the person."""
        ...

    @property
    def aside_location(self) -> str:
        """Where set-aside lines are, to tell the person."""
        ...

    def append(self, entry: PendingEntry) -> None:
        """Write one entry durably; raises PendingUnwritable when it cannot (disk full)."""
        ...

    def waiting(self) -> list[PendingEntry]:
        """Everything waiting that can be read, oldest first, left where it is."""
        ...

    def lines(self) -> list[Waiting]:
        """Every line waiting, oldest first, readable or not, left where it is."""
        ...

    def remove(self, done: Sequence[Waiting]) -> None:
        """Take these lines out of the journal (they are in the store now)."""
        ...

    def set_aside(self, line: Waiting, why: str) -> None:
        """Move one line out of the journal into the set-aside file, with why."""
        ...

    def set_aside_entry(self, entry: PendingEntry, why: str) -> None:
        """Write a record the store refused for good straight to the set-aside file."""
        ...

    def aside(self) -> list[SetAside]:
        """Everything set aside, oldest first."""
        ...

    def take_back(self, lines: Sequence[Waiting]) -> None:
        """Drop these lines from the set-aside file (they are in the store now)."""
        ...
