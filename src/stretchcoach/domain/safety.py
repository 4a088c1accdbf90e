"""Safety rules: the warning-signs screen, when it is due, and the stop rules.

The screen asks eight questions, always in this order. A yes to any of the first four means
going to an emergency department now; a yes to any of the others means seeing a doctor soon,
before stretching again. The app never diagnoses: a yes is a reason to be seen, not a verdict.
Sources for every rule are in docs/sources.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from stretchcoach.domain.screening import ScreenResult
from stretchcoach.errors import InvalidInput

SCREEN_EVERY = timedelta(days=30)
PAIN_RISE_STOP = 2  # points on the 0-10 scale, after a session compared with before
SCREEN_VERSION = 1


class Care(StrEnum):
    """How soon to be seen, for a yes to a question."""

    EMERGENCY = "emergency"  # go to an emergency department now
    DOCTOR_SOON = "doctor-soon"  # see a doctor soon, before stretching again


@dataclass(frozen=True, slots=True)
class Question:
    code: str
    text: str  # asked of the person, in plain words
    care: Care
    clinical: str  # the same sign named for a clinician (the report)


QUESTIONS: tuple[Question, ...] = (
    Question(
        "saddle-numbness",
        "Is there numbness or pins and needles between your legs: around the genitals, "
        "the inner thighs or the back passage?",
        Care.EMERGENCY,
        "Saddle numbness or altered sensation",
    ),
    Question(
        "bladder-bowel",
        "Is peeing newly hard to start, stop or control, or can you no longer tell when "
        "your bladder or bowel is full?",
        Care.EMERGENCY,
        "New bladder or bowel disturbance",
    ),
    Question(
        "leg-weakness",
        "Are both legs weak or numb, or is a leg getting weaker (a foot that drops or "
        "drags as you walk)?",
        Care.EMERGENCY,
        "Bilateral or progressive leg weakness or numbness (foot drop)",
    ),
    Question(
        "both-legs",
        "Do you have sciatica in both legs at the same time?",
        Care.EMERGENCY,
        "Bilateral sciatica",
    ),
    Question(
        "unwell",
        "Do you have a fever or chills, or feel unwell in yourself?",
        Care.DOCTOR_SOON,
        "Fever, chills or systemic illness",
    ),
    Question(
        "cancer",
        "Have you ever had cancer?",
        Care.DOCTOR_SOON,
        "History of cancer",
    ),
    Question(
        "weight-loss",
        "Have you lost weight lately without meaning to?",
        Care.DOCTOR_SOON,
        "Unexplained weight loss",
    ),
    Question(
        "injury",
        "Have you recently had a fall, an accident or a knock to your back?",
        Care.DOCTOR_SOON,
        "Recent fall, accident or back trauma",
    ),
)

EMERGENCY_MESSAGE = (
    "Please go to an emergency department now (or call your local emergency number). "
    "These signs can mean a nerve needs help quickly. Do not stretch today."
)
DOCTOR_MESSAGE = (
    "Please see a doctor in the next few days, before you stretch again, "
    "and tell them what you answered yes to."
)
CLEAR_MESSAGE = "Thank you. None of the warning signs: you can stretch today."
EASE_OFF_MESSAGE = (
    "Ease off next time: shorter holds and a gentler lean, stopping at a mild pull. "
    "If it keeps happening, see a doctor or physiotherapist."
)
SCREEN_INTRO = "8 short questions, once a month. Answer about how things are now."
BLOCKED_NOTE = (
    "stretchcoach will not start a session until you answer the check again ({where}) "
    "after you have been seen."
)
# Where to answer the check, as the terminal says it; the web app passes its own.
ANSWER_IN_TERMINAL = "with 'stretchcoach screen'"
DISCLAIMER = (
    "stretchcoach coaches a stretch; it is not medical advice and cannot diagnose. "
    "Stop and see a clinician if pain spreads down the leg, gets worse, or you feel "
    "numbness, weakness or tingling that does not settle."
)


@dataclass(frozen=True, slots=True)
class ScreenOutcome:
    """What an answered screen means."""

    care: Care | None  # the most urgent care a yes calls for; None when all are no
    yes: tuple[Question, ...]

    @property
    def clear(self) -> bool:
        return self.care is None

    @property
    def message(self) -> str:
        if self.care is Care.EMERGENCY:
            return EMERGENCY_MESSAGE
        if self.care is Care.DOCTOR_SOON:
            return DOCTOR_MESSAGE
        return CLEAR_MESSAGE


def check_answers(answers: Sequence[bool]) -> tuple[bool, ...]:
    if len(answers) != len(QUESTIONS):
        raise InvalidInput(
            f"{len(answers)} answers given: the screen has {len(QUESTIONS)} questions, "
            "answer each one yes or no, in order"
        )
    return tuple(bool(a) for a in answers)


def evaluate(answers: Sequence[bool]) -> ScreenOutcome:
    """Which care the answers call for: emergency beats doctor-soon beats none."""
    checked = check_answers(answers)
    yes = tuple(q for q, a in zip(QUESTIONS, checked, strict=True) if a)
    care: Care | None = None
    if any(q.care is Care.EMERGENCY for q in yes):
        care = Care.EMERGENCY
    elif yes:
        care = Care.DOCTOR_SOON
    return ScreenOutcome(care, yes)


def parse_answers(text: str) -> tuple[bool, ...]:
    """`none` (no to all) or eight comma-separated yes/no (y/n) answers in question order."""
    cleaned = text.strip().lower()
    if cleaned == "none":
        return (False,) * len(QUESTIONS)
    values: list[bool] = []
    for raw in (part.strip() for part in cleaned.split(",")):
        if raw in ("yes", "y"):
            values.append(True)
        elif raw in ("no", "n"):
            values.append(False)
        else:
            raise InvalidInput(
                f"answer {raw!r} is not yes or no: give {len(QUESTIONS)} answers like "
                "no,no,yes,... in question order, or 'none' for no to every question"
            )
    return check_answers(values)


class ScreenStatus(StrEnum):
    CLEAR = "clear"  # answered lately, all no
    MISSING = "missing"  # never answered
    OVERDUE = "overdue"  # the last answers are more than 30 days old
    POSITIVE = "positive"  # the latest answers had a yes


def screen_status(latest: ScreenResult | None, *, now: datetime) -> ScreenStatus:
    """Where the screen stands. A yes stays in force until the screen is answered again."""
    if latest is None:
        return ScreenStatus.MISSING
    if any(latest.answers):
        return ScreenStatus.POSITIVE
    if now - latest.answered_at > SCREEN_EVERY:
        return ScreenStatus.OVERDUE
    return ScreenStatus.CLEAR


def pain_rose(before: int | None, after: int | None) -> bool:
    """The stop rule: pain after a session 2 or more points above pain before it."""
    return before is not None and after is not None and after - before >= PAIN_RISE_STOP


# -- flags: what the safety check tells the person ---------------------------------------


class Severity(StrEnum):
    """How urgent a flag is, most urgent first."""

    URGENT = "urgent"  # emergency care now
    SEE_DOCTOR = "see-doctor"  # be seen soon, before stretching again
    EASE_OFF = "ease-off"  # a stop rule: gentler next time
    INFO = "info"  # a reminder

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    severity: Severity
    message: str


def by_severity(flags: Sequence[Flag]) -> list[Flag]:
    return sorted(flags, key=lambda f: f.severity.rank)
