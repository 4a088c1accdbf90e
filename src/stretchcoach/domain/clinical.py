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
  is above the mean of the up to 3 earlier days with ratings in the past 14 by a change most
  people notice (domain/trends.noticeable_threshold: ~1 point from 1-4, 2 from 5-7, 3 from 8-10,
  or 30%); it stands when it is the latest day with a rating, within 3 days;
- pain up 2 points or more straight after the last session;
- pain reaching further down a leg (domain/centralisation: one whole region or more);
- pain newly in the second leg;
- a nerve answer (tingling or shooting below the knee) in the last session;
- the last session stopped or cut short.

Stop the stretch for now and see a GP or physiotherapist (the gate closes, said before the
session) when: two worse mornings among the last three days with ratings (within a week), or
pain spreading down a leg that has reached below the knee on the last two days with records, or
nerve symptoms that have closed both legs. A clinician's acknowledgement recorded after the
stop began reopens the gate.

The emergency questions are asked again before the next session when, after the latest check,
pain newly appears in the second leg, a pain note speaks of numbness or weakness, or pain
jumps to 9 or 10.

Practice runs (a faster clock) never change any of this: their sessions and the pain given
around them are left out.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from stretchcoach.domain.centralisation import (
    NO_PAIN,
    Direction,
    daily_reach,
    direction,
)
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext, PainEntry, Region
from stretchcoach.domain.routine import Dose, SessionSettings
from stretchcoach.domain.safety import (
    CARE_ACTIONS,
    CARE_MESSAGES,
    PAIN_RISE_STOP,
    QUESTIONS,
    QUESTIONS_V1,
    Care,
    Flag,
    Severity,
    by_severity,
    pain_rose,
)
from stretchcoach.domain.screening import (
    Acknowledgement,
    Episode,
    ScreenResult,
    episodes,
    latest,
    latest_complete,
    overdue,
)
from stretchcoach.domain.session import Session, local_start
from stretchcoach.domain.trends import noticeable_threshold
from stretchcoach.domain.values import SessionStatus, Side

STEP_UP_S = 5.0  # a step toward a minute when every hold was a mild pull
STEP_DOWN_S = 10.0  # shorter after a nerve answer
HOLD_CEILING_S = 60.0  # longer holds add nothing (Bandy & Irion 1994; Bandy et al. 1997)
REFERENCE_DAYS = 3  # earlier days with ratings that set the reference for a morning
LOOKBACK_DAYS = 14  # how far back a reference, a spread or a second leg is looked for
STANDING_DAYS = 3  # a worse morning stands while it is this recent and the latest
STOP_MORNINGS = 2  # worse mornings among the last STOP_WINDOW days with ratings ...
STOP_WINDOW = 3
STOP_WITHIN_DAYS = 7  # ... within this many days
NERVE_REPEAT = 2  # nerve answers in this many of the last NERVE_WINDOW sessions: a flag
NERVE_WINDOW = 3
JUMP_SCORE = 9  # a rating of 9 or 10 after a lower one asks the emergency questions again
BELOW_KNEE = Region.CALF.depth
SEEN_SHOWN = timedelta(days=90)  # an acknowledged yes that has since gone stays in view this long
STOP_CODES = ("stop-worsening", "stop-spread-left", "stop-spread-right", "stop-nerve")
# What an acknowledgement may name: warning-sign questions (of any version), stop rules, and a
# leg rested after nerve symptoms.
SETTLEABLE = frozenset(
    [q.code for q in (*QUESTIONS, *QUESTIONS_V1)]
    + list(STOP_CODES)
    + [f"nerve-rest-{side.value}" for side in Side]
)

# Words in a pain note that mean numbness or weakness: ask the emergency questions again.
_NUMB_WEAK = re.compile(
    r"\b(numb\w*|weak\w*|dead leg|pins and needles|foot drop\w*|drop(s|ped|ping)? foot"
    r"|can'?t (lift|feel|move)|cannot (lift|feel|move)|gives? way|giving way|drag\w*)",
    re.IGNORECASE,
)

GENTLER_CUE = (
    "Gentler this time: lean less, let the knee soften a little, keep the foot relaxed and "
    "the chin level."
)


class Lean(StrEnum):
    """How far to lean next time, compared with last time."""

    LESS = "less"
    SAME = "same"
    FURTHER = "a-little-further"


class GateStatus(StrEnum):
    CLEAR = "clear"  # a session may start
    MISSING = "missing"  # the check was never answered
    OVERDUE = "overdue"  # the latest complete check is over 30 days old
    RECHECK = "recheck"  # something changed: the emergency questions again first
    BLOCKED = "blocked"  # a standing yes, or a stop rule: not today


@dataclass(frozen=True, slots=True)
class History:
    """Everything the core reads about one person. Sessions in any order; entries any order."""

    now: datetime
    zone: ZoneInfo
    sessions: Sequence[Session]
    entries: Sequence[PainEntry]
    checks: Sequence[ScreenResult]
    acknowledgements: Sequence[Acknowledgement] = ()


@dataclass(frozen=True, slots=True)
class Gate:
    status: GateStatus
    care: Care | None  # the most urgent care standing, when a yes blocks
    message: str  # to the person: what stands and what to do
    open: tuple[Episode, ...] = ()  # yes answers no one has settled
    settled: tuple[Episode, ...] = ()  # yes answers settled by an acknowledgement
    stops: tuple[str, ...] = ()  # the stop rules in force (STOP_CODES)
    recheck_why: str | None = None

    @property
    def may_start(self) -> bool:
        return self.status is GateStatus.CLEAR

    @property
    def due(self) -> bool:
        """The person must answer questions before a session (not a refusal)."""
        return self.status in (GateStatus.MISSING, GateStatus.OVERDUE, GateStatus.RECHECK)


@dataclass(frozen=True, slots=True)
class Plan:
    """The next session's dose, inside the routine's allowed range, with the reason."""

    hold_s: float
    reps: tuple[int, int]  # left, right; 0 rests that leg
    lean: Lean
    reason: str
    changed_by: tuple[str, ...] = ()  # the signals that held the dose back or cut it

    def reps_for(self, side: Side) -> int:
        return self.reps[0 if side is Side.LEFT else 1]

    @property
    def rested(self) -> tuple[Side, ...]:
        return tuple(side for side in Side if self.reps_for(side) == 0)


@dataclass(frozen=True, slots=True)
class Signals:
    """What the history shows, before any decision."""

    day_pain: dict[date, int]
    worse_days: tuple[date, ...]
    worsening_now: bool
    worsening_stop: bool
    pain_rose_after: bool
    directions: dict[Side, Direction]  # where the pain is heading on each leg, 14 days
    spreading: tuple[Side, ...]
    below_knee_persisting: tuple[Side, ...]
    second_leg: Side | None
    recheck_why: str | None
    nerve_last: tuple[Side, ...]
    nerve_repeated: bool
    unfinished_last: bool


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
        codes += [f"nerve-rest-{side.value}" for side in self.plan.rested]
        return tuple(dict.fromkeys(codes))


# -- reading the history --------------------------------------------------------------------


def real_sessions(sessions: Sequence[Session], *, practice: bool = False) -> list[Session]:
    """Finished sessions of one kind (real or practice) that kept a hold, newest first."""
    return sorted(
        (s for s in sessions if s.practice == practice and s.status.is_final and s.holds),
        key=lambda s: s.started_at,
        reverse=True,
    )


def real_entries(entries: Sequence[PainEntry], sessions: Sequence[Session]) -> list[PainEntry]:
    """Ratings that describe the person, oldest first: those around practice runs left out."""
    practice = {s.id for s in sessions if s.practice}
    return sorted((e for e in entries if e.session_id not in practice), key=lambda e: e.recorded_at)


def day_pain(entries: Sequence[PainEntry]) -> dict[date, int]:
    """Per local day, the highest rating that describes the day (not straight after a session)."""
    days: dict[date, int] = {}
    for e in entries:
        if e.context is PainContext.AFTER:
            continue
        day = e.local_time.date()
        days[day] = max(days.get(day, 0), e.score)
    return dict(sorted(days.items()))


def worse_mornings(days: dict[date, int]) -> list[date]:
    """Days whose pain is above the reference of the days before by a change most notice."""
    ordered = sorted(days)
    worse = []
    for i, day in enumerate(ordered):
        earlier = [d for d in ordered[:i] if (day - d).days <= LOOKBACK_DAYS][-REFERENCE_DAYS:]
        if not earlier:
            continue
        reference = sum(days[d] for d in earlier) / len(earlier)
        if days[day] - reference >= noticeable_threshold(reference):
            worse.append(day)
    return worse


def _nerve_sides(session: Session) -> tuple[Side, ...]:
    return tuple(
        side for side in Side if any(h.side is side and h.felt is Felt.NERVE for h in session.holds)
    )


def signals(history: History) -> Signals:
    now, zone = history.now, history.zone
    today = now.astimezone(zone).date()
    sessions = real_sessions(history.sessions)
    entries = [
        e
        for e in real_entries(history.entries, history.sessions)
        if e.recorded_at >= now - timedelta(days=LOOKBACK_DAYS + 1)
    ]
    days = day_pain(entries)
    worse = worse_mornings(days)
    rated = [d for d in days if d <= today]
    latest_day = rated[-1] if rated else None
    worsening_now = (
        latest_day is not None and latest_day in worse and (today - latest_day).days < STANDING_DAYS
    )
    recent_rated = [d for d in rated if (today - d).days < STOP_WITHIN_DAYS][-STOP_WINDOW:]
    worsening_stop = sum(1 for d in recent_rated if d in worse) >= STOP_MORNINGS

    last = sessions[0] if sessions else None
    ended = sorted(
        (s for s in history.sessions if not s.practice and s.status.is_final),
        key=lambda s: s.started_at,
    )
    rose = False
    if ended:
        mine = [e for e in entries if e.session_id == ended[-1].id]
        before = [e.score for e in mine if e.context is PainContext.BEFORE]
        after = [e.score for e in mine if e.context is PainContext.AFTER]
        rose = pain_rose(before[-1] if before else None, after[-1] if after else None)

    first = today - timedelta(days=LOOKBACK_DAYS - 1)
    series = daily_reach(entries, zone=zone, first=first, last=today)
    spreading, persisting = [], []
    moved = {side: direction(series[side]) for side in Side}
    for side in Side:
        if moved[side] is Direction.PERIPHERALISING:
            spreading.append(side)
            known = [d.depth for d in series[side] if d.depth is not None]
            if len(known) >= 2 and all(depth >= BELOW_KNEE for depth in known[-2:]):
                persisting.append(side)

    second = _second_leg(entries)
    nerve_last = _nerve_sides(last) if last is not None else ()
    answered = [s for s in sessions if any(h.felt for h in s.holds)][:NERVE_WINDOW]
    repeated = sum(1 for s in answered if _nerve_sides(s)) >= NERVE_REPEAT
    return Signals(
        day_pain=days,
        worse_days=tuple(worse),
        worsening_now=worsening_now,
        worsening_stop=worsening_stop,
        pain_rose_after=rose,
        directions=moved,
        spreading=tuple(spreading),
        below_knee_persisting=tuple(persisting),
        second_leg=second[0] if second else None,
        recheck_why=_recheck_why(entries, history.checks, second),
        nerve_last=nerve_last,
        nerve_repeated=repeated,
        unfinished_last=last is not None and last.status is not SessionStatus.COMPLETED,
    )


def _second_leg(entries: Sequence[PainEntry]) -> tuple[Side, PainEntry] | None:
    """The leg the latest placed rating adds, when earlier ratings placed pain in one leg only."""
    placed = [e for e in entries if e.sites and e.score > 0]
    if len(placed) < 2:
        return None
    newest, earlier = placed[-1], placed[:-1]
    sides_now = {site.side for site in newest.sites}
    sides_before = {site.side for e in earlier for site in e.sites}
    added = sides_now - sides_before
    if len(sides_now) == 2 and len(added) == 1:
        return next(iter(added)), newest
    return None


def recognises_numbness(note: str) -> bool:
    """Whether a note speaks of numbness or weakness, in words the app knows."""
    return bool(_NUMB_WEAK.search(note))


def _recheck_why(
    entries: Sequence[PainEntry],
    checks: Sequence[ScreenResult],
    second: tuple[Side, PainEntry] | None,
) -> str | None:
    """Why the emergency questions must be asked again, if something changed since the
    latest check (the latest check counts, complete or not)."""
    newest_check = latest(checks)
    if newest_check is None:
        return None
    since = newest_check.order_key[0]
    if second is not None and second[1].recorded_at > since:
        return f"pain is now in your {second[0].value} leg too"
    ordered = sorted(entries, key=lambda e: e.recorded_at)
    for i, entry in enumerate(ordered):
        if entry.recorded_at <= since:
            continue
        if recognises_numbness(entry.note):
            return "a note you logged mentions numbness or weakness"
        before = ordered[i - 1].score if i else None
        if entry.score >= JUMP_SCORE and (before is None or before < JUMP_SCORE):
            return f"your pain jumped to {entry.score}"
    return None


# -- the gate -------------------------------------------------------------------------------


def gate(history: History, found: Signals, stops: dict[str, datetime]) -> Gate:
    """May a session start now? A standing yes or stop rule first, then a check that is due."""
    all_episodes = episodes(history.checks, history.acknowledgements)
    open_ = tuple(e for e in all_episodes if e.open)
    settled = tuple(
        e
        for e in all_episodes
        if e.settled_by is not None
        and (e.still_yes or history.now - e.settled_by.stored_at <= SEEN_SHOWN)
    )
    blocking = [e for e in open_ if e.question.care.blocks]
    acks = history.acknowledgements
    standing_stops = tuple(
        code
        for code, since in stops.items()
        if not any(code in a.codes and a.stored_at >= since for a in acks)
    )
    if blocking:
        care = min((e.question.care for e in blocking), key=lambda c: c.rank)
        return Gate(
            GateStatus.BLOCKED,
            care,
            _yes_message(blocking, care),
            open_,
            settled,
            standing_stops,
        )
    if found.recheck_why is not None:  # the emergency questions first, even under a stop
        return Gate(
            GateStatus.RECHECK,
            None,
            f"{found.recheck_why}, so the urgent questions come again before you stretch",
            open_,
            settled,
            standing_stops,
            recheck_why=found.recheck_why,
        )
    if standing_stops:
        return Gate(
            GateStatus.BLOCKED,
            None,
            stop_message(standing_stops, found),
            open_,
            settled,
            standing_stops,
        )
    newest = latest_complete(history.checks)
    if newest is None:
        return Gate(
            GateStatus.MISSING,
            None,
            "the warning-signs check comes before the first session",
            open_,
            settled,
        )
    if overdue(newest, now=history.now):
        return Gate(
            GateStatus.OVERDUE,
            None,
            "your warning-signs check is over 30 days old",
            open_,
            settled,
        )
    return Gate(GateStatus.CLEAR, None, "", open_, settled)


def _yes_message(blocking: Sequence[Episode], care: Care) -> str:
    first = min(blocking, key=lambda e: e.first_yes.order_key)
    return (
        f"you answered yes to a warning sign ({len(blocking)} in all, first on "
        f"{first.first_yes.counts_from:%d %b %Y}), so please {CARE_ACTIONS[care]}"
    )


def stop_message(codes: Sequence[str], found: Signals) -> str:
    why = []
    if "stop-worsening" in codes:
        why.append("your pain has been worse on two recent mornings")
    for side in Side:
        if f"stop-spread-{side.value}" in codes:
            why.append(f"the pain in your {side.value} leg has spread below the knee and stayed")
    if "stop-nerve" in codes:
        why.append("the stretch keeps reaching the nerve in both legs")
    return f"{' and '.join(why)}: stop this stretch for now and see your GP or physiotherapist"


def _stops(history: History, found: Signals, plan_rests_both: bool) -> dict[str, datetime]:
    """The stop rules in force, each with when it began (an acknowledgement after it settles it)."""
    stops: dict[str, datetime] = {}
    zone = history.zone
    if found.worsening_stop:
        first = min(d for d in found.worse_days[-STOP_WINDOW:])
        stops["stop-worsening"] = datetime.combine(first, datetime.min.time(), zone)
    today = history.now.astimezone(zone).date()
    for side in found.below_knee_persisting:
        began = today - timedelta(days=1)
        stops[f"stop-spread-{side.value}"] = datetime.combine(began, datetime.min.time(), zone)
    if plan_rests_both:
        last = real_sessions(history.sessions)[0]
        stops["stop-nerve"] = last.started_at
    return stops


# -- the plan -------------------------------------------------------------------------------


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
        return Plan(
            allowed.clamp(dose.hold_s),
            (full, full),
            Lean.SAME,
            "A first session: the routine's own dose.",
        )
    last = sessions[0]
    base = allowed.clamp(last.settings.hold_s)
    planned = {side: min(last.settings.reps_for(side), full) for side in Side}
    # a clinician seen since the last session may give a rested leg back
    cleared = {
        side
        for side in Side
        for a in history.acknowledgements
        if a.stored_at >= last.started_at
        and {"stop-nerve", f"nerve-rest-{side.value}"} & set(a.codes)
    }
    for side in cleared:
        planned[side] = max(planned[side], 1)
    worsening = _worsening_reasons(found) if not practice else []
    felts = [h.felt for h in sorted(last.holds, key=lambda h: h.hold_number) if h.felt]
    nerve_sides = tuple(side for side in _nerve_sides(last) if side not in cleared)

    if nerve_sides:
        reps = dict(planned)
        if base > floor:
            hold = allowed.clamp(base - STEP_DOWN_S)
            what = f"hold {_s(hold)}"
        else:
            hold = base
            for side in nerve_sides:
                cut = planned[side] < full or planned[side] <= 1
                reps[side] = 0 if cut else planned[side] - 1
            if len(nerve_sides) == 2 and all(reps[side] == 0 for side in nerve_sides):
                what = "rest both legs from this stretch for now"
            else:
                what = "; ".join(
                    _reps_words(side, reps[side], planned[side]) for side in nerve_sides
                )
        legs = " and ".join(side.value for side in nerve_sides)
        reason = (
            f"The stretch reached the nerve in the {legs} leg last time (tingling or shooting "
            f"below the knee): lean less, let the knee soften a little, keep the foot relaxed "
            f"and the chin level, and {what}."
        )
        rested = [side for side in nerve_sides if reps[side] == 0]
        if rested:
            which = "both legs" if len(rested) == 2 else f"the {rested[0].value} leg"
            reason += f" Please have {which} assessed by your GP or physiotherapist."
        return Plan(hold, (reps[Side.LEFT], reps[Side.RIGHT]), Lean.LESS, reason, ("nerve",))

    # no nerve last time: a rested leg stays rested; cut legs come back one hold at a time
    reps = {
        side: 0
        if planned[side] == 0
        else (planned[side] if worsening else min(full, planned[side] + 1))
        for side in Side
    }
    shape = (reps[Side.LEFT], reps[Side.RIGHT])
    if worsening:
        return Plan(
            base,
            shape,
            Lean.SAME,
            f"Not longer today: {worsening[0]}. Stay at {_s(base)} and stop at a mild pull.",
            tuple(worsening),
        )
    if not felts:
        return Plan(
            base, shape, Lean.SAME, f"No answers about last time's holds, so {_s(base)} again."
        )
    if all(f is Felt.PULL for f in felts):
        if base < ceiling:
            hold = min(base + STEP_UP_S, ceiling)
            return Plan(
                hold,
                shape,
                Lean.SAME,
                f"Every hold was a mild pull in the thigh, just right: try {_s(hold)} holds.",
            )
        return Plan(
            base,
            shape,
            Lean.SAME,
            f"Every hold was a mild pull in the thigh, just right: stay at {_s(base)}.",
        )
    shy = felts.count(Felt.NOTHING)
    return Plan(
        base,
        shape,
        Lean.FURTHER,
        f"{_holds(shy)} felt like nothing much: lean a little further, only until you feel "
        f"a mild pull, and hold {_s(base)}.",
    )


def _worsening_reasons(found: Signals) -> list[str]:
    reasons = []
    if found.worsening_now:
        reasons.append("your pain this morning is up on the days before")
    if found.pain_rose_after:
        reasons.append(f"your pain rose {PAIN_RISE_STOP} or more points after the last session")
    for side in found.spreading:
        reasons.append(f"the pain has been reaching further down your {side.value} leg")
    if found.second_leg is not None:
        reasons.append(f"pain has appeared in your {found.second_leg.value} leg")
    if found.unfinished_last:
        reasons.append("the last session ended early")
    return reasons


def _reps_words(side: Side, now: int, before: int) -> str:
    if now == 0:
        return f"rest the {side.value} leg for now"
    return f"{now} hold{'s' if now != 1 else ''} on the {side.value} leg instead of {before}"


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


# -- the verdict ----------------------------------------------------------------------------


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
    the_gate = gate(history, found, _stops(history, found, rests_both))
    flags = _flags(the_gate, found, next_plan)
    return Verdict(the_gate, next_plan, tuple(by_severity(flags)), found)


def _flags(the_gate: Gate, found: Signals, next_plan: Plan) -> list[Flag]:
    flags: list[Flag] = []
    for e in the_gate.open:
        q = e.question
        severity = {
            Care.EMERGENCY: Severity.URGENT,
            Care.SAME_DAY: Severity.SEE_DOCTOR,
            Care.WITHIN_DAYS: Severity.SEE_DOCTOR,
            Care.ROUTINE: Severity.INFO,
        }[q.care]
        flags.append(
            Flag(
                f"red-flag-{q.code}",
                severity,
                f"You answered yes to “{q.text}” {CARE_MESSAGES[q.care]}",
                f"Warning sign, not yet seen ({q.care.value}): {q.clinical}, "
                f"first reported {e.first_yes.counts_from:%d %b %Y}"
                + ("" if e.still_yes else "; later answered no, not acknowledged"),
            )
        )
    for e in the_gate.settled:
        ack = e.settled_by
        assert ack is not None
        who = ack.by_name if ack.by_clinician else "the patient"
        flags.append(
            Flag(
                f"seen-{e.question.code}",
                Severity.INFO,
                f"Seen by a clinician on {ack.seen_on:%d %b %Y} about: {e.question.text} "
                "If anything about it changes, answer the check again.",
                f"{e.question.clinical}: acknowledged as seen on {ack.seen_on:%d %b %Y} "
                f"(recorded by {who})" + (f": {ack.note}" if ack.note else ""),
            )
        )
    if the_gate.stops:
        flags.append(
            Flag(
                "stop",
                Severity.STOP,
                _sentence(stop_message(the_gate.stops, found)),
                "Stretch paused by the stop rules: "
                + stop_message(the_gate.stops, found)
                .replace("your ", "the patient's ")
                .split(":")[0],
            )
        )
    if the_gate.status is GateStatus.RECHECK and found.recheck_why:
        flags.append(
            Flag(
                "recheck",
                Severity.SEE_DOCTOR,
                _sentence(
                    f"{found.recheck_why}: please answer the urgent questions again "
                    "before you stretch"
                ),
                "Emergency questions due again: "
                + found.recheck_why.replace("your", "the patient's"),
            )
        )
    if the_gate.status is GateStatus.MISSING:
        flags.append(
            Flag(
                "screen-missing",
                Severity.INFO,
                "You have not answered the warning-signs check yet.",
                "Warning-signs check never answered",
            )
        )
    if the_gate.status is GateStatus.OVERDUE:
        flags.append(
            Flag(
                "screen-overdue",
                Severity.INFO,
                "Your warning-signs check is over 30 days old: please answer it again.",
                "Warning-signs check over 30 days old",
            )
        )
    stopping = set(the_gate.stops)
    if found.worsening_now and "stop-worsening" not in stopping:
        flags.append(
            Flag(
                "pain-worse",
                Severity.EASE_OFF,
                "Your pain this morning is up on the days before: no longer holds today, stop "
                "at a mild pull. If it is up again tomorrow, stop the stretch and see your GP "
                "or physiotherapist.",
                "Morning pain up on the previous days by a change most patients notice",
            )
        )
    if found.pain_rose_after:
        flags.append(
            Flag(
                "pain-rose",
                Severity.EASE_OFF,
                f"Your pain was {PAIN_RISE_STOP} or more points higher after the last session "
                "than before: ease off next time, with a gentler lean.",
                f"Pain up {PAIN_RISE_STOP}+ points straight after the last session",
            )
        )
    for side in found.spreading:
        if f"stop-spread-{side.value}" in stopping:
            continue
        flags.append(
            Flag(
                f"peripheralising-{side.value}",
                Severity.EASE_OFF,
                f"The pain has been reaching further down your {side.value} leg: ease off, and "
                "if it reaches below the knee and stays, stop and see your GP or physiotherapist.",
                f"Peripheralising on the {side.value} (pain reaching further down the leg)",
            )
        )
    if found.second_leg is not None:
        flags.append(
            Flag(
                "second-leg",
                Severity.SEE_DOCTOR,
                f"Pain has appeared in your {found.second_leg.value} leg as well. If both legs "
                "feel weak or numb, go to an emergency department now; otherwise please see your "
                "GP soon.",
                f"New pain in the second ({found.second_leg.value}) leg: bilateral symptoms",
            )
        )
    for side in next_plan.rested:
        if "stop-nerve" in stopping:
            break
        flags.append(
            Flag(
                f"nerve-rest-{side.value}",
                Severity.STOP,
                f"The stretch keeps reaching the nerve in your {side.value} leg: rest that leg "
                "from this stretch and have it assessed by your GP or physiotherapist.",
                f"Nerve symptoms recurring at the shortest hold: {side.value} leg rested",
            )
        )
    if found.nerve_repeated and not next_plan.rested:
        flags.append(
            Flag(
                "nerve-repeated",
                Severity.EASE_OFF,
                "Tingling or shooting below the knee came back in several recent sessions: lean "
                "less, and if it goes on, see your GP or physiotherapist.",
                "Neural symptoms (below the knee) in repeated sessions",
            )
        )
    return flags


def dose_story(sessions: Sequence[Session]) -> tuple[str, ...]:
    """What actually happened to the dose, session to session: for the clinician's report."""
    story: list[str] = []
    ordered = list(reversed(real_sessions(sessions)))
    for before, after in itertools.pairwise(ordered):
        day = f"{local_start(after):%d %b}"
        if after.settings.hold_s != before.settings.hold_s:
            way = "down" if after.settings.hold_s < before.settings.hold_s else "up"
            story.append(
                f"{day}: hold {way} from {_s(before.settings.hold_s)} "
                f"to {_s(after.settings.hold_s)}"
            )
        for side in Side:
            a, b = before.settings.reps_for(side), after.settings.reps_for(side)
            if a != b:
                story.append(f"{day}: {side.value} leg holds {a} → {b}")
    return tuple(story)


def _sentence(text: str) -> str:
    """A clause as a sentence: its first letter up, the rest untouched (GP stays GP)."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _s(seconds: float) -> str:
    return f"{seconds:g} s"


def _holds(n: int) -> str:
    return "1 hold" if n == 1 else f"{n} holds"


__all__ = [
    "BELOW_KNEE",
    "GENTLER_CUE",
    "NO_PAIN",
    "SETTLEABLE",
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
    "recognises_numbness",
    "worse_mornings",
]
