"""Use cases around a user's preferences: read them (defaults on first use), change them."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime, time

from stretchcoach.domain.adherence import MorningWindow
from stretchcoach.domain.preferences import (
    Preferences,
    check_preferences,
    check_time_zone,
    default_preferences,
)
from stretchcoach.domain.routine import Routine, SessionSettings, choose_settings
from stretchcoach.domain.values import Side
from stretchcoach.services.uow import ReadUnitOfWork, UnitOfWork


def new_calendar_token() -> str:
    """A secret for the calendar address: unguessable, safe in a URL."""
    return secrets.token_urlsafe(24)


def get_preferences(
    user_id: str, routine: Routine, *, uow: UnitOfWork, now: datetime, time_zone: str
) -> Preferences:
    """The user's preferences; the routine's defaults (saved) the first time they are asked for."""
    with uow:
        prefs = uow.preferences.get(user_id)
        if prefs is None:
            prefs = default_preferences(
                user_id, routine, time_zone=time_zone, calendar_token=new_calendar_token()
            )
            uow.preferences.save(prefs, now=now)
            uow.commit()
    return prefs


def chosen_hold(user_id: str, routine: Routine, *, uow: ReadUnitOfWork) -> float | None:
    """The hold someone chose for this user (their saved dose, or their clinician's), when it
    differs from the routine's own; None leaves the hold to the clinical core's plan.

    The terminal and the web both ask here, so one person gets one dose on either."""
    with uow:
        saved = uow.preferences.get(user_id)
    if saved is None or saved.hold_s == routine.dose.hold_s:
        return None
    return routine.dose.hold_range.clamp(saved.hold_s)


def morning_and_zone(
    user_id: str, *, uow: ReadUnitOfWork, window: MorningWindow, time_zone: str
) -> tuple[MorningWindow, str]:
    """The morning window and zone the user saved (on the web), else the ones given.

    Unlike `get_preferences` this writes nothing: a terminal user without saved preferences
    keeps following their STRETCHCOACH_* settings.
    """
    with uow:
        saved = uow.preferences.get(user_id)
    if saved is None:
        return window, time_zone
    return MorningWindow(saved.morning_start, saved.morning_end), saved.time_zone


def update_preferences(
    user_id: str,
    routine: Routine,
    *,
    hold_s: float,
    reps_per_side: int,
    first_side: Side,
    morning_start: time,
    morning_end: time,
    time_zone: str,
    reminder_at: time | None,
    uow: UnitOfWork,
    now: datetime,
) -> Preferences:
    """Check and save every choice at once; nothing is saved when one of them is wrong."""
    check_time_zone(time_zone)
    current = get_preferences(user_id, routine, uow=uow, now=now, time_zone=time_zone)
    changed = check_preferences(
        replace(
            current,
            hold_s=float(hold_s),
            reps_per_side=reps_per_side,
            first_side=first_side,
            morning_start=morning_start,
            morning_end=morning_end,
            time_zone=time_zone,
            reminder_at=reminder_at,
        ),
        routine,
    )
    with uow:
        uow.preferences.save(changed, now=now)
        uow.commit()
    return changed


def renew_calendar_token(
    user_id: str, routine: Routine, *, uow: UnitOfWork, now: datetime, time_zone: str
) -> Preferences:
    """A new calendar address; the old one stops working at once."""
    current = get_preferences(user_id, routine, uow=uow, now=now, time_zone=time_zone)
    renewed = replace(current, calendar_token=new_calendar_token())
    with uow:
        uow.preferences.save(renewed, now=now)
        uow.commit()
    return renewed


def preferences_for_calendar(token: str, *, uow: UnitOfWork) -> Preferences | None:
    with uow:
        return uow.preferences.by_calendar_token(token)


def session_settings(prefs: Preferences, routine: Routine) -> SessionSettings:
    """The dose a session runs with, from the user's preferences, clamped to the routine."""
    dose = routine.dose
    return choose_settings(
        routine,
        hold_s=dose.hold_range.clamp(prefs.hold_s),
        reps_per_side=int(dose.reps_range.clamp(prefs.reps_per_side)),
        first_side=prefs.first_side,
    )
