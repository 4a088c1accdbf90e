"""What a person reports, kept at once and acted on at its level: the morning check-in's three
questions, the same questions in the pain journal, and warning signs written in a note.

Every report is kept as a check that asked only what was reported (`reported=True`), so the
clinical core reads it like any other answer: a yes no one has settled stands at its own
level of care (emergency now, today, within days), on every surface, until the person has
been seen. Nothing here decides what a yes means; the core does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from stretchcoach.domain.checkin import Symptoms
from stretchcoach.domain.journal import PainEntry, PainSite
from stretchcoach.domain.safety import (
    SCREEN_VERSION,
    Care,
    Question,
    ScreenOutcome,
    by_code,
    check_answers,
    evaluate,
)
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import new_id
from stretchcoach.domain.symptoms import Symptom, recognise
from stretchcoach.services.safety import answer_screen
from stretchcoach.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Reported:
    """What one report said, once kept: the warning signs it named yes to, their most urgent
    care (None when none), and the words of a note that named them."""

    check: ScreenResult | None
    outcome: ScreenOutcome | None
    heard: tuple[Symptom, ...] = ()

    @property
    def care(self) -> Care | None:
        return None if self.outcome is None else self.outcome.care

    @property
    def yes(self) -> tuple[Question, ...]:
        return () if self.outcome is None else self.outcome.yes


NOTHING = Reported(None, None)


def keep_answers(
    found: Mapping[str, bool], *, user_id: str, uow: UnitOfWork, now: datetime
) -> Reported:
    """Keep answers given by question code as a reported check; nothing when the current
    check asks none of them."""
    answers = by_code(found)
    if all(a is None for a in answers):
        return NOTHING
    check, _ = answer_screen(answers, user_id=user_id, uow=uow, now=now, reported=True)
    return Reported(check, evaluate(check.answers, version=check.version))


def note_check(entry: PainEntry) -> ScreenResult | None:
    """The warning signs a rating's note names, as a reported check of yes answers, to keep
    with the rating in the same transaction; None when the note names none."""
    heard = recognise(entry.note) if entry.note else ()
    answers = by_code({s.code: True for s in heard})
    if all(a is None for a in answers):
        return None
    return ScreenResult(
        id=new_id(),
        user_id=entry.user_id,
        answered_at=entry.recorded_at,
        answers=check_answers(answers, reported=True),
        version=SCREEN_VERSION,
        stored_at=entry.recorded_at,
    )


def report_symptoms(
    symptoms: Symptoms,
    sites: frozenset[PainSite] = frozenset(),
    *,
    user_id: str,
    uow: UnitOfWork,
    now: datetime,
) -> Reported:
    """Keep the answers to the three questions (the check-in's, or the journal's)."""
    if not symptoms.asked:
        return NOTHING
    return keep_answers(symptoms.answers(sites), user_id=user_id, uow=uow, now=now)


def heard_words(heard: Sequence[Symptom]) -> str:
    """'bladder, numbness between the legs': what a note was read as, for the person."""
    return ", ".join(dict.fromkeys(s.words for s in heard))
