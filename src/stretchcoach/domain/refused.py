"""A record the phone sent and the server refused for good, set aside so it is not lost.

The phone's outbox (web/static/app.js) sends each record it kept (a hold, an answer, a
rating, a session's end) until the server has it. A network error, a server error (5xx),
"log in again" (401), a stale form token (403), "too slow" (408) and "too many" (429) are
tried again; any other 4xx is the server saying no for good: the session is not there, a
different record has this id, a value is not allowed. The phone keeps such a record aside,
shows it, and reports it here, with the server's reason, so a person or their clinician can
still see what it held. Nothing in it is applied to the record itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from stretchcoach.domain.text import clean_text
from stretchcoach.errors import InvalidInput

RETRIED = frozenset({401, 403, 408, 425, 429})
"""4xx answers that are not a refusal for good: the phone sends the record again."""

METHODS = frozenset({"PUT", "POST", "PATCH", "DELETE"})
MAX_BODY_CHARS = 16_384
MAX_REASON_CHARS = 500
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
_PATH = re.compile(r"^/api/[A-Za-z0-9_./-]{1,295}$")


@dataclass(frozen=True, slots=True)
class RefusedRecord:
    """What the phone sent (`method` `path` with `body`, as JSON), how it was answered
    (`status`, `reason`), under the id the phone gave it (`key`)."""

    key: str
    method: str
    path: str
    body: str
    status: int
    reason: str


@dataclass(frozen=True, slots=True)
class SetAsideRecord:
    """A refused record as the server keeps it: whose, and when it was reported."""

    user_id: str
    record: RefusedRecord
    kept_at: datetime


_WHAT = [
    (re.compile(r"/holds/[^/]+/felt$"), "an answer about a hold"),
    (re.compile(r"/holds/[^/]+/form$"), "a camera reading of a hold"),
    (re.compile(r"/holds/[^/]+$"), "a hold"),
    (re.compile(r"^/api/journal"), "a pain rating"),
    (re.compile(r"/finish$"), "a session's end"),
]


def what_was_sent(path: str) -> str:
    """The record a path was for, in a person's words: "a hold", "a pain rating", ..."""
    return next((words for pattern, words in _WHAT if pattern.search(path)), "a record")


def refused_for_good(status: int) -> bool:
    """True for an answer that will not change however often the record is sent again."""
    return 400 <= status <= 499 and status not in RETRIED


def refused_record(
    key: str, *, method: str, path: str, body: Any, status: int, reason: str
) -> RefusedRecord:
    """A refused record from what the phone reports, or InvalidInput naming the field."""
    if not _KEY.match(key):
        raise InvalidInput(
            f"the record id {key[:120]!r} is not one the phone makes: use 1 to 100 letters, "
            "digits, - or _",
            field="key",
        )
    if method not in METHODS:
        allowed = ", ".join(sorted(METHODS))
        raise InvalidInput(f"method {method!r} is not one of {allowed}", field="method")
    if not _PATH.match(path) or ".." in path:
        raise InvalidInput(
            f"path {path[:120]!r} is not an address of this app's API: it starts with /api/ "
            "and has at most 300 characters",
            field="path",
        )
    if not refused_for_good(status):
        raise InvalidInput(
            f"status {status} is not a refusal for good: only a 4xx other than "
            f"{', '.join(str(s) for s in sorted(RETRIED))} is set aside (the rest are sent again)",
            field="status",
        )
    text = json.dumps(body, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    if len(text) > MAX_BODY_CHARS:
        raise InvalidInput(
            f"the record is {len(text)} characters as JSON: at most {MAX_BODY_CHARS} are kept",
            field="body",
        )
    words = clean_text(reason, field="reason", max_length=MAX_REASON_CHARS, required=True)
    return RefusedRecord(key, method, path, text, status, words)
