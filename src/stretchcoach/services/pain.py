"""Use cases around the pain journal: keep a rating with where it hurts, read them back."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from stretchcoach.domain.checkin import NOT_ASKED, Symptoms
from stretchcoach.domain.journal import (
    PainContext,
    PainEntry,
    PainSite,
    check_note,
    check_score,
    format_sites,
)
from stretchcoach.domain.session import new_id
from stretchcoach.domain.text import clean_text
from stretchcoach.errors import InvalidInput, NotFound
from stretchcoach.services.checkin import rating_check
from stretchcoach.services.uow import UnitOfWork, kept_once


def log_pain(
    score: int,
    sites: frozenset[PainSite],
    *,
    user_id: str,
    uow: UnitOfWork,
    now: datetime,
    time_zone: str,
    note: str = "",
    context: PainContext = PainContext.STANDALONE,
    session_id: str | None = None,
    symptoms: Symptoms = NOT_ASKED,
) -> PainEntry:
    """Check and keep one rating (with the three questions' answers, if given); a session it
    refers to must be the same user's."""
    return keep_pain_once(
        score,
        sites,
        entry_id=new_id(),
        user_id=user_id,
        uow=uow,
        now=now,
        time_zone=time_zone,
        note=note,
        context=context,
        session_id=session_id,
        symptoms=symptoms,
    )[0]


def keep_pain_once(
    score: int,
    sites: frozenset[PainSite],
    *,
    entry_id: str,
    user_id: str,
    uow: UnitOfWork,
    now: datetime,
    time_zone: str,
    note: str = "",
    context: PainContext = PainContext.STANDALONE,
    session_id: str | None = None,
    symptoms: Symptoms = NOT_ASKED,
) -> tuple[PainEntry, bool]:
    """Keep a rating under the id it was made with; sending it again changes nothing.

    What it reports beside the score (the three questions' `symptoms`, the warning signs its
    note names) is kept with it, in the same transaction: both or neither.

    Returns the saved rating and whether this call saved it. An id already used by another
    person's rating is refused as not found (it never says whose it is). The same rating
    arriving twice at once conflicts in the store: the other copy won, and asking again
    finds it."""
    entry = replace(
        new_pain_entry(
            score,
            sites,
            user_id=user_id,
            now=now,
            time_zone=time_zone,
            note=note,
            context=context,
            session_id=session_id,
        ),
        id=entry_id,
    )
    return kept_once(
        lambda: _keep_once(entry, symptoms, uow),
        taken=f"rating id {entry_id!r} is already taken: make a new one",
    )


def _keep_once(entry: PainEntry, symptoms: Symptoms, uow: UnitOfWork) -> tuple[PainEntry, bool]:
    entry_id, user_id = entry.id, entry.user_id
    with uow:
        try:
            saved = uow.journal.get(entry_id)
        except NotFound:
            saved = None
        if saved is not None:
            if saved.user_id != user_id:
                raise NotFound(f"no pain rating with id {entry_id!r}")
            return saved, False
        if entry.session_id is not None:
            try:
                owner = uow.sessions.get(entry.session_id).user_id
            except NotFound:
                owner = None
            if owner != user_id:
                raise NotFound(f"no session with id {entry.session_id!r}")
        uow.journal.add(entry)
        reported = rating_check(entry, symptoms)  # danger said or written stands as a yes
        if reported is not None:
            uow.screens.add(reported)
        uow.commit()
    return entry, True


def new_pain_entry(
    score: int,
    sites: frozenset[PainSite],
    *,
    user_id: str,
    now: datetime,
    time_zone: str,
    note: str = "",
    context: PainContext = PainContext.STANDALONE,
    session_id: str | None = None,
) -> PainEntry:
    """A checked rating, not yet saved; InvalidInput names the field at fault.

    The one place every interface's rating is checked: the terminal, the web and the API."""
    try:
        check_score(score)
    except InvalidInput as error:
        raise InvalidInput(str(error), field="score") from None
    try:
        note = check_note(note)
    except InvalidInput as error:
        raise InvalidInput(str(error), field="note") from None
    if session_id is not None:
        session_id = clean_text(session_id, field="session_id", max_length=36) or None
    if score == 0 and sites:
        raise InvalidInput(
            f"pain 0 means no pain, yet places were given ({format_sites(sites)}): "
            "leave the places out, or give a rating from 1 to 10",
            field="score",
        )
    return PainEntry(
        id=new_id(),
        user_id=user_id,
        recorded_at=now,
        time_zone=time_zone,
        score=score,
        sites=sites,
        context=context,
        session_id=session_id,
        note=note,
    )


def pain_entries(
    user_id: str, *, uow: UnitOfWork, since: datetime | None = None
) -> list[PainEntry]:
    """A user's ratings, oldest first."""
    with uow:
        return uow.journal.entries(user_id, since=since)
