"""The warning-signs check on the web: the /screen page and /api/screen.

The questions, their order, what a yes means and every message come from the domain and the
safety service, as in the terminal; this module only asks and shows. A session does not start
while the latest answers have a yes, or while the check is missing or over 30 days old
(`gate_session`, used by the session page and POST /api/sessions).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from stretchcoach.domain.safety import (
    BLOCKED_NOTE,
    QUESTIONS,
    SCREEN_EVERY,
    SCREEN_INTRO,
    ScreenOutcome,
)
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.errors import InvalidInput, SafetyBlock
from stretchcoach.services.safety import ScreenState, answer_screen, require_screen, screen_state
from stretchcoach.web.api_errors import API_ERRORS, error_responses
from stretchcoach.web.deps import MeDep, Uow, WhoDep
from stretchcoach.web.security import verify_csrf

ANSWER_ON_WEB = "on the warning-signs page"

page_router = APIRouter(include_in_schema=False)
router = APIRouter(prefix="/api/screen", tags=["screen"], responses=API_ERRORS)
Csrf = [Depends(verify_csrf)]


def gate_session(user_id: str, *, uow: Any, now: Any) -> None:
    """Raise SafetyBlock (a yes) or ScreenDue (missing, too old) worded for the web."""
    require_screen(user_id, uow=uow, now=now, answer_where=ANSWER_ON_WEB)


# -- JSON -------------------------------------------------------------------------------------


class ScreenBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: list[bool] = Field(
        description=f"true (yes) or false (no) for each of the {len(QUESTIONS)} questions, "
        "in the order GET /api/screen lists them"
    )

    @field_validator("answers", mode="before")
    @classmethod
    def _only_true_or_false(cls, value: Any) -> Any:
        if not isinstance(value, list) or not all(isinstance(a, bool) for a in value):
            raise ValueError(
                f"give a list of {len(QUESTIONS)} answers, each true (yes) or false (no), "
                "in question order"
            )
        return value


def outcome_json(result: ScreenResult, outcome: ScreenOutcome) -> dict[str, Any]:
    return {
        "answered_at": result.answered_at.isoformat(),
        "answers": list(result.answers),
        "clear": outcome.clear,
        "care": outcome.care.value if outcome.care else None,
        "yes": [q.code for q in outcome.yes],
        "message": outcome.message,
    }


def state_json(state: ScreenState) -> dict[str, Any]:
    latest = (
        outcome_json(state.latest, state.outcome)
        if state.latest is not None and state.outcome is not None
        else None
    )
    return {"status": state.status.value, "due": state.due, "latest": latest}


@router.get("", summary="The warning-signs questions, whether the check is due, the latest answers")
def get_screen(me: WhoDep, uow: Uow) -> dict[str, Any]:
    state = screen_state(me.user_id, uow=uow, now=me.now)
    return {
        "questions": [{"code": q.code, "text": q.text, "care": q.care.value} for q in QUESTIONS],
        "every_days": SCREEN_EVERY.days,
        **state_json(state),
    }


@router.post(
    "",
    status_code=201,
    dependencies=Csrf,
    summary="Answer the warning-signs check (all questions, in order)",
    responses=error_responses(422),
)
def post_screen(body: ScreenBody, me: WhoDep, uow: Uow) -> dict[str, Any]:
    try:
        result, outcome = answer_screen(
            tuple(body.answers), user_id=me.user_id, uow=uow, now=me.now
        )
    except InvalidInput as error:
        raise InvalidInput(str(error), field="answers") from None
    state = screen_state(me.user_id, uow=uow, now=me.now)
    return {"status": state.status.value, "due": state.due, "latest": outcome_json(result, outcome)}


# -- the page ---------------------------------------------------------------------------------


def _render(request: Request, state: ScreenState, *, status: int = 200, **extra: Any) -> Response:
    context: dict[str, Any] = {
        "page": "screen",
        "questions": QUESTIONS,
        "intro": SCREEN_INTRO,
        "state": state,
        "blocked_note": BLOCKED_NOTE.format(where="on this page"),
        "errors": {},
        "values": {},
        "done": False,
        "blocked": None,
    }
    response: Response = request.app.state.templates.TemplateResponse(
        request, "screen.html", context | extra, status_code=status
    )
    return response


@page_router.get("/screen", name="screen_page")
def screen_page(request: Request, me: MeDep, uow: Uow, done: int = 0, blocked: int = 0) -> Response:
    state = screen_state(me.user_id, uow=uow, now=me.now)
    why = None
    if blocked:
        try:
            gate_session(me.user_id, uow=uow, now=me.now)
        except SafetyBlock as error:
            why = str(error)
    return _render(request, state, me=me, done=bool(done) and state.latest is not None, blocked=why)


@page_router.post("/screen", dependencies=Csrf)
async def screen_post(request: Request, me: MeDep, uow: Uow) -> Response:
    form = await request.form()
    values = {q.code: str(form.get(q.code, "")) for q in QUESTIONS}
    errors = {
        code: "Please choose yes or no." for code, value in values.items() if value not in YES_NO
    }
    if errors:
        state = screen_state(me.user_id, uow=uow, now=me.now)
        return _render(request, state, status=422, me=me, errors=errors, values=values)
    answers = tuple(values[q.code] == "yes" for q in QUESTIONS)
    answer_screen(answers, user_id=me.user_id, uow=uow, now=me.now)
    return RedirectResponse("/screen?done=1", status_code=303)


YES_NO = ("yes", "no")
