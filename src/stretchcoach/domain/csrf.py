"""Did a request that changes something come from stretchcoach's own pages?

Two rules, both needed; the web layer applies them to every POST, PUT, PATCH and DELETE, and
to the camera socket's handshake.

1. **Same origin.** A browser says where the page that sent a request came from: `Origin`
   (scheme, host and port), and `Sec-Fetch-Site` (`same-origin`, `same-site`, `cross-site`,
   or `none` when the person typed the address or used a bookmark). Neither can be set by a
   page's script. A request is refused when:
   - `Origin` is sent and is not this server's own origin: the same scheme, host and port
     as the address the browser asked for (the Host header, and the scheme the connection or
     a trusted proxy reports). `Origin: null` (a sandboxed frame, a file) is refused too.
   - `Sec-Fetch-Site` is sent and is anything but `same-origin` or `none`. A page on another
     port of the same machine is `same-site` (cookies ignore ports, origins do not): refused.
   - A WebSocket sends no `Origin`: every browser sends one there.
   A request with neither header is not from a browser (a script, curl): a page elsewhere
   cannot make a browser leave both out, so the token (rule 2) is what it must get right.
2. **A signed token.** Every state-changing request carries a token that is an HMAC, with a
   secret only the server knows, of what the browser holds: its session token when someone is
   logged in, else the random value of its `sc_csrf` cookie. A page elsewhere can set that
   cookie (cookies are not kept apart by port) but cannot compute the token that goes with
   it, so a cookie it sets is worthless. A new secret only means new tokens: pages open
   before it reload. Tokens are compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import urlsplit

SAFE_FETCH_SITES = frozenset({"same-origin", "none"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WEB_SCHEMES = {"http": "http", "https": "https", "ws": "http", "wss": "https"}

FOREIGN_PAGE = (
    "nothing was changed: this came from another page ({origin}), not from stretchcoach. "
    "Use stretchcoach at {own}"
)
OTHER_SITE = (
    "nothing was changed: this came from a page on another site or port, not from "
    "stretchcoach. Use stretchcoach at {own}"
)
NO_ORIGIN = "this connection opens only from stretchcoach's own pages"


def own_origin(scheme: str, host: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of the address a browser asked for; None if Host is unreadable.

    `scheme` is the request's (`http`, `https`, or `ws`/`wss` for a WebSocket), `host` the
    Host header (`127.0.0.1:8000`, `[::1]:8000`, `stretch.example.org`).
    """
    web = _WEB_SCHEMES.get(scheme.lower())
    if web is None or not host.strip():
        return None
    return _origin_of(f"{web}://{host.strip()}")


def origin_refusal(
    *, origin: str | None, fetch_site: str | None, scheme: str, host: str, websocket: bool = False
) -> str | None:
    """Why this request is refused as coming from elsewhere, or None when it may go on."""
    mine = own_origin(scheme, host)
    own = _shown(mine) if mine else "the address it was opened at"
    if origin is not None:
        theirs = _origin_of(origin.strip())
        if theirs is None or mine is None or theirs != mine:
            return FOREIGN_PAGE.format(origin=_quoted(origin), own=own)
    elif websocket:
        return NO_ORIGIN
    if fetch_site is not None and fetch_site.strip().lower() not in SAFE_FETCH_SITES:
        return OTHER_SITE.format(own=own)
    return None


def signed_token(key: bytes, purpose: str, value: str) -> str:
    """The token that goes with `value` (a session token, a cookie) under this server's key."""
    mac = hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


def session_csrf(key: bytes, session_token: str) -> str:
    """The CSRF token of a login session (its `sc_session` cookie)."""
    return signed_token(key, "session", session_token)


def browser_csrf(key: bytes, cookie: str) -> str:
    """The CSRF token of a browser nobody is logged in on (its `sc_csrf` cookie)."""
    return signed_token(key, "browser", cookie)


def token_matches(expected: str | None, sent: str | None) -> bool:
    """Whether the sent token is the expected one; constant time, whatever is sent."""
    if not expected or not sent:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), sent.encode("utf-8", "replace"))


def _origin_of(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is not a number, or an unclosed [
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/"):
        return None
    if parts.query or parts.fragment or parts.username is not None:
        return None
    return scheme, parts.hostname.lower().removesuffix("."), port or _DEFAULT_PORTS[scheme]


def _shown(origin: tuple[str, str, int]) -> str:
    scheme, host, port = origin
    name = f"[{host}]" if ":" in host else host
    return f"{scheme}://{name}" if port == _DEFAULT_PORTS[scheme] else f"{scheme}://{name}:{port}"


def _quoted(origin: str) -> str:
    shown = origin.strip()
    return repr(shown[:80] + ("…" if len(shown) > 80 else ""))
