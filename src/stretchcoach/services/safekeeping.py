"""Nothing a session records is lost when the database stops answering.

Every record of a guided session (the session itself, each hold, what a hold felt like, the
pain before and after, how it ended) goes through a `SafeKeeper`. It is written to the store
and committed; only then is it *saved*. When the store fails (gone, full, read-only) the
record goes to the pending journal instead: an append-only local file, each line forced to
disk, kept per database. Such a record is *waiting*: safe on this machine, not yet in the
store. When even the journal cannot be written (the disk is full) the record stays *in
memory*, and the person is told exactly that, never more.

Waiting records are replayed into the store, in the order they were kept, the next time it
answers: at the start of any command that opens the store, or by the session itself at its
next record. Replay is idempotent by the records' own ids (a record already stored is skipped,
an end or a feeling is set to the same value again), and a line leaves the journal only after
the replay's commit, so a crash between the two replays nothing twice. The journal is never
held while the store is written: a store that does not answer holds up no one else.

A keeper's store work can be given a time limit (`run`): the session's records are kept by a
thread of their own (adapters/courier.py), and what the store does not take in time waits in
the journal, so a database that hangs never holds up the session.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from functools import partial

from stretchcoach.domain.feel import Felt
from stretchcoach.domain.form.metrics import HoldForm
from stretchcoach.domain.journal import PainEntry
from stretchcoach.domain.session import Hold, Session
from stretchcoach.domain.values import SessionStatus
from stretchcoach.errors import NotFound, PendingUnwritable, StoreUnavailable
from stretchcoach.services.ports import PendingJournal
from stretchcoach.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class SessionBegun:
    session: Session


@dataclass(frozen=True, slots=True)
class HoldKept:
    hold: Hold
    form: HoldForm | None = None


@dataclass(frozen=True, slots=True)
class FeltKept:
    session_id: str
    hold_id: str
    felt: Felt


@dataclass(frozen=True, slots=True)
class PainKept:
    entry: PainEntry


@dataclass(frozen=True, slots=True)
class SessionEnded:
    session_id: str
    status: SessionStatus
    ended_at: datetime


PendingEntry = SessionBegun | HoldKept | FeltKept | PainKept | SessionEnded


@dataclass(frozen=True, slots=True)
class Waiting:
    """One line of the pending journal: its entry, or (`entry` None) why it cannot be read."""

    line: str
    entry: PendingEntry | None
    problem: str = ""


@dataclass(frozen=True, slots=True)
class SetAside:
    """A journal line the store refused for good, moved aside with why."""

    waiting: Waiting
    why: str


class Kept(Enum):
    """Where a record is now."""

    SAVED = "saved"  # committed to the store
    WAITING = "waiting"  # in the pending journal on this machine, replayed later
    IN_MEMORY = "in memory"  # neither could take it: held by this process only
    ON_ITS_WAY = "on its way"  # handed to the thread that keeps records, not placed yet


def apply(entry: PendingEntry, uow: UnitOfWork) -> None:
    """Write one entry inside an open unit of work; writing it twice changes nothing."""
    if isinstance(entry, SessionBegun):
        if not uow.records.owners("session", [entry.session.id]):
            uow.sessions.add(entry.session)
    elif isinstance(entry, HoldKept):
        hold = entry.hold
        if not uow.records.owners("hold", [hold.id]):
            uow.sessions.add_hold(hold)
            if entry.form is not None:
                uow.hold_form.add(hold.id, entry.form)
            uow.sessions.touch(hold.session_id, hold.ended_at)
    elif isinstance(entry, FeltKept):
        with contextlib.suppress(NotFound):  # its hold was never kept: nothing to note it on
            uow.sessions.set_felt(entry.hold_id, entry.felt)
    elif isinstance(entry, PainKept):
        if not uow.records.owners("pain", [entry.entry.id]):
            uow.journal.add(entry.entry)
    else:
        with contextlib.suppress(NotFound):  # the session itself was never kept
            uow.sessions.set_status(entry.session_id, entry.status, entry.ended_at)


def replay(journal: PendingJournal, *, uow: UnitOfWork) -> list[PendingEntry]:
    """Write every waiting entry into the store in one transaction, then take them out of
    the journal; a line that cannot be read is set aside, never dropped.

    Returns what was replayed ([] when nothing waited); raises StoreUnavailable, leaving the
    journal as it was, when the store does not answer.
    """
    lines = journal.lines()
    for line in lines:
        if line.entry is None:
            journal.set_aside(line, line.problem)
    readable = [line for line in lines if line.entry is not None]
    entries = [line.entry for line in readable if line.entry is not None]
    if entries:
        with uow:
            for entry in entries:
                apply(entry, uow)
            uow.commit()
        journal.remove(readable)
    return entries


def describe(entries: list[PendingEntry], *, numbers: bool = False) -> str:
    """'3 holds, a pain rating and a session's end', for a person; with `numbers` (records
    of one session) the holds by number: 'holds 2, 3, 4 and a session's end'."""
    counts = Counter(type(entry) for entry in entries)
    held = [e.hold.hold_number for e in entries if isinstance(e, HoldKept)]
    hold_words = ("hold {n}", "holds {n}") if numbers else ("a hold", "{n} holds")
    parts = []
    for kind, one, many in (
        (SessionBegun, "a session", "{n} sessions"),
        (HoldKept, hold_words[0].format(n=held[0] if held else 0), hold_words[1]),
        (FeltKept, "how a hold felt", "how {n} holds felt"),
        (PainKept, "a pain rating", "{n} pain ratings"),
        (SessionEnded, "a session's end", "{n} sessions' ends"),
    ):
        n = counts.get(kind, 0)
        if n:
            listed = ", ".join(map(str, held)) if numbers and kind is HoldKept else n
            parts.append(one if n == 1 else many.format(n=listed))
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def at_once(work: Callable[[], object]) -> object:
    """Store work with no time limit of its own (the store's own limits apply)."""
    return work()


def _save(entries: list[PendingEntry], uow: UnitOfWork) -> None:
    with uow:
        for entry in entries:
            apply(entry, uow)
        uow.commit()


@dataclass
class SafeKeeper:
    """Keeps a session's records: in the store if it answers, else in the journal, else in
    memory; and moves them on as soon as the next place answers again."""

    uow: UnitOfWork
    journal: PendingJournal
    run: Callable[[Callable[[], object]], object] = field(default_factory=lambda: at_once)
    waiting: list[PendingEntry] = field(default_factory=list)  # this process's, in the journal
    in_memory: list[PendingEntry] = field(default_factory=list)
    replayed: list[PendingEntry] = field(default_factory=list)  # waited, then saved
    store_problem: str = ""
    journal_problem: str = ""

    def keep(self, entry: PendingEntry) -> Kept:
        """Keep one record, after anything still waiting; say where it is now."""
        self.in_memory.append(entry)
        self.settle()
        if any(entry is other for other in self.in_memory):
            return Kept.IN_MEMORY
        if any(entry is other for other in self.waiting):
            return Kept.WAITING
        return Kept.SAVED

    def settle(self) -> None:
        """Try the store for everything waiting; secure what it refuses in the journal."""
        try:
            self.run(lambda: replay(self.journal, uow=self.uow))
            self.replayed.extend(self.waiting)  # in the store now, whoever replayed them
            self.waiting.clear()
            if self.in_memory:
                self.run(partial(_save, list(self.in_memory), self.uow))
                self.in_memory.clear()
            self.store_problem = ""
        except StoreUnavailable as error:
            self.store_problem = str(error)
            self._secure()
        except PendingUnwritable as error:  # the store answers, but the journal is unreadable
            self.journal_problem = str(error)

    def secure(self) -> None:
        """Put what is only in memory into the journal now, without trying the store."""
        self._secure()

    def _secure(self) -> None:
        while self.in_memory:
            try:
                self.journal.append(self.in_memory[0])
            except PendingUnwritable as error:
                self.journal_problem = str(error)
                return
            self.waiting.append(self.in_memory.pop(0))
        self.journal_problem = ""
