"""/calendar/<secret>.ics: the reminder feed. The secret in the address is the only key."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from stretchcoach.errors import NotFound
from stretchcoach.services.settings import preferences_for_calendar
from stretchcoach.web.deps import ClockDep, Uow

router = APIRouter(tags=["calendar"])
MAX_TOKEN = 64


@router.get("/calendar/{token}.ics", name="calendar_feed", summary="Reminder calendar feed")
def calendar_feed(token: str, request: Request, uow: Uow, clock: ClockDep) -> Response:
    from stretchcoach import bootstrap

    prefs = preferences_for_calendar(token, uow=uow) if len(token) <= MAX_TOKEN else None
    if prefs is None:
        raise NotFound("no calendar at this address: copy the current one from Settings")
    body = bootstrap.reminder_feed(
        prefs, now=clock.now(), page_url=str(request.url_for("today_page"))
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )
