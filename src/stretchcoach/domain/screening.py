"""The warning-signs history: every answered check and every "I have been seen", in the order
they were stored, and what stands from them.

Two rules keep the record honest:

- **A yes is never outranked by a later no.** Each question's yes answers form an episode
  (consecutive checks answering yes). An episode is settled only by an acknowledgement stored
  after it began: "seen by a clinician on DATE, who said I can exercise", recorded by the
  person or by their clinician. A later no ends the episode but does not settle it; a yes after
  a no starts a new one, which needs its own acknowledgement. A lifelong yes ("I have had
  cancer") answered again month after month stays one episode, settled once.
- **Time comes from the store.** Checks are ordered by when they were stored, never by the date
  they claim, and a check counts from the earlier of the two, so neither a clock running fast
  nor an import dated years ahead can outrank today's answers or keep a check fresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from stretchcoach.domain.safety import SCREEN_EVERY, Care, Question, questions_for


@dataclass(frozen=True, slots=True)
class ScreenResult:
    """One answered check: yes (True), no (False) or not asked (None) per question, in the
    order of its version. `stored_at` is when the store received it (the store's clock)."""

    id: str
    user_id: str
    answered_at: datetime
    answers: tuple[bool | None, ...]
    version: int = 1
    stored_at: datetime | None = None

    @property
    def counts_from(self) -> datetime:
        """When the check counts from: the earlier of its own time and the store's."""
        if self.stored_at is None:
            return self.answered_at
        return min(self.answered_at, self.stored_at)

    @property
    def order_key(self) -> tuple[datetime, str]:
        return (self.stored_at or self.answered_at, self.id)

    @property
    def complete(self) -> bool:
        """Every question asked (not the emergency questions alone)."""
        return all(a is not None for a in self.answers)

    def answered(self) -> list[tuple[Question, bool]]:
        return [
            (q, a)
            for q, a in zip(questions_for(self.version), self.answers, strict=True)
            if a is not None
        ]


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """The person was seen about standing yes answers, and may exercise.

    `by_user_id` is the clinician who recorded it, or the person themselves (local mode)."""

    id: str
    user_id: str
    codes: tuple[str, ...]  # the questions (and stop rules) it settles
    seen_on: date
    by_user_id: str
    by_name: str
    note: str
    stored_at: datetime

    @property
    def by_clinician(self) -> bool:
        return self.by_user_id != self.user_id


@dataclass(frozen=True, slots=True)
class Episode:
    """A run of yes answers to one question, and whether someone has settled it."""

    question: Question
    first_yes: ScreenResult
    last_yes: ScreenResult
    still_yes: bool  # the latest answer to this question is yes
    settled_by: Acknowledgement | None

    @property
    def open(self) -> bool:
        return self.settled_by is None


def episodes(
    checks: Sequence[ScreenResult], acknowledgements: Sequence[Acknowledgement]
) -> list[Episode]:
    """Every yes episode in the history, oldest first."""
    ordered = sorted(checks, key=lambda c: c.order_key)
    acks = sorted(acknowledgements, key=lambda a: (a.stored_at, a.id))
    running: dict[str, list[ScreenResult]] = {}
    found: list[tuple[Question, list[ScreenResult], bool]] = []
    for check in ordered:
        for q, answer in check.answered():
            if answer:
                running.setdefault(q.code, []).append(check)
            elif q.code in running:
                found.append((q, running.pop(q.code), False))
    for code, run in running.items():
        q = next(q for q, _ in run[-1].answered() if q.code == code)
        found.append((q, run, True))
    result = []
    for q, run, still in found:
        began = run[0].order_key[0]
        settled = next((a for a in acks if q.code in a.codes and a.stored_at >= began), None)
        result.append(Episode(q, run[0], run[-1], still, settled))
    return sorted(result, key=lambda e: e.first_yes.order_key)


def latest_complete(checks: Sequence[ScreenResult]) -> ScreenResult | None:
    complete = [c for c in checks if c.complete]
    return max(complete, key=lambda c: c.order_key) if complete else None


def covers_emergency(check: ScreenResult) -> bool:
    """Whether a check asked about the emergency signs: every emergency question answered,
    "both legs" aside (a morning check-in leaves it to the pain's places)."""
    return all(
        answer is not None
        for q, answer in zip(questions_for(check.version), check.answers, strict=True)
        if q.care is Care.EMERGENCY and q.code != "both-legs"
    )


def latest_covering(checks: Sequence[ScreenResult]) -> ScreenResult | None:
    """The latest check that asked about the emergency signs."""
    covering = [c for c in checks if covers_emergency(c)]
    return max(covering, key=lambda c: c.order_key) if covering else None


def latest(checks: Sequence[ScreenResult]) -> ScreenResult | None:
    return max(checks, key=lambda c: c.order_key) if checks else None


def overdue(check: ScreenResult, *, now: datetime) -> bool:
    return now - check.counts_from > SCREEN_EVERY
