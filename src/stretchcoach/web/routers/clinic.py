"""Clinics: invitations, the dashboard, one patient's page, setting a patient's routine.

Only in accounts mode. A clinician sees a patient after the patient accepts an invitation;
asking for anyone else answers 404, the same as an id that does not exist.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from stretchcoach.domain.attention import PatientStatus
from stretchcoach.domain.centralisation import depth_label
from stretchcoach.domain.numbers import parse_number
from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.user import Role, User
from stretchcoach.domain.values import Side
from stretchcoach.errors import InvalidInput
from stretchcoach.services import accounts as accounts_service
from stretchcoach.services import clinic as clinic_service
from stretchcoach.services.accounts import NotApproved
from stretchcoach.web.deps import ClockDep, CurrentUser, KnownDep, MeDep, RoutineDep
from stretchcoach.web.numbers import JsonFloat, JsonInt
from stretchcoach.web.routers.accounts import accounts_mode, render
from stretchcoach.web.routers.api_history import PDF, ReportDays, pdf_response
from stretchcoach.web.security import AccountsUow as Uow
from stretchcoach.web.security import user_from_request, verify_csrf

router = APIRouter(tags=["clinic"], dependencies=[Depends(accounts_mode)])
Csrf = [Depends(verify_csrf)]


def clinician(user: CurrentUser) -> User:
    if user.role is not Role.CLINICIAN:
        raise HTTPException(403, "this page is for clinicians; you are logged in as a patient")
    return user


def patient(user: CurrentUser) -> User:
    if user.role is not Role.PATIENT:
        raise HTTPException(403, "invitations are for patients; you are logged in as a clinician")
    return user


Clinician = Annotated[User, Depends(clinician)]
Patient = Annotated[User, Depends(patient)]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def status_json(status: PatientStatus) -> dict[str, Any]:
    f = status.figures
    return {
        "patient_id": f.patient_id,
        "display_name": f.display_name,
        "attention": status.score,
        "reasons": list(status.reasons),
        "days_7": f.days_7,
        "days_30": f.days_30,
        "last_session_at": _iso(f.last_session_at),
        "pain_recent": _round(f.pain_recent),
        "pain_change": _round(status.pain_change),
        "spread": status.spread.value,
        "reach": {  # per leg, from the verdict: how far down the pain reached lately
            side.value: None if depth is None else depth_label(depth)
            for side, depth in status.verdict.signals.reach.items()
        },
        "flex_recent_deg": _round(f.flex_recent_deg),
        "flex_change_deg": _round(status.flex_change_deg),
        "red_flag": status.red_flag,
        "screened_at": _iso(f.screened_at),
    }


def routine_json(prefs: Preferences) -> dict[str, Any]:
    return {
        "hold_s": prefs.hold_s,
        "reps_per_side": prefs.reps_per_side,
        "first_side": prefs.first_side.value,
    }


def invitation_url(request: Request, code: str) -> str:
    return str(request.url_for("invitation_page", code=code))


class RoutineBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hold_s: JsonFloat = Field(description="Seconds per hold")
    reps_per_side: JsonInt = Field(description="Holds per leg")
    first_side: Side


def _set_routine(
    request: Request,
    who: User,
    patient_id: str,
    body: RoutineBody,
    uow: Any,
    routine: Any,
    now: datetime,
) -> Preferences:
    return clinic_service.set_patient_routine(
        who,
        patient_id,
        routine,
        hold_s=body.hold_s,
        reps_per_side=body.reps_per_side,
        first_side=body.first_side,
        uow=uow,
        now=now,
        time_zone=request.app.state.default_time_zone,
    )


# -- pages ------------------------------------------------------------------------------------


@router.get("/clinic", include_in_schema=False)
def dashboard_page(
    request: Request, me: MeDep, who: Clinician, uow: Uow, routine: RoutineDep, known: KnownDep
) -> Response:
    try:
        rows = clinic_service.dashboard(who, routine, uow=uow, now=me.now, known=known)
    except NotApproved:
        email = accounts_service.email_of(who.id, uow=uow)
        return render(request, "clinic/waiting.html", {"me": me, "email": email}, status=403)
    return render(request, "clinic/dashboard.html", {"me": me, "rows": rows})


@router.post("/clinic/invitations", dependencies=Csrf, include_in_schema=False)
def invite_page(request: Request, me: MeDep, who: Clinician, uow: Uow) -> Response:
    invitation = clinic_service.invite(who, uow=uow, now=me.now)
    context = {
        "me": me,
        "url": invitation_url(request, invitation.code),
        "expires_at": invitation.expires_at,
    }
    return render(request, "clinic/invited.html", context, status=201)


def _patient_context(
    request: Request, me: Any, who: User, patient_id: str, uow: Any, routine: Any, **extra: Any
) -> dict[str, Any]:
    known = request.app.state.known_statuses
    status = clinic_service.patient_status(
        who, patient_id, routine, uow=uow, now=me.now, known=known
    )
    prefs = clinic_service.patient_preferences(
        who,
        patient_id,
        routine,
        uow=uow,
        now=me.now,
        time_zone=request.app.state.default_time_zone,
    )
    dose = routine.dose
    context = {
        "me": me,
        "row": status,
        "record": clinic_service.patient_record(who, patient_id, uow=uow, now=me.now),
        "values": routine_json(prefs),
        "hold_range": (int(dose.hold_range.low), int(dose.hold_range.high)),
        "reps_range": (int(dose.reps_range.low), int(dose.reps_range.high)),
        "errors": {},
        "saved": False,
        "seen": False,
        "seen_error": None,
        "today": me.now.date(),
    }
    return context | extra


@router.get("/clinic/patients/{patient_id}", include_in_schema=False)
def patient_page(
    request: Request,
    patient_id: str,
    me: MeDep,
    who: Clinician,
    uow: Uow,
    routine: RoutineDep,
    saved: int = 0,
    seen: int = 0,
) -> Response:
    context = _patient_context(
        request, me, who, patient_id, uow, routine, saved=bool(saved), seen=bool(seen)
    )
    return render(request, "clinic/patient.html", context)


class SeenBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seen_on: date = Field(description="The day you saw the patient (YYYY-MM-DD)")
    note: str = Field("", description="What you advised, shown in their record (up to 300)")


@router.post(
    "/api/clinic/patients/{patient_id}/seen",
    status_code=201,
    dependencies=Csrf,
    summary="Record that you saw the patient about what stands and they may exercise",
)
def api_seen(
    patient_id: str, body: SeenBody, who: Clinician, uow: Uow, clock: ClockDep, routine: RoutineDep
) -> dict[str, Any]:
    ack = clinic_service.record_seen(
        who, patient_id, routine, seen_on=body.seen_on, note=body.note, uow=uow, now=clock.now()
    )
    return {"codes": list(ack.codes), "seen_on": ack.seen_on.isoformat(), "by": ack.by_name}


@router.post("/clinic/patients/{patient_id}/seen", dependencies=Csrf, include_in_schema=False)
async def patient_seen_post(
    request: Request, patient_id: str, me: MeDep, who: Clinician, uow: Uow, routine: RoutineDep
) -> Response:
    form = await request.form()
    raw = str(form.get("seen_on", "")).strip()
    try:
        try:
            seen_on = date.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(f"{raw!r} is not a date: use YYYY-MM-DD", field="seen_on") from None
        clinic_service.record_seen(
            who,
            patient_id,
            routine,
            seen_on=seen_on,
            note=str(form.get("note", "")),
            uow=uow,
            now=me.now,
        )
    except InvalidInput as error:
        context = _patient_context(
            request, me, who, patient_id, uow, routine, seen_error=str(error)
        )
        return render(request, "clinic/patient.html", context, status=422)
    return RedirectResponse(f"/clinic/patients/{patient_id}?seen=1", status_code=303)


@router.post("/clinic/patients/{patient_id}/routine", dependencies=Csrf, include_in_schema=False)
async def patient_routine_post(
    request: Request, patient_id: str, me: MeDep, who: Clinician, uow: Uow, routine: RoutineDep
) -> Response:
    form = await request.form()
    raw = {k: str(form.get(k, "")).strip() for k in ("hold_s", "reps_per_side", "first_side")}
    try:
        body = RoutineBody(
            hold_s=parse_number(raw["hold_s"], field="hold_s"),
            reps_per_side=int(
                parse_number(raw["reps_per_side"], field="reps_per_side", whole=True)
            ),
            first_side=clinic_service.check_first_side(raw["first_side"]),
        )
        _set_routine(request, who, patient_id, body, uow, routine, me.now)
    except InvalidInput as error:
        context = _patient_context(
            request,
            me,
            who,
            patient_id,
            uow,
            routine,
            values=raw,
            errors={error.field or "form": str(error)},
        )
        return render(request, "clinic/patient.html", context, status=422)
    return RedirectResponse(f"/clinic/patients/{patient_id}?saved=1", status_code=303)


@router.get("/invite/{code}", name="invitation_page", include_in_schema=False)
def invitation_page(request: Request, code: str, uow: Uow, clock: ClockDep) -> Response:
    inviter = clinic_service.inviting_clinician(code, uow=uow, now=clock.now())
    user = user_from_request(request, uow)
    context = {
        "code": code,
        "inviter": inviter,
        "user": user,
        "next": f"/invite/{code}",
        "shared": clinic_service.SHARED_WITH_CLINICIAN,
        "kept": clinic_service.KEPT_FROM_CLINICIAN,
    }
    return render(request, "clinic/invitation.html", context)


@router.post("/invite/{code}", dependencies=Csrf, include_in_schema=False)
def invitation_accept(code: str, who: Patient, uow: Uow, clock: ClockDep) -> Response:
    clinic_service.accept(code, who, uow=uow, now=clock.now())
    return RedirectResponse("/account?joined=1", status_code=303)


# -- the JSON API -----------------------------------------------------------------------------


@router.post(
    "/api/clinic/invitations",
    dependencies=Csrf,
    status_code=201,
    summary="Invite a patient: a one-time link",
)
def api_invite(request: Request, who: Clinician, uow: Uow, clock: ClockDep) -> dict[str, Any]:
    invitation = clinic_service.invite(who, uow=uow, now=clock.now())
    return {
        "code": invitation.code,
        "url": invitation_url(request, invitation.code),
        "expires_at": invitation.expires_at.isoformat(),
    }


@router.post(
    "/api/invitations/{code}/accept",
    dependencies=Csrf,
    summary="Accept a clinician's invitation",
)
def api_accept(code: str, who: Patient, uow: Uow, clock: ClockDep) -> dict[str, Any]:
    inviter = clinic_service.accept(code, who, uow=uow, now=clock.now())
    return {"clinician": {"id": inviter.id, "display_name": inviter.display_name}}


@router.get(
    "/api/clinic/patients",
    summary="My patients, who needs attention first",
    response_model=list[dict[str, Any]],
)
def api_dashboard(
    who: Clinician, uow: Uow, clock: ClockDep, routine: RoutineDep, known: KnownDep
) -> Response:
    rows = clinic_service.dashboard(who, routine, uow=uow, now=clock.now(), known=known)
    # Plain JSON values already: written as they are, not checked again field by field
    # (a clinic of 10,000 patients spent two thirds of its request there).
    return JSONResponse([status_json(s) for s in rows])


@router.get("/api/clinic/patients/{patient_id}", summary="One of my patients")
def api_patient(
    request: Request,
    patient_id: str,
    who: Clinician,
    uow: Uow,
    clock: ClockDep,
    routine: RoutineDep,
) -> dict[str, Any]:
    now = clock.now()
    known = request.app.state.known_statuses
    status = clinic_service.patient_status(who, patient_id, routine, uow=uow, now=now, known=known)
    prefs = clinic_service.patient_preferences(
        who, patient_id, routine, uow=uow, now=now, time_zone=request.app.state.default_time_zone
    )
    return status_json(status) | {"routine": routine_json(prefs)}


@router.get(
    "/api/clinic/patients/{patient_id}/report.pdf",
    summary="One of my patients' report, as a PDF",
    response_class=Response,
    responses=PDF,
)
def api_patient_report(
    request: Request,
    patient_id: str,
    who: Clinician,
    uow: Uow,
    clock: ClockDep,
    routine: RoutineDep,
    days: ReportDays = 30,
) -> Response:
    person, found = clinic_service.patient_report(
        who,
        patient_id,
        routine,
        uow=uow,
        now=clock.now(),
        time_zone=request.app.state.default_time_zone,
        days=days,
    )
    return pdf_response(found, person.display_name)


@router.get(
    "/api/clinic/patients/{patient_id}/record.fhir.json",
    summary="One of my patients' records as a FHIR R4 Bundle (name=1 to include their name)",
    response_class=Response,
)
def api_patient_fhir(
    patient_id: str, who: Clinician, uow: Uow, clock: ClockDep, name: bool = False
) -> Response:
    import json

    from stretchcoach.services.fhir import MEDIA_TYPE

    now = clock.now()
    bundle = clinic_service.patient_fhir(who, patient_id, uow=uow, now=now, with_name=name)
    filename = f"stretchcoach-record-{now.date().isoformat()}.fhir.json"
    return Response(
        json.dumps(bundle, indent=2, ensure_ascii=False),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.put(
    "/api/clinic/patients/{patient_id}/routine",
    dependencies=Csrf,
    summary="Set a patient's hold time, holds per leg and first leg",
)
def api_set_routine(
    request: Request,
    patient_id: str,
    body: RoutineBody,
    who: Clinician,
    uow: Uow,
    clock: ClockDep,
    routine: RoutineDep,
) -> dict[str, Any]:
    prefs = _set_routine(request, who, patient_id, body, uow, routine, clock.now())
    return routine_json(prefs)
