"""Records as an export file holds them (docs/export.md), for tests that write such files."""

from __future__ import annotations

import uuid
from typing import Any


def session_record(session_id: str, day: int = 1, *, reps_per_side: int = 2) -> dict[str, Any]:
    """A completed session on the morning of March `day`, 2026."""
    return {
        "id": session_id,
        "started_at": f"2026-03-{day:02}T07:00:00+00:00",
        "ended_at": f"2026-03-{day:02}T07:05:00+00:00",
        "last_seen_at": f"2026-03-{day:02}T07:05:00+00:00",
        "time_zone": "Europe/London",
        "status": "completed",
        "practice": False,
        "speed": 1.0,
        "routine_id": "seated-hamstring",
        "routine_name": "Seated hamstring",
        "hold_s": 30.0,
        "reps_per_side": reps_per_side,
        "first_side": "left",
        "rest_s": 10.0,
        "hold_order": "alternate",
        "host": "laptop",
        "pid": 4242,
    }


def hold_record(session_id: str, number: int, day: int = 1) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "session_id": session_id,
        "hold_number": number,
        "side": "left" if number % 2 else "right",
        "planned_s": 30.0,
        "held_s": 30.0,
        "completed": True,
        "ended_at": f"2026-03-{day:02}T07:0{number}:00+00:00",
        "felt": "pull",
    }


def pain_record(session_id: str | None) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "session_id": session_id,
        "recorded_at": "2026-03-01T06:59:00+00:00",
        "time_zone": "Europe/London",
        "score": 4,
        "sites": "left:thigh",
        "context": "before" if session_id else "standalone",
        "note": "stiff",
    }


def screen_record() -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "answered_at": "2026-03-01T06:58:00+00:00",
        "answers": [False] * 8,
        "version": 1,
    }


def export(
    sessions: list[dict[str, Any]],
    holds: list[dict[str, Any]],
    pain: list[dict[str, Any]],
    screens: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "format": "stretchcoach-export",
        "version": 1,
        "sessions": sessions,
        "holds": holds,
        "pain_entries": pain,
        "screens": screens,
    }
