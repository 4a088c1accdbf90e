"""The gate: may a session start now? A standing yes, the stop rules, a check that is due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from stretchcoach.domain.clinical.signals import STOP_WINDOW, History, Signals, real_sessions
from stretchcoach.domain.clinical.words import stop_message
from stretchcoach.domain.safety import ALL_CODES, CARE_ACTIONS, Care
from stretchcoach.domain.screening import Episode, episodes, latest_complete, overdue
from stretchcoach.domain.values import Side

SEEN_SHOWN = timedelta(days=90)  # an acknowledged yes that has since gone stays in view this long
STOP_CODES = ("stop-worsening", "stop-spread-left", "stop-spread-right", "stop-nerve")
# What an acknowledgement may name: warning-sign questions (of any version), stop rules, and a
# leg rested after nerve symptoms.
SETTLEABLE = frozenset(
    list(ALL_CODES) + list(STOP_CODES) + [f"nerve-rest-{side.value}" for side in Side]
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
