"""/api/set-aside: what the phone's outbox sent and the server refused for good, kept aside.

The phone reports each such record once, by the id it made for it (`PUT`), with the
server's reason; `GET` lists the person's own. See domain/refused.py and
services/phone_aside.py.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field, JsonValue

from stretchcoach.domain.refused import SetAsideRecord, refused_record, what_was_sent
from stretchcoach.services.phone_aside import keep_refused, set_aside_of
from stretchcoach.web.api_errors import API_ERRORS
from stretchcoach.web.deps import AsideUow, WhoDep
from stretchcoach.web.numbers import JsonInt
from stretchcoach.web.security import verify_csrf

router = APIRouter(prefix="/api/set-aside", tags=["set aside"], responses=API_ERRORS)


class RefusedBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: str = Field(max_length=8, description="How it was sent: PUT, POST, PATCH, DELETE")
    path: str = Field(max_length=300, description="Where it was sent: an /api/ address")
    body: JsonValue = Field(None, description="What it carried, as sent")
    status: JsonInt = Field(description="The server's answer: a 4xx refusal for good")
    reason: str = Field(max_length=2000, description="The server's words for why")


def aside_json(kept: SetAsideRecord) -> dict[str, Any]:
    record = kept.record
    return {
        "key": record.key,
        "what": what_was_sent(record.path),
        "method": record.method,
        "path": record.path,
        "body": json.loads(record.body),
        "status": record.status,
        "reason": record.reason,
        "kept_at": kept.kept_at.isoformat(),
    }


@router.put(
    "/{key}",
    dependencies=[Depends(verify_csrf)],
    summary="Keep a record the server refused for good (once by its id)",
    status_code=201,
)
def put_set_aside(key: str, body: RefusedBody, who: WhoDep, uow: AsideUow) -> Response:
    record = refused_record(
        key,
        method=body.method,
        path=body.path,
        body=body.body,
        status=body.status,
        reason=body.reason,
    )
    new = keep_refused(who.user_id, record, uow=uow, now=who.now)
    answer = {"key": record.key, "kept": True, "new": new}
    return Response(
        json.dumps(answer), status_code=201 if new else 200, media_type="application/json"
    )


@router.get("", summary="What the phone set aside for me, newest first")
def list_set_aside(who: WhoDep, uow: AsideUow) -> dict[str, Any]:
    return {"set_aside": [aside_json(kept) for kept in set_aside_of(who.user_id, uow=uow)]}
