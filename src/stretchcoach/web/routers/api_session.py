"""/api/sessions: start a session, keep each hold as it ends, resume after a reload, finish."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from stretchcoach.domain.clinical import GENTLER_CUE
from stretchcoach.domain.cues import STALLED_CUE, STOPPED_CUE
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.routine import Routine
from stretchcoach.domain.session import Hold, Session
from stretchcoach.domain.timeline import Timeline
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services import session_case, web_session
from stretchcoach.services.sessions import list_sessions
from stretchcoach.services.settings import session_settings
from stretchcoach.web.api_errors import API_ERRORS, error_responses
from stretchcoach.web.deps import MeDep, RoutineDep, Uow, WhoDep
from stretchcoach.web.numbers import JsonFloat, JsonInt, QueryInt
from stretchcoach.web.routers.api_journal import sites_from
from stretchcoach.web.routers.api_verdict import verdict_json
from stretchcoach.web.routers.screen import ON_WEB
from stretchcoach.web.security import verify_csrf

router = APIRouter(prefix="/api/sessions", tags=["sessions"], responses=API_ERRORS)
Csrf = [Depends(verify_csrf)]
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MorningPain(_Body):
    """The pain reported at the check-in (POST /api/checkin), kept with the session."""

    score: JsonInt = Field(ge=0, le=10)
    sites: list[str] = Field(default_factory=list, max_length=12)


class StartBody(_Body):
    speed: JsonFloat = Field(1.0, gt=0, le=session_case.MAX_SPEED, description="Clock speed-up.")
    checkin: MorningPain | None = Field(
        None, description="The check-in's pain: read for today's plan, kept as pain before."
    )


class HoldBody(_Body):
    hold_number: JsonInt = Field(ge=1, le=100)
    side: Side
    held_s: JsonFloat = Field(ge=0, le=3600)
    completed: bool


class FeltBody(_Body):
    felt: Felt


class FinishBody(_Body):
    status: Literal["completed", "stopped"]


def hold_json(hold: Hold) -> dict[str, Any]:
    return {
        "id": hold.id,
        "hold_number": hold.hold_number,
        "side": hold.side.value,
        "planned_s": hold.planned_s,
        "held_s": hold.held_s,
        "completed": hold.completed,
        "ended_at": hold.ended_at.isoformat(),
        "felt": hold.felt.value if hold.felt else None,
    }


def cues_json(routine: Routine) -> dict[str, str]:
    """The words the phone's engine says beside each phase's own cue (domain.cues)."""
    return {
        "halfway": routine.cues.halfway,
        "finish": routine.cues.finish,
        "stopped": STOPPED_CUE,
        "stalled": STALLED_CUE,
        "gentler": GENTLER_CUE,  # said at later holds on a leg that answered "nerve"
    }


def phases_json(timeline: Timeline) -> list[dict[str, Any]]:
    """The session's timeline as the phone's engine (static/engine.js) runs it."""
    return [
        {
            "index": p.index,
            "kind": p.kind.value,
            "duration_s": p.duration_s,
            "title": p.title,
            "instruction": p.instruction,
            "cue": p.cue,
            "side": p.side.value if p.side else None,
            "hold_number": p.hold_number,
        }
        for p in timeline
    ]


def session_state(session: Session, routine: Routine) -> dict[str, Any]:
    """Everything the session page needs to run or resume the session on its own."""
    timeline = web_session.session_timeline(session, routine)
    saved = {h.hold_number for h in session.holds}
    return {
        "id": session.id,
        "status": session.status.value,
        "started_at": session.started_at.isoformat(),
        "ended_at": session.ended_at.isoformat() if session.ended_at else None,
        "practice": session.practice,
        "speed": session.speed,
        "time_zone": session.time_zone,
        "routine": {"id": routine.id, "name": routine.name},
        "settings": {
            "hold_s": session.settings.hold_s,
            "reps_per_side": session.settings.reps_per_side,
            "first_side": session.settings.first_side.value,
            "rest_s": session.settings.rest_s,
        },
        "cues": cues_json(routine),
        "phases": phases_json(timeline),
        "holds": [hold_json(h) for h in session.holds],
        "resume_phase": None
        if session.status.is_final
        else web_session.resume_phase(timeline, saved),
    }


@router.post(
    "",
    status_code=201,
    dependencies=Csrf,
    summary="Start a session",
    description="Refused with 409 `screen_due` while the warning-signs check is missing or over "
    "30 days old (answer it with POST /api/screen), and with 409 `safety_block` while the "
    "latest answers have a yes.",
    responses=error_responses(409),
)
def start(body: StartBody, me: MeDep, uow: Uow, routine: RoutineDep) -> dict[str, Any]:
    today = None
    if body.checkin is not None:
        places = sites_from(body.checkin.sites)
        today = session_case.morning_pain(
            body.checkin.score,
            ",".join(str(site) for site in sorted(places)),
            user_id=me.user_id,
            now=me.now,
            time_zone=me.time_zone,
        )
    planned = session_case.plan(
        me.user_id,
        routine,
        session_settings(me.prefs, routine),
        uow=uow,
        now=me.now,
        zone=ZoneInfo(me.time_zone),
        where=ON_WEB,
        today=today,
    )
    session = web_session.start_browser_session(
        routine,
        planned.settings,
        user_id=me.user_id,
        uow=uow,
        now=me.now,
        time_zone=me.time_zone,
        speed=body.speed,
    )
    if today is not None:
        entry = replace(today, session_id=session.id)
        session_case.record_pain(entry, keep=session_case.store_now(uow))
    return session_state(session, routine)


@router.get("/current", summary="The session in progress, to resume it")
def current(me: WhoDep, uow: Uow, routine: RoutineDep) -> dict[str, Any]:
    session = web_session.open_session(me.user_id, uow=uow, now=me.now)
    return {"session": session_state(session, routine) if session else None}


@router.get("", summary="Recent sessions, newest first")
def recent(me: WhoDep, uow: Uow, routine: RoutineDep, limit: QueryInt = 30) -> dict[str, Any]:
    from stretchcoach.errors import InvalidInput

    if not 1 <= limit <= 500:
        raise InvalidInput(f"limit {limit!r} is not allowed: use 1 to 500", field="limit")
    sessions = list_sessions(me.user_id, uow=uow, limit=limit)
    return {"sessions": [session_state(s, routine) for s in sessions]}


@router.get("/{session_id}", summary="One session with its holds")
def one(session_id: str, me: WhoDep, uow: Uow, routine: RoutineDep) -> dict[str, Any]:
    session = session_case.owned_session(session_id, user_id=me.user_id, uow=uow)
    return session_state(session, routine)


@router.put(
    "/{session_id}/holds/{hold_id}",
    dependencies=Csrf,
    summary="Keep one finished hold (idempotent: the id is made by the browser)",
    description="How the hold felt is said apart, at PUT .../holds/{hold_id}/felt.",
    responses={201: {"description": "saved now"}, 200: {"description": "already saved"}},
)
def put_hold(
    session_id: str,
    hold_id: str,
    body: HoldBody,
    me: WhoDep,
    uow: Uow,
    response: Response,
) -> dict[str, Any]:
    import re

    from stretchcoach.errors import InvalidInput

    if not re.match(UUID_PATTERN, hold_id):
        raise InvalidInput(f"hold id {hold_id!r} is not a UUID", field="hold_id")
    report = web_session.HoldReport(
        id=hold_id.lower(),
        hold_number=body.hold_number,
        side=body.side,
        held_s=body.held_s,
        completed=body.completed,
    )
    hold, created = web_session.record_browser_hold(
        session_id, report, user_id=me.user_id, uow=uow, now=me.now
    )
    response.status_code = 201 if created else 200
    return hold_json(hold)


@router.put(
    "/{session_id}/holds/{hold_id}/felt",
    dependencies=Csrf,
    summary="Say how a saved hold felt (idempotent: the latest answer stands)",
    responses=error_responses(404),
)
def put_felt(session_id: str, hold_id: str, body: FeltBody, me: WhoDep, uow: Uow) -> dict[str, Any]:
    hold = session_case.answer_felt(
        session_id, hold_id.lower(), body.felt, user_id=me.user_id, uow=uow
    )
    return hold_json(hold)


@router.post("/{session_id}/finish", dependencies=Csrf, summary="End a session")
def finish(
    session_id: str, body: FinishBody, me: WhoDep, uow: Uow, routine: RoutineDep
) -> dict[str, Any]:
    session = web_session.finish_browser_session(
        session_id, SessionStatus(body.status), user_id=me.user_id, uow=uow, now=me.now
    )
    return session_state(session, routine)


@router.get(
    "/{session_id}/advice",
    summary="After a session: the dose for next time with its reason, and what to watch",
    responses=error_responses(404),
)
def advice(session_id: str, me: MeDep, uow: Uow, routine: RoutineDep) -> dict[str, Any]:
    found = session_case.advise(
        session_id,
        routine,
        user_id=me.user_id,
        uow=uow,
        now=me.now,
        usual_reps=me.prefs.reps_per_side,  # after a practice run, the plan Today shows
    )
    return verdict_json(found.verdict) | {"practice": found.practice, "note": found.note}
