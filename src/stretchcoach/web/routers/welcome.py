"""The first visit: what stretchcoach is and is not, the emergency signs, and the consent to
keep the person's records, before the warning-signs check (domain/consent.py).

Pages that keep or show a person's records depend on `welcomed`: until the first visit is
done they send the person to /welcome. Saying no there writes nothing (not even the local
user), so the next visit asks again. Clinicians are never asked: it is about a patient's own
records. `GET`/`POST /api/consent` give the same for a script or another client.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from stretchcoach.domain.consent import (
    CONSENT_VERSION,
    DECLINED_WORDS,
    KEPT_WORDS,
    WHAT_IT_IS,
    WHAT_IT_IS_NOT,
    Consent,
    KeptOn,
)
from stretchcoach.domain.user import Role, User
from stretchcoach.errors import InvalidInput
from stretchcoach.services.consent import consent_given, first_visit, give_consent
from stretchcoach.web.api_errors import API_ERRORS, error_responses
from stretchcoach.web.deps import ClockDep, CurrentUser, LoginRequired, Uow
from stretchcoach.web.security import verify_csrf

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/consent", tags=["consent"], responses=API_ERRORS)
Csrf = [Depends(verify_csrf)]


class FirstVisitDue(Exception):
    """This person has not been through the first visit: pages send them to /welcome."""


def _asking(request: Request, uow: Any) -> User | None:
    """Who is asking, without making anyone: None in local mode before the local user exists
    (nobody has kept anything yet). Accounts mode needs someone logged in."""
    if request.app.state.mode == "local":
        from stretchcoach.domain.user import LOCAL_USER_ID

        with uow:
            found: User | None = uow.users.find(LOCAL_USER_ID)
        return found
    from stretchcoach.web.security import user_from_request

    user = user_from_request(request, uow)
    if user is None:
        raise LoginRequired()
    return user


def welcomed(request: Request, uow: Uow) -> None:
    """A page's dependency: the person has been through the first visit (or is a clinician)."""
    user = _asking(request, uow)
    if user is None:
        raise FirstVisitDue()
    if user.role is not Role.CLINICIAN and first_visit(user.id, uow=uow):
        raise FirstVisitDue()


Welcomed = [Depends(welcomed)]


def kept_on(request: Request) -> KeptOn:
    """Where this server keeps records: the person's own computer, or a clinic's server."""
    return KeptOn.DEVICE if request.app.state.mode == "local" else KeptOn.SERVER


def _page(request: Request, *, declined: bool = False) -> Response:
    where = kept_on(request)
    context = {
        "page": "welcome",
        "what_it_is": WHAT_IT_IS,
        "what_it_is_not": WHAT_IT_IS_NOT,
        "kept_words": KEPT_WORDS[where],
        "declined": DECLINED_WORDS if declined else "",
    }
    response: Response = request.app.state.templates.TemplateResponse(
        request, "welcome.html", context
    )
    return response


@router.get("/welcome", name="welcome_page")
def welcome_page(request: Request, uow: Uow, declined: int = 0) -> Response:
    user = _asking(request, uow)
    if user is not None and (user.role is Role.CLINICIAN or not first_visit(user.id, uow=uow)):
        return RedirectResponse("/", status_code=303)
    return _page(request, declined=declined == 1)


@router.post("/welcome", dependencies=Csrf)
async def welcome_post(request: Request, uow: Uow, clock: ClockDep) -> Response:
    form = await request.form()
    answer = str(form.get("answer", ""))
    if answer == "no":  # nothing is written, not even the local user
        return RedirectResponse("/welcome?declined=1", status_code=303)
    if answer != "yes":
        raise InvalidInput(f"answer {answer!r} is not yes or no", field="answer")
    from stretchcoach.web.deps import current_user

    user = current_user(request, uow, clock)  # makes the local user, now that it may
    if user.role is not Role.CLINICIAN:
        give_consent(user.id, kept_on(request), uow=uow, now=clock.now())
    return RedirectResponse("/screen", status_code=303)


# -- the API --------------------------------------------------------------------------------


class ConsentBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agree: bool = Field(description="true keeps the yes; false keeps nothing")


def consent_json(consent: Consent | None) -> dict[str, Any] | None:
    if consent is None:
        return None
    return {
        "given_at": consent.given_at.isoformat(),
        "version": consent.version,
        "kept_on": consent.kept_on.value,
    }


@api_router.get("", summary="Whether the first visit is done, and the consent it kept")
def get_consent(request: Request, user: CurrentUser, uow: Uow) -> dict[str, Any]:
    return {
        "first_visit": user.role is not Role.CLINICIAN and first_visit(user.id, uow=uow),
        "version": CONSENT_VERSION,
        "kept_on": kept_on(request).value,
        "words": KEPT_WORDS[kept_on(request)],
        "consent": consent_json(consent_given(user.id, uow=uow)),
    }


@api_router.post(
    "",
    dependencies=Csrf,
    summary="Agree to keep your records here (or not: then nothing is kept)",
    responses=error_responses(422),
)
def post_consent(request: Request, body: ConsentBody, uow: Uow, clock: ClockDep) -> dict[str, Any]:
    if not body.agree:  # nothing is written, not even the local user
        _asking(request, uow)
        return {"consent": None}
    from stretchcoach.web.deps import current_user

    user = current_user(request, uow, clock)
    if user.role is Role.CLINICIAN:
        raise InvalidInput("a clinician's account keeps no patient records to agree to")
    consent = give_consent(user.id, kept_on(request), uow=uow, now=clock.now())
    return {"consent": consent_json(consent)}


def install(app: FastAPI) -> None:
    """The first-visit routes, and the redirect that sends a new person to them."""

    async def on_first_visit(request: Request, error: Exception) -> Response:
        return RedirectResponse("/welcome", status_code=303)

    app.add_exception_handler(FirstVisitDue, on_first_visit)
    app.include_router(router)
    app.include_router(api_router)
