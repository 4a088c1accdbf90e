"""The warning-signs check on the web: the /screen page and /api/screen.

The questions, their order, what a yes means and every message come from the domain, and what
stands from the whole history is the clinical core's verdict (services/clinical.py), as in the
terminal; this module only asks and shows. A session does not start while a yes stands that no
one has settled, a stop rule is in force, or the check is missing, over 30 days old or due again
because something changed (services/session_case.py, for the session page and POST /api/sessions).

"I have been seen" is recorded here by the person in local mode, and with accounts by a
patient who has no clinician yet (kept as recorded by them, and the page says how to get
linked); once linked, only their clinician records it (routers/clinic.py). The words after
answering come from the verdict (domain/clinical/answered.py), as in the terminal.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from stretchcoach.domain.clinical import Gate, GateStatus, Verdict
from stretchcoach.domain.clinical.answered import after_check
from stretchcoach.domain.routine import Routine
from stretchcoach.domain.safety import (
    EMERGENCY_CODES,
    QUESTIONS,
    RECHECK_INTRO,
    SCREEN_EVERY,
    SCREEN_INTRO,
    ScreenOutcome,
)
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.errors import InvalidInput, SafetyBlock
from stretchcoach.services.clinical import verdict
from stretchcoach.services.safety import (
    ScreenState,
    acknowledge,
    answer_screen,
    current_screen,
    refusal,
)
from stretchcoach.services.session_case import Where
from stretchcoach.web.api_errors import API_ERRORS, error_responses
from stretchcoach.web.deps import MeDep, RoutineDep, Uow
from stretchcoach.web.routers.welcome import Welcomed
from stretchcoach.web.security import verify_csrf

ON_WEB = Where(
    answer="on the warning-signs page",
    seen="on the warning-signs page (once you are linked to a clinician, they record it)",
)

page_router = APIRouter(include_in_schema=False)
router = APIRouter(prefix="/api/screen", tags=["screen"], responses=API_ERRORS)
Csrf = [Depends(verify_csrf)]


def web_verdict(me: Any, uow: Any, routine: Routine) -> Verdict:
    """The clinical core's verdict for the signed-in person, in their own zone and dose."""
    return verdict(
        me.user_id,
        routine,
        uow=uow,
        now=me.now,
        zone=ZoneInfo(me.time_zone),
        reps_per_side=me.prefs.reps_per_side,
    )


def _state(me: Any, uow: Any, routine: Routine) -> ScreenState:
    return current_screen(web_verdict(me, uow, routine), me.user_id, uow=uow)


def _self_acknowledges(request: Request, me: Any) -> bool:
    """Local mode, or a patient with no clinician linked yet (services/clinic)."""
    if request.app.state.mode == "local":
        return True
    from stretchcoach.services.clinic import records_own_visits
    from stretchcoach.web.security import get_accounts_uow

    return records_own_visits(me.user, uow=get_accounts_uow(request))


# -- JSON -------------------------------------------------------------------------------------


class ScreenBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: list[bool | None] = Field(
        description=f"true (yes) or false (no) for each of the {len(QUESTIONS)} questions, "
        "in the order GET /api/screen lists them. When the check is due again because something "
        "changed (status `recheck`), the emergency questions may be answered alone: null for "
        "the others."
    )

    @field_validator("answers", mode="before")
    @classmethod
    def _only_true_or_false(cls, value: Any) -> Any:
        if not isinstance(value, list) or not all(a is None or isinstance(a, bool) for a in value):
            raise ValueError(
                f"give a list of {len(QUESTIONS)} answers, each true (yes) or false (no), "
                "in question order"
            )
        return value


class SeenBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seen_on: date = Field(description="The day a clinician saw you about it (YYYY-MM-DD)")
    note: str = Field("", description="What they said, if you like (up to 300 characters)")


def outcome_json(result: ScreenResult, outcome: ScreenOutcome, gate: Gate) -> dict[str, Any]:
    """The answers of one check, and what they mean now (`message`: after what stands)."""
    return {
        "answered_at": result.counts_from.isoformat(),
        "answers": list(result.answers),
        "clear": outcome.clear,
        "care": outcome.care.value if outcome.care else None,
        "yes": [q.code for q in outcome.yes],
        "message": after_check(outcome, gate).message,
    }


def state_json(state: ScreenState) -> dict[str, Any]:
    latest = (
        outcome_json(state.latest, state.outcome, state.gate)
        if state.latest is not None and state.outcome is not None
        else None
    )
    gate = state.gate
    return {
        "status": gate.status.value,
        "due": gate.due,
        "care": gate.care.value if gate.care else None,
        "message": gate.message,
        "standing": [e.question.code for e in gate.open],
        "seen": [
            {
                "code": e.question.code,
                "seen_on": e.settled_by.seen_on.isoformat(),
                "by": e.settled_by.by_name,
            }
            for e in gate.settled
            if e.settled_by is not None
        ],
        "stops": list(gate.stops),
        # a visit recorded now settles what stands only if on or after this day
        "seen_from": gate.began_on.isoformat() if gate.began_on else None,
        "latest": latest,
    }


@router.get("", summary="The warning-signs questions, where the check stands, the latest answers")
def get_screen(me: MeDep, uow: Uow, routine: RoutineDep) -> dict[str, Any]:
    return {
        "questions": [{"code": q.code, "text": q.text, "care": q.care.value} for q in QUESTIONS],
        "emergency": list(EMERGENCY_CODES),
        "every_days": SCREEN_EVERY.days,
        **state_json(_state(me, uow, routine)),
    }


@router.post(
    "",
    status_code=201,
    dependencies=Csrf,
    summary="Answer the warning-signs check (every question in order, or the emergency ones)",
    responses=error_responses(422),
)
def post_screen(body: ScreenBody, me: MeDep, uow: Uow, routine: RoutineDep) -> dict[str, Any]:
    partial = any(a is None for a in body.answers)
    try:
        result, outcome = answer_screen(
            tuple(body.answers), user_id=me.user_id, uow=uow, now=me.now, partial=partial
        )
    except InvalidInput as error:
        raise InvalidInput(str(error), field="answers") from None
    state = _state(me, uow, routine)
    return state_json(state) | {"latest": outcome_json(result, outcome, state.gate)}


@router.post(
    "/seen",
    status_code=201,
    dependencies=Csrf,
    summary="Record that a clinician has seen you about what stands, and said you may exercise",
    description="In local mode, and with accounts until a clinician is linked (recorded as "
    "yours); once linked, your clinician records it. The visit must be on or after the first "
    "yes and the start of each stop rule it settles.",
    responses=error_responses(403, 422),
)
def post_seen(
    request: Request, body: SeenBody, me: MeDep, uow: Uow, routine: RoutineDep
) -> dict[str, Any]:
    from fastapi import HTTPException

    if not _self_acknowledges(request, me):
        raise HTTPException(403, "your clinician records this for you, from their patient page")
    ack = acknowledge(
        me.user_id,
        routine,
        seen_on=body.seen_on,
        by_user_id=me.user_id,
        by_name=me.user.display_name,
        note=body.note,
        uow=uow,
        now=me.now,
        zone=ZoneInfo(me.time_zone),
    )
    return {"codes": list(ack.codes), "seen_on": ack.seen_on.isoformat()} | state_json(
        _state(me, uow, routine)
    )


# -- the page ---------------------------------------------------------------------------------


def _render(
    request: Request, me: Any, state: ScreenState, *, status: int = 200, **extra: Any
) -> Response:
    recheck = state.status is GateStatus.RECHECK
    context: dict[str, Any] = {
        "me": me,
        "page": "screen",
        "questions": [q for q in QUESTIONS if not recheck or q.code in EMERGENCY_CODES],
        "intro": RECHECK_INTRO if recheck else SCREEN_INTRO,
        "recheck": recheck,
        "state": state,
        "self_ack": _self_acknowledges(request, me),
        "accounts": request.app.state.mode == "accounts",
        "said": (after_check(state.outcome, state.gate) if state.outcome is not None else None),
        "today": me.now.astimezone(ZoneInfo(me.time_zone)).date(),
        "errors": {},
        "values": {},
        "done": False,
        "blocked": None,
    }
    response: Response = request.app.state.templates.TemplateResponse(
        request, "screen.html", context | extra, status_code=status
    )
    return response


@page_router.get("/screen", name="screen_page", dependencies=Welcomed)
def screen_page(
    request: Request, me: MeDep, uow: Uow, routine: RoutineDep, done: int = 0, blocked: int = 0
) -> Response:
    state = _state(me, uow, routine)
    why = None
    if blocked:
        error = refusal(state.gate, answer_where="on this page", seen_where="on this page")
        why = str(error) if isinstance(error, SafetyBlock) else None
    return _render(request, me, state, done=bool(done) and state.latest is not None, blocked=why)


@page_router.post("/screen", dependencies=Csrf)
async def screen_post(request: Request, me: MeDep, uow: Uow, routine: RoutineDep) -> Response:
    form = await request.form()
    state = _state(me, uow, routine)
    asked = [
        q for q in QUESTIONS if state.status is not GateStatus.RECHECK or q.code in EMERGENCY_CODES
    ]
    values = {q.code: str(form.get(q.code, "")) for q in asked}
    errors = {
        code: "Please choose yes or no." for code, value in values.items() if value not in YES_NO
    }
    if errors:
        return _render(request, me, state, status=422, errors=errors, values=values)
    answers = tuple((values[q.code] == "yes") if q.code in values else None for q in QUESTIONS)
    answer_screen(
        answers, user_id=me.user_id, uow=uow, now=me.now, partial=len(asked) < len(QUESTIONS)
    )
    return RedirectResponse("/screen?done=1", status_code=303)


@page_router.post("/screen/seen", dependencies=Csrf)
async def seen_post(request: Request, me: MeDep, uow: Uow, routine: RoutineDep) -> Response:
    form = await request.form()
    state = _state(me, uow, routine)
    if not _self_acknowledges(request, me):
        return _render(request, me, state, status=403, seen_error="Your clinician records this.")
    raw = str(form.get("seen_on", "")).strip()
    try:
        seen_on = date.fromisoformat(raw)
    except ValueError:
        return _render(
            request, me, state, status=422, seen_error=f"{raw!r} is not a date: use YYYY-MM-DD."
        )
    try:
        acknowledge(
            me.user_id,
            routine,
            seen_on=seen_on,
            by_user_id=me.user_id,
            by_name=me.user.display_name,
            note=str(form.get("note", "")),
            uow=uow,
            now=me.now,
            zone=ZoneInfo(me.time_zone),
        )
    except InvalidInput as error:
        return _render(request, me, state, status=422, seen_error=str(error))
    return RedirectResponse("/screen", status_code=303)


YES_NO = ("yes", "no")
