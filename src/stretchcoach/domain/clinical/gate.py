"""The gate: may a session start now? A standing yes, the stop rules, a check that is due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from stretchcoach.domain.clinical.signals import STOP_WINDOW, History, Signals, real_sessions
from stretchcoach.domain.clinical.words import both_legs_message, stop_message
from stretchcoach.domain.safety import CARE_ACTIONS, QUESTIONS, QUESTIONS_V1, Care
from stretchcoach.domain.screening import (
    Acknowledgement,
    Episode,
    episodes,
    latest_complete,
    overdue,
)
from stretchcoach.domain.values import Side

BOTH_LEGS = "both-legs"  # the warning-sign question new pain in the second leg answers
SEEN_SHOWN = timedelta(days=90)  # an acknowledged yes that has since gone stays in view this long
STOP_CODES = ("stop-worsening", "stop-spread-left", "stop-spread-right", "stop-nerve")
# What an acknowledgement may name: warning-sign questions (of any version), stop rules, and a
# leg rested after nerve symptoms.
SETTLEABLE = frozenset(
    [q.code for q in (*QUESTIONS, *QUESTIONS_V1)]
    + list(STOP_CODES)
    + [f"nerve-rest-{side.value}" for side in Side]
)


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

    @property
    def may_start(self) -> bool:
        return self.status is GateStatus.CLEAR

    @property
    def due(self) -> bool:
        """The person must answer questions before a session (not a refusal)."""
        return self.status in (GateStatus.MISSING, GateStatus.OVERDUE, GateStatus.RECHECK)


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
    new_leg = _new_leg(found, acks)
    if blocking or new_leg is not None:
        care = min(
            [e.question.care for e in blocking] + ([Care.EMERGENCY] if new_leg else []),
            key=lambda c: c.rank,
        )
        return Gate(
            GateStatus.BLOCKED,
            care,
            _yes_message(blocking, care)
            if blocking
            else f"{both_legs_message(new_leg)}, so please {CARE_ACTIONS[care]}",
            open_,
            settled,
            standing_stops,
            new_leg=new_leg,
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


def _new_leg(found: Signals, acks: Sequence[Acknowledgement]) -> Side | None:
    """The leg pain has newly come on in, unless someone has seen the person about it since:
    new pain in both legs is the both-legs warning sign, at its level (emergency)."""
    since = found.second_leg_since
    if found.second_leg is None or since is None:
        return None
    seen = any(BOTH_LEGS in a.codes and a.stored_at >= since for a in acks)
    return None if seen else found.second_leg


def _yes_message(blocking: Sequence[Episode], care: Care) -> str:
    first = min(blocking, key=lambda e: e.first_yes.order_key)
    return (
        f"you answered yes to a warning sign ({len(blocking)} in all, first on "
        f"{first.first_yes.counts_from:%d %b %Y}), so please {CARE_ACTIONS[care]}"
    )


def stops(history: History, found: Signals, plan_rests_both: bool) -> dict[str, datetime]:
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
