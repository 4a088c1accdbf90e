"""Use cases around safety: answer the warning-signs screen, may a session start, what to flag.

`safety_flags` gathers everything the person should be told, most urgent first: a yes on the
latest screen, a screen missing or overdue, the stop rules (pain up 2 points or more after the
last session, pain spreading down a leg), and the nerve answered again and again after holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.domain.centralisation import Direction, directions
from stretchcoach.domain.dosing import nerve_repeated
from stretchcoach.domain.journal import PainContext, PainEntry
from stretchcoach.domain.safety import (
    ANSWER_IN_TERMINAL,
    EASE_OFF_MESSAGE,
    SCREEN_VERSION,
    Care,
    Flag,
    ScreenOutcome,
    ScreenStatus,
    Severity,
    by_severity,
    check_answers,
    evaluate,
    pain_rose,
    screen_status,
)
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import Session, new_id
from stretchcoach.errors import SafetyBlock, ScreenDue
from stretchcoach.services.dosing import recent_felts
from stretchcoach.services.uow import UnitOfWork

__all__ = [
    "Flag",
    "ScreenState",
    "Severity",
    "answer_screen",
    "check_can_start",
    "current_screen",
    "require_screen",
    "safety_flags",
    "screen_state",
]

CENTRALISATION_DAYS = 14


def answer_screen(
    answers: tuple[bool, ...], *, user_id: str, uow: UnitOfWork, now: datetime
) -> tuple[ScreenResult, ScreenOutcome]:
    """Keep one answered screen, dated, and say what it means."""
    outcome = evaluate(check_answers(answers))
    screen = ScreenResult(
        id=new_id(), user_id=user_id, answered_at=now, answers=answers, version=SCREEN_VERSION
    )
    with uow:
        uow.screens.add(screen)
        uow.commit()
    return screen, outcome


def current_screen(user_id: str, *, uow: UnitOfWork, now: datetime) -> ScreenStatus:
    with uow:
        latest = uow.screens.latest(user_id)
    return screen_status(latest, now=now)


@dataclass(frozen=True, slots=True)
class ScreenState:
    """Where one person's screen stands: its status, the latest answers and what they meant."""

    status: ScreenStatus
    latest: ScreenResult | None
    outcome: ScreenOutcome | None

    @property
    def due(self) -> bool:
        return self.status in (ScreenStatus.MISSING, ScreenStatus.OVERDUE)


def screen_state(user_id: str, *, uow: UnitOfWork, now: datetime) -> ScreenState:
    with uow:
        latest = uow.screens.latest(user_id)
    outcome = evaluate(latest.answers) if latest is not None else None
    return ScreenState(screen_status(latest, now=now), latest, outcome)


def check_can_start(
    user_id: str, *, uow: UnitOfWork, now: datetime, answer_where: str = ANSWER_IN_TERMINAL
) -> ScreenStatus:
    """Raise SafetyBlock while the latest screen has a yes; otherwise say where it stands.

    `answer_where` says where to answer the check again, as the calling interface words it.
    """
    with uow:
        latest = uow.screens.latest(user_id)
    status = screen_status(latest, now=now)
    if status is ScreenStatus.POSITIVE and latest is not None:
        outcome = evaluate(latest.answers)
        when = (
            "go to an emergency department now"
            if outcome.care is Care.EMERGENCY
            else ("see a doctor before stretching again")
        )
        raise SafetyBlock(
            f"your last warning-signs check had a yes, so please {when}; once you have been "
            f"seen, answer it again {answer_where}"
        )
    return status


def require_screen(
    user_id: str, *, uow: UnitOfWork, now: datetime, answer_where: str = ANSWER_IN_TERMINAL
) -> None:
    """Raise SafetyBlock for a yes, ScreenDue when the check is missing or over 30 days old."""
    status = check_can_start(user_id, uow=uow, now=now, answer_where=answer_where)
    if status is ScreenStatus.MISSING:
        raise ScreenDue(
            "the warning-signs check comes before the first session: please answer it "
            f"{answer_where}"
        )
    if status is ScreenStatus.OVERDUE:
        raise ScreenDue(
            f"your warning-signs check is over 30 days old: please answer it again {answer_where}"
        )


def safety_flags(
    user_id: str,
    *,
    uow: UnitOfWork,
    now: datetime,
    zone: ZoneInfo,
    answer_where: str = ANSWER_IN_TERMINAL,
) -> list[Flag]:
    """Everything to tell the person about their safety now, most urgent first."""
    since = now - timedelta(days=CENTRALISATION_DAYS + 1)
    with uow:
        latest_screen = uow.screens.latest(user_id)
        sessions = uow.sessions.list_recent(user_id, limit=10)
        entries = uow.journal.entries(user_id, since=since)
    flags = _screen_flags(latest_screen, now=now, answer_where=answer_where)
    last = next((s for s in sessions if s.status.is_final), None)
    if last is not None and _pain_rose_after(last, entries):
        flags.append(
            Flag(
                "pain-rose",
                Severity.EASE_OFF,
                "Your pain was 2 or more points higher after the last session than before. "
                + EASE_OFF_MESSAGE,
            )
        )
    today = now.astimezone(zone).date()
    for side, moved in directions(entries, today=today, zone=zone).items():
        if moved is Direction.PERIPHERALISING:
            flags.append(
                Flag(
                    f"peripheralising-{side.value}",
                    Severity.EASE_OFF,
                    f"The pain has been reaching further down your {side.value} leg. "
                    + EASE_OFF_MESSAGE,
                )
            )
    if nerve_repeated(recent_felts(sessions)):
        flags.append(
            Flag(
                "nerve-repeated",
                Severity.EASE_OFF,
                "Tingling or shooting below the knee came back in several recent sessions: "
                "lean less and hold shorter, and if it goes on, see a doctor or physiotherapist.",
            )
        )
    return by_severity(flags)


def _screen_flags(latest: ScreenResult | None, *, now: datetime, answer_where: str) -> list[Flag]:
    status = screen_status(latest, now=now)
    if status is ScreenStatus.MISSING:
        return [
            Flag(
                "screen-missing",
                Severity.INFO,
                f"You have not answered the warning-signs check yet: answer it {answer_where}.",
            )
        ]
    if status is ScreenStatus.OVERDUE:
        return [
            Flag(
                "screen-overdue",
                Severity.INFO,
                f"Your warning-signs check is over 30 days old: answer it again {answer_where}.",
            )
        ]
    if status is ScreenStatus.POSITIVE and latest is not None:
        outcome = evaluate(latest.answers)
        if outcome.care is Care.EMERGENCY:
            return [Flag("red-flag-urgent", Severity.URGENT, outcome.message)]
        return [Flag("red-flag-see-doctor", Severity.SEE_DOCTOR, outcome.message)]
    return []


def _pain_rose_after(session: Session, entries: list[PainEntry]) -> bool:
    mine = [e for e in entries if e.session_id == session.id]
    before = [e.score for e in mine if e.context is PainContext.BEFORE]
    after = [e.score for e in mine if e.context is PainContext.AFTER]
    return pain_rose(before[-1] if before else None, after[-1] if after else None)
