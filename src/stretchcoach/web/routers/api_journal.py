"""/api/journal: keep a pain rating with where it hurts; read the journal back."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.session import new_id
from stretchcoach.errors import InvalidInput
from stretchcoach.services.correction import correct_pain, corrections, withdraw_pain
from stretchcoach.services.pain import keep_pain_once, pain_entries
from stretchcoach.web.api_errors import API_ERRORS
from stretchcoach.web.deps import MeDep, Uow
from stretchcoach.web.numbers import JsonInt
from stretchcoach.web.security import verify_csrf

router = APIRouter(prefix="/api/journal", tags=["journal"], responses=API_ERRORS)


class PainBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: JsonInt = Field(ge=0, le=10, description="0 no pain, 10 the worst imaginable")
    sites: list[str] = Field(
        default_factory=list, max_length=12, description='Where it hurts: "left:thigh", ...'
    )
    note: str = Field("", max_length=500)
    context: PainContext = PainContext.STANDALONE
    session_id: str | None = None


def entry_json(entry: PainEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "recorded_at": entry.recorded_at.isoformat(),
        "time_zone": entry.time_zone,
        "score": entry.score,
        "sites": sorted(str(s) for s in entry.sites),
        "context": entry.context.value,
        "session_id": entry.session_id,
        "note": entry.note,
        "corrected_at": entry.corrected_at.isoformat() if entry.corrected_at else None,
        "superseded_by": entry.superseded_by,
    }


def sites_from(raw: list[str]) -> Any:
    try:
        return parse_sites(",".join(raw))
    except InvalidInput as error:
        raise InvalidInput(str(error), field="sites") from None


def _keep(body: PainBody, entry_id: str, me: Any, uow: Any) -> tuple[PainEntry, bool]:
    return keep_pain_once(
        body.score,
        sites_from(body.sites),
        entry_id=entry_id,
        user_id=me.user_id,
        uow=uow,
        now=me.now,
        time_zone=me.time_zone,
        note=body.note,
        context=body.context,
        session_id=body.session_id,
    )


@router.post("", status_code=201, dependencies=[Depends(verify_csrf)], summary="Log pain")
def add(body: PainBody, me: MeDep, uow: Uow) -> dict[str, Any]:
    return entry_json(_keep(body, new_id(), me, uow)[0])


@router.put(
    "/{entry_id}",
    dependencies=[Depends(verify_csrf)],
    summary="Log pain under an id made by the browser (idempotent: a retry changes nothing)",
    responses={201: {"description": "saved now"}, 200: {"description": "already saved"}},
)
def put(entry_id: str, body: PainBody, me: MeDep, uow: Uow, response: Response) -> dict[str, Any]:
    import re

    from stretchcoach.web.routers.api_session import UUID_PATTERN

    if not re.match(UUID_PATTERN, entry_id):
        raise InvalidInput(f"rating id {entry_id!r} is not a UUID", field="entry_id")
    entry, created = _keep(body, entry_id.lower(), me, uow)
    response.status_code = 201 if created else 200
    return entry_json(entry)


@router.get("", summary="The pain journal, oldest first, and the ratings corrected in it")
def entries(me: MeDep, uow: Uow) -> dict[str, Any]:
    return {
        "entries": [entry_json(e) for e in pain_entries(me.user_id, uow=uow)],
        "corrections": [entry_json(e) for e in corrections(me.user_id, uow=uow)],
    }


class PainChange(BaseModel):
    """What to correct in a rating; what is left out stays as it was."""

    model_config = ConfigDict(extra="forbid")

    score: JsonInt | None = Field(None, ge=0, le=10)
    sites: list[str] | None = Field(None, max_length=12, description="[] for nowhere")
    note: str | None = Field(None, max_length=500)


@router.patch(
    "/{entry_id}",
    dependencies=[Depends(verify_csrf)],
    summary="Correct one of my ratings: kept as a new rating, the first marked corrected",
)
def correct(entry_id: str, body: PainChange, me: MeDep, uow: Uow) -> dict[str, Any]:
    new = correct_pain(
        entry_id,
        user_id=me.user_id,
        uow=uow,
        now=me.now,
        score=body.score,
        sites=None if body.sites is None else sites_from(body.sites),
        note=body.note,
    )
    return entry_json(new)


@router.delete(
    "/{entry_id}",
    dependencies=[Depends(verify_csrf)],
    summary="Take back one of my ratings: it stays, marked taken back, and no longer counts",
)
def withdraw(entry_id: str, me: MeDep, uow: Uow) -> dict[str, Any]:
    return entry_json(withdraw_pain(entry_id, user_id=me.user_id, uow=uow, now=me.now))
