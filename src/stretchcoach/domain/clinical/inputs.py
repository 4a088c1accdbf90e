"""What the clinical core reads of a person, kept small: the summary a clinic's store keeps.

`assess` reads a History: the latest sessions, the last two weeks of ratings, every check and
every acknowledgement. A clinic's dashboard judges every patient at each view, so the store
keeps each person's `VerdictInputs` up to date as their records are saved, and the dashboard
reads those instead of the rows behind them. Nothing here decides anything: `history()` gives
back a History for `assess`, the one verdict every surface asks.

The summary is a function of the records alone, never of the clock: it keeps what lies within
KEEP_DAYS of the person's latest record (the `anchor`), and at any time from a day before the
anchor on it holds every record the core and the dashboard's figures look at. Earlier than
that (a phone whose clock ran ahead) it says so (`covers`), and the reader builds one for then.

Checks are kept whole in meaning, not in number (`needed_checks`): a check the core would
never look at again (the middle of a run of yes answers, a no after a no) is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.domain.adherence import Start, start_of
from stretchcoach.domain.clinical.signals import LOOKBACK_DAYS, REPORTED_LEG, History
from stretchcoach.domain.journal import PainEntry
from stretchcoach.domain.screening import (
    Acknowledgement,
    ScreenResult,
    latest_complete,
    latest_covering,
)
from stretchcoach.domain.session import Session, SessionOutline

RECENT_SESSIONS = 4  # the last (the dose), and the last three answered (nerve again and again)
SESSION_DAYS = 60  # sessions older than this say nothing about today's dose or warnings
ENTRY_DAYS = LOOKBACK_DAYS + 2  # ratings the core reads: a margin for zones either side of UTC
FIGURE_DAYS = 32  # the dashboard's last 30 days, with a day either side for the person's zone
SLACK = timedelta(days=1)  # a summary serves from this long before its anchor on
KEEP_DAYS = FIGURE_DAYS + 1  # what a summary keeps before its anchor: FIGURE_DAYS and SLACK


@dataclass(frozen=True, slots=True)
class VerdictInputs:
    """One person's verdict inputs and figures, as of their records (not of any clock).

    `sessions`: the latest RECENT_SESSIONS, whatever their age, newest first, with holds;
    `entries`: current ratings from `anchor - ENTRY_DAYS - SLACK` on, oldest first;
    `checks`: `needed_checks` of every check; `acknowledgements`: every one, oldest first;
    `starts`, `pain`, `folds`: what the dashboard counts and averages, from
    `anchor - KEEP_DAYS` on (each session's local start; (time, score); (session start, fold
    sum, fold count)); `last_session_at`: the latest session's start, whenever it was.
    """

    anchor: datetime | None  # the latest session or rating; None: there is none
    sessions: tuple[Session, ...]
    entries: tuple[PainEntry, ...]
    checks: tuple[ScreenResult, ...]
    acknowledgements: tuple[Acknowledgement, ...]
    starts: tuple[Start, ...]
    last_session_at: datetime | None
    pain: tuple[tuple[datetime, int], ...]
    folds: tuple[tuple[datetime, float, int], ...]
    screened_at: datetime | None

    def covers(self, now: datetime) -> bool:
        """Whether every record looked at `now` is here (else build one for `now`)."""
        return self.anchor is None or now >= self.anchor - SLACK

    def history(self, *, now: datetime, zone: ZoneInfo) -> History:
        """The History the core reads at `now`: what load_history reads from the rows."""
        assert self.covers(now), "a summary read before its anchor: build one for now"
        sessions_since = now - timedelta(days=SESSION_DAYS)
        entries_since = now - timedelta(days=ENTRY_DAYS)
        return History(
            now,
            zone,
            [s for s in self.sessions if s.started_at >= sessions_since],
            [e for e in self.entries if e.recorded_at >= entries_since],
            list(self.checks),
            list(self.acknowledgements),
        )


@dataclass(frozen=True, slots=True)
class Kept:
    """A summary as the store keeps it, and the digest of its stored form: the same digest,
    the same summary (empty: built for one reader and not kept)."""

    digest: str
    inputs: VerdictInputs


def keep_from(anchor: datetime | None) -> tuple[datetime | None, datetime | None]:
    """From when a summary anchored at `anchor` keeps whole ratings, and everything else."""
    if anchor is None:
        return None, None
    return anchor - timedelta(days=ENTRY_DAYS) - SLACK, anchor - timedelta(days=KEEP_DAYS)


def needed_checks(checks: Iterable[ScreenResult]) -> list[ScreenResult]:
    """The checks the core could still look at, in the order they were stored.

    The core reads checks three ways (screening.episodes, latest_complete, signals'
    _recheck_why); each gives the same from these as from all of them:
    - a run of yes answers to one question is an episode known by its first and last yes,
      and it ends at the next no: those three are kept, so every run keeps its bounds and
      runs never merge (a kept check's other answers only repeat what is already there);
    - the latest complete check and the latest that asked the emergency questions;
    - after that, the first check that reported a numb or weaker leg.
    """
    ordered = sorted(checks, key=lambda c: c.order_key)
    keep: set[str] = set()
    running: dict[str, ScreenResult] = {}  # question -> the latest yes of its open run
    for check in ordered:
        for q, answer in check.answered():
            if answer:
                if q.code not in running:
                    keep.add(check.id)  # the first yes of a run
                running[q.code] = check
            elif q.code in running:
                keep.add(running.pop(q.code).id)  # the last yes of the run ...
                keep.add(check.id)  # ... and the no that ends it
    keep.update(c.id for c in running.values())  # the latest yes of each run still open
    for found in (latest_complete(ordered), latest_covering(ordered)):
        if found is not None:
            keep.add(found.id)
    covering = latest_covering(ordered)
    if covering is not None:
        since = covering.order_key[0]
        reported = (
            c
            for c in ordered
            if c.order_key[0] > since
            and any(answer and q.code in REPORTED_LEG for q, answer in c.answered())
        )
        first = next(reported, None)
        if first is not None:
            keep.add(first.id)
    return [c for c in ordered if c.id in keep]


def summarise(
    *,
    sessions: Sequence[Session],
    entries: Sequence[PainEntry],
    checks: Sequence[ScreenResult],
    acknowledgements: Sequence[Acknowledgement],
    outlines: Sequence[SessionOutline],
    folds: Sequence[tuple[datetime, float, int]],
    anchor: datetime | None,
    last_session_at: datetime | None,
) -> VerdictInputs:
    """A person's summary from their records: `sessions` the latest few (newest first),
    `entries`, `outlines` and `folds` at least those kept from `anchor` (keep_from)."""
    entries_from, rest_from = keep_from(anchor)
    kept = [e for e in entries if entries_from is None or e.recorded_at >= entries_from]
    return VerdictInputs(
        anchor=anchor,
        sessions=tuple(sessions[:RECENT_SESSIONS]),
        entries=tuple(kept),
        checks=tuple(needed_checks(checks)),
        acknowledgements=tuple(sorted(acknowledgements, key=lambda a: (a.stored_at, a.id))),
        starts=tuple(
            start_of(o) for o in outlines if rest_from is None or o.started_at >= rest_from
        ),
        last_session_at=last_session_at,
        pain=tuple(
            (e.recorded_at, e.score)
            for e in entries
            if rest_from is None or e.recorded_at >= rest_from
        ),
        folds=tuple(f for f in folds if rest_from is None or f[0] >= rest_from),
        screened_at=max((c.answered_at for c in checks), default=None),
    )
