"""The pages: today, session, journal, history, learn, settings; plus the app's shell files.

Forms post back to their own page. A wrong value shows the page again, status 422, with the
message next to the field and the person's other answers kept; nothing is saved.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from pydantic import ValidationError

from stretchcoach.domain.checkin import SYMPTOM_FIELDS, symptoms_from_choices
from stretchcoach.domain.journal import PainContext, Region, region_words
from stretchcoach.domain.numbers import parse_number
from stretchcoach.domain.safety import SCREEN_ABOUT, read_first
from stretchcoach.domain.session import new_id
from stretchcoach.domain.user import Role
from stretchcoach.domain.values import Side
from stretchcoach.errors import InvalidInput
from stretchcoach.services.overview import history_overview, today_overview
from stretchcoach.services.pain import keep_pain_once, pain_entries
from stretchcoach.services.settings import renew_calendar_token
from stretchcoach.web import WEB_DIR, charts
from stretchcoach.web.api_errors import describe_validation
from stretchcoach.web.deps import AsideUow, MeDep, RoutineDep, Uow
from stretchcoach.web.numbers import QueryFloat, QueryInt
from stretchcoach.web.routers.api_journal import sites_from
from stretchcoach.web.routers.api_session import UUID_PATTERN
from stretchcoach.web.routers.api_settings import (
    SettingsBody,
    calendar_url,
    save_settings,
    settings_json,
)
from stretchcoach.web.routers.welcome import Welcomed
from stretchcoach.web.security import verify_csrf

router = APIRouter(include_in_schema=False)
Csrf = [Depends(verify_csrf)]

# The places a person can tick, each in the words every page uses for it.
REGIONS = [(r.value, region_words(r).capitalize()) for r in Region]


def render(request: Request, name: str, context: dict[str, Any], *, status: int = 200) -> Response:
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request, name, context | {"page": name.removesuffix(".html")}, status_code=status
    )
    return response


# -- the app shell ----------------------------------------------------------------------------


@router.get("/sw.js")
def service_worker() -> Response:
    """The service worker, its cache named after this version and the worker's own text, so
    an upgrade, or any change to what it keeps, drops what phones kept before."""
    import hashlib
    import re

    from stretchcoach import __version__

    script = (WEB_DIR / "static" / "sw.js").read_text("utf-8")
    mark = hashlib.sha256(script.encode()).hexdigest()[:12]
    named, found = re.subn(
        r'^const CACHE = "[^"]*";$',
        f'const CACHE = "stretchcoach-{__version__}-{mark}";',
        script,
        count=1,
        flags=re.M,
    )
    if found != 1:
        raise RuntimeError("sw.js names no cache (const CACHE = ...)")
    return Response(
        named,
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
    )


@router.get("/manifest.webmanifest")
def manifest() -> FileResponse:
    return FileResponse(
        WEB_DIR / "static" / "manifest.webmanifest", media_type="application/manifest+json"
    )


# -- today ------------------------------------------------------------------------------------


@router.get("/", name="today_page", dependencies=Welcomed)
def today_page(request: Request, me: MeDep, uow: Uow, routine: RoutineDep) -> Response:
    if me.user.role is Role.CLINICIAN:
        return RedirectResponse("/clinic", status_code=303)
    from stretchcoach.services.safety import current_screen
    from stretchcoach.web.routers.screen import web_verdict

    today = today_overview(me.prefs, uow=uow, now=me.now)
    current = web_verdict(me, uow, routine)
    context = {
        "me": me,
        "today": today,
        "routine": routine,
        "prefs": me.prefs,
        "flags": list(current.flags),
        "flags_first": read_first(current.flags),
        "plan": current.plan,
        "screen": current_screen(current, me.user_id, uow=uow),
    }
    return render(request, "today.html", context)


# -- session ----------------------------------------------------------------------------------


@router.get("/session", name="session_page", dependencies=Welcomed)
def session_page(
    request: Request,
    me: MeDep,
    uow: Uow,
    routine: RoutineDep,
    speed: QueryFloat = 1.0,
    camera: QueryInt = 0,
) -> Response:
    from stretchcoach.domain.checkin import SKIPPED
    from stretchcoach.errors import SafetyBlock, ScreenDue
    from stretchcoach.services.session_case import check_gate, check_speed
    from stretchcoach.services.web_session import open_session
    from stretchcoach.web.routers.screen import ON_WEB

    check_speed(speed)
    try:
        check_gate(
            me.user_id,
            routine,
            uow=uow,
            now=me.now,
            zone=ZoneInfo(me.time_zone),
            where=ON_WEB,
            reps_per_side=me.prefs.reps_per_side,
        )
    except ScreenDue:  # a session under way may still resume; a new one waits for the check
        if open_session(me.user_id, uow=uow, now=me.now) is None:
            return RedirectResponse("/screen?blocked=1", status_code=303)
    except SafetyBlock:
        return RedirectResponse("/screen?blocked=1", status_code=303)
    return render(
        request,
        "session.html",
        {
            "me": me,
            "routine": routine,
            "speed": speed,
            "prefs": me.prefs,
            "camera": camera == 1,
            "regions": REGIONS,
            "sides": [s.value for s in Side],
            "values": {"sites": []},
            "skipped_words": SKIPPED,
            "shell": True,  # kept by the service worker: no user id, no token (app.js asks)
        },
    )


# -- journal ----------------------------------------------------------------------------------


def _journal_context(me: Any, uow: Any, **extra: Any) -> dict[str, Any]:
    from stretchcoach.services.correction import corrections

    since = me.now - timedelta(days=30)
    entries = pain_entries(me.user_id, uow=uow, since=since)
    fixed = corrections(me.user_id, uow=uow, since=since)
    context: dict[str, Any] = {
        "me": me,
        "regions": REGIONS,
        "sides": [s.value for s in Side],
        "recent": list(reversed(entries))[:5],
        "replacing": {c.superseded_by for c in fixed if c.superseded_by},
        "editing": None,
        "errors": {},
        "values": {"score": "", "sites": [], "note": "", "context": "standalone", "session": ""},
        "entry_id": new_id(),  # the rating's own id: a second tap on Save keeps it once
    }
    return context | extra


@router.get("/journal", name="journal_page", dependencies=Welcomed)
def journal_page(
    request: Request,
    me: MeDep,
    uow: Uow,
    routine: RoutineDep,
    context: str = "standalone",
    session: str = "",
    saved: int = 0,
    changed: str = "",
    noted: int = 0,
) -> Response:
    from stretchcoach.services.checkin import NOTE_STANDS_AS_YES

    values = {
        "score": "",  # no preset: a person in pain chooses it
        "sites": [],
        "note": "",
        "context": context if context in {c.value for c in PainContext} else "standalone",
        "session": session,
    }
    flags: list[Any] = []
    changed = changed if changed in ("corrected", "withdrawn") else ""
    if saved or changed:  # what was just said acts at once: a warning sign's words, here
        from stretchcoach.domain.safety import Severity
        from stretchcoach.web.routers.screen import web_verdict

        found = web_verdict(me, uow, routine)
        flags = [f for f in found.flags if f.severity is not Severity.INFO]
    return render(
        request,
        "journal.html",
        _journal_context(
            me,
            uow,
            values=values,
            saved=bool(saved),
            changed=changed,
            flags=flags,
            noted=NOTE_STANDS_AS_YES if saved and noted and flags else "",
        ),
    )


@router.post("/journal", dependencies=Csrf)
async def journal_post(request: Request, me: MeDep, uow: Uow) -> Response:
    form = await request.form()
    raw_sites = [str(v) for v in form.getlist("sites")]
    values: dict[str, Any] = {
        "score": str(form.get("score", "")),
        "sites": raw_sites,
        "note": str(form.get("note", "")),
        "context": str(form.get("context", "standalone")),
        "session": str(form.get("session", "")),
        "ticked": {name: [str(v) for v in form.getlist(name)] for name in SYMPTOM_FIELDS},
    }
    try:
        score_text = str(values["score"]).strip()
        if not score_text:
            raise InvalidInput(
                "Please choose how much it hurts, from 0 (none) to 10 (worst).", field="score"
            )
        if not score_text.lstrip("-").isdigit():
            raise InvalidInput(
                f"pain {score_text!r} is not a number: choose 0 (none) to 10 (worst)",
                field="score",
            )
        try:
            context = PainContext(str(values["context"]))
        except ValueError:
            raise InvalidInput(
                f"{values['context']!r} is not a moment: before, after or standalone",
                field="context",
            ) from None
        entry_id = str(form.get("entry_id", "")).lower()
        symptoms = symptoms_from_choices(*(values["ticked"][name] for name in SYMPTOM_FIELDS))
        keep_pain_once(
            int(score_text),
            sites_from(raw_sites),
            entry_id=entry_id if re.match(UUID_PATTERN, entry_id) else new_id(),
            user_id=me.user_id,
            uow=uow,
            now=me.now,
            time_zone=me.time_zone,
            note=str(values["note"]),
            context=context,
            session_id=str(values["session"]) or None,
            symptoms=symptoms,
        )
    except InvalidInput as error:
        known = ("score", "sites", "note", *SYMPTOM_FIELDS)
        shown = error.field if error.field in known else "form"
        errors = {shown: str(error)}
        return render(
            request,
            "journal.html",
            _journal_context(me, uow, errors=errors, values=values),
            status=422,
        )
    from stretchcoach.services.checkin import note_signs

    noted = "&noted=1" if note_signs(str(values["note"])) else ""  # why a yes nobody ticked
    return RedirectResponse(f"/journal?saved=1{noted}", status_code=303)


def _entry_values(entry: Any) -> dict[str, Any]:
    return {
        "score": str(entry.score),
        "sites": sorted(str(s) for s in entry.sites),
        "note": entry.note,
        "context": entry.context.value,
        "session": entry.session_id or "",
    }


@router.get("/journal/{entry_id}", name="journal_edit_page")
def journal_edit_page(request: Request, entry_id: str, me: MeDep, uow: Uow) -> Response:
    """One's own rating, to correct or take back."""
    from stretchcoach.services.correction import own_entry

    entry = own_entry(entry_id, user_id=me.user_id, uow=uow)
    if not entry.current:
        return RedirectResponse("/journal", status_code=303)
    return render(
        request,
        "journal.html",
        _journal_context(me, uow, editing=entry, values=_entry_values(entry)),
    )


@router.post("/journal/{entry_id}", dependencies=Csrf)
async def journal_edit_post(request: Request, entry_id: str, me: MeDep, uow: Uow) -> Response:
    from stretchcoach.services.correction import correct_pain, own_entry

    entry = own_entry(entry_id, user_id=me.user_id, uow=uow)
    form = await request.form()
    raw_sites = [str(v) for v in form.getlist("sites")]
    values = _entry_values(entry) | {
        "score": str(form.get("score", "")),
        "sites": raw_sites,
        "note": str(form.get("note", "")),
    }
    try:
        score_text = str(values["score"]).strip()
        if not score_text.lstrip("-").isdigit():
            raise InvalidInput(
                f"pain {score_text!r} is not a number: choose 0 (none) to 10 (worst)",
                field="score",
            )
        correct_pain(
            entry.id,
            user_id=me.user_id,
            uow=uow,
            now=me.now,
            score=int(score_text),
            sites=sites_from(raw_sites),
            note=str(values["note"]),
        )
    except InvalidInput as error:
        shown = error.field if error.field in ("score", "sites", "note") else "form"
        context = _journal_context(
            me, uow, editing=entry, errors={shown: str(error)}, values=values
        )
        return render(request, "journal.html", context, status=422)
    return RedirectResponse("/journal?changed=corrected", status_code=303)


@router.post("/journal/{entry_id}/delete", dependencies=Csrf)
def journal_delete_post(entry_id: str, me: MeDep, uow: Uow) -> Response:
    from stretchcoach.services.correction import withdraw_pain

    withdraw_pain(entry_id, user_id=me.user_id, uow=uow, now=me.now)
    return RedirectResponse("/journal?changed=withdrawn", status_code=303)


# -- history ----------------------------------------------------------------------------------


@router.get("/history", name="history_page", dependencies=Welcomed)
def history_page(request: Request, me: MeDep, uow: Uow, aside_uow: AsideUow) -> Response:
    from stretchcoach.domain.refused import what_was_sent
    from stretchcoach.services.phone_aside import set_aside_of

    h = history_overview(me.prefs, uow=uow, now=me.now)
    pain_points = [(d, float(v)) for d, v in h.pain_by_day.items() if d >= h.first_day]
    flex = {
        "Left leg": [(p.day, p.left_deg) for p in h.flexibility if p.left_deg is not None],
        "Right leg": [(p.day, p.right_deg) for p in h.flexibility if p.right_deg is not None],
    }
    flex_values = [v for points in flex.values() for _, v in points]
    context = {
        "me": me,
        "h": h,
        "calendar_svg": charts.adherence_calendar(h.habit.days, first=h.first_day, today=h.today),
        "pain_svg": charts.line_chart(
            {"Pain": pain_points},
            first=h.first_day,
            last=h.today,
            y_min=0,
            y_max=10,
            label="Pain each day, 0 to 10",
            axis="Pain, 0 (none) to 10 (worst)",
        ),
        "flex_svg": charts.line_chart(
            flex,
            first=h.first_day,
            last=h.today,
            y_min=min([60.0, *flex_values]) // 10 * 10,
            y_max=max([120.0, *flex_values]) // 10 * 10 + 10,
            label="How far you lean (hip bend, degrees)",
            unit="°",
            axis="Hip bend, in degrees",
        ),
        "has_flex": bool(flex_values),
        "set_aside": [
            {"what": what_was_sent(k.record.path), "reason": k.record.reason, "at": k.kept_at}
            for k in set_aside_of(me.user_id, uow=aside_uow)
        ],
    }
    return render(request, "history.html", context)


# -- learn ------------------------------------------------------------------------------------


@router.get("/learn", name="learn_page")
def learn_page(request: Request, me: MeDep, routine: RoutineDep) -> Response:
    return render(request, "learn.html", {"me": me, "routine": routine})


# -- settings ---------------------------------------------------------------------------------


def _settings_context(request: Request, me: Any, routine: Any, **extra: Any) -> dict[str, Any]:
    from zoneinfo import available_timezones

    from stretchcoach import bootstrap
    from stretchcoach.services.push import may_offer

    offer_push = may_offer(me.user_id, uow=bootstrap.unit_of_work(request.app.state.engine))

    dose = routine.dose
    context: dict[str, Any] = {
        "zones": sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc")),
        "me": me,
        "values": settings_json(request, me.prefs) | {"hold_s": f"{me.prefs.hold_s:g}"},
        "calendar_url": calendar_url(request, me.prefs),
        "webcal_url": "webcal://" + calendar_url(request, me.prefs).split("://", 1)[1],
        "hold_range": (int(dose.hold_range.low), int(dose.hold_range.high)),
        "reps_range": (int(dose.reps_range.low), int(dose.reps_range.high)),
        "screen_about": SCREEN_ABOUT,
        "offer_push": offer_push,
        "errors": {},
        "saved": False,
    }
    return context | extra


@router.get("/settings", name="settings_page", dependencies=Welcomed)
def settings_page(request: Request, me: MeDep, routine: RoutineDep, saved: int = 0) -> Response:
    return render(
        request, "settings.html", _settings_context(request, me, routine, saved=bool(saved))
    )


@router.post("/settings", dependencies=Csrf)
async def settings_post(request: Request, me: MeDep, uow: Uow, routine: RoutineDep) -> Response:
    form = await request.form()
    raw = {
        key: str(form.get(key, "")).strip()
        for key in (
            "hold_s",
            "reps_per_side",
            "first_side",
            "morning_start",
            "morning_end",
            "time_zone",
            "reminder_at",
        )
    }
    try:
        try:
            given: dict[str, Any] = {key: value for key, value in raw.items() if value}
            for key in ("hold_s", "reps_per_side"):  # a form's numbers are text: plain digits
                if key in given:
                    given[key] = parse_number(given[key], field=key, whole=key != "hold_s")
            body = SettingsBody.model_validate(given)
        except ValidationError as error:
            field, message = describe_validation(error.errors())
            raise InvalidInput(message, field=field) from None
        save_settings(body, me, uow, routine)
    except InvalidInput as error:
        context = _settings_context(
            request, me, routine, values=raw, errors={error.field or "form": str(error)}
        )
        return render(request, "settings.html", context, status=422)
    return RedirectResponse("/settings?saved=1", status_code=303)


@router.post("/settings/calendar", dependencies=Csrf)
def settings_calendar(request: Request, me: MeDep, uow: Uow, routine: RoutineDep) -> Response:
    renew_calendar_token(me.user_id, routine, uow=uow, now=me.now, time_zone=me.time_zone)
    return RedirectResponse("/settings?saved=1#calendar", status_code=303)
