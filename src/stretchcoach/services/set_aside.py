"""Records the store refused for good: said in one line, and brought back where they can be.

A replay sets a journal line aside (services/safekeeping.py) when the store will not take it
as it stands: its session is not in the store (a backup restored from before the session
began), a different record has its id or hold number, or the line cannot be read. Nothing is
dropped: every command says what is set aside and where, and `restore` brings it back.

`restore` groups what is set aside by session. A session the store does not have is made
again: from its own record when that was set aside too, otherwise from its holds (started
when its first hold began, ended as its end record says, else interrupted at its last hold;
the routine, zone and hold length read from them). Then every record is written again, each
on its own; what goes in leaves the set-aside file, what is still refused stays, with why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from stretchcoach.domain.routine import Routine, SessionSettings
from stretchcoach.domain.session import Session
from stretchcoach.domain.values import SessionStatus
from stretchcoach.errors import NotFound
from stretchcoach.services.ports import PendingJournal
from stretchcoach.services.safekeeping import (
    FeltKept,
    HoldKept,
    PendingEntry,
    Refused,
    SessionBegun,
    SessionEnded,
    SetAside,
    apply_alone,
    describe,
)
from stretchcoach.services.uow import UnitOfWork


def describe_aside(aside: Sequence[SetAside]) -> str:
    """'2 holds and a session's end (its session is not in the database)', for a person."""
    entries = [a.waiting.entry for a in aside if a.waiting.entry is not None]
    unreadable = len(aside) - len(entries)
    parts = [describe(entries)] if entries else []
    if unreadable:
        parts.append("an unreadable line" if unreadable == 1 else f"{unreadable} unreadable lines")
    what = " and ".join(parts)
    whys = Counter(a.why if a.waiting.entry is not None else "" for a in aside)
    reasons = "; ".join(why for why in whys if why)
    return f"{what} ({reasons})" if reasons else what


def aside_line(journal: PendingJournal) -> str | None:
    """The one line every command says while anything is set aside; None when nothing is."""
    aside = journal.aside()
    if not aside:
        return None
    them = "it" if len(aside) == 1 else "them"
    return (
        f"Set aside on this computer, not in the database: {describe_aside(aside)}, in "
        f"{journal.aside_location}. `stretchcoach doctor` says how to bring {them} back."
    )


@dataclass(frozen=True, slots=True)
class Restored:
    """What `restore` did: sessions made again, records saved, and what is still set aside."""

    remade: list[Session]
    saved: list[PendingEntry]
    still: list[SetAside]


def restore(
    journal: PendingJournal,
    *,
    uow: UnitOfWork,
    user_id: str,
    routine: Routine,
    time_zone: str,
) -> Restored:
    """Bring back what is set aside: make missing sessions again, then write every record,
    each on its own. StoreUnavailable when the store does not answer (nothing is lost)."""
    aside = journal.aside()
    entries = [a.waiting.entry for a in aside if a.waiting.entry is not None]
    remade: list[Session] = []
    for session_id in _sessions_named(entries):
        if _has_session(uow, session_id):
            continue
        session = _remade(session_id, entries, user_id=user_id, routine=routine, zone=time_zone)
        if session is None:
            continue
        try:
            apply_alone(SessionBegun(session), uow)
        except Refused:
            continue
        remade.append(session)
    saved: list[PendingEntry] = []
    back = []
    still = []
    for item in aside:
        entry = item.waiting.entry
        if entry is None:
            still.append(item)
            continue
        try:
            apply_alone(entry, uow)
        except Refused as refusal:
            still.append(replace(item, why=str(refusal)))
            continue
        saved.append(entry)
        back.append(item.waiting)
    journal.take_back(back)
    return Restored(remade, saved, still)


def _session_of(entry: PendingEntry) -> str | None:
    if isinstance(entry, SessionBegun):
        return entry.session.id
    if isinstance(entry, HoldKept):
        return entry.hold.session_id
    if isinstance(entry, FeltKept | SessionEnded):
        return entry.session_id
    return entry.entry.session_id


def _sessions_named(entries: Sequence[PendingEntry]) -> list[str]:
    named = [_session_of(entry) for entry in entries]
    return list(dict.fromkeys(s for s in named if s is not None))


def _has_session(uow: UnitOfWork, session_id: str) -> bool:
    with uow:
        try:
            uow.sessions.get(session_id)
        except NotFound:
            return False
        return True


def _remade(
    session_id: str,
    entries: Sequence[PendingEntry],
    *,
    user_id: str,
    routine: Routine,
    zone: str,
) -> Session | None:
    """The session as its own record had it, else as its records show it; None when no
    record says enough (a lone pain rating)."""
    mine = [e for e in entries if _session_of(e) == session_id]
    for entry in mine:
        if isinstance(entry, SessionBegun):
            return entry.session
    holds = sorted((e.hold for e in mine if isinstance(e, HoldKept)), key=lambda h: h.hold_number)
    if not holds:
        return None
    first = holds[0]
    started = first.ended_at - timedelta(seconds=first.held_s + routine.dose.get_ready_s)
    ends = [e for e in mine if isinstance(e, SessionEnded)]
    status, ended_at = (
        (ends[-1].status, ends[-1].ended_at)
        if ends
        else (SessionStatus.INTERRUPTED, holds[-1].ended_at)
    )
    per_side = Counter(h.side for h in holds)
    settings = SessionSettings(
        hold_s=first.planned_s,
        reps_per_side=max(per_side.values()),
        first_side=first.side,
        rest_s=routine.dose.rest_s,
    )
    return Session(
        id=session_id,
        user_id=user_id,
        routine_id=routine.id,
        routine_name=routine.name,
        started_at=started,
        time_zone=zone,
        settings=settings,
        status=status,
        ended_at=ended_at,
        last_seen_at=max(ended_at, holds[-1].ended_at),
    )
