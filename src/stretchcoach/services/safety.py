"""Use cases around safety: answer the warning-signs check, record "I have been seen", and the
gate every interface applies before a session.

What stands (a yes no one has settled, a stop rule, a check that is due) is decided by the
clinical core from the whole history (domain/clinical/, domain/screening.py); this module
stores answers and acknowledgements and words the gate's refusal for the interface asking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from stretchcoach.domain.clinical import Gate, GateStatus, Verdict
from stretchcoach.domain.routine import Routine
from stretchcoach.domain.safety import (
    ACKNOWLEDGE_IN_TERMINAL,
    ANSWER_IN_TERMINAL,
    SCREEN_VERSION,
    Flag,
    ScreenOutcome,
    Severity,
    check_answers,
    evaluate,
)
from stretchcoach.domain.screening import Acknowledgement, ScreenResult, check_visit, latest
from stretchcoach.domain.session import new_id
from stretchcoach.domain.text import clean_text
from stretchcoach.errors import InvalidInput, SafetyBlock, ScreenDue
from stretchcoach.services.clinical import verdict
from stretchcoach.services.uow import ReadUnitOfWork, UnitOfWork

__all__ = [
    "Flag",
    "ScreenState",
    "Severity",
    "acknowledge",
    "answer_screen",
    "refusal",
    "require_screen",
    "screen_state",
]

ACK_NOTE_MAX = 300


def answer_screen(
    answers: tuple[bool | None, ...],
    *,
    user_id: str,
    uow: UnitOfWork,
    now: datetime,
    partial: bool = False,
    reported: bool = False,
) -> tuple[ScreenResult, ScreenOutcome]:
    """Keep one answered check, stamped with the store's time, and say what it means alone.

    `partial`: only some questions were asked (the emergency questions again); `reported`:
    answers the person gave outside the check (services/checkin.py)."""
    checked = check_answers(answers, version=SCREEN_VERSION, partial=partial, reported=reported)
    outcome = evaluate(checked)
    screen = ScreenResult(
        id=new_id(),
        user_id=user_id,
        answered_at=now,
        answers=checked,
        version=SCREEN_VERSION,
        stored_at=now,
    )
    with uow:
        uow.screens.add(screen)
        uow.commit()
    return screen, outcome


def acknowledge(
    user_id: str,
    routine: Routine,
    *,
    seen_on: date,
    by_user_id: str,
    by_name: str,
    note: str = "",
    uow: UnitOfWork,
    now: datetime,
    zone: ZoneInfo,
) -> Acknowledgement:
    """Record that the person was seen about everything standing now, and may exercise.

    Every surface records a visit here (the terminal, the web page and API, the clinician's
    page and API). The visit must come on or after the first yes of each open episode and the
    start of each stop rule it settles (domain/screening.check_visit): InvalidInput otherwise,
    in one line, and nothing is written. `by_user_id` is the person themselves, or the
    clinician who saw them."""
    today = now.astimezone(zone).date()
    check_visit(seen_on, today=today)
    note = clean_text(note, field="note", max_length=ACK_NOTE_MAX)
    current = verdict(user_id, routine, uow=uow, now=now, zone=zone)
    check_visit(seen_on, today=today, began=current.gate.began)
    codes = current.to_acknowledge
    if not codes:
        raise InvalidInput(
            "there is nothing to acknowledge: no warning sign or stop rule stands", field="seen_on"
        )
    ack = Acknowledgement(
        id=new_id(),
        user_id=user_id,
        codes=codes,
        seen_on=seen_on,
        by_user_id=by_user_id,
        by_name=by_name,
        note=note,
        stored_at=now,
    )
    with uow:
        uow.screens.add_acknowledgement(ack)
        uow.commit()
    return ack


@dataclass(frozen=True, slots=True)
class ScreenState:
    """Where one person's check stands: the gate, the latest answers and what they meant."""

    gate: Gate
    latest: ScreenResult | None
    outcome: ScreenOutcome | None

    @property
    def status(self) -> GateStatus:
        return self.gate.status

    @property
    def due(self) -> bool:
        return self.gate.due


def screen_state(current: Verdict, checks: list[ScreenResult]) -> ScreenState:
    newest = latest(checks)
    outcome = evaluate(newest.answers, version=newest.version) if newest else None
    return ScreenState(current.gate, newest, outcome)


def current_screen(current: Verdict, user_id: str, *, uow: ReadUnitOfWork) -> ScreenState:
    """The person's gate now with their newest check and what it meant (the pages' header)."""
    with uow:
        checks = uow.screens.history(user_id)
    return screen_state(current, checks)


def refusal(
    gate: Gate,
    *,
    answer_where: str = ANSWER_IN_TERMINAL,
    seen_where: str = ACKNOWLEDGE_IN_TERMINAL,
) -> SafetyBlock | None:
    """The error that refuses a session under this gate, worded for the interface; None if
    clear. `answer_where`: where to answer the check; `seen_where`: where to record a visit."""
    if gate.status is GateStatus.CLEAR:
        return None
    if gate.status is GateStatus.BLOCKED:
        return SafetyBlock(f"{gate.message}; once you have been seen, record it {seen_where}")
    if gate.status is GateStatus.RECHECK:
        return ScreenDue(f"{gate.message}: please answer them {answer_where}")
    return ScreenDue(f"{gate.message}: please answer it {answer_where}")


def require_screen(
    current: Verdict,
    *,
    answer_where: str = ANSWER_IN_TERMINAL,
    seen_where: str = ACKNOWLEDGE_IN_TERMINAL,
) -> None:
    """Raise SafetyBlock (a yes, a stop rule) or ScreenDue (missing, old, changed) unless clear."""
    error = refusal(current.gate, answer_where=answer_where, seen_where=seen_where)
    if error is not None:
        raise error
