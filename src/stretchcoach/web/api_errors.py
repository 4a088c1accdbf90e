"""The one error shape of the JSON API, as models, so /openapi.json describes what is sent."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    code: str  # invalid_input, not_found, not_logged_in, forbidden, conflict, ...
    message: str  # one sentence quoting the bad value and saying what is allowed
    field: str | None  # the field at fault, when there is one


class ErrorResponse(BaseModel):
    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a router: these statuses answer with ErrorResponse."""
    words = {
        401: "Nobody is logged in",
        403: "Not allowed (or the CSRF token is missing)",
        404: "Not found, or not yours",
        409: "In conflict with what is saved",
        422: "A value is not allowed; `field` names it",
    }
    return {s: {"model": ErrorResponse, "description": words.get(s, "Error")} for s in statuses}


API_ERRORS = error_responses(401, 403, 404, 422)


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def describe_validation(errors: Any) -> tuple[str | None, str]:
    """The first problem of a request, as (field, one clear sentence quoting the value)."""
    first = errors[0] if errors else {}
    loc = [  # a list's item is named by its list: "numb", not "0"
        str(part)
        for part in first.get("loc", ())
        if part not in ("body", "query", "path") and not isinstance(part, int)
    ]
    field = loc[-1] if loc else None
    message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    if first.get("type") == "missing":
        return field, f"{field or 'a value'} is required"
    if "input" in first and not isinstance(first["input"], dict | list):
        return field, f"{field} {first['input']!r}: {message}"
    return field, f"{field or 'request'}: {message}"
