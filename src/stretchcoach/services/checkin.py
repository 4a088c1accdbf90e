"""What a person reports, kept at once and acted on at its level: the morning check-in's three
questions, the same questions in the pain journal, and warning signs written in a note.

Every report is kept as a check that asked only what was reported (`reported=True`,
`domain.checkin.reported_check`), so the clinical core reads it like any other answer: a yes
no one has settled stands at its own level of care (emergency now, today, within days), on
every surface, until the person has been seen. Nothing here decides what a yes means; the
core does. A rating's note and its three answers are kept in the rating's own transaction
(`services.pain`), so neither is ever kept without the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stretchcoach.domain.checkin import Symptoms, reported_check
from stretchcoach.domain.journal import PainEntry, PainSite
from stretchcoach.domain.safety import Care, ScreenOutcome, evaluate
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import new_id
from stretchcoach.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Reported:
    """What one report said, once kept: the most urgent care its yes answers call for."""

    outcome: ScreenOutcome | None

    @property
    def care(self) -> Care | None:
        return None if self.outcome is None else self.outcome.care


NOTHING = Reported(None)


def report_symptoms(
    symptoms: Symptoms,
    sites: frozenset[PainSite] = frozenset(),
    *,
    user_id: str,
    uow: UnitOfWork,
    now: datetime,
) -> Reported:
    """Keep the answers to the three questions on their own (the morning check-in's)."""
    check = reported_check(symptoms.answers(sites), check_id=new_id(), user_id=user_id, at=now)
    if check is None:
        return NOTHING
    with uow:
        uow.screens.add(check)
        uow.commit()
    return Reported(evaluate(check.answers, version=check.version))


# Said before the warning a note raised, so the person knows why they are told of a yes they
# never ticked (the terminal's `log` and the web's journal alike).
NOTE_STANDS_AS_YES = "Your note reads as a warning sign, so it stands as a yes:"


def note_signs(note: str) -> dict[str, bool]:
    """The warning signs a note names, each a yes by its question code ({} for none)."""
    if not note:
        return {}
    from stretchcoach.domain.symptoms import recognise  # only a note pays for the reader

    return {sign.code: True for sign in recognise(note)}


def rating_check(entry: PainEntry, symptoms: Symptoms) -> ScreenResult | None:
    """What a rating reports beside its score, as one check to keep in the rating's own
    transaction: the three questions' answers, and a yes for each sign its note names (a
    note's yes stands over a tapped no)."""
    found = symptoms.answers(entry.sites) | note_signs(entry.note)
    return reported_check(found, check_id=new_id(), user_id=entry.user_id, at=entry.recorded_at)
