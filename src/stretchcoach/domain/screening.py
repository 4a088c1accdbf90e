"""The warning-signs history: every answered check and every "I have been seen", in the order
they were stored, and what stands from them.

Two rules keep the record honest:

- **A yes is never outranked by a later no.** Each question's yes answers form an episode
  (consecutive checks answering yes). An episode is settled only by an acknowledgement stored
  after it began: "seen by a clinician on DATE, who said I can exercise", recorded by the
  person or by their clinician. A later no ends the episode but does not settle it; a yes after
  a no starts a new one, which needs its own acknowledgement. A lifelong yes ("I have had
  cancer") answered again month after month stays one episode, settled once.
- **A visit settles only what came before it.** The visit's date (`seen_on`) must be on or
  after the day the episode's first yes counts from (the person's local day), as it must be on
  or after the day a stop rule began (domain/clinical/gate.py). An acknowledgement dated
  before does not settle it, whenever it was stored; every surface refuses to record one
  (`check_visit`).
- **Time comes from the store.** Checks are ordered by when they were stored, never by the date
  they claim, and a check counts from the earlier of the two, so neither a clock running fast
  nor an import dated years ahead can outrank today's answers or keep a check fresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from stretchcoach.domain.safety import BOTH_LEGS, SCREEN_EVERY, Care, Question, questions_for
from stretchcoach.errors import InvalidInput

SEEN_OLDEST = timedelta(days=5 * 366)  # a visit further back than this is not a recent one
FIRST_YES = "the first yes"  # what a yes episode began with, in the words of a refusal


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
    began_on: date  # the person's local day the first yes counts from

    @property
    def open(self) -> bool:
        return self.settled_by is None


@dataclass(frozen=True, slots=True)
class Began:
    """Something standing that a visit must come after: a yes episode or a stop rule."""

    code: str
    on: date  # the person's local day it began
    what: str  # how a refusal names it: "the first yes", "the pain in your left leg spread ..."


def local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def settles(ack: Acknowledgement, code: str, *, began: datetime, began_on: date) -> bool:
    """The one rule: an acknowledgement settles what stands under `code` (a yes episode, a
    stop rule) when it names it, was stored after its evidence began (`began`), and the visit
    was on or after the local day it began (`began_on`). An old visit never settles a newer
    yes or a later stop, even when it is stored later."""
    return code in ack.codes and ack.stored_at >= began and ack.seen_on >= began_on


def check_visit(seen_on: date, *, today: date, began: Sequence[Began] = ()) -> None:
    """A visit date every surface accepts: not ahead of today, not over five years back, and
    on or after the start of everything it settles (`began`). InvalidInput says what is
    allowed, in one line."""
    if seen_on > today:
        raise InvalidInput(
            f"seen on {seen_on.isoformat()} is in the future: give the date you were seen, "
            f"today ({today.isoformat()}) or earlier",
            field="seen_on",
        )
    if seen_on < today - SEEN_OLDEST:
        raise InvalidInput(
            f"seen on {seen_on.isoformat()} is over five years ago: give a recent visit",
            field="seen_on",
        )
    after = [b for b in began if b.on > seen_on]
    if after:
        latest = max(after, key=lambda b: b.on)
        raise InvalidInput(
            f"the visit on {seen_on:%d %b %Y} is before {latest.what} ({latest.on:%d %b %Y}): "
            f"give the date you were seen about it, on or after {latest.on:%d %b %Y}",
            field="seen_on",
        )


def _runs(checks: Sequence[ScreenResult]) -> list[tuple[Question, list[ScreenResult], bool]]:
    """Each question's runs of consecutive yes answers, with whether the latest is still yes."""
    ordered = sorted(checks, key=lambda c: c.order_key)
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
    return found


def episodes(
    checks: Sequence[ScreenResult],
    acknowledgements: Sequence[Acknowledgement],
    *,
    zone: tzinfo,
) -> list[Episode]:
    """Every yes episode in the history, oldest first; `zone` is the person's, whose local
    day of the first yes a visit must not be before."""
    acks = sorted(acknowledgements, key=lambda a: (a.stored_at, a.id))
    result = []
    for q, run, still in _runs(checks):
        began, began_on = run[0].order_key[0], local_day(run[0].counts_from, zone)
        settled = next(
            (a for a in acks if settles(a, q.code, began=began, began_on=began_on)), None
        )
        result.append(Episode(q, run[0], run[-1], still, settled, began_on))
    return sorted(result, key=lambda e: e.first_yes.order_key)


def misdated(
    checks: Sequence[ScreenResult],
    acknowledgements: Sequence[Acknowledgement],
    *,
    zone: tzinfo,
) -> list[tuple[Acknowledgement, Began]]:
    """Acknowledgements that claim a yes they cannot settle: each names a yes episode and was
    stored after it began while nothing had settled it yet, but the visit is dated before the
    episode's first yes. With the yes each one claims (an import names the record)."""
    acks = sorted(acknowledgements, key=lambda a: (a.stored_at, a.id))
    found: list[tuple[Acknowledgement, Began]] = []
    for q, run, _ in _runs(checks):
        began, began_on = run[0].order_key[0], local_day(run[0].counts_from, zone)
        for ack in acks:
            if q.code not in ack.codes or ack.stored_at < began:
                continue
            if settles(ack, q.code, began=began, began_on=began_on):
                break
            found.append((ack, Began(q.code, began_on, FIRST_YES)))
    return found


def latest_complete(checks: Sequence[ScreenResult]) -> ScreenResult | None:
    complete = [c for c in checks if c.complete]
    return max(complete, key=lambda c: c.order_key) if complete else None


def covers_emergency(check: ScreenResult) -> bool:
    """Whether a check asked about the emergency signs: every emergency question answered,
    "both legs" aside (a morning check-in leaves it to the pain's places)."""
    return all(
        answer is not None
        for q, answer in zip(questions_for(check.version), check.answers, strict=True)
        if q.care is Care.EMERGENCY and q.code != BOTH_LEGS
    )


def latest_covering(checks: Sequence[ScreenResult]) -> ScreenResult | None:
    """The latest check that asked about the emergency signs."""
    covering = [c for c in checks if covers_emergency(c)]
    return max(covering, key=lambda c: c.order_key) if covering else None


def latest(checks: Sequence[ScreenResult]) -> ScreenResult | None:
    return max(checks, key=lambda c: c.order_key) if checks else None


def overdue(check: ScreenResult, *, now: datetime) -> bool:
    return now - check.counts_from > SCREEN_EVERY
