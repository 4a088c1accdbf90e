"""What every request passes before a router sees it, and what every answer carries.

- **Local mode is this machine only.** The app answers only when the Host header names a
  loopback address (localhost, 127.0.0.0/8, ::1) and the connection comes from one. A page
  on another site that points its own name at 127.0.0.1 (DNS rebinding) sends its own name as
  Host, so it is refused; X-Forwarded-For and X-Forwarded-Proto are never believed here.
  Accounts mode keeps the documented proxy behaviour (uvicorn's --proxy-headers from
  127.0.0.1), because everyone there logs in.
- **Bodies are small.** A request body over `MAX_BODY_BYTES` is refused with 413 before it is
  read: by its Content-Length, and by counting the bytes of a body sent without one.
- **No control characters in the address.** A path or query value with NUL or another
  control character is refused (422, naming the parameter) before any route looks it up:
  PostgreSQL cannot even compare such a string. Typed text in bodies goes through
  `stretchcoach.domain.text.clean_text` in the services instead.
- **Nothing personal is kept by a browser or a proxy.** Every answer except the app's static
  files says `Cache-Control: no-store`. Over HTTPS in accounts mode the answer also carries
  HSTS. The Permissions-Policy (in `stretchcoach.web.app.SECURITY_HEADERS`) is on everything.

Refusals use the app's one error shape: JSON under /api/, a short page elsewhere.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from starlette.exceptions import HTTPException

from stretchcoach.web.api_errors import error_body

MAX_BODY_BYTES = 1024 * 1024  # 1 MiB: a hold is ~150 bytes, the largest form a few KiB
HSTS = "max-age=31536000; includeSubDomains"
NO_STORE = "no-store"
CACHEABLE_PREFIXES = ("/static/",)
CACHEABLE_PATHS = frozenset({"/manifest.webmanifest"})
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class BodyTooLarge(HTTPException):
    """The request body grew past the limit while it was being read (413).

    An HTTPException, so that FastAPI's body parsing lets it through to the app's one error
    handler instead of turning it into a 400.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))


def too_large_message(limit: int) -> str:
    return (
        f"the request is larger than {limit // 1024} KiB, the most this app accepts: "
        "send less at once"
    )


def is_loopback_host(host_header: str) -> bool:
    """Whether a Host header names this machine: localhost, 127.0.0.0/8 or [::1], any port."""
    host = host_header.strip().lower()
    if host.startswith("["):  # [::1]:8000
        host = host[1 : host.find("]")] if "]" in host else ""
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    host = host.removesuffix(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_client(client: tuple[str, int] | None) -> bool:
    if client is None:
        return False
    try:
        address = ipaddress.ip_address(client[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool((mapped or address).is_loopback)


def is_cacheable(path: str) -> bool:
    """Only the app's own files may be kept by a browser: nothing there is anyone's."""
    return path.startswith(CACHEABLE_PREFIXES) or path in CACHEABLE_PATHS


class RequestGuard:
    """Plain ASGI middleware: local-mode origin checks, the body limit, cache and HSTS headers."""

    def __init__(self, app: Any, *, mode: str, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.mode = mode
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if self.mode == "local":
            refusal = self._local_refusal(scope, headers)
            if refusal is not None:
                await _refuse(scope, send, 403, "forbidden", refusal)
                return
            # Forwarded headers mean nothing here: drop them before anything reads them.
            scope["headers"] = [
                (k, v) for k, v in scope["headers"] if not k.lower().startswith(b"x-forwarded-")
            ]
        bad = _control_character_in_address(scope)
        if bad is not None:
            await _refuse(scope, send, 422, "invalid_input", bad[1], field=bad[0])
            return
        if scope["method"] in _BODY_METHODS:
            declared = headers.get("content-length", "")
            if declared and (not declared.isdigit() or int(declared) > self.max_body_bytes):
                await _refuse(scope, send, 413, "too_large", self._too_large())
                return
        await self._call(scope, receive, send, https=_is_https(scope, headers, self.mode))

    async def _call(self, scope: Any, receive: Any, send: Any, *, https: bool) -> None:
        limit = self.max_body_bytes
        received = 0
        started = False
        cacheable = is_cacheable(scope["path"])
        accounts = self.mode == "accounts"

        async def counting_receive() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def send_with_headers(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                from starlette.datastructures import MutableHeaders

                out = MutableHeaders(scope=message)
                if not cacheable:
                    out["Cache-Control"] = NO_STORE
                if accounts and https:
                    out["Strict-Transport-Security"] = HSTS
            await send(message)

        try:
            await self.app(scope, counting_receive, send_with_headers)
        except BodyTooLarge:
            if started:
                raise
            await _refuse(scope, send, 413, "too_large", self._too_large())

    async def _websocket(self, scope: Any, receive: Any, send: Any) -> None:
        """The same local-mode rule for a WebSocket: refused before it opens."""
        if self.mode == "local":
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            refusal = self._local_refusal(scope, headers)
            if refusal is not None:
                await send({"type": "websocket.close", "code": 1008, "reason": refusal[:120]})
                return
            scope["headers"] = [
                (k, v) for k, v in scope["headers"] if not k.lower().startswith(b"x-forwarded-")
            ]
        await self.app(scope, receive, send)

    def _too_large(self) -> str:
        return too_large_message(self.max_body_bytes)

    @staticmethod
    def _local_refusal(scope: Any, headers: dict[str, str]) -> str | None:
        host = headers.get("host", "")
        if not is_loopback_host(host):
            return (
                f"this app runs for one person on this machine and answers only to "
                f"localhost or 127.0.0.1, not {host!r}"
            )
        if not is_loopback_client(scope.get("client")):
            return "this app runs for one person and answers only to this machine"
        return None


def _control_character_in_address(scope: Any) -> tuple[str, str] | None:
    """(field, message) for the first path segment or query value with a control character."""
    import unicodedata
    from urllib.parse import parse_qsl

    def control(text: str) -> bool:
        return any(unicodedata.category(c) == "Cc" for c in text)

    if control(scope["path"]):
        return "path", f"the address {scope['path']!r} has a control character: use plain text"
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True, errors="replace"):
        if control(name) or control(value):
            return name, f"{name} {value!r} has a control character: use plain text"
    return None


def _is_https(scope: Any, headers: dict[str, str], mode: str) -> bool:
    if scope.get("scheme") == "https":
        return True
    if mode != "accounts":
        return False
    forwarded = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return forwarded == "https"


async def _refuse(
    scope: Any, send: Any, status: int, code: str, message: str, *, field: str | None = None
) -> None:
    """Answer before the app runs, in the one error shape (JSON) or as a short page."""
    if scope["path"].startswith("/api/"):
        body = json.dumps(error_body(code, message, field)).encode()
        content_type = b"application/json"
    else:
        from html import escape

        body = (
            "<!doctype html><meta charset='utf-8'><title>stretchcoach</title>"
            f"<p>{escape(message)}</p>"
        ).encode()
        content_type = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", NO_STORE.encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
