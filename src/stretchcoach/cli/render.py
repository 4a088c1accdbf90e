"""Plain renderings of recorded sessions, shared by the commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stretchcoach.domain.session import Session
from stretchcoach.domain.values import SessionStatus, Side

if TYPE_CHECKING:
    from stretchcoach.services.safekeeping import SafeKeeper

STATUS_WORDS = {
    SessionStatus.COMPLETED: "Completed",
    SessionStatus.STOPPED: "Stopped early",
    SessionStatus.INTERRUPTED: "Interrupted",
    SessionStatus.IN_PROGRESS: "In progress",
}


def session_summary(session: Session) -> str:
    """One or two lines on how a session went."""
    planned = session.settings.total_holds
    if round(session.held_total_s) == 0 and session.status is not SessionStatus.COMPLETED:
        return "Stopped before the first hold got going. Come back to it when you are ready."
    per_side = []
    for side in Side:
        held = [h for h in session.holds if h.side is side and h.completed]
        per_side.append(f"{side.value} {len(held)}")
    total = duration_text(session.held_total_s)
    line = (
        f"{STATUS_WORDS[session.status]}: {session.completed_holds} of {planned} holds "
        f"({', '.join(per_side)}), {total} of stretching in all."
    )
    if session.practice:
        line += f" Practice run at ×{session.speed:g}: not counted in your habit."
    return line


def duration_text(seconds: float) -> str:
    """`45 s`, `3 min`, `3 min 15 s`."""
    minutes, secs = divmod(round(seconds), 60)
    if minutes and secs:
        return f"{minutes} min {secs} s"
    return f"{minutes} min" if minutes else f"{secs} s"


def session_json(session: Session) -> dict[str, Any]:
    return {
        "id": session.id,
        "started_at": session.started_at.isoformat(),
        "ended_at": session.ended_at.isoformat() if session.ended_at else None,
        "routine": session.routine_id,
        "status": session.status.value,
        "practice": session.practice,
        "speed": session.speed,
        "time_zone": session.time_zone,
        "settings": {
            "hold_s": session.settings.hold_s,
            "reps_per_side": session.settings.reps_per_side,
            "first_leg": session.settings.first_side.value,
            "rest_s": session.settings.rest_s,
        },
        "holds": [
            {
                "id": h.id,
                "number": h.hold_number,
                "side": h.side.value,
                "planned_s": h.planned_s,
                "held_s": h.held_s,
                "completed": h.completed,
                "ended_at": h.ended_at.isoformat(),
                "felt": h.felt.value if h.felt else None,
            }
            for h in session.holds
        ],
    }


def kept_report(keeper: SafeKeeper) -> list[tuple[str, str]]:
    """What is not in the database yet, and where it is, in plain words."""
    from stretchcoach.services.safekeeping import describe

    lines: list[tuple[str, str]] = []
    if keeper.waiting:
        lines.append(
            (
                f"The database is not answering ({keeper.store_problem}). "
                f"Waiting, and safe on this computer: {describe(keeper.waiting, numbers=True)}, in "
                f"{keeper.journal.location}. They are saved the next time the database "
                "answers (any stretchcoach command).",
                "bold yellow",
            )
        )
    if keeper.set_aside:
        from stretchcoach.services.safekeeping import SetAside, Waiting
        from stretchcoach.services.set_aside import describe_aside

        refused = [SetAside(Waiting("", entry), why) for entry, why in keeper.set_aside]
        lines.append(
            (
                f"Refused by the database and set aside on this computer: "
                f"{describe_aside(refused)}, in {keeper.journal.aside_location}. "
                f"`stretchcoach doctor` says how to bring {'it' if len(refused) == 1 else 'them'}"
                " back.",
                "bold yellow",
            )
        )
    if keeper.in_memory:
        lines.append(
            (
                f"Not saved: {describe(keeper.in_memory, numbers=True)}. Neither the database "
                f"nor this computer's disk would take them ({keeper.journal_problem}).",
                "bold red",
            )
        )
    return lines
