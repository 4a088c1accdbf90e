"""Accounts: register, log in and out, download my data, leave a clinician, delete my account.

Pages post forms back to themselves and show a wrong value next to its field (status 422);
the JSON API under /api/ does the same things. Registering and logging in exist only in
accounts mode; in local mode the person at the machine is the local user.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from stretchcoach.domain.user import User
from stretchcoach.errors import InvalidInput, NotFound
from stretchcoach.services import accounts as accounts_service
from stretchcoach.services import clinic as clinic_service
from stretchcoach.services.accounts import LoggedIn, LoginRefused, TooManyAttempts
from stretchcoach.web.api_errors import error_body
from stretchcoach.web.deps import ClockDep, CurrentUser, MeDep
from stretchcoach.web.security import AccountsUow as Uow
from stretchcoach.web.security import (
    clear_session_cookie,
    client_address,
    csrf_for_session,
    csrf_token,
    password_hasher,
    session_token,
    set_session_cookie,
    user_from_request,
    verify_csrf,
)

router = APIRouter(tags=["accounts"])
Csrf = [Depends(verify_csrf)]


def accounts_mode(request: Request) -> None:
    """Registering and logging in exist only when the app has accounts."""
    if request.app.state.mode != "accounts":
        raise HTTPException(404, "this app runs for one person, without accounts")


AccountsOnly = [Depends(accounts_mode)]


def render(request: Request, name: str, context: dict[str, Any], *, status: int = 200) -> Response:
    page = name.rsplit("/", 1)[-1].removesuffix(".html")
    response: Response = request.app.state.templates.TemplateResponse(
        request, name, {"errors": {}, "values": {}} | context | {"page": page}, status_code=status
    )
    return response


def safe_next(raw: str | None, user: User | None = None) -> str:
    """Where to go after logging in: a path on this site only, never another site."""
    if raw and raw.startswith("/") and not raw.startswith(("//", "/\\")):
        return raw
    return "/clinic" if user is not None and user.role == "clinician" else "/"


def _user_json(user: User, email: str | None = None) -> dict[str, Any]:
    return {
        "id": user.id,
        "display_name": user.display_name,
        "role": user.role.value,
        "email": email,
    }


def _refusal(error: LoginRefused | TooManyAttempts) -> tuple[int, str, dict[str, str]]:
    if isinstance(error, TooManyAttempts):
        return 429, "too_many_attempts", {"Retry-After": str(error.retry_after_s)}
    return 401, "login_refused", {}


# -- pages ------------------------------------------------------------------------------------


@router.get("/login", dependencies=AccountsOnly, include_in_schema=False)
def login_page(request: Request, uow: Uow, next: str | None = None) -> Response:
    user = user_from_request(request, uow)
    if user is not None:
        return RedirectResponse(safe_next(next, user), status_code=303)
    return render(request, "accounts/login.html", {"next": next or ""})


@router.post("/login", dependencies=AccountsOnly + Csrf, include_in_schema=False)
async def login_post(request: Request, uow: Uow, clock: ClockDep) -> Response:
    form = await request.form()
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    next_path = str(form.get("next", ""))
    try:
        login = accounts_service.log_in(
            email,
            password,
            address=client_address(request),
            uow=uow,
            hasher=password_hasher(request),
            now=clock.now(),
        )
    except InvalidInput as error:
        context = {"next": next_path, "values": {"email": email}, "errors": {"form": str(error)}}
        return render(request, "accounts/login.html", context, status=422)
    except (LoginRefused, TooManyAttempts) as error:
        status, _code, headers = _refusal(error)
        context = {"next": next_path, "values": {"email": email}, "errors": {"form": str(error)}}
        response = render(request, "accounts/login.html", context, status=status)
        response.headers.update(headers)
        return response
    response = RedirectResponse(safe_next(next_path, login.user), status_code=303)
    set_session_cookie(response, request, login)
    return response


@router.get("/register", dependencies=AccountsOnly, include_in_schema=False)
def register_page(request: Request, next: str | None = None) -> Response:
    return render(request, "accounts/register.html", {"next": next or ""})


@router.post("/register", dependencies=AccountsOnly + Csrf, include_in_schema=False)
async def register_post(request: Request, uow: Uow, clock: ClockDep) -> Response:
    form = await request.form()
    values = {key: str(form.get(key, "")) for key in ("display_name", "email", "role", "password")}
    next_path = str(form.get("next", ""))
    try:
        login = _register_and_log_in(request, values, uow, clock.now())
    except (InvalidInput, TooManyAttempts) as error:
        shown = {k: v for k, v in values.items() if k != "password"}
        field = getattr(error, "field", None) or "form"
        context = {"next": next_path, "values": shown, "errors": {field: str(error)}}
        status = 429 if isinstance(error, TooManyAttempts) else 422
        return render(request, "accounts/register.html", context, status=status)
    response = RedirectResponse(safe_next(next_path, login.user), status_code=303)
    set_session_cookie(response, request, login)
    return response


def _register_and_log_in(request: Request, values: dict[str, str], uow: Any, now: Any) -> LoggedIn:
    hasher = password_hasher(request)
    accounts_service.register(
        values["email"],
        values["password"],
        values["display_name"],
        values.get("role") or "patient",
        uow=uow,
        hasher=hasher,
        now=now,
        address=client_address(request),
    )
    return accounts_service.log_in(
        values["email"],
        values["password"],
        address=client_address(request),
        uow=uow,
        hasher=hasher,
        now=now,
    )


@router.post("/logout", dependencies=AccountsOnly + Csrf, include_in_schema=False)
def logout_post(request: Request, uow: Uow) -> Response:
    token = session_token(request)
    if token is not None:
        accounts_service.log_out(token, uow=uow)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, request)
    return response


def _account_context(request: Request, me: Any, uow: Any, **extra: Any) -> dict[str, Any]:
    accounts_mode_on = request.app.state.mode == "accounts"
    email = accounts_service.email_of(me.user_id, uow=uow) if accounts_mode_on else None
    clinicians = (
        clinic_service.my_clinicians(me.user, uow=uow)
        if accounts_mode_on and me.user.role == "patient"
        else []
    )
    return {"me": me, "email": email, "clinicians": clinicians} | extra


@router.get("/account", include_in_schema=False)
def account_page(request: Request, me: MeDep, uow: Uow) -> Response:
    return render(request, "accounts/account.html", _account_context(request, me, uow))


@router.get("/account/export", include_in_schema=False)
def account_export(user: CurrentUser, uow: Uow, clock: ClockDep) -> Response:
    return _export_response(user, uow, clock)


@router.post("/account/delete", dependencies=AccountsOnly + Csrf, include_in_schema=False)
async def account_delete(request: Request, me: MeDep, uow: Uow) -> Response:
    form = await request.form()
    try:
        _delete(request, me.user, str(form.get("password", "")), uow)
    except InvalidInput as error:
        context = _account_context(request, me, uow, errors={error.field or "form": str(error)})
        return render(request, "accounts/account.html", context, status=422)
    response = RedirectResponse("/login?deleted=1", status_code=303)
    clear_session_cookie(response, request)
    return response


@router.post(
    "/account/clinicians/{clinician_id}/leave",
    dependencies=AccountsOnly + Csrf,
    include_in_schema=False,
)
def account_leave(clinician_id: str, user: CurrentUser, uow: Uow) -> Response:
    clinic_service.leave(user, clinician_id, uow=uow)
    return RedirectResponse("/account?left=1", status_code=303)


@router.post("/account/password", dependencies=AccountsOnly + Csrf, include_in_schema=False)
async def account_password(request: Request, me: MeDep, uow: Uow) -> Response:
    form = await request.form()
    try:
        _change_password(
            request,
            me.user,
            str(form.get("current_password", "")),
            str(form.get("new_password", "")),
            uow,
        )
    except InvalidInput as error:
        context = _account_context(request, me, uow, errors={error.field or "form": str(error)})
        return render(request, "accounts/account.html", context, status=422)
    return RedirectResponse("/account?password=1#password-h", status_code=303)


def _change_password(request: Request, user: User, current: str, new: str, uow: Any) -> None:
    accounts_service.change_password(
        user.id,
        current,
        new,
        keep_token=session_token(request),
        uow=uow,
        hasher=password_hasher(request),
    )


@router.get("/reset/{token}", dependencies=AccountsOnly, include_in_schema=False)
def reset_page(request: Request, token: str, uow: Uow, clock: ClockDep) -> Response:
    try:
        person = accounts_service.reset_link_user(token, uow=uow, now=clock.now())
    except NotFound as error:
        gone: dict[str, Any] = {"person": None, "token": "", "errors": {"form": str(error)}}
        return render(request, "accounts/reset.html", gone, status=404)
    return render(request, "accounts/reset.html", {"person": person, "token": token})


@router.post("/reset/{token}", dependencies=AccountsOnly + Csrf, include_in_schema=False)
async def reset_post(request: Request, token: str, uow: Uow, clock: ClockDep) -> Response:
    form = await request.form()
    try:
        accounts_service.finish_reset(
            token,
            str(form.get("new_password", "")),
            uow=uow,
            hasher=password_hasher(request),
            now=clock.now(),
        )
    except NotFound as error:
        gone: dict[str, Any] = {"person": None, "token": "", "errors": {"form": str(error)}}
        return render(request, "accounts/reset.html", gone, status=404)
    except InvalidInput as error:
        person = accounts_service.reset_link_user(token, uow=uow, now=clock.now())
        context: dict[str, Any] = {
            "person": person,
            "token": token,
            "errors": {error.field or "form": str(error)},
        }
        return render(request, "accounts/reset.html", context, status=422)
    response = RedirectResponse("/login?reset=1", status_code=303)
    clear_session_cookie(response, request)
    return response


def _delete(request: Request, user: User, password: str, uow: Any) -> None:
    accounts_service.confirm_password(user.id, password, uow=uow, hasher=password_hasher(request))
    accounts_service.delete_account(user.id, uow=uow)


def _export_response(user: User, uow: Any, clock: Any) -> Response:
    """The journal's export (`stretchcoach import` reads it back) plus the account's details."""
    from stretchcoach import bootstrap
    from stretchcoach.services.transfer import export_bundle

    now = clock.now()
    data = json.loads(bootstrap.export_text(export_bundle(user.id, uow=uow), "json", now=now))
    data["account"] = accounts_service.account_details(user.id, uow=uow) | {
        "clinicians": [
            {"id": c.id, "display_name": c.display_name}
            for c in clinic_service.my_clinicians(user, uow=uow)
        ]
    }
    from stretchcoach.services.phone_aside import set_aside_of
    from stretchcoach.web.routers.api_aside import aside_json

    data["set_aside"] = [aside_json(kept) for kept in set_aside_of(user.id, uow=uow)]
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="stretchcoach-{now:%Y-%m-%d}.json"'},
    )


# -- the JSON API -----------------------------------------------------------------------------


class RegisterBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    password: str = Field(max_length=200)
    display_name: str = Field(max_length=200)
    role: Literal["patient", "clinician"] = "patient"


class LoginBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    password: str = Field(max_length=200)


class PasswordBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(max_length=200, description="Your password, to confirm")


def _logged_in_json(request: Request, login: LoggedIn, uow: Any, status: int) -> Response:
    email = accounts_service.email_of(login.user.id, uow=uow)
    body = {
        "user": _user_json(login.user, email),
        "csrf_token": csrf_for_session(request, login.token),
    }
    response = JSONResponse(body, status_code=status)
    set_session_cookie(response, request, login)
    return response


@router.get("/api/csrf", summary="A CSRF token for this browser (also set as a cookie)")
def api_csrf(request: Request) -> dict[str, str]:
    return {"csrf_token": csrf_token(request)}


@router.post(
    "/api/accounts",
    dependencies=AccountsOnly + Csrf,
    status_code=201,
    summary="Register, and log in",
)
def api_register(request: Request, body: RegisterBody, uow: Uow, clock: ClockDep) -> Response:
    login = _register_and_log_in(request, body.model_dump(), uow, clock.now())
    return _logged_in_json(request, login, uow, 201)


@router.post("/api/login", dependencies=AccountsOnly + Csrf, summary="Log in")
def api_login(request: Request, body: LoginBody, uow: Uow, clock: ClockDep) -> Response:
    try:
        login = accounts_service.log_in(
            body.email,
            body.password,
            address=client_address(request),
            uow=uow,
            hasher=password_hasher(request),
            now=clock.now(),
        )
    except (LoginRefused, TooManyAttempts) as error:
        status, code, headers = _refusal(error)
        return JSONResponse(error_body(code, str(error)), status_code=status, headers=headers)
    return _logged_in_json(request, login, uow, 200)


@router.post("/api/logout", dependencies=AccountsOnly + Csrf, status_code=204, summary="Log out")
def api_logout(request: Request, uow: Uow) -> Response:
    token = session_token(request)
    if token is not None:
        accounts_service.log_out(token, uow=uow)
    response = Response(status_code=204)
    clear_session_cookie(response, request)
    return response


@router.get("/api/me", summary="Who I am")
def api_me(request: Request, user: CurrentUser, uow: Uow) -> dict[str, Any]:
    email = (
        accounts_service.email_of(user.id, uow=uow)
        if request.app.state.mode == "accounts"
        else None
    )
    return _user_json(user, email) | {"mode": request.app.state.mode}


@router.get("/api/me/export", summary="All my data, as one JSON document")
def api_export(user: CurrentUser, uow: Uow, clock: ClockDep) -> Response:
    return _export_response(user, uow, clock)


@router.delete(
    "/api/me",
    dependencies=AccountsOnly + Csrf,
    status_code=204,
    summary="Delete my account and everything in it",
)
def api_delete_me(request: Request, body: PasswordBody, user: CurrentUser, uow: Uow) -> Response:
    _delete(request, user, body.password, uow)
    response = Response(status_code=204)
    clear_session_cookie(response, request)
    return response


class PasswordChangeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(max_length=200)
    new_password: str = Field(max_length=200)


@router.put(
    "/api/me/password",
    dependencies=AccountsOnly + Csrf,
    status_code=204,
    summary="Change my password; my other sessions end",
)
def api_change_password(
    request: Request, body: PasswordChangeBody, user: CurrentUser, uow: Uow
) -> Response:
    _change_password(request, user, body.current_password, body.new_password, uow)
    return Response(status_code=204)


class ResetBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    new_password: str = Field(max_length=200)


@router.post(
    "/api/resets/{token}",
    dependencies=AccountsOnly + Csrf,
    status_code=204,
    summary="Set a new password through a one-time reset link",
)
def api_reset(request: Request, token: str, body: ResetBody, uow: Uow, clock: ClockDep) -> Response:
    accounts_service.finish_reset(
        token, body.new_password, uow=uow, hasher=password_hasher(request), now=clock.now()
    )
    return Response(status_code=204)


@router.get("/api/me/clinicians", dependencies=AccountsOnly, summary="My clinicians")
def api_my_clinicians(user: CurrentUser, uow: Uow) -> list[dict[str, Any]]:
    return [_user_json(c) for c in clinic_service.my_clinicians(user, uow=uow)]


@router.delete(
    "/api/me/clinicians/{clinician_id}",
    dependencies=AccountsOnly + Csrf,
    status_code=204,
    summary="Stop sharing with this clinician",
)
def api_leave_clinician(clinician_id: str, user: CurrentUser, uow: Uow) -> Response:
    clinic_service.leave(user, clinician_id, uow=uow)
    return Response(status_code=204)
