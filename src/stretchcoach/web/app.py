"""Build the web app: routers, templates, static files, and the one place errors are shaped.

Every error leaves in one of two forms. Under /api/ it is JSON:

    {"error": {"code": "invalid_input", "message": "...", "field": "hold_s"}}

On a page it is the page again with the message next to the field (the form handlers do
that), or a short error page. Nothing is built at import time: `create_app` does the work,
and `app_from_env` is the factory uvicorn calls in each worker.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from stretchcoach.config import Settings
from stretchcoach.domain.centralisation import depth_label
from stretchcoach.domain.feel import felt_words
from stretchcoach.domain.journal import places_words, region_words
from stretchcoach.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    SafetyBlock,
    ScreenDue,
    StoreUnavailable,
    StretchcoachError,
)
from stretchcoach.services.accounts import NotApproved, TooManyAttempts
from stretchcoach.services.clinic import KnownStatuses
from stretchcoach.web import WEB_DIR
from stretchcoach.web.api_errors import describe_validation, error_body

if TYPE_CHECKING:
    from fastapi import FastAPI, Request
    from starlette.responses import Response

Mode = Literal["local", "accounts"]

ERROR_STATUS: tuple[tuple[type[StretchcoachError], int, str], ...] = (
    (InvalidInput, 422, "invalid_input"),
    (NotApproved, 403, "not_approved"),
    (TooManyAttempts, 429, "too_many_attempts"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
    (StoreUnavailable, 503, "store_unavailable"),
    (ScreenDue, 409, "screen_due"),  # before SafetyBlock: it is one
    (SafetyBlock, 409, "safety_block"),
)
HTTP_CODES = {
    400: "bad_request",
    401: "not_logged_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid_input",
    429: "too_many_requests",
}


def create_app(settings: Settings, *, mode: Mode, remind_every_s: float | None = None) -> FastAPI:
    """The web app on the database `settings` names; `mode` says whether people log in.

    While it serves, it sends the reminders due every `remind_every_s` seconds, the settings'
    `remind_every_s` unless given (web/reminders.py)."""
    from fastapi import Depends, FastAPI
    from fastapi.staticfiles import StaticFiles
    from fastapi.templating import Jinja2Templates

    from stretchcoach import __version__, bootstrap
    from stretchcoach.domain.safety import EMERGENCY_SIGNS
    from stretchcoach.web import security
    from stretchcoach.web.reminders import reminders_running
    from stretchcoach.web.routers import (
        api_aside,
        api_checkin,
        api_history,
        api_journal,
        api_push,
        api_session,
        api_settings,
        api_verdict,
        calendar,
        camera,
        pages,
        screen,
        welcome,
    )

    if mode not in ("local", "accounts"):
        raise ValueError(f"mode {mode!r} is not one of local, accounts")
    app = FastAPI(
        lifespan=reminders_running,
        title="stretchcoach",
        version=__version__,
        description="A morning coach for the seated hamstring stretch. The JSON API behind "
        "every page; errors share one shape: {error: {code, message, field}}.",
        docs_url="/api/docs",
        redoc_url=None,
        # Every POST/PUT/PATCH/DELETE, on any route: from a page of this origin, or no browser.
        dependencies=[Depends(security.verify_origin)],
    )
    app.state.settings = settings
    app.state.mode = mode
    app.state.engine = bootstrap.engine(settings, pool_size=10)
    app.state.clock = bootstrap.clock()
    app.state.routine = bootstrap.routine()
    app.state.known_statuses = KnownStatuses()  # what the clinic's dashboards worked out
    app.state.default_time_zone = bootstrap.local_time_zone(settings)
    app.state.remind_every_s = settings.remind_every_s if remind_every_s is None else remind_every_s
    templates = Jinja2Templates(
        directory=str(WEB_DIR / "templates"), context_processors=[_template_context]
    )
    templates.env.globals["version"] = __version__
    templates.env.globals["emergency_signs"] = EMERGENCY_SIGNS  # the one list (domain/safety)
    templates.env.filters["localtime"] = _localtime
    templates.env.filters["places"] = places_words  # `left calf, left foot`
    templates.env.filters["region"] = region_words
    templates.env.filters["felt"] = felt_words
    templates.env.filters["reach"] = depth_label  # a leg's reach: `foot`, `no pain`
    app.state.templates = templates

    _install_error_handlers(app)
    _install_headers(app, mode)
    security.install(app)
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")
    for router in (
        pages.router,
        screen.page_router,
        screen.router,
        api_checkin.router,
        api_session.router,
        api_journal.router,
        api_history.router,
        api_settings.router,
        api_push.router,
        api_verdict.router,
        api_aside.router,
        calendar.router,
        camera.router,
    ):
        app.include_router(router)
    welcome.install(app)
    _include_account_routers(app)
    return app


def app_from_env() -> FastAPI:
    """The factory each uvicorn worker calls: settings from STRETCHCOACH_* variables."""
    settings = Settings()
    return create_app(settings, mode="accounts" if settings.accounts else "local")


def _include_account_routers(app: FastAPI) -> None:
    """Register, log in, my data, and the clinic (their routers check the mode themselves)."""
    from stretchcoach.web.routers import accounts, clinic

    app.include_router(accounts.router)
    app.include_router(clinic.router)


def _template_context(request: Request) -> dict[str, Any]:
    from stretchcoach.web.security import csrf_token

    return {
        "csrf_token": csrf_token(request),
        "mode": request.app.state.mode,
        "emergency_number": request.app.state.settings.emergency_number,
    }


def _localtime(moment: datetime, zone: str, fmt: str = "%a %d %b %H:%M") -> str:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone)).strftime(fmt)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _install_error_handlers(app: FastAPI) -> None:
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse, RedirectResponse
    from starlette.exceptions import HTTPException

    from stretchcoach.web.deps import LoginRequired

    def respond(
        request: Request, status: int, code: str, message: str, field: str | None
    ) -> Response:
        if is_api(request):
            return JSONResponse(error_body(code, message, field), status_code=status)
        page: Response = request.app.state.templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status
        )
        return page

    async def on_domain_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StretchcoachError)
        status, code = next(
            ((status, code) for kind, status, code in ERROR_STATUS if isinstance(error, kind)),
            (400, "bad_request"),
        )
        response = respond(request, status, code, str(error), getattr(error, "field", None))
        if isinstance(error, TooManyAttempts):
            response.headers["Retry-After"] = str(error.retry_after_s)
        return response

    async def on_validation_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        field, message = describe_validation(error.errors())
        return respond(request, 422, "invalid_input", message, field)

    async def on_http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        code = HTTP_CODES.get(error.status_code, "error")
        message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
        if error.status_code == 404 and message == "Not Found":
            message = f"there is nothing at {request.url.path!r}"
        if error.status_code == 400 and message == "There was an error parsing the body":
            message = (  # FastAPI's words for JSON it could not decode, e.g. nested too deep
                "the request body could not be read as JSON: send one flat JSON object"
            )
        response = respond(request, error.status_code, code, message, None)
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    async def on_login_required(request: Request, error: Exception) -> Response:
        if is_api(request):
            return JSONResponse(error_body("not_logged_in", "please log in first"), status_code=401)
        target = request.url.path
        if request.url.query:
            target += f"?{request.url.query}"
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    app.add_exception_handler(StretchcoachError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(LoginRequired, on_login_required)


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # the calendar's secret address never leaves the site
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self' 'wasm-unsafe-eval'; "
    "frame-ancestors 'none'",  # WebAssembly: the phone's pose model (static/vendor)
    # The camera coach and the session's wake lock run on our own pages only; nothing else.
    "Permissions-Policy": "camera=(self), screen-wake-lock=(self), fullscreen=(self), "
    "microphone=(), geolocation=(), payment=(), usb=(), midi=(), magnetometer=(), "
    "gyroscope=(), accelerometer=(), display-capture=()",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response that does not set them itself (plain ASGI)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                from starlette.datastructures import MutableHeaders

                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _install_headers(app: FastAPI, mode: Mode) -> None:
    from stretchcoach.web.guards import RequestGuard

    app.add_middleware(RequestGuard, mode=mode)  # inside SecurityHeaders: refusals get them too
    app.add_middleware(SecurityHeaders)
