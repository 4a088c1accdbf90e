"""/api/today and /api/history: the habit, pain and flexibility, as the pages show them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from stretchcoach.domain.user import LOCAL_USER_ID
from stretchcoach.services.overview import history_overview, morning_window, today_overview
from stretchcoach.web.api_errors import API_ERRORS
from stretchcoach.web.deps import MeDep, RoutineDep, Uow
from stretchcoach.web.numbers import QueryInt
from stretchcoach.web.routers.api_journal import entry_json

if TYPE_CHECKING:
    from stretchcoach.services.report import Report

router = APIRouter(prefix="/api", tags=["history"], responses=API_ERRORS)


@router.get("/today", summary="Today's status")
def today(me: MeDep, uow: Uow) -> dict[str, Any]:
    t = today_overview(me.prefs, uow=uow, now=me.now)
    return {
        "date": t.local_date.isoformat(),
        "time": t.local_time,
        "time_zone": me.time_zone,
        "done_today": t.done_today,
        "stretched_today": t.stretched_today,
        "in_morning": t.in_morning,
        "streak_days": t.habit.current_streak,
        "last_7_days": {"done": t.habit.last_7.done, "of": t.habit.last_7.of_days},
        "last_pain": entry_json(t.last_pain) if t.last_pain else None,
        "sessions_today": [s.id for s in t.today_sessions],
    }


@router.get("/history", summary="Adherence calendar, daily pain and flexibility")
def history(me: MeDep, uow: Uow) -> dict[str, Any]:
    h = history_overview(me.prefs, uow=uow, now=me.now)
    return {
        "from": h.first_day.isoformat(),
        "to": h.today.isoformat(),
        "days_done": sorted(d.isoformat() for d in h.habit.days if d >= h.first_day),
        "streak_days": h.habit.current_streak,
        "best_streak_days": h.habit.best_streak,
        "adherence": {
            "last_7_days": {"done": h.habit.last_7.done, "of": h.habit.last_7.of_days},
            "last_30_days": {"done": h.habit.last_30.done, "of": h.habit.last_30.of_days},
        },
        "pain_by_day": {d.isoformat(): score for d, score in sorted(h.pain_by_day.items())},
        "flexibility": [
            {"date": p.day.isoformat(), "left_deg": p.left_deg, "right_deg": p.right_deg}
            for p in h.flexibility
        ],
    }


# The metadata rides in the annotation: FastAPI drops a type's validators when the default is
# a Query(...) object.
ReportDays = Annotated[
    QueryInt, Query(description="How many days, up to today, the report covers (1-3660).")
]
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The report, as a PDF"}
}


@router.get(
    "/report.pdf",
    summary="My report for a clinician, as a PDF",
    response_class=Response,
    responses=PDF,
)
def report(me: MeDep, uow: Uow, routine: RoutineDep, days: ReportDays = 30) -> Response:
    from stretchcoach.services.report import clinician_report

    found = clinician_report(
        me.user_id,
        routine=routine,
        uow=uow,
        now=me.now,
        time_zone=me.time_zone,
        window=morning_window(me.prefs),
        days=days,
    )
    named = None if me.user_id == LOCAL_USER_ID else me.user.display_name  # an account's name
    return pdf_response(found, named)


def pdf_response(found: Report, patient: str | None) -> Response:
    """The report as a download named after its period."""
    from stretchcoach import bootstrap

    name = f"stretchcoach-report-{found.first_day}-to-{found.today}.pdf"
    return Response(
        bootstrap.report_pdf(found, patient=patient),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
