"""Correcting one's own journal: change a rating (score, places, note) or take it back.

Nothing is overwritten. A change is kept as a new rating for the same moment (same time,
context and session), and the old one stays in the store marked corrected: when, and by
which rating; taking a rating back marks it corrected with nothing in its place. Every
reader of the journal (the clinical core, the charts, the report, the clinic's figures)
takes the current ratings only, so the verdict reads the corrected record, while the
clinician's page shows what was said first and when it was changed.

Only the rating's owner corrects it, and only a current one: another person's id, an
unknown id and a malformed one all read as not found.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from stretchcoach.domain.checkin import NOT_ASKED
from stretchcoach.domain.journal import PainEntry, PainSite
from stretchcoach.domain.session import new_id
from stretchcoach.errors import Conflict, InvalidInput, NotFound
from stretchcoach.services.checkin import rating_check
from stretchcoach.services.pain import new_pain_entry
from stretchcoach.services.uow import ReadUnitOfWork, UnitOfWork

_ID_MAX = 36


def correct_pain(
    entry_id: str,
    *,
    user_id: str,
    uow: UnitOfWork,
    now: datetime,
    score: int | None = None,
    sites: frozenset[PainSite] | None = None,
    note: str | None = None,
) -> PainEntry:
    """Replace one's own rating by a corrected one (what is not given stays as it was);
    returns the new rating. Asking again for the same change (a second tap on Save) finds the
    rating it made and changes nothing more."""
    with uow:
        old = _own(entry_id, user_id, uow)
        wanted = new_pain_entry(
            old.score if score is None else score,
            old.sites if sites is None else sites,
            user_id=user_id,
            now=old.recorded_at,  # the rating is about that moment, whenever it is corrected
            time_zone=old.time_zone,
            note=old.note if note is None else note,
            context=old.context,
            session_id=old.session_id,
        )
        if not old.current:
            done = _replacement(old, uow)
            if done is not None and done.says_the_same(wanted):
                return done
            raise Conflict(_already(old))
        if old.says_the_same(wanted):
            raise InvalidInput(
                "nothing to change: give a different score, places or note", field="form"
            )
        new = replace(wanted, id=new_id())
        uow.journal.add(new)
        if not uow.journal.supersede(old.id, by=new.id, at=now):
            raise Conflict(_already(old))
        reported = rating_check(replace(new, recorded_at=now), NOT_ASKED)  # words said now
        if reported is not None:
            uow.screens.add(reported)
        uow.commit()
    return new


def withdraw_pain(entry_id: str, *, user_id: str, uow: UnitOfWork, now: datetime) -> PainEntry:
    """Take back one's own rating (a wrong tap): it stays in the record, marked withdrawn, and
    no longer counts. Returns it as withdrawn; withdrawing it again changes nothing."""
    with uow:
        old = _own(entry_id, user_id, uow)
        if old.withdrawn:
            return old
        if not old.current:
            raise Conflict(_already(old))
        if not uow.journal.supersede(old.id, by=None, at=now):
            raise Conflict(_already(old))
        uow.commit()
    return replace(old, corrected_at=now, superseded_by=None)


def own_entry(entry_id: str, *, user_id: str, uow: ReadUnitOfWork) -> PainEntry:
    """One of one's own ratings, current or corrected; NotFound otherwise."""
    with uow:
        return _own(entry_id, user_id, uow)


def corrections(
    user_id: str, *, uow: ReadUnitOfWork, since: datetime | None = None
) -> list[PainEntry]:
    """The ratings a person replaced or withdrew, oldest first by when they were given."""
    with uow:
        return uow.journal.corrections(user_id, since=since)


def resolve_entry_id(
    given: str, *, user_id: str, uow: ReadUnitOfWork, since: datetime | None = None
) -> str:
    """A rating's full id from the id or its first characters, as the terminal lists it
    (at least 4); one of the person's own current ratings, else NotFound or InvalidInput."""
    text = given.strip().lower()
    if not text or len(text) > _ID_MAX or not all(c in "0123456789abcdef-" for c in text):
        raise NotFound(f"no pain rating with id {given!r}: see the ids with 'stretchcoach log'")
    with uow:
        ids = [e.id for e in uow.journal.entries(user_id, since=since) if e.id.startswith(text)]
    if len(ids) == 1 and (len(text) >= 4 or ids[0] == text):
        return ids[0]
    if len(ids) > 1:
        raise InvalidInput(f"id {given!r} fits {len(ids)} ratings: give more of it")
    if ids:
        raise InvalidInput(f"id {given!r} is too short: give at least its first 4 characters")
    raise NotFound(f"no pain rating with id {given!r}: see the ids with 'stretchcoach log'")


def _own(entry_id: str, user_id: str, uow: ReadUnitOfWork) -> PainEntry:
    if len(entry_id) > _ID_MAX:
        raise NotFound(f"no pain rating with id {entry_id[:_ID_MAX]!r}...")
    try:
        entry = uow.journal.get(entry_id)
    except NotFound:
        entry = None
    if entry is None or entry.user_id != user_id:  # someone else's reads as unknown
        raise NotFound(f"no pain rating with id {entry_id!r}")
    return entry


def _replacement(old: PainEntry, uow: ReadUnitOfWork) -> PainEntry | None:
    if old.superseded_by is None:
        return None
    try:
        return uow.journal.get(old.superseded_by)
    except NotFound:
        return None


def _already(old: PainEntry) -> str:
    if old.withdrawn:
        return f"rating {old.id!r} was taken back already"
    return f"rating {old.id!r} was corrected already: change the newer one"
