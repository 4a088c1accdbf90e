"""The warning-signs check: its questions, how urgent each yes is, and the words for each level.

A yes is a reason to be seen, never a diagnosis. Each question carries the care it calls for,
at one of four levels (docs/sources.md gives the source of each):

- EMERGENCY: go to an emergency department or call the emergency number now (cauda equina
  signs, new symptoms in both legs);
- SAME_DAY: an urgent appointment today (fever or feeling unwell with back pain, a leg getting
  weaker, a serious fall or accident, new unsteadiness or clumsy hands);
- WITHIN_DAYS: a GP appointment within the next few days (cancer history, weight loss, thin
  bones or long-term steroids, a weakened immune system, a recent infection or spinal
  procedure, new pain under 20 or at 50 and over, night pain that rest does not ease, pain in
  the upper back). Alone each weighs little (Finucane 2020), so none is an emergency;
- ROUTINE: a routine appointment (new numbness or pins and needles in one leg, pain not
  easing after several weeks); the stretch goes on.

Checks are versioned: answers are kept in the order of the version they were asked in, so an
old check is read with the questions it asked. A check may ask only some questions (the
emergency questions asked again when something changes); the others are `None`.
How checks, acknowledgements and pain entries decide the gate is `domain/screening.py`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from stretchcoach.errors import InvalidInput

SCREEN_EVERY = timedelta(days=30)
PAIN_RISE_STOP = 2  # points on the 0-10 scale, after a session compared with before
SCREEN_VERSION = 3


class Care(StrEnum):
    """How soon to be seen, most urgent first."""

    EMERGENCY = "emergency"
    SAME_DAY = "same-day"
    WITHIN_DAYS = "within-days"
    ROUTINE = "routine"

    @property
    def rank(self) -> int:
        return list(Care).index(self)

    @property
    def blocks(self) -> bool:
        """Whether a yes at this level stops the stretch until the person has been seen."""
        return self is not Care.ROUTINE


@dataclass(frozen=True, slots=True)
class Question:
    code: str
    text: str  # asked of the person, in plain words
    care: Care
    clinical: str  # the same sign named for a clinician (the report, the dashboard)


QUESTIONS: tuple[Question, ...] = (
    Question(
        "saddle-numbness",
        "Is there numbness or pins and needles between your legs: around the genitals, "
        "the inner thighs or the back passage?",
        Care.EMERGENCY,
        "Saddle anaesthesia or altered perineal sensation",
    ),
    Question(
        "bladder",
        "Is peeing newly hard to start, stop or hold, or can you no longer feel when your "
        "bladder is full?",
        Care.EMERGENCY,
        "New urinary retention, hesitancy or incontinence",
    ),
    Question(
        "bowel",
        "Have you had an accident with your bowels, or stopped feeling when you need to go?",
        Care.EMERGENCY,
        "Faecal incontinence or loss of rectal sensation",
    ),
    Question(
        "sexual",
        "Have you noticed new numbness of the genitals, or a new problem with sex "
        "(feeling, erection or ejaculation)?",
        Care.EMERGENCY,
        "New sexual dysfunction",
    ),
    Question(
        "both-legs",
        "Has pain, numbness or weakness come on in both legs, or are both legs weak?",
        Care.EMERGENCY,
        "New bilateral sciatica, or bilateral leg weakness or numbness",
    ),
    Question(
        "leg-weaker",
        "Is a leg or foot getting weaker, for example a foot that slaps down or catches "
        "as you walk?",
        Care.SAME_DAY,
        "Progressive unilateral motor deficit (e.g. foot drop)",
    ),
    Question(
        "leg-numbness",
        "Has numbness or pins and needles come on in one leg or foot?",
        Care.ROUTINE,
        "New unilateral numbness or paraesthesia in the leg or foot",
    ),
    Question(
        "unwell",
        "Do you have a fever or chills, or feel unwell in yourself?",
        Care.SAME_DAY,
        "Fever, rigors or systemic illness (possible spinal infection)",
    ),
    Question(
        "injury",
        "Did this start after a serious fall, a road accident or a hard blow to the back?",
        Care.SAME_DAY,
        "Significant trauma (possible fracture)",
    ),
    Question(
        "walking",
        "Have you become unsteady on your feet, or clumsy with your hands (buttons, writing)?",
        Care.SAME_DAY,
        "Gait disturbance or loss of hand dexterity (possible cord compression)",
    ),
    Question(
        "cancer",
        "Have you ever had cancer?",
        Care.WITHIN_DAYS,
        "History of cancer",
    ),
    Question(
        "weight-loss",
        "Have you lost weight lately without meaning to?",
        Care.WITHIN_DAYS,
        "Unexplained weight loss",
    ),
    Question(
        "bones-steroids",
        "Have you been told your bones are thin (osteoporosis), or have you taken steroid "
        "tablets for more than three months?",
        Care.WITHIN_DAYS,
        "Osteoporosis or long-term oral corticosteroids (fracture risk)",
    ),
    Question(
        "immune",
        "Is your immune system weakened (by an illness, chemotherapy or medicines), or have "
        "you ever injected drugs?",
        Care.WITHIN_DAYS,
        "Immunosuppression, chemotherapy or intravenous drug use (infection risk)",
    ),
    Question(
        "infection",
        "Have you had an infection in the last few weeks, for example a urine or chest infection?",
        Care.WITHIN_DAYS,
        "Recent bacterial infection, e.g. urinary or respiratory (spinal infection risk)",
    ),
    Question(
        "spine-procedure",
        "In the last few months, have you had an operation, an injection or another "
        "procedure on your back or spine?",
        Care.WITHIN_DAYS,
        "Recent spinal surgery, injection or other procedure (infection risk)",
    ),
    Question(
        "new-pain-age",
        "Has this back pain or sciatica come on recently (a first time, or back after a "
        "time without it), and are you under 20, or 50 or over?",
        Care.WITHIN_DAYS,
        "New onset of back pain or sciatica, aged under 20 or 50 and over",
    ),
    Question(
        "night-pain",
        "Do you have pain at night that does not ease when you rest or change position?",
        Care.WITHIN_DAYS,
        "Night pain not relieved by rest or change of position (non-mechanical)",
    ),
    Question(
        "upper-back",
        "Do you have pain in the upper or middle back, around or below the shoulder blades?",
        Care.WITHIN_DAYS,
        "Thoracic pain",
    ),
    Question(
        "not-easing",
        "Has this pain gone on for more than six weeks without easing, or stopped you "
        "doing your usual things?",
        Care.ROUTINE,
        "Symptoms not improving after six weeks of self-care",
    ),
)

# The second version asked seventeen questions; its checks are read with them. They are
# version 3's own, in this order, but for two worded as version 2 asked them, and without the
# four version 3 added (new pain at 50 and over, an infection, a spinal procedure, numbness in
# one leg).
_ASKED = {q.code: q for q in QUESTIONS}
_FIRST_EPISODE_AGE_V2 = Question(
    "first-episode-age",
    "Is this your first ever back pain or sciatica, and are you under 20 or over 55?",
    Care.WITHIN_DAYS,
    "First episode under 20 or over 55",
)
_NIGHT_PAIN_V2 = Question(
    "night-pain",
    "Is the pain there all the time, worse at night, and not eased by resting or "
    "changing position?",
    Care.WITHIN_DAYS,
    "Constant, non-mechanical or night pain",
)
QUESTIONS_V2: tuple[Question, ...] = tuple(
    _ASKED[code] if isinstance(code, str) else code
    for code in (
        "saddle-numbness",
        "bladder",
        "bowel",
        "sexual",
        "both-legs",
        "leg-weaker",
        "unwell",
        "injury",
        "walking",
        "cancer",
        "weight-loss",
        "bones-steroids",
        "immune",
        _FIRST_EPISODE_AGE_V2,
        _NIGHT_PAIN_V2,
        "upper-back",
        "not-easing",
    )
)

# The first version asked eight questions; its checks are read with them.
QUESTIONS_V1: tuple[Question, ...] = (
    Question("saddle-numbness", QUESTIONS_V2[0].text, Care.EMERGENCY, QUESTIONS_V2[0].clinical),
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
    Question("unwell", QUESTIONS_V2[6].text, Care.SAME_DAY, QUESTIONS_V2[6].clinical),
    Question("cancer", QUESTIONS_V2[9].text, Care.WITHIN_DAYS, QUESTIONS_V2[9].clinical),
    Question("weight-loss", QUESTIONS_V2[10].text, Care.WITHIN_DAYS, QUESTIONS_V2[10].clinical),
    Question(
        "injury",
        "Have you recently had a fall, an accident or a knock to your back?",
        Care.SAME_DAY,
        "Recent fall, accident or back trauma",
    ),
)

# Codes other rules name: the signs a morning check-in and a note report (domain/checkin.py,
# domain/symptoms), and the one new pain in the second leg answers (domain/clinical).
BOTH_LEGS = "both-legs"
LEG_NUMBNESS = "leg-numbness"
LEG_WEAKER = "leg-weaker"
SADDLE_NUMBNESS = "saddle-numbness"

_BY_VERSION = {1: QUESTIONS_V1, 2: QUESTIONS_V2, SCREEN_VERSION: QUESTIONS}
# Every code any version asked (what an acknowledgement may name).
ALL_CODES = frozenset(q.code for asked in _BY_VERSION.values() for q in asked)
EMERGENCY_CODES = tuple(q.code for q in QUESTIONS if q.care is Care.EMERGENCY)
# The emergency signs in a few words each, one for each emergency question: the list a person
# reads at a glance (the first visit, Learn, the terminal's first run). A question without
# words here stops the import.
_SIGN_WORDS = {
    "saddle-numbness": "numbness or tingling between the legs or around the back passage",
    "bladder": "new trouble starting, stopping or holding a wee, or not feeling when the "
    "bladder is full",
    "bowel": "an accident with your bowels, or not feeling when you need to go",
    "sexual": "new numbness of the genitals or a new problem with sex",
    "both-legs": "pain, numbness or weakness in both legs",
}
EMERGENCY_SIGNS = tuple(_SIGN_WORDS[code] for code in EMERGENCY_CODES)

# What each level asks the person to do: plain words, one action each.
CARE_MESSAGES = {
    Care.EMERGENCY: (
        "Go to an emergency department now, or call 999 (112 or 911 where you are). "
        "These signs can mean a nerve needs help within hours. Do not stretch."
    ),
    Care.SAME_DAY: (
        "Get seen today: call your GP surgery for an urgent appointment, or NHS 111 if it "
        "is closed. Do not stretch until you have been seen."
    ),
    Care.WITHIN_DAYS: (
        "Book a GP appointment within the next few days and tell them what you answered "
        "yes to. Please do not stretch until they have said it is fine."
    ),
    Care.ROUTINE: (
        "Book a routine appointment with your GP or physiotherapist to review this pain. "
        "You can keep stretching gently in the meantime."
    ),
}
CARE_ACTIONS = {  # the same, in a few words (the dashboard, the gate's one line)
    Care.EMERGENCY: "go to an emergency department now",
    Care.SAME_DAY: "get seen today (urgent GP appointment or 111)",
    Care.WITHIN_DAYS: "see a GP within the next few days",
    Care.ROUTINE: "book a routine GP or physiotherapy review",
}
CLEAR_MESSAGE = "Thank you. None of the warning signs: you can stretch today."
SCREEN_INTRO = (
    f"{len(QUESTIONS)} short yes/no questions, once a month. Answer about how things are now."
)
SCREEN_ABOUT = (  # the settings page's one line about the check
    f"{len(QUESTIONS)} yes-or-no questions about signs that need a doctor first. "
    f"Due every {SCREEN_EVERY.days} days."
)
RECHECK_INTRO = (
    f"Something you logged has changed, so {len(EMERGENCY_CODES)} urgent questions "
    "again before you stretch."
)
# Where to answer the check, as the terminal says it; the web app passes its own.
ANSWER_IN_TERMINAL = "with 'stretchcoach screen'"
ANSWER_SCRIPTED = (
    "with 'stretchcoach screen' in a terminal, or in a script with 'stretchcoach screen "
    "--answers' and one yes or no for each question, in order (read the questions with "
    "'stretchcoach screen --questions')"
)
ACKNOWLEDGE_IN_TERMINAL = "with 'stretchcoach screen --seen DATE'"


def questions_for(version: int) -> tuple[Question, ...]:
    try:
        return _BY_VERSION[version]
    except KeyError:
        known = ", ".join(str(v) for v in sorted(_BY_VERSION))
        raise InvalidInput(f"check version {version!r} is unknown: use {known}") from None


@dataclass(frozen=True, slots=True)
class ScreenOutcome:
    """What one answered check means on its own."""

    care: Care | None  # the most urgent care a yes calls for; None when all are no
    yes: tuple[Question, ...]

    @property
    def clear(self) -> bool:
        return self.care is None

    @property
    def message(self) -> str:
        return CLEAR_MESSAGE if self.care is None else CARE_MESSAGES[self.care]


def check_answers(
    answers: Sequence[bool | None],
    *,
    version: int = SCREEN_VERSION,
    partial: bool = False,
    reported: bool = False,
) -> tuple[bool | None, ...]:
    """The answers, checked: one per question of `version`; `None` only in a partial check.

    `partial`: the emergency questions asked again (never skipped). `reported`: answers the
    person gave outside the check (the morning check-in, the journal, a note the app read),
    any of the questions."""
    asked = questions_for(version)
    if len(answers) != len(asked):
        raise InvalidInput(
            f"{len(answers)} answers given: the check has {len(asked)} questions, "
            "answer each one yes or no, in order"
        )
    for number, (q, answer) in enumerate(zip(asked, answers, strict=True), start=1):
        if answer is None and (reported or (partial and q.care is not Care.EMERGENCY)):
            continue
        if answer is None and partial:
            raise InvalidInput(
                f"question {number} ({q.code}) is not answered: the emergency questions are "
                "never skipped"
            )
        if not isinstance(answer, bool):
            raise InvalidInput(f"answer {number} is {answer!r}: answer each question yes or no")
    if all(a is None for a in answers):
        raise InvalidInput("no question was answered: answer at least one yes or no")
    return tuple(answers)


def evaluate(answers: Sequence[bool | None], *, version: int = SCREEN_VERSION) -> ScreenOutcome:
    """Which care the answers call for: the most urgent level among the yes answers (of any
    check: whole, the emergency questions again, or answers the person reported)."""
    asked = questions_for(version)
    checked = check_answers(answers, version=version, reported=True)
    yes = tuple(q for q, a in zip(asked, checked, strict=True) if a is True)
    care = min((q.care for q in yes), key=lambda c: c.rank, default=None)
    return ScreenOutcome(care, yes)


def by_code(found: Mapping[str, bool], *, version: int = SCREEN_VERSION) -> tuple[bool | None, ...]:
    """Answers given by question code, in the order of `version`; a code the version does not
    ask is left out, a question not given is `None`."""
    return tuple(found.get(q.code) for q in questions_for(version))


def emergency_only(answers: dict[str, bool]) -> tuple[bool | None, ...]:
    """A partial check: the emergency questions answered, the rest not asked."""
    return tuple(answers.get(q.code) if q.code in EMERGENCY_CODES else None for q in QUESTIONS)


def parse_answers(text: str, *, count: int = len(QUESTIONS)) -> tuple[bool, ...]:
    """`count` comma-separated yes/no (y/n) answers in question order.

    `none` (no to all) is still read, for scripts written before; no message offers it."""
    cleaned = text.strip().lower()
    if cleaned == "none":
        return (False,) * count
    values: list[bool] = []
    for raw in (part.strip() for part in cleaned.split(",")):
        if raw in ("yes", "y"):
            values.append(True)
        elif raw in ("no", "n"):
            values.append(False)
        else:
            raise InvalidInput(
                f"answer {raw!r} is not yes or no: give {count} answers like "
                "no,no,yes,... in question order"
            )
    if len(values) != count:
        raise InvalidInput(
            f"{len(values)} answers given: the check has {count} questions, "
            "answer each one yes or no, in order"
        )
    return tuple(values)


def pain_rose(before: int | None, after: int | None) -> bool:
    """The stop rule: pain after a session 2 or more points above pain before it."""
    return before is not None and after is not None and after - before >= PAIN_RISE_STOP


# -- flags: what the clinical core tells the person and their clinician -------------------


class Severity(StrEnum):
    """How urgent a flag is, most urgent first."""

    URGENT = "urgent"  # emergency care now
    SEE_DOCTOR = "see-doctor"  # be seen (today, or within days) before stretching again
    STOP = "stop"  # stop this stretch for now and see a GP or physiotherapist
    EASE_OFF = "ease-off"  # a stop rule: gentler next time
    INFO = "info"  # a reminder

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    severity: Severity
    message: str  # to the person
    clinical: str = ""  # to their clinician (report, dashboard); the message if empty

    @property
    def for_clinician(self) -> str:
        return self.clinical or self.message


def by_severity(flags: Sequence[Flag]) -> list[Flag]:
    return sorted(flags, key=lambda f: f.severity.rank)


def read_first(flags: Sequence[Flag]) -> bool:
    """Whether the flags go above everything else (the streak, any praise): one stops the
    stretch or sends the person to be seen."""
    return any(f.severity.rank <= Severity.STOP.rank for f in flags)
