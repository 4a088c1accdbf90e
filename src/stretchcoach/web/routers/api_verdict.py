"""/api/verdict: the clinical core's answer for the signed-in person, as the session page shows
it: may a session start (the gate), the next dose with its reason (the plan), and what to tell
them (the flags). The same verdict the terminal's `start` prints before and after a session."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from stretchcoach.domain.clinical import Verdict
from stretchcoach.web.api_errors import API_ERRORS
from stretchcoach.web.deps import MeDep, RoutineDep, Uow
from stretchcoach.web.routers.screen import web_verdict

router = APIRouter(prefix="/api/verdict", tags=["screen"], responses=API_ERRORS)


def verdict_json(found: Verdict) -> dict[str, Any]:
    gate, plan = found.gate, found.plan
    return {
        "gate": {
            "status": gate.status.value,
            "may_start": gate.may_start,
            "due": gate.due,
            "care": gate.care.value if gate.care else None,
            "message": gate.message,
        },
        "plan": {
            "hold_s": plan.hold_s,
            "reps": {"left": plan.reps[0], "right": plan.reps[1]},
            "lean": plan.lean.value,
            "reason": plan.reason,
        },
        "flags": [
            {"code": f.code, "severity": f.severity.value, "message": f.message}
            for f in found.flags
        ],
    }


@router.get("", summary="The gate, the next dose with its reason, and the flags")
def get_verdict(me: MeDep, uow: Uow, routine: RoutineDep) -> dict[str, Any]:
    return verdict_json(web_verdict(me, uow, routine))
