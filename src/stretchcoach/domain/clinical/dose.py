"""The next session's dose: it never goes up while something worsens, and a nerve answer
makes it gentler at once (a shorter hold, then fewer holds on that leg, then a rest for it)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from stretchcoach.domain.centralisation import NO_PAIN
from stretchcoach.domain.clinical.signals import (
    BELOW_KNEE,
    NO_LONGER_FROM,
    History,
    Signals,
    nerve_sides,
    real_sessions,
)
from stretchcoach.domain.clinical.words import holds_words, pain_on, reps_words, secs, worse_on
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.routine import Dose, SessionSettings
from stretchcoach.domain.safety import PAIN_RISE_STOP
from stretchcoach.domain.screening import local_day, settles
from stretchcoach.domain.session import Session, local_start
from stretchcoach.domain.values import Side

STEP_UP_S = 5.0  # a step toward a minute when every hold was a mild pull
STEP_DOWN_S = 10.0  # shorter after a nerve answer
HOLD_CEILING_S = 60.0  # longer holds add nothing (Bandy & Irion 1994; Bandy et al. 1997)
RESTART_AFTER_DAYS = 7  # a break this long: start again at the routine's own hold


class Lean(StrEnum):
    """How far to lean next time, compared with last time."""

    LESS = "less"
    SAME = "same"
    FURTHER = "a-little-further"


@dataclass(frozen=True, slots=True)
class Plan:
    """The next session's dose, inside the routine's allowed range, with the reason."""

    hold_s: float
    reps: tuple[int, int]  # left, right; 0 rests that leg
    lean: Lean
    reason: str  # to the person
    changed_by: tuple[str, ...] = ()  # the signals that held the dose back or cut it
    clinical: str = ""  # the reason for a clinician (the report); the reason if empty

    @property
    def for_clinician(self) -> str:
        return self.clinical or self.reason

    def reps_for(self, side: Side) -> int:
        return self.reps[0 if side is Side.LEFT else 1]

    @property
    def rested(self) -> tuple[Side, ...]:
        return tuple(side for side in Side if self.reps_for(side) == 0)


def plan(
    history: History,
    found: Signals,
    dose: Dose,
    *,
    routine_id: str | None = None,
    reps_per_side: int | None = None,
    practice: bool = False,
) -> Plan:
    """The next dose. It never goes up while a worsening signal stands; a nerve answer makes
    it gentler at once: a shorter hold, then fewer holds on that leg, then a rest for it."""
    full = int(dose.reps_range.clamp(reps_per_side or dose.reps_per_side))
    sessions = [
        s
        for s in real_sessions(history.sessions, practice=practice)
        if routine_id is None or s.routine_id == routine_id
    ]
    allowed = dose.hold_range
    floor = allowed.low
    ceiling = min(allowed.high, max(HOLD_CEILING_S, allowed.low))
    if not sessions:
        return _first(found, allowed.clamp(dose.hold_s), floor, full, practice=practice)
    last = sessions[0]
    base = allowed.clamp(last.settings.hold_s)
    planned = {side: min(last.settings.reps_for(side), full) for side in Side}
    # a clinician seen since the last session (a visit on or after it) may give a rested
    # leg back: the one rule for what a visit settles
    since, since_day = last.started_at, local_day(last.started_at, history.zone)
    cleared = {
        side
        for side in Side
        for a in history.acknowledgements
        for code in ("stop-nerve", f"nerve-rest-{side.value}")
        if settles(a, code, began=since, began_on=since_day)
    }
    for side in cleared:
        planned[side] = max(planned[side], 1)
    worsening = worsening_reasons(found) if not practice else []
    felts = [h.felt for h in sorted(last.holds, key=lambda h: h.hold_number) if h.felt]
    reached = tuple(side for side in nerve_sides(last) if side not in cleared)
    today = history.now.astimezone(history.zone).date()
    gap = (today - last.started_at.astimezone(history.zone).date()).days
    if gap >= RESTART_AFTER_DAYS:
        return _restart(gap, allowed.clamp(dose.hold_s), base, planned, worsening, reached)

    if reached:
        reps = dict(planned)
        if base > floor:
            hold = allowed.clamp(base - STEP_DOWN_S)
            what = f"hold {secs(hold)}"
        else:
            hold = base
            for side in reached:
                cut = planned[side] < full or planned[side] <= 1
                reps[side] = 0 if cut else planned[side] - 1
            if len(reached) == 2 and all(reps[side] == 0 for side in reached):
                what = "rest both legs from this stretch for now"
            else:
                what = "; ".join(reps_words(side, reps[side], planned[side]) for side in reached)
        legs = " and ".join(side.value for side in reached)
        reason = (
            f"The stretch reached the nerve in the {legs} leg last time (tingling or shooting "
            f"below the knee): lean less, let the knee soften a little, keep the foot relaxed "
            f"and the chin level, and {what}."
        )
        clinical = (
            f"Nerve symptoms below the knee in the {legs} leg last session: lean less, {what}."
        )
        rested = [side for side in reached if reps[side] == 0]
        if rested:
            which = "both legs" if len(rested) == 2 else f"the {rested[0].value} leg"
            reason += f" Please have {which} assessed by your GP or physiotherapist."
            clinical += f" Assessment of {which} advised."
        shape = (reps[Side.LEFT], reps[Side.RIGHT])
        return Plan(hold, shape, Lean.LESS, reason, ("nerve",), clinical)

    # no nerve last time: a rested leg stays rested; cut legs come back one hold at a time
    reps = {
        side: 0
        if planned[side] == 0
        else (planned[side] if worsening else min(full, planned[side] + 1))
        for side in Side
    }
    shape = (reps[Side.LEFT], reps[Side.RIGHT])
    if worsening:
        if found.pain_rose_after:  # the pain-rose flag asks for a gentler lean: so does the plan
            reason = (
                f"Not longer today, and gentler: {', and '.join(worsening)}. Stay at "
                f"{secs(base)}, lean less than last time and stop at a mild pull."
            )
            lean = Lean.LESS
        else:
            reason = (
                f"Not longer today: {worsening[0]}. Stay at {secs(base)} and stop at a mild pull."
            )
            lean = Lean.SAME
        clinical = f"Not longer: {'; '.join(worsening)}.".replace("your ", "the patient's ")
        if lean is Lean.LESS:
            clinical += " A gentler lean."
        return Plan(base, shape, lean, reason, tuple(worsening), clinical)
    if not felts:
        return Plan(
            base,
            shape,
            Lean.SAME,
            f"No answers about last time's holds, so {secs(base)} again.",
            clinical="No answers about the last session's holds: the same hold.",
        )
    if all(f is Felt.PULL for f in felts):
        if base < ceiling:
            hold = min(base + STEP_UP_S, ceiling)
            return Plan(
                hold,
                shape,
                Lean.SAME,
                f"Every hold was a mild pull in the thigh, just right: try {secs(hold)} holds.",
                clinical=f"Every hold a mild pull in the thigh last session: up to {secs(hold)}.",
            )
        return Plan(
            base,
            shape,
            Lean.SAME,
            f"Every hold was a mild pull in the thigh, just right: stay at {secs(base)}.",
            clinical=f"Every hold a mild pull in the thigh last session: stays at {secs(base)}.",
        )
    shy = felts.count(Felt.NOTHING)
    return Plan(
        base,
        shape,
        Lean.FURTHER,
        f"{holds_words(shy)} felt like nothing much: lean a little further, only until you feel "
        f"a mild pull, and hold {secs(base)}.",
        clinical=f"{holds_words(shy)} felt like nothing much last session: a little further, "
        "to a mild pull.",
    )


def _first(found: Signals, start: float, floor: float, full: int, *, practice: bool) -> Plan:
    """A first session: the routine's own dose, unless the pain already stands high or
    reaches below the knee; then the shortest hold the routine allows and a gentle lean,
    since the stretch also loads the nerve (the straight-leg-raise position)."""
    worsening = worsening_reasons(found) if not practice else []
    below = [side for side in Side if (found.reach[side] or NO_PAIN) >= BELOW_KNEE]
    if not worsening and not below:
        return Plan(
            start,
            (full, full),
            Lean.SAME,
            "A first session: the routine's own dose.",
            clinical="First session: the routine's own dose.",
        )
    why = list(worsening)
    if below:
        legs = " and ".join(side.value for side in below)
        why.append(f"the pain reaches below the knee in your {legs} leg")
    reason = (
        f"A gentle first session: {', and '.join(why)}. Hold {secs(floor)}, lean only until "
        "you feel a mild pull behind the thigh, keep the foot relaxed and the chin level, and "
        "ease off if it tingles or shoots below the knee."
    )
    clinical = f"First session, gentler: {'; '.join(why)}.".replace("your ", "the patient's ")
    changed_by = tuple(worsening) + (("reach",) if below else ())
    return Plan(floor, (full, full), Lean.LESS, reason, changed_by, clinical)


def _restart(
    gap: int,
    start: float,
    base: float,
    planned: dict[Side, int],
    worsening: list[str],
    reached: tuple[Side, ...],
) -> Plan:
    """After a break of RESTART_AFTER_DAYS or more: the routine's own hold again, never longer
    than the last while something worsens; legs rested or cut for the nerve stay so."""
    hold = min(start, base) if worsening or reached else start  # never longer after the nerve
    reason = (
        f"It has been {gap} days since your last session: back to the routine's {secs(start)} "
        "to start again."
    )
    clinical = f"{gap} days since the last session: back to the routine's {secs(start)}."
    if hold < start and worsening:
        reason += f" Not longer than {secs(hold)} today: {worsening[0]}."
        clinical += f" Held at {secs(hold)}: {worsening[0]}.".replace("your ", "the patient's ")
    elif hold < start:
        reason += f" Not longer than last time's {secs(hold)}, as it reached the nerve."
        clinical += f" Held at {secs(hold)} after nerve symptoms."
    if reached:
        reason += " Last time the stretch reached the nerve: lean less and keep the foot relaxed."
        clinical += " Nerve symptoms last session: lean less."
    changed_by = tuple(worsening) + (("nerve",) if reached else ())
    shape = (planned[Side.LEFT], planned[Side.RIGHT])
    return Plan(hold, shape, Lean.LESS if reached else Lean.SAME, reason, changed_by, clinical)


def worsening_reasons(found: Signals) -> list[str]:
    """What keeps the next hold from growing, the most telling first."""
    reasons = []
    if found.high_pain is not None:
        day, score = found.high_pain
        reasons.append(
            f"{pain_on(day, score, today=found.today)}, and holds never get longer at "
            f"{NO_LONGER_FROM} or more"
        )
    if found.worsening_now:
        reasons.append(worse_on(found.worse_days[-1], today=found.today))
    if found.pain_rose_after:
        reasons.append(f"your pain rose {PAIN_RISE_STOP} or more points after the last session")
    for side in found.spreading:
        reasons.append(f"the pain has been reaching further down your {side.value} leg")
    if found.second_leg is not None:
        reasons.append(f"pain has appeared in your {found.second_leg.value} leg")
    if found.unfinished_last:
        reasons.append("the last session ended early")
    return reasons


def apply_plan(
    plan_: Plan, settings: SessionSettings, *, keep_hold: bool = False
) -> SessionSettings:
    """The session's settings with the plan's dose: its hold, and its holds per leg (always: a
    leg cut down or rested for the nerve stays so). `keep_hold`: the person or their clinician
    chose the hold (`--hold`, the web's saved dose); it stands unless a worsening signal or a
    nerve answer holds the plan lower."""
    if keep_hold:  # a chosen hold stands, but never above the plan while something worsens
        hold = min(settings.hold_s, plan_.hold_s) if plan_.changed_by else settings.hold_s
    else:
        hold = plan_.hold_s
    full = settings.reps_per_side
    reps = (min(plan_.reps[0], full), min(plan_.reps[1], full))
    side_reps = None if reps == (full, full) else reps
    return replace(settings, hold_s=hold, side_reps=side_reps)


def dose_story(sessions: Sequence[Session]) -> tuple[str, ...]:
    """What actually happened to the dose, session to session: for the clinician's report."""
    story: list[str] = []
    ordered = list(reversed(real_sessions(sessions)))
    for before, after in itertools.pairwise(ordered):
        day = f"{local_start(after):%d %b}"
        if after.settings.hold_s != before.settings.hold_s:
            way = "down" if after.settings.hold_s < before.settings.hold_s else "up"
            story.append(
                f"{day}: hold {way} from {secs(before.settings.hold_s)} "
                f"to {secs(after.settings.hold_s)}"
            )
        for side in Side:
            a, b = before.settings.reps_for(side), after.settings.reps_for(side)
            if a != b:
                story.append(f"{day}: {side.value} leg holds {a} → {b}")
    return tuple(story)
