"""/api/settings: the dose, morning window, time zone and reminder; the calendar address."""

from __future__ import annotations

from datetime import time
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from stretchcoach.domain.preferences import Preferences, parse_clock_time
from stretchcoach.domain.values import Side
from stretchcoach.services.settings import renew_calendar_token, update_preferences
from stretchcoach.web.api_errors import API_ERRORS
from stretchcoach.web.deps import MeDep, RoutineDep, Uow
from stretchcoach.web.numbers import JsonFloat, JsonInt
from stretchcoach.web.security import verify_csrf

router = APIRouter(prefix="/api/settings", tags=["settings"], responses=API_ERRORS)


class SettingsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hold_s: JsonFloat = Field(description="Seconds per hold")
    reps_per_side: JsonInt = Field(description="Holds per leg")
    first_side: Side
    morning_start: str = Field(description="HH:MM, local time", max_length=5)
    morning_end: str = Field(description="HH:MM, local time", max_length=5)
    time_zone: str = Field(max_length=64, description="An IANA name, e.g. Europe/London")
    reminder_at: str | None = Field(None, description="HH:MM local, or null for none")


def calendar_url(request: Request, prefs: Preferences) -> str:
    return str(request.url_for("calendar_feed", token=prefs.calendar_token))


def settings_json(request: Request, prefs: Preferences) -> dict[str, Any]:
    def hhmm(value: time | None) -> str | None:
        return value.strftime("%H:%M") if value else None

    return {
        "hold_s": prefs.hold_s,
        "reps_per_side": prefs.reps_per_side,
        "first_side": prefs.first_side.value,
        "morning_start": hhmm(prefs.morning_start),
        "morning_end": hhmm(prefs.morning_end),
        "time_zone": prefs.time_zone,
        "reminder_at": hhmm(prefs.reminder_at),
        "calendar_url": calendar_url(request, prefs),
    }


def save_settings(body: SettingsBody, me: Any, uow: Any, routine: Any) -> Preferences:
    """Shared by the API and the settings form: check every field, then save them together."""
    return update_preferences(
        me.user_id,
        routine,
        hold_s=body.hold_s,
        reps_per_side=body.reps_per_side,
        first_side=body.first_side,
        morning_start=parse_clock_time(body.morning_start, field="morning_start"),
        morning_end=parse_clock_time(body.morning_end, field="morning_end"),
        time_zone=body.time_zone.strip(),
        reminder_at=parse_clock_time(body.reminder_at, field="reminder_at")
        if body.reminder_at
        else None,
        uow=uow,
        now=me.now,
    )


@router.get("", summary="My settings")
def read(request: Request, me: MeDep) -> dict[str, Any]:
    return settings_json(request, me.prefs)


@router.put("", dependencies=[Depends(verify_csrf)], summary="Change my settings")
def change(
    request: Request, body: SettingsBody, me: MeDep, uow: Uow, routine: RoutineDep
) -> dict[str, Any]:
    return settings_json(request, save_settings(body, me, uow, routine))


@router.post(
    "/calendar-token", dependencies=[Depends(verify_csrf)], summary="A new calendar address"
)
def new_calendar_address(
    request: Request, me: MeDep, uow: Uow, routine: RoutineDep
) -> dict[str, Any]:
    prefs = renew_calendar_token(me.user_id, routine, uow=uow, now=me.now, time_zone=me.time_zone)
    return settings_json(request, prefs)
