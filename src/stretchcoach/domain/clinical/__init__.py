"""The clinical core: every signal about one person, one verdict.

Everything that decides what the person should do lives here, and every interface calls it:
the terminal (`start`, `stats`, `screen`), the web pages and API, the clinic dashboard and the
PDF report. Given a person's history (sessions, how each hold felt, pain ratings and where they
reached, warning-sign checks and acknowledgements) and the time now, `assess` returns:

- **the gate**: may a session start now, and if not, why and where to seek care;
- **the plan**: the next session's hold, holds per leg and lean, with the reason;
- **the flags**: what to tell the person, most urgent first, each also worded for a clinician.

The rules, each with its source and what the source measured, are in docs/sources.md:

Signals of worsening (any one keeps the dose from going up):
- a worse morning: the day's pain (the highest rating not given straight after a session)
  is above the mean of the up to 3 earlier days with ratings in the past 14 by a rise most
  people notice (domain/trends.noticeable_rise: 2 points or 30%, whichever is more, capped at
  what it takes to reach 9, never under 1 point); it stands when it is the latest day with a
  rating, within 3 days;
- high pain: the latest day with a rating, within 3 days, at 8 or more (at 9 or 10 it is also
  a flag, whatever the trend);
- pain up 2 points or more straight after the last session;
- pain reaching further down a leg (domain/centralisation: one whole region or more);
- pain newly in the second leg;
- a nerve answer (tingling or shooting below the knee) in the last session;
- the last session stopped or cut short.

Stop the stretch for now and see a GP or physiotherapist (the gate closes, said before the
session) when: two worse mornings among the last three days with ratings (within a week), one
of them at 4 or more (mild pain creeping up holds the dose but never stops), or
pain spreading down a leg that has reached below the knee on the last two days with records, or
nerve symptoms that have closed both legs. A clinician's acknowledgement of a visit on or
after the day the stop began reopens the gate, until new evidence comes (gate.py).

New pain in the second leg (the thigh or further down) is the both-legs warning sign: an
emergency, until someone has seen the person about it. What the person reports outside the
check (the morning check-in's three questions, the journal's, signs written in a note) is kept
as a check that asked only those questions (domain/checkin.py, domain/symptoms), so a yes
stands at its level like any other.

The emergency questions are asked again before the next session when, after the latest check
that asked them, a leg is reported numb or weaker, a session brings tingling below the knee in
both legs, or pain jumps to 9 or 10.

Practice runs (a faster clock) never change any of this: their sessions and the pain given
around them are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from stretchcoach.domain.centralisation import NO_PAIN
from stretchcoach.domain.clinical.dose import (
    HOLD_CEILING_S,
    Lean,
    Plan,
    apply_plan,
    dose_story,
    plan,
)
from stretchcoach.domain.clinical.flags import flags
from stretchcoach.domain.clinical.gate import (
    SETTLEABLE,
    STOP_CODES,
    Gate,
    GateStatus,
    gate,
    stops,
)
from stretchcoach.domain.clinical.signals import (
    BELOW_KNEE,
    LOOKBACK_DAYS,
    History,
    Signals,
    day_pain,
    real_entries,
    real_sessions,
    signals,
    worse_mornings,
)
from stretchcoach.domain.clinical.words import GENTLER_CUE
from stretchcoach.domain.routine import Dose
from stretchcoach.domain.safety import BOTH_LEGS, Flag, by_severity


@dataclass(frozen=True, slots=True)
class Verdict:
    gate: Gate
    plan: Plan
    flags: tuple[Flag, ...]
    signals: Signals

    @property
    def to_acknowledge(self) -> tuple[str, ...]:
        """What an acknowledgement recorded now would settle: open yes answers, stop rules,
        rested legs."""
        codes = [e.question.code for e in self.gate.open] + list(self.gate.stops)
        if self.gate.new_leg is not None:
            codes.append(BOTH_LEGS)
        codes += [f"nerve-rest-{side.value}" for side in self.plan.rested]
        return tuple(dict.fromkeys(codes))


def assess(
    history: History,
    dose: Dose,
    *,
    routine_id: str | None = None,
    reps_per_side: int | None = None,
    practice: bool = False,
) -> Verdict:
    """The gate, the next dose and the flags for one person, now."""
    found = signals(history)
    next_plan = plan(
        history, found, dose, routine_id=routine_id, reps_per_side=reps_per_side, practice=practice
    )
    rests_both = not practice and all(n == 0 for n in next_plan.reps)
    the_gate = gate(history, found, stops(history, found, rests_both))
    said = flags(the_gate, found, next_plan)
    return Verdict(the_gate, next_plan, tuple(by_severity(said)), found)


__all__ = [
    "BELOW_KNEE",
    "GENTLER_CUE",
    "HOLD_CEILING_S",
    "LOOKBACK_DAYS",
    "NO_PAIN",
    "SETTLEABLE",
    "STOP_CODES",
    "Gate",
    "GateStatus",
    "History",
    "Lean",
    "Plan",
    "Signals",
    "Verdict",
    "apply_plan",
    "assess",
    "day_pain",
    "dose_story",
    "real_entries",
    "real_sessions",
    "worse_mornings",
]
