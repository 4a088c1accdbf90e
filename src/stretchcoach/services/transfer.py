"""Export and import of one person's records: sessions, holds, pain entries and screens.

Every record carries its stable id (a UUID), so a record is recognised wherever it goes.
Import is all-or-nothing: the file is read and checked whole (adapters/transfer.py checks each
field), then the records are checked against each other and against the store (references,
ids that belong to someone else, hold numbers already taken), and only then written, in one
transaction. A record already in the store is skipped and left as it is, so importing the
same file twice changes nothing. The first problem is reported with where it is (row or
record) and which field.

A visit ("seen") is held to the rule every surface applies (domain/screening.check_visit):
not ahead of today nor over five years back, and, by the file's own dates, on or after the
first yes it settles and the start of any stop rule in force it settles. One that is not
refuses the whole file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Generic, Protocol, TypeVar
from zoneinfo import ZoneInfo

from stretchcoach.domain.journal import PainEntry
from stretchcoach.domain.plausible import check_after, check_moment
from stretchcoach.domain.screening import (
    Acknowledgement,
    Began,
    ScreenResult,
    check_visit,
    local_day,
    misdated,
)
from stretchcoach.domain.session import Hold, Session
from stretchcoach.errors import InvalidInput
from stretchcoach.services.uow import ReadUnitOfWork, RecordKind, UnitOfWork

T = TypeVar("T", covariant=True)
R = TypeVar("R")


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
    acknowledgements: list[Located[Acknowledgement]] = field(default_factory=list)

    def by_kind(self) -> list[tuple[RecordKind, Sequence[Located[Record]]]]:
        return [
            ("session", self.sessions),
            ("hold", self.holds),
            ("pain", self.pain),
            ("screen", self.screens),
            ("seen", self.acknowledgements),
        ]

    def counts(self) -> dict[RecordKind, int]:
        return {kind: len(items) for kind, items in self.by_kind()}


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: dict[RecordKind, int]
    skipped: dict[RecordKind, int]
    # each record skipped, where it is in the file and its id: "holds record 3 ('4f…')"
    skipped_records: list[str] = field(default_factory=list)


UTC_ZONE = ZoneInfo("UTC")
BATCH = 2000  # records per INSERT: fewer round trips, well under every parameter limit


@dataclass
class _Batches:
    total: int
    progress: Callable[[int, int], None] | None
    done: int = 0

    def write(self, add_all: Callable[[Sequence[R]], None], records: Sequence[R]) -> None:
        for start in range(0, len(records), BATCH):
            chunk = records[start : start + BATCH]
            add_all(chunk)
            self.done += len(chunk)
            if self.progress is not None:
                self.progress(self.done, self.total)


def problem(where: str, field_name: str, message: str) -> InvalidInput:
    return InvalidInput(f"{where}, field {field_name!r}: {message}; nothing was imported")


def export_bundle(user_id: str, *, uow: ReadUnitOfWork) -> Bundle:
    """Every record of one user, oldest first; queries filtered by the user."""
    with uow:
        sessions = list(reversed(uow.sessions.list_recent(user_id)))
        entries = uow.journal.entries(user_id)
        screens = uow.screens.history(user_id)
        acknowledgements = uow.screens.acknowledgements(user_id)
    bundle = Bundle()
    for session in sessions:
        bundle.holds.extend(Located(hold) for hold in session.holds)
        bundle.sessions.append(Located(replace(session, holds=[])))
    bundle.pain = [Located(e) for e in entries]
    bundle.screens = [Located(s) for s in screens]
    bundle.acknowledgements = [Located(a) for a in acknowledgements]
    return bundle


def import_bundle(
    bundle: Bundle,
    *,
    user_id: str,
    uow: UnitOfWork,
    now: datetime,
    zone: ZoneInfo = UTC_ZONE,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Check everything, then write what is new in one transaction; InvalidInput otherwise.

    `zone` is the person's, whose days a visit is dated in. Records are written in batches
    of BATCH (one statement each); `progress(done, total)` hears after each batch.
    """
    _check_unique(bundle)
    _check_plausible(bundle, now=now, zone=zone)
    stops = _stops_now(bundle, user_id=user_id, uow=uow, now=now, zone=zone)
    with uow:
        uow.lock_store()  # one import at a time: checks and writes see each other whole
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

        _check_visits(bundle, owners["seen"], stops, user_id=user_id, uow=uow, now=now, zone=zone)

        new_sessions = [
            replace(s.record, holds=[])  # holds are records of their own
            for s in bundle.sessions
            if s.record.id not in owners["session"]
        ]
        new_pain = [p.record for p in bundle.pain if p.record.id not in owners["pain"]]
        stamp = _store_stamps(bundle, now=now)
        new_screens = [
            replace(r.record, stored_at=stamp(r.record.answered_at))
            for r in bundle.screens
            if r.record.id not in owners["screen"]
        ]
        new_seen = [
            replace(a.record, stored_at=stamp(a.record.stored_at))
            for a in bundle.acknowledgements
            if a.record.id not in owners["seen"]
        ]
        writing = _Batches(
            len(new_sessions) + len(new_holds) + len(new_pain) + len(new_screens) + len(new_seen),
            progress,
        )
        writing.write(uow.sessions.add_all, new_sessions)
        writing.write(uow.sessions.add_holds, [h.record for h in new_holds])
        writing.write(uow.journal.add_all, new_pain)
        writing.write(uow.screens.add_all, new_screens)
        for ack in new_seen:
            uow.screens.add_acknowledgement(ack)
        added: dict[RecordKind, int] = {
            "session": len(new_sessions),
            "hold": len(new_holds),
            "pain": len(new_pain),
            "screen": len(new_screens),
            "seen": len(new_seen),
        }
        uow.commit()
    counts = bundle.counts()
    skipped = [
        f"{item.where or kind} ({item.record.id!r})"
        for kind, items in bundle.by_kind()
        for item in items
        if item.record.id in owners[kind]
    ]
    return ImportResult(added, {kind: counts[kind] - added[kind] for kind in counts}, skipped)


def _store_stamps(bundle: Bundle, *, now: datetime) -> Callable[[datetime], datetime]:
    """The store's time for imported checks and acknowledgements: their own order kept, the
    latest of them now, none later. The gate orders checks by the store's time, so an import
    never slips a check in front of one already stored, nor dates one ahead."""
    moments = [r.record.answered_at for r in bundle.screens]
    moments += [a.record.stored_at for a in bundle.acknowledgements]
    if not moments:
        return lambda moment: now
    shift = now - max(moments)
    return lambda moment: min(now, moment + shift)


def _stops_now(
    bundle: Bundle, *, user_id: str, uow: UnitOfWork, now: datetime, zone: ZoneInfo
) -> dict[str, datetime]:
    """The spread and worsening stop rules in force before the import, with when each began,
    when the file holds a visit that names one (the stop rules read the person's history)."""
    from stretchcoach.domain.clinical.gate import STOP_CODES, stops
    from stretchcoach.domain.clinical.signals import signals
    from stretchcoach.services.clinical import load_history

    named = {code for a in bundle.acknowledgements for code in a.record.codes}
    if not named & set(STOP_CODES):
        return {}
    history = load_history(user_id, uow=uow, now=now, zone=zone)
    return stops(history, signals(history), plan_rests_both=False)


def _check_visits(
    bundle: Bundle,
    stored_ids: dict[str, str],
    stops: dict[str, datetime],
    *,
    user_id: str,
    uow: UnitOfWork,
    now: datetime,
    zone: ZoneInfo,
) -> None:
    """Each new visit in the file, by its own dates, comes on or after the first yes it
    settles (the file's checks and the store's together) and the start of each stop rule in
    force it settles; `problem` names the first that does not."""
    from stretchcoach.domain.clinical.gate import STOP_BEGAN

    new = {a.record.id: a for a in bundle.acknowledgements if a.record.id not in stored_ids}
    if not new:
        return
    checks = {c.id: c for c in uow.screens.history(user_id)}
    checks |= {r.record.id: r.record for r in bundle.screens if r.record.id not in checks}
    acks = {a.id: a for a in uow.screens.acknowledgements(user_id)}
    acks |= {a.record.id: a.record for a in bundle.acknowledgements if a.record.id not in acks}
    claims = misdated(list(checks.values()), list(acks.values()), zone=zone)
    for item in new.values():
        ack = item.record
        for code in ack.codes:
            since = stops.get(code)
            if since is not None and ack.stored_at >= since:
                what = STOP_BEGAN.get(code, "the stop rule began")
                claims.append((ack, Began(code, local_day(since, zone), what)))
    today = local_day(now, zone)
    for ack, began in claims:
        if ack.id in new:
            try:
                check_visit(ack.seen_on, today=today, began=[began])
            except InvalidInput as error:
                raise problem(new[ack.id].where, "seen_on", str(error)) from None


def _check_plausible(bundle: Bundle, *, now: datetime, zone: ZoneInfo) -> None:
    """Every moment already happened (a few minutes of skew allowed) and a session ends
    after it starts; InvalidInput names the record and the field."""

    def moment(where: str, name: str, value: datetime | None) -> None:
        if value is not None:
            try:
                check_moment(value, now=now)
            except InvalidInput as error:
                raise problem(where, name, str(error)) from None

    for s in bundle.sessions:
        session = s.record
        moment(s.where, "started_at", session.started_at)
        moment(s.where, "ended_at", session.ended_at)
        moment(s.where, "last_seen_at", session.last_seen_at)
        for name, later in (("ended_at", session.ended_at), ("last_seen_at", session.last_seen_at)):
            try:
                check_after(later, session.started_at, "end" if name == "ended_at" else "last sign")
            except InvalidInput as error:
                raise problem(s.where, name, str(error)) from None
    for h in bundle.holds:
        moment(h.where, "ended_at", h.record.ended_at)
    for p in bundle.pain:
        moment(p.where, "recorded_at", p.record.recorded_at)
    for r in bundle.screens:
        moment(r.where, "answered_at", r.record.answered_at)
    today = local_day(now, zone)
    for a in bundle.acknowledgements:
        moment(a.where, "stored_at", a.record.stored_at)
        try:
            check_visit(a.record.seen_on, today=today)  # not ahead, not over five years back
        except InvalidInput as error:
            raise problem(a.where, "seen_on", str(error)) from None


def _check_unique(bundle: Bundle) -> None:
    """No id twice in the file (a session and a hold are different records, so different
    ids), and no hold number twice in a session."""
    seen: dict[str, str] = {}
    for _, items in bundle.by_kind():
        for item in items:
            record_id = item.record.id
            if record_id in seen:
                raise problem(
                    item.where, "id", f"{record_id!r} is already the id of {seen[record_id]}"
                )
            seen[record_id] = item.where or "another record"
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
