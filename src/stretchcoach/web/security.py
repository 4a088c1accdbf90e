"""Who is asking, and did they mean to: password hashing, session cookies and CSRF.

- Passwords: argon2id (argon2-cffi), rehashed on login when the parameters change. Each
  hash takes 64 MiB, so a worker hashes at most `password_hash_concurrency` (default 2) at
  once; the rest wait their turn (up to HASH_WAIT_S, then 503), and a burst of logins cannot
  grow a worker by more than that many hashes.
- Sessions: a random token in the `sc_session` cookie (HttpOnly, SameSite=Lax, Secure when the
  request came over HTTPS, also behind a proxy that says so in X-Forwarded-Proto); the store
  keeps only its SHA-256 digest, so the database cannot be used to log in.
- CSRF (the rules: stretchcoach.domain.csrf): every POST/PUT/PATCH/DELETE must come from a
  page of this server's own origin (`Origin`, else `Sec-Fetch-Site`; a client that sends
  neither is not a browser) and carry a token, as the form field `csrf_token` or the header
  `X-CSRF-Token`, signed with the server's key (`web.key` in the data folder, via bootstrap).
  Logged in, the token signs the session token; otherwise (the login form, local mode) it
  signs the random value of the `sc_csrf` cookie, so a cookie set by another page (another
  port of this machine can set it) is worthless without the key. Templates get it as
  `csrf_token`; scripts read `<meta name="csrf-token">`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request

from stretchcoach.domain.csrf import browser_csrf, origin_refusal, session_csrf, token_matches
from stretchcoach.domain.user import User
from stretchcoach.services.accounts import (
    AccountsUnitOfWork,
    LoggedIn,
    PasswordHasher,
    new_secret,
    user_for_token,
)
from stretchcoach.services.clinic import ClinicUnitOfWork
from stretchcoach.services.uow import UnitOfWork

if TYPE_CHECKING:
    from datetime import datetime

    from fastapi import FastAPI
    from starlette.responses import Response
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "sc_session"
CSRF_COOKIE = "sc_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
CSRF_REFUSED = (
    "this form has expired or did not come from stretchcoach: reload the page and try again"
)


class Argon2Hasher:
    """argon2id with argon2-cffi's defaults, or cheaper parameters for tests and benchmarks."""

    def __init__(self, *, time_cost: int | None = None, memory_cost: int | None = None) -> None:
        from argon2 import PasswordHasher as Argon2

        defaults = Argon2()
        self._argon2 = Argon2(
            time_cost=time_cost or defaults.time_cost,
            memory_cost=memory_cost or defaults.memory_cost,
        )

    def hash(self, password: str) -> str:
        result: str = self._argon2.hash(password)
        return result

    def verify(self, password_hash: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return bool(self._argon2.verify(password_hash, password))
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return bool(self._argon2.check_needs_rehash(password_hash))


HASH_WAIT_S = 30.0
BUSY = "many people are logging in right now: please try again in a moment"


class BoundedHasher:
    """Any PasswordHasher, with at most `limit` hashes at once in this process."""

    def __init__(self, inner: PasswordHasher, *, limit: int, wait_s: float = HASH_WAIT_S) -> None:
        import threading

        self.inner = inner
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)
        self._wait_s = wait_s

    def _run(self, work: Any) -> Any:
        if not self._slots.acquire(timeout=self._wait_s):
            raise HTTPException(503, BUSY, headers={"Retry-After": "5"})
        try:
            return work()
        finally:
            self._slots.release()

    def hash(self, password: str) -> str:
        result: str = self._run(lambda: self.inner.hash(password))
        return result

    def verify(self, password_hash: str, password: str) -> bool:
        return bool(self._run(lambda: self.inner.verify(password_hash, password)))

    def needs_rehash(self, password_hash: str) -> bool:
        return self.inner.needs_rehash(password_hash)


def get_accounts_uow(request: Request) -> ClinicUnitOfWork:
    """The SQL unit of work, typed with the accounts and clinic repositories it has."""
    from stretchcoach import bootstrap

    return bootstrap.unit_of_work(request.app.state.engine)


AccountsUow = Annotated[ClinicUnitOfWork, Depends(get_accounts_uow)]


def password_hasher(request: Request) -> PasswordHasher:
    """The app's hasher (`app.state.password_hasher`, argon2 defaults unless set), bounded.

    The bound is per process (`Settings.password_hash_concurrency`); the wrapper is made once
    per hasher, so every request of a worker shares its slots.
    """
    state = request.app.state
    if getattr(state, "password_hasher", None) is None:
        state.password_hasher = Argon2Hasher()
    inner: PasswordHasher = state.password_hasher
    bounded: BoundedHasher | None = getattr(state, "bounded_hasher", None)
    if bounded is None or bounded.inner is not inner:
        limit = state.settings.password_hash_concurrency
        bounded = state.bounded_hasher = BoundedHasher(inner, limit=limit)
    return bounded


def request_now(request: HTTPConnection) -> datetime:
    from stretchcoach import bootstrap

    clock = getattr(request.app.state, "clock", None) or bootstrap.clock()
    now: datetime = clock.now()
    return now


def client_address(request: Request) -> str:
    """The caller's address as the server sees it (uvicorn's --proxy-headers sets it)."""
    return request.client.host if request.client else "unknown"


def is_https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS (directly, or via a proxy that says so).

    Trusting the header from anyone is safe here: it only adds `Secure` to a cookie, which at
    worst keeps the cookie off a plain-HTTP connection.
    """
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


# --- sessions -------------------------------------------------------------------------------


def session_token(request: HTTPConnection) -> str | None:
    token = request.cookies.get(SESSION_COOKIE)
    return token if token and _TOKEN.match(token) else None


def user_from_request(request: HTTPConnection, uow: UnitOfWork) -> User | None:
    """The logged-in user of this request, or None. Looked up once per request."""
    if "user" in request.state._state:
        cached: User | None = request.state.user
        return cached
    token = session_token(request)
    user = None
    if token is not None:
        accounts_uow: AccountsUnitOfWork = uow  # type: ignore[assignment]  # the SQL UoW has both
        user = user_for_token(token, uow=accounts_uow, now=request_now(request))
    request.state.user = user
    return user


def set_session_cookie(response: Response, request: Request, login: LoggedIn) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        login.token,
        max_age=max(0, int((login.expires_at - request_now(request)).total_seconds())),
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    """End the browser's session, and ask it to drop what its HTTP cache kept of this site.

    Only "cache": "storage" would also erase unsent holds of other people on a shared phone.
    The pages empty the service worker's cache and this user's outbox themselves (app.js).
    """
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request)
    )
    response.headers["Clear-Site-Data"] = '"cache"'


# --- CSRF -----------------------------------------------------------------------------------


def csrf_key(connection: HTTPConnection) -> bytes:
    """The key that signs this app's CSRF tokens (`app.state.csrf_key`), read once per worker."""
    state = connection.app.state
    key: bytes | None = getattr(state, "csrf_key", None)
    if key is None:
        from stretchcoach import bootstrap

        key = state.csrf_key = bootstrap.web_key()
    return key


def csrf_for_session(connection: HTTPConnection, token: str) -> str:
    """The CSRF token of a login session: its secret signed with the key, so nothing is stored."""
    return session_csrf(csrf_key(connection), token)


def expected_csrf(connection: HTTPConnection) -> str | None:
    """The token this browser's requests must carry; None when it has no cookie to bind to."""
    token = session_token(connection)
    if token is not None:
        return csrf_for_session(connection, token)
    cookie = connection.cookies.get(CSRF_COOKIE)
    if cookie and _TOKEN.match(cookie):
        return browser_csrf(csrf_key(connection), cookie)
    return None


def csrf_token(request: Request) -> str:
    """The token for forms and scripts on this response; a new `sc_csrf` cookie if needed."""
    state = request.state._state
    if "csrf_token" not in state:
        token = expected_csrf(request)
        if token is None:
            cookie = new_secret()
            state["csrf_new_cookie"] = cookie
            token = browser_csrf(csrf_key(request), cookie)
        state["csrf_token"] = token
    found: str = state["csrf_token"]
    return found


def cross_origin_refusal(connection: HTTPConnection, *, websocket: bool = False) -> str | None:
    """Why this request or socket is refused as sent by a page elsewhere; None if it is not.

    This server's origin is the Host header with the connection's scheme: in accounts mode
    that is the proxy's X-Forwarded-Proto when uvicorn trusts the proxy (`serve` passes
    --proxy-headers, for 127.0.0.1 only); local mode never believes a proxy.
    """
    headers = connection.headers
    return origin_refusal(
        origin=headers.get("origin"),
        fetch_site=headers.get("sec-fetch-site"),
        scheme=connection.url.scheme,
        host=headers.get("host", ""),
        websocket=websocket,
    )


def verify_origin(request: HTTPConnection) -> None:
    """Refuse (403) a state-changing request sent by a page that is not one of ours.

    Every route has it (the app's own dependency); the camera socket asks itself.
    """
    if request.scope["type"] != "http" or request.scope["method"] in SAFE_METHODS:
        return
    refusal = cross_origin_refusal(request)
    if refusal is not None:
        raise HTTPException(status_code=403, detail=refusal)


async def verify_csrf(request: Request) -> None:
    """Refuse (403) a state-changing request that does not carry this browser's token."""
    if request.method in SAFE_METHODS:
        return
    expected = expected_csrf(request)
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not token_matches(expected, sent):
        raise HTTPException(status_code=403, detail=CSRF_REFUSED)


class CsrfCookieMiddleware:
    """Sets the `sc_csrf` cookie on a response whose page handed out a new token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})

        async def send_with_cookie(message: Message) -> None:
            token = state.get("csrf_new_cookie")
            if message["type"] == "http.response.start" and token:
                from starlette.datastructures import MutableHeaders
                from starlette.responses import Response

                cookie = Response()
                cookie.set_cookie(
                    CSRF_COOKIE,
                    token,
                    max_age=60 * 60 * 24 * 365,
                    path="/",
                    httponly=True,
                    samesite="lax",
                    secure=is_https(Request(scope)),
                )
                MutableHeaders(scope=message).append("set-cookie", cookie.headers["set-cookie"])
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def install(app: FastAPI) -> None:
    """Add what security needs around every request (the CSRF cookie)."""
    app.add_middleware(CsrfCookieMiddleware)
