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

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from functools import partial
from typing import Protocol, TypeVar

from stretchcoach.domain.feel import Felt
from stretchcoach.domain.form.metrics import HoldForm
from stretchcoach.domain.journal import PainEntry
from stretchcoach.domain.session import Hold, Session
from stretchcoach.domain.values import SessionStatus
from stretchcoach.errors import Conflict, NotFound, PendingUnwritable, StoreUnavailable
from stretchcoach.services.ports import PendingJournal
from stretchcoach.services.uow import UnitOfWork

T = TypeVar("T")


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
    SET_ASIDE = "set aside"  # refused by the store for good: in the set-aside file, with why


class Refused(Conflict):
    """The store will not take this record as it stands, for good; the message says why."""


def apply(entry: PendingEntry, uow: UnitOfWork) -> None:
    """Write one entry inside an open unit of work; writing it twice changes nothing.

    Raises Refused, saying what is true, when the store cannot take it as it stands: a
    different record with the same id or hold number is saved, or the session (or hold) it
    belongs to is not in the store."""
    if isinstance(entry, SessionBegun):
        session = entry.session
        found = _session(uow, session.id)
        if found is None:
            uow.sessions.add(session)
        elif (found.user_id, found.routine_id) != (session.user_id, session.routine_id):
            raise Refused("a different session with this id is already saved")
    elif isinstance(entry, HoldKept):
        hold = entry.hold
        found = _session(uow, hold.session_id)
        if found is None:
            raise Refused("its session is not in the database")
        same = next((h for h in found.holds if h.hold_number == hold.hold_number), None)
        if same is not None:
            if same.id != hold.id:
                raise Refused(f"its session already has a different hold {hold.hold_number}")
            return  # saved already
        if uow.records.owners("hold", [hold.id]):
            raise Refused("a different hold with this id is already saved")
        uow.sessions.add_hold(hold)
        if entry.form is not None:
            uow.hold_form.add(hold.id, entry.form)
        uow.sessions.touch(hold.session_id, hold.ended_at)
    elif isinstance(entry, FeltKept):
        try:
            uow.sessions.set_felt(entry.hold_id, entry.felt)
        except NotFound:
            raise Refused("the hold it is about is not in the database") from None
    elif isinstance(entry, PainKept):
        pain = entry.entry
        owner = uow.records.owners("pain", [pain.id]).get(pain.id)
        if owner is not None and owner != pain.user_id:
            raise Refused("a different pain rating with this id is already saved")
        if owner is None:
            if pain.session_id is not None and _session(uow, pain.session_id) is None:
                raise Refused("its session is not in the database")
            uow.journal.add(pain)
    else:
        try:
            uow.sessions.set_status(entry.session_id, entry.status, entry.ended_at)
        except NotFound:
            raise Refused("its session is not in the database") from None


def _session(uow: UnitOfWork, session_id: str) -> Session | None:
    try:
        return uow.sessions.get(session_id)
    except NotFound:
        return None


def apply_alone(entry: PendingEntry, uow: UnitOfWork) -> None:
    """Write one entry in a transaction of its own. A taken id that was free when looked at
    (another process saved the same record meanwhile) is looked at again: the same record is
    no refusal. Raises Refused, or StoreUnavailable when the store does not answer."""
    for attempt in (1, 2):
        try:
            with uow:
                apply(entry, uow)
                uow.commit()
            return
        except Refused:
            raise
        except Conflict as error:
            if attempt == 2:
                raise Refused(str(error)) from None


def entry_key(entry: PendingEntry) -> tuple[str, ...]:
    """What makes an entry the same record, wherever it was read from."""
    if isinstance(entry, SessionBegun):
        return ("session", entry.session.id)
    if isinstance(entry, HoldKept):
        return ("hold", entry.hold.id)
    if isinstance(entry, FeltKept):
        return ("felt", entry.hold_id, entry.felt.value)
    if isinstance(entry, PainKept):
        return ("pain", entry.entry.id)
    return ("end", entry.session_id, entry.status.value)


def replay(
    journal: PendingJournal,
    *,
    uow: UnitOfWork,
    refused: list[tuple[PendingEntry, str]] | None = None,
) -> list[PendingEntry]:
    """Write each waiting entry into the store, in order, each in a transaction of its own,
    and take what went in out of the journal. One the store refuses for good (Refused), or a
    line that cannot be read, is set aside in a file of its own, with why, and added to
    `refused`; it never holds up the others, and it is never dropped.

    Returns what was saved ([] when nothing waited); raises StoreUnavailable when the store
    stops answering, after taking out what went in before it stopped.
    """
    saved: list[Waiting] = []
    try:
        for line in journal.lines():
            if line.entry is None:
                journal.set_aside(line, line.problem)
                continue
            try:
                apply_alone(line.entry, uow)
            except Refused as refusal:
                journal.set_aside(line, str(refusal))
                if refused is not None:
                    refused.append((line.entry, str(refusal)))
                continue
            saved.append(line)
    finally:
        journal.remove(saved)
    return [line.entry for line in saved if line.entry is not None]


def save_each(entries: list[PendingEntry], uow: UnitOfWork) -> list[tuple[PendingEntry, str]]:
    """Write `entries` in order, each in a transaction of its own; returns those the store
    refused for good, with why (StoreUnavailable when it stops answering)."""
    refused: list[tuple[PendingEntry, str]] = []
    for entry in entries:
        try:
            apply_alone(entry, uow)
        except Refused as refusal:
            refused.append((entry, str(refusal)))
    return refused


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


class RunStore(Protocol):
    """How a keeper runs its store work: at once, or with a time limit (adapters/courier.py)."""

    def __call__(self, work: Callable[[], T], /) -> T: ...


def at_once(work: Callable[[], T]) -> T:
    """Store work with no time limit of its own (the store's own limits apply)."""
    return work()


@dataclass
class SafeKeeper:
    """Keeps a session's records: in the store if it answers, else in the journal, else in
    memory; and moves them on as soon as the next place answers again. A record the store
    refuses for good is set aside (in the journal's set-aside file), never dropped."""

    uow: UnitOfWork
    journal: PendingJournal
    run: RunStore = field(default_factory=lambda: at_once)
    waiting: list[PendingEntry] = field(default_factory=list)  # this process's, in the journal
    in_memory: list[PendingEntry] = field(default_factory=list)
    replayed: list[PendingEntry] = field(default_factory=list)  # waited, then saved
    set_aside: list[tuple[PendingEntry, str]] = field(default_factory=list)  # refused, why
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
        if any(entry is other for other, _ in self.set_aside):
            return Kept.SET_ASIDE
        return Kept.SAVED

    def settle(self) -> None:
        """Try the store for everything waiting; secure what it does not take in the journal."""
        try:
            refused: list[tuple[PendingEntry, str]] = []
            self.run(partial(replay, self.journal, uow=self.uow, refused=refused))
            why_refused = {entry_key(entry): why for entry, why in refused}
            for entry in self.waiting:  # in the store now, whoever replayed them, or set aside
                why = why_refused.get(entry_key(entry))
                if why is None:
                    self.replayed.append(entry)
                else:
                    self.set_aside.append((entry, why))
            self.waiting.clear()
            if self.in_memory:
                refused_now = self.run(partial(save_each, list(self.in_memory), self.uow))
                self.in_memory.clear()
                for entry, why in refused_now:
                    self._put_aside(entry, why)
            self.store_problem = ""
        except StoreUnavailable as error:
            self.store_problem = str(error)
            self._secure()
        except PendingUnwritable as error:  # the store answers, but the journal is unreadable
            self.journal_problem = str(error)

    def secure(self) -> None:
        """Put what is only in memory into the journal now, without trying the store."""
        self._secure()

    def _put_aside(self, entry: PendingEntry, why: str) -> None:
        try:
            self.journal.set_aside_entry(entry, why)
        except PendingUnwritable as error:
            self.journal_problem = str(error)
            self.in_memory.append(entry)
            return
        self.set_aside.append((entry, why))

    def _secure(self) -> None:
        while self.in_memory:
            try:
                self.journal.append(self.in_memory[0])
            except PendingUnwritable as error:
                self.journal_problem = str(error)
                return
            self.waiting.append(self.in_memory.pop(0))
        self.journal_problem = ""
