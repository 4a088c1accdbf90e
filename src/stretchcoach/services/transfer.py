"""Export and import of one person's records: sessions, holds, pain entries and screens.

Every record carries its stable id (a UUID), so a record is recognised wherever it goes.
Import is all-or-nothing: the file is read and checked whole (adapters/transfer.py checks each
field), then the records are checked against each other and against the store (references,
ids that belong to someone else, hold numbers already taken), and only then written, in one
transaction. A record already in the store is skipped and left as it is, so importing the
same file twice changes nothing. The first problem is reported with where it is (row or
record) and which field.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from stretchcoach.domain.journal import PainEntry
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import Hold, Session
from stretchcoach.errors import InvalidInput
from stretchcoach.services.uow import RecordKind, UnitOfWork

T = TypeVar("T", covariant=True)


class Record(Protocol):
    @property
    def id(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Located(Generic[T]):
    """A record and where it was read from ("row 7", "holds record 3"), for messages."""

    record: T
    where: str = ""


@dataclass(slots=True)
class Bundle:
    """One person's records as they travel. Sessions carry no holds here: holds are records."""

    sessions: list[Located[Session]] = field(default_factory=list)
    holds: list[Located[Hold]] = field(default_factory=list)
    pain: list[Located[PainEntry]] = field(default_factory=list)
    screens: list[Located[ScreenResult]] = field(default_factory=list)

    def by_kind(self) -> list[tuple[RecordKind, Sequence[Located[Record]]]]:
        return [
            ("session", self.sessions),
            ("hold", self.holds),
            ("pain", self.pain),
            ("screen", self.screens),
        ]

    def counts(self) -> dict[RecordKind, int]:
        return {
            "session": len(self.sessions),
            "hold": len(self.holds),
            "pain": len(self.pain),
            "screen": len(self.screens),
        }


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: dict[RecordKind, int]
    skipped: dict[RecordKind, int]


def problem(where: str, field_name: str, message: str) -> InvalidInput:
    return InvalidInput(f"{where}, field {field_name!r}: {message}; nothing was imported")


def export_bundle(user_id: str, *, uow: UnitOfWork) -> Bundle:
    """Every record of one user, oldest first; queries filtered by the user."""
    with uow:
        sessions = list(reversed(uow.sessions.list_recent(user_id)))
        entries = uow.journal.entries(user_id)
        screens = uow.screens.history(user_id)
    bundle = Bundle()
    for session in sessions:
        bundle.holds.extend(Located(hold) for hold in session.holds)
        bundle.sessions.append(Located(replace(session, holds=[])))
    bundle.pain = [Located(e) for e in entries]
    bundle.screens = [Located(s) for s in screens]
    return bundle


def import_bundle(bundle: Bundle, *, user_id: str, uow: UnitOfWork, now: datetime) -> ImportResult:
    """Check everything, then write what is new in one transaction; InvalidInput otherwise."""
    _check_unique(bundle)
    _check_not_ahead(bundle, now=now)
    with uow:
        owners = {
            kind: uow.records.owners(kind, [item.record.id for item in items])
            for kind, items in bundle.by_kind()
        }
        for kind, items in bundle.by_kind():
            for item in items:
                owner = owners[kind].get(item.record.id)
                if owner is not None and owner != user_id:
                    raise problem(item.where, "id", f"{item.record.id!r} is someone else's record")
        file_sessions = {item.record.id for item in bundle.sessions}
        referenced = {h.record.session_id for h in bundle.holds} | {
            p.record.session_id for p in bundle.pain if p.record.session_id is not None
        }
        stored = uow.records.owners("session", referenced - file_sessions)
        known_sessions = file_sessions | {sid for sid, who in stored.items() if who == user_id}
        new_holds = [h for h in bundle.holds if h.record.id not in owners["hold"]]
        taken = uow.records.hold_numbers({h.record.session_id for h in new_holds})
        for item in new_holds:
            hold = item.record
            if hold.session_id not in known_sessions:
                raise problem(
                    item.where,
                    "session_id",
                    f"{hold.session_id!r} is not a session in this file or already yours",
                )
            if (hold.session_id, hold.hold_number) in taken:
                raise problem(
                    item.where,
                    "hold_number",
                    f"hold {hold.hold_number} of session {hold.session_id!r} is already "
                    "another hold",
                )
            taken.add((hold.session_id, hold.hold_number))
        for entry in bundle.pain:
            sid = entry.record.session_id
            if sid is not None and sid not in known_sessions:
                raise problem(
                    entry.where,
                    "session_id",
                    f"{sid!r} is not a session in this file or already yours",
                )

        added: dict[RecordKind, int] = {"session": 0, "hold": 0, "pain": 0, "screen": 0}
        for s in bundle.sessions:
            if s.record.id not in owners["session"]:
                uow.sessions.add(replace(s.record, holds=[]))  # holds are records of their own
                added["session"] += 1
        for h in new_holds:
            uow.sessions.add_hold(h.record)
            added["hold"] += 1
        for p in bundle.pain:
            if p.record.id not in owners["pain"]:
                uow.journal.add(p.record)
                added["pain"] += 1
        for r in bundle.screens:
            if r.record.id not in owners["screen"]:
                uow.screens.add(replace(r.record, stored_at=now))  # the store's time
                added["screen"] += 1
        uow.commit()
    counts = bundle.counts()
    return ImportResult(added, {kind: counts[kind] - added[kind] for kind in counts})


def _check_not_ahead(bundle: Bundle, *, now: datetime) -> None:
    """No record may claim a time ahead of now (beyond a few minutes of clock skew)."""
    from stretchcoach.domain.screening import in_future

    moments: list[tuple[Located[Any], str, datetime | None]] = []
    moments += [(s, "started_at", s.record.started_at) for s in bundle.sessions]
    moments += [(s, "ended_at", s.record.ended_at) for s in bundle.sessions]
    moments += [(h, "ended_at", h.record.ended_at) for h in bundle.holds]
    moments += [(p, "recorded_at", p.record.recorded_at) for p in bundle.pain]
    moments += [(r, "answered_at", r.record.answered_at) for r in bundle.screens]
    for item, name, at in moments:
        if at is not None and in_future(at, now=now):
            raise problem(
                item.where,
                name,
                f"{at.isoformat()} is in the future: records must be dated before now "
                f"({now.isoformat(timespec='seconds')})",
            )


def _check_unique(bundle: Bundle) -> None:
    """No id twice among records of one kind, and no hold number twice in a session."""
    for _, items in bundle.by_kind():
        seen = Counter[str]()
        for item in items:
            record_id = item.record.id
            seen[record_id] += 1
            if seen[record_id] > 1:
                raise problem(item.where, "id", f"{record_id!r} appears twice in the file")
    numbers: set[tuple[str, int]] = set()
    for h in bundle.holds:
        key = (h.record.session_id, h.record.hold_number)
        if key in numbers:
            raise problem(
                h.where,
                "hold_number",
                f"hold {key[1]} of session {key[0]!r} appears twice in the file",
            )
        numbers.add(key)
