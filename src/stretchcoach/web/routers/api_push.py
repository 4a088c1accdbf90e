"""/api/push: reminders by notification on this phone.

The page asks for the server's public key, has the browser subscribe with it, and sends the
browser's own `PushSubscription.toJSON()` here. The service worker calls snooze and done-today
when the person taps a notification's buttons.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from stretchcoach.bootstrap import Push
from stretchcoach.services import push as push_service
from stretchcoach.services.push import PushUnitOfWork
from stretchcoach.web.api_errors import API_ERRORS
from stretchcoach.web.deps import ClockDep, MeDep, WhoDep
from stretchcoach.web.security import verify_csrf

router = APIRouter(prefix="/api/push", tags=["reminders"], responses=API_ERRORS)
Csrf = [Depends(verify_csrf)]
MAX_BODY_FIELD = 8192  # a hard cap; the domain says in words what an endpoint may be


async def get_push_uow(request: Request) -> PushUnitOfWork:
    from stretchcoach import bootstrap

    return bootstrap.unit_of_work(request.app.state.engine)


PushUow = Annotated[PushUnitOfWork, Depends(get_push_uow)]


def web_push(request: Request, uow: PushUow, clock: ClockDep) -> Push:
    """This worker's Web Push, made on first use (the key is the store's, shared by all)."""
    from stretchcoach import bootstrap

    made: Push | None = getattr(request.app.state, "push", None)
    if made is None:
        made = bootstrap.web_push(request.app.state.settings, uow, now=clock.now())
        request.app.state.push = made
    return made


PushDep = Annotated[Push, Depends(web_push)]


class Keys(BaseModel):
    model_config = ConfigDict(extra="ignore")

    p256dh: str = Field(max_length=128)
    auth: str = Field(max_length=64)


class SubscriptionBody(BaseModel):
    """The browser's PushSubscription.toJSON(), as it is."""

    model_config = ConfigDict(extra="ignore")

    endpoint: str = Field(max_length=MAX_BODY_FIELD)
    expirationTime: float | None = None
    keys: Keys


class EndpointBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    endpoint: str = Field(max_length=MAX_BODY_FIELD)


@router.get("/key", summary="The server's public key, for pushManager.subscribe()")
def public_key(me: MeDep, push: PushDep, uow: PushUow) -> dict[str, Any]:
    mine = push_service.subscriptions(me.user_id, uow=uow)
    return {
        "public_key": push.public_key,
        "reminder_at": me.prefs.reminder_at.strftime("%H:%M") if me.prefs.reminder_at else None,
        "subscriptions": [s.endpoint for s in mine],
    }


@router.post("/subscriptions", dependencies=Csrf, status_code=201, summary="Remind this phone")
def subscribe(body: SubscriptionBody, who: WhoDep, push: PushDep, uow: PushUow) -> dict[str, Any]:
    kept = push_service.subscribe(
        who.user_id,
        endpoint=body.endpoint,
        p256dh=body.keys.p256dh,
        auth=body.keys.auth,
        uow=uow,
        now=who.now,
        resolve=push.resolve,
        test_rules=push.test_rules,
    )
    return {"id": kept.id, "endpoint": kept.endpoint}


@router.delete(
    "/subscriptions", dependencies=Csrf, status_code=204, summary="Stop reminding this phone"
)
def unsubscribe(body: EndpointBody, who: WhoDep, uow: PushUow) -> Response:
    push_service.unsubscribe(who.user_id, body.endpoint, uow=uow)
    return Response(status_code=204)


@router.post("/snooze", dependencies=Csrf, summary="Remind me again in a little while")
def snooze(who: WhoDep, uow: PushUow) -> dict[str, Any]:
    until = push_service.snooze(who.user_id, uow=uow, now=who.now)
    return {"snooze_until": until.isoformat()}


@router.post("/done-today", dependencies=Csrf, status_code=204, summary="No more today")
def done_today(me: MeDep, uow: PushUow) -> Response:
    push_service.done_for_today(me.prefs, uow=uow, now=me.now)
    return Response(status_code=204)
