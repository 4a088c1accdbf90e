"""/api/checkin: the morning check-in, before a session exists, as the terminal's `start` asks
it: the pain now and where, and the three questions. The answers are kept at once (a yes
stands at its level); the pain is read with the history to decide today's gate and dose, and
sent again with `POST /api/sessions` to be kept with the session, or kept at once when there
is no session today."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from stretchcoach.domain.checkin import SKIPPED, Change, Numb, Symptoms
from stretchcoach.domain.safety import CARE_MESSAGES, Care
from stretchcoach.domain.values import Side
from stretchcoach.services import session_case
from stretchcoach.services.settings import session_settings
from stretchcoach.web.api_errors import API_ERRORS
from stretchcoach.web.deps import MeDep, RoutineDep, Uow
from stretchcoach.web.numbers import JsonInt
from stretchcoach.web.routers.api_journal import sites_from
from stretchcoach.web.routers.api_verdict import verdict_json
from stretchcoach.web.routers.screen import ON_WEB
from stretchcoach.web.security import verify_csrf

router = APIRouter(prefix="/api/checkin", tags=["sessions"], responses=API_ERRORS)


class MorningBody(BaseModel):
    """Today's pain and where (both left out: the check-in skipped), and the three questions:
    a list of where or what (empty: no), or left out when not asked."""

    model_config = ConfigDict(extra="forbid")

    score: JsonInt | None = Field(None, ge=0, le=10, description="Pain now, 0 to 10.")
    sites: list[str] = Field(
        default_factory=list, max_length=12, description="Where it reaches: SIDE:PLACE."
    )
    numb: list[Numb] | None = Field(None, max_length=3)
    weaker: list[Side] | None = Field(None, max_length=2)
    changed: list[Change] | None = Field(None, max_length=4)


def morning_from(body: MorningBody) -> session_case.Morning:
    """The check-in as the use case takes it: the places checked as every rating's are."""
    places = sites_from(body.sites)
    where = ",".join(sorted(str(site) for site in places))
    symptoms = Symptoms(
        None if body.numb is None else frozenset(body.numb),
        None if body.weaker is None else frozenset(body.weaker),
        None if body.changed is None else frozenset(body.changed),
    )
    return session_case.Morning(body.score, where, symptoms)


@router.post(
    "",
    dependencies=[Depends(verify_csrf)],
    summary="Check in before a session: today's gate and plan from what the person reports",
)
def check_in(body: MorningBody, me: MeDep, uow: Uow, routine: RoutineDep) -> dict[str, Any]:
    morning = morning_from(body)
    checked = session_case.check_in(
        me.user_id,
        routine,
        session_settings(me.prefs, routine),
        morning,
        uow=uow,
        now=me.now,
        zone=ZoneInfo(me.time_zone),
        where=ON_WEB,
        keep=session_case.store_now(uow),
    )
    planned, reported = checked.plan, checked.reported
    return {
        "skipped": body.score is None,
        "notice": SKIPPED if body.score is None else None,
        "reported": None
        if reported.care is None
        else {"care": reported.care.value, "message": CARE_MESSAGES[reported.care]},
        "refusal": None if checked.refused is None else str(checked.refused),
        "urgent": Care.EMERGENCY in (reported.care, checked.verdict.gate.care),
        "seen_where": ON_WEB.seen,  # where a visit is recorded, in the refusal's words
        "verdict": verdict_json(checked.verdict),
        "settings": None
        if planned is None
        else {
            "hold_s": planned.settings.hold_s,
            "reps": {
                "left": planned.settings.reps_for(Side.LEFT),
                "right": planned.settings.reps_for(Side.RIGHT),
            },
        },
        "warnings": [] if planned is None else [f.message for f in planned.warnings],
    }
