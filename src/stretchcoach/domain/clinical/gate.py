"""The gate: may a session start now? A standing yes, the stop rules, a check that is due.

Each stop rule is dated from the day its evidence began, and an acknowledgement settles it
(domain/screening.settles) while no new evidence starts a new run:

- spread below the knee: the first of the latest run of recorded days with the pain below the
  knee; a day reaching further down than every earlier day of the run is new spread;
- worse mornings: the first worse morning of the run (each within STOP_WITHIN_DAYS of the
  next);
- the nerve in both legs: the session that rested both legs.

Evidence recorded on a later day than an acknowledgement of that rule (a worse morning, new
spread) begins a new run, so the rule stands again until someone sees the person about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from stretchcoach.domain.centralisation import daily_reach
from stretchcoach.domain.clinical.signals import (
    BELOW_KNEE,
    LOOKBACK_DAYS,
    STOP_WINDOW,
    STOP_WITHIN_DAYS,
    History,
    Signals,
    real_entries,
    real_sessions,
)
from stretchcoach.domain.clinical.words import both_legs_message, stop_message
from stretchcoach.domain.safety import ALL_CODES, BOTH_LEGS, CARE_ACTIONS, Care
from stretchcoach.domain.screening import (
    FIRST_YES,
    Acknowledgement,
    Began,
    Episode,
    episodes,
    latest_complete,
    local_day,
    overdue,
    settles,
)
from stretchcoach.domain.values import Side

SEEN_SHOWN = timedelta(days=90)  # an acknowledged yes that has since gone stays in view this long
STOP_CODES = ("stop-worsening", "stop-spread-left", "stop-spread-right", "stop-nerve")
# What an acknowledgement may name: warning-sign questions (of any version), stop rules, and a
# leg rested after nerve symptoms.
SETTLEABLE = frozenset(
    list(ALL_CODES) + list(STOP_CODES) + [f"nerve-rest-{side.value}" for side in Side]
)
# How a refusal names the start of each stop rule: "the visit on ... is before ..."
STOP_BEGAN = {
    "stop-worsening": "your pain began to get worse",
    "stop-spread-left": "the pain in your left leg spread below the knee",
    "stop-spread-right": "the pain in your right leg spread below the knee",
    "stop-nerve": "the stretch reached the nerve in both legs",
}


class GateStatus(StrEnum):
    CLEAR = "clear"  # a session may start
    MISSING = "missing"  # the check was never answered
    OVERDUE = "overdue"  # the latest complete check is over 30 days old
    RECHECK = "recheck"  # something changed: the emergency questions again first
    BLOCKED = "blocked"  # a standing yes, or a stop rule: not today


@dataclass(frozen=True, slots=True)
class Gate:
    status: GateStatus
    care: Care | None  # the most urgent care standing, when a yes blocks
    message: str  # to the person: what stands and what to do
    open: tuple[Episode, ...] = ()  # yes answers no one has settled
    settled: tuple[Episode, ...] = ()  # yes answers settled by an acknowledgement
    stops: tuple[str, ...] = ()  # the stop rules in force (STOP_CODES)
    recheck_why: str | None = None
    new_leg: Side | None = None  # pain newly in both legs, not yet seen: the leg it came to
    began: tuple[Began, ...] = ()  # the open yes answers and stop rules, each with its day

    @property
    def began_on(self) -> date | None:
        """The day the latest of them began: a visit settling them all is on or after it."""
        return max((b.on for b in self.began), default=None)

    @property
    def may_start(self) -> bool:
        return self.status is GateStatus.CLEAR

    @property
    def due(self) -> bool:
        """The person must answer questions before a session (not a refusal)."""
        return self.status in (GateStatus.MISSING, GateStatus.OVERDUE, GateStatus.RECHECK)


def gate(history: History, found: Signals, stops: dict[str, datetime]) -> Gate:
    """May a session start now? A standing yes or stop rule first, then a check that is due."""
    zone = history.zone
    all_episodes = episodes(history.checks, history.acknowledgements, zone=zone)
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
        if not any(settles(a, code, began=since, began_on=local_day(since, zone)) for a in acks)
    )
    began = tuple(Began(e.question.code, e.began_on, FIRST_YES) for e in open_) + tuple(
        Began(code, local_day(stops[code], zone), STOP_BEGAN.get(code, "the stop rule began"))
        for code in standing_stops
    )
    new_leg = _new_leg(found, acks, zone)
    if new_leg is not None and found.second_leg_since is not None:
        on = local_day(found.second_leg_since, zone)
        began += (Began(BOTH_LEGS, on, f"the pain came on in your {new_leg.value} leg"),)
    if blocking or new_leg is not None:
        care = min(
            [e.question.care for e in blocking] + ([Care.EMERGENCY] if new_leg else []),
            key=lambda c: c.rank,
        )
        said_by_a_yes = any(e.question.care is care for e in blocking)
        return Gate(
            GateStatus.BLOCKED,
            care,
            _yes_message(blocking, care)
            if said_by_a_yes
            else f"{both_legs_message(new_leg)}, so please {CARE_ACTIONS[care]}",
            open_,
            settled,
            standing_stops,
            new_leg=new_leg,
            began=began,
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
            began=began,
        )
    if standing_stops:
        return Gate(
            GateStatus.BLOCKED,
            None,
            stop_message(standing_stops),
            open_,
            settled,
            standing_stops,
            began=began,
        )
    newest = latest_complete(history.checks)
    if newest is None:
        return Gate(
            GateStatus.MISSING,
            None,
            "the warning-signs check comes before the first session",
            open_,
            settled,
            began=began,
        )
    if overdue(newest, now=history.now):
        return Gate(
            GateStatus.OVERDUE,
            None,
            "your warning-signs check is over 30 days old",
            open_,
            settled,
            began=began,
        )
    return Gate(GateStatus.CLEAR, None, "", open_, settled, began=began)


def _new_leg(found: Signals, acks: Sequence[Acknowledgement], zone: tzinfo) -> Side | None:
    """The leg pain has newly come on in, unless someone has seen the person about it since:
    new pain in both legs is the both-legs warning sign, at its level (emergency)."""
    since = found.second_leg_since
    if found.second_leg is None or since is None:
        return None
    began_on = local_day(since, zone)
    seen = any(settles(a, BOTH_LEGS, began=since, began_on=began_on) for a in acks)
    return None if seen else found.second_leg


def _yes_message(blocking: Sequence[Episode], care: Care) -> str:
    first = min(blocking, key=lambda e: e.first_yes.order_key)
    return (
        f"you answered yes to a warning sign ({len(blocking)} in all, first on "
        f"{first.first_yes.counts_from:%d %b %Y}), so please {CARE_ACTIONS[care]}"
    )


def stops(history: History, found: Signals, plan_rests_both: bool) -> dict[str, datetime]:
    """The stop rules in force, each with when its evidence began: an acknowledgement stored
    after that, of a visit on or after that day, settles it until new evidence comes."""
    stops: dict[str, datetime] = {}
    zone = history.zone
    today = history.now.astimezone(zone).date()

    def acked(code: str) -> list[date]:
        return [local_day(a.stored_at, zone) for a in history.acknowledgements if code in a.codes]

    def midnight(day: date) -> datetime:
        return datetime.combine(day, datetime.min.time(), zone)

    if found.worsening_stop:
        days = _worse_run(found, today) or [today]
        stops["stop-worsening"] = midnight(_run_start(days, acked("stop-worsening")))
    if found.below_knee_persisting:
        first = today - timedelta(days=LOOKBACK_DAYS - 1)
        entries = real_entries(history.entries, history.sessions)
        series = daily_reach(entries, zone=zone, first=first, last=today)
        for side in found.below_knee_persisting:
            code = f"stop-spread-{side.value}"
            known = [(d.day, d.depth) for d in series[side] if d.depth is not None]
            days = _spread_evidence(known) or [today]
            stops[code] = midnight(_run_start(days, acked(code)))
    if plan_rests_both:
        last = real_sessions(history.sessions)[0]
        stops["stop-nerve"] = last.started_at
    return stops


def _worse_run(found: Signals, today: date) -> list[date]:
    """The worse mornings the stop counts (among the last STOP_WINDOW days with ratings, in
    the last STOP_WITHIN_DAYS), and the worse mornings before them that each come within
    STOP_WITHIN_DAYS of the next: one run of worsening."""
    rated = [d for d in found.day_pain if d <= today]
    recent = [d for d in rated if (today - d).days < STOP_WITHIN_DAYS][-STOP_WINDOW:]
    counted = [d for d in recent if d in found.worse_days]
    if not counted:
        return []
    run = [counted[0]]
    for day in sorted((d for d in found.worse_days if d < counted[0]), reverse=True):
        if (run[0] - day).days > STOP_WITHIN_DAYS:
            break
        run.insert(0, day)
    return run + counted[1:]


def _spread_evidence(known: Sequence[tuple[date, int]]) -> list[date]:
    """The days that show the spread: the first of the latest run of recorded days with the
    pain below the knee, and each later day of it reaching further down than all before."""
    run: list[tuple[date, int]] = []
    for day, depth in reversed(known):
        if depth < BELOW_KNEE:
            break
        run.insert(0, (day, depth))
    evidence, deepest = [], -1
    for day, depth in run:
        if depth > deepest:
            evidence.append(day)
            deepest = depth
    return evidence


def _run_start(evidence: Sequence[date], acknowledged: Sequence[date]) -> date:
    """The first day of the current run of evidence (days, oldest first). Evidence on a day
    after an acknowledgement of the rule begins a new run: something changed since."""
    before_latest = [day for day in acknowledged if day < evidence[-1]]
    if not before_latest:
        return evidence[0]
    last = max(before_latest)
    return next(day for day in evidence if day > last)
