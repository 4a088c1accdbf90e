"""What a person's history shows, before any decision: the day's pain and worse mornings,
pain after a session, where the pain reaches on each leg, a second leg, nerve answers, and
why the emergency questions are due again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.domain.centralisation import DayReach, Direction, daily_reach, direction
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext, PainEntry, Region, leg_sides
from stretchcoach.domain.safety import LEG_NUMBNESS, LEG_WEAKER, pain_rose
from stretchcoach.domain.screening import Acknowledgement, ScreenResult, latest_covering
from stretchcoach.domain.session import Session
from stretchcoach.domain.trends import TOP_BAND, noticeable_rise
from stretchcoach.domain.values import SessionStatus, Side

REFERENCE_DAYS = 3  # earlier days with ratings that set the reference for a morning
LOOKBACK_DAYS = 14  # how far back a reference, a spread or a second leg is looked for
STANDING_DAYS = 3  # a worse morning stands while it is this recent and the latest
STOP_MORNINGS = 2  # worse mornings among the last STOP_WINDOW days with ratings ...
STOP_WINDOW = 3
STOP_WITHIN_DAYS = 7  # ... within this many days
STOP_FROM_PAIN = 4  # ... one of them at 4 or more: mild pain (0-3) creeping up holds the dose
# but never stops the stretch
NO_LONGER_FROM = 8  # a standing day at 8 or more never gets a longer hold
SEVERE_PAIN = TOP_BAND  # a standing day at 9 or 10 is always a flag, whatever the trend
NERVE_REPEAT = 2  # nerve answers in this many of the last NERVE_WINDOW sessions: a flag
NERVE_WINDOW = 3
JUMP_SCORE = TOP_BAND  # a rating of 9 or 10 after a lower one asks the emergency questions again
BELOW_KNEE = Region.CALF.depth


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
class Signals:
    """What the history shows, before any decision."""

    today: date  # the person's local day now
    day_pain: dict[date, int]
    worse_days: tuple[date, ...]
    worsening_now: bool
    high_pain: tuple[date, int] | None  # the latest rated day and its pain, when standing and
    # at NO_LONGER_FROM or more
    worsening_stop: bool
    pain_rose_after: bool
    directions: dict[Side, Direction]  # where the pain is heading on each leg, 14 days
    reach: dict[Side, int | None]  # how far down each leg it reached on the latest day that
    # says so, within 14 days: a Region.depth, NO_PAIN, or None when nothing says
    spreading: tuple[Side, ...]
    below_knee_persisting: tuple[Side, ...]
    second_leg: Side | None  # pain newly in both legs: the both-legs warning sign
    second_leg_since: datetime | None
    recheck_why: str | None
    nerve_repeated: bool
    unfinished_last: bool


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
    """Days whose pain is above the reference of the days before by a rise most people notice.

    The reference is the mean of the up to REFERENCE_DAYS earlier days with ratings in the
    past LOOKBACK_DAYS; the rise is `trends.noticeable_rise`: 2 points or 30% of the reference,
    whichever is more, capped at what it takes to reach 9, never under 1 point. So a higher day
    is never less worse, a fall is never worse, and from any reference of 9 or less some
    rating on the scale is worse: 8 -> 10 is, 0 -> 1 -> 2 is not."""
    ordered = sorted(days)
    worse = []
    for i, day in enumerate(ordered):
        earlier = [d for d in ordered[:i] if (day - d).days <= LOOKBACK_DAYS][-REFERENCE_DAYS:]
        if not earlier:
            continue
        reference = sum(days[d] for d in earlier) / len(earlier)
        if days[day] - reference >= noticeable_rise(reference):
            worse.append(day)
    return worse


def worsening_stops(days: dict[date, int], worse: Sequence[date], *, today: date) -> bool:
    """The worsening stop: STOP_MORNINGS worse mornings among the last STOP_WINDOW days with
    ratings, within STOP_WITHIN_DAYS of today, at least one of them at STOP_FROM_PAIN or more
    (worse mornings that all stay in mild pain, 0-3, hold the dose but never stop)."""
    rated = [d for d in sorted(days) if d <= today]
    recent = [d for d in rated if (today - d).days < STOP_WITHIN_DAYS][-STOP_WINDOW:]
    counted = [d for d in recent if d in worse]
    return len(counted) >= STOP_MORNINGS and any(days[d] >= STOP_FROM_PAIN for d in counted)


def nerve_sides(session: Session) -> tuple[Side, ...]:
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
    standing = latest_day is not None and (today - latest_day).days < STANDING_DAYS
    worsening_now = standing and latest_day in worse
    high = (
        (latest_day, days[latest_day])
        if standing and latest_day is not None and days[latest_day] >= NO_LONGER_FROM
        else None
    )
    worsening_stop = worsening_stops(days, worse, today=today)

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
    answered = [s for s in sessions if any(h.felt for h in s.holds)][:NERVE_WINDOW]
    repeated = sum(1 for s in answered if nerve_sides(s)) >= NERVE_REPEAT
    return Signals(
        today=today,
        day_pain=days,
        worse_days=tuple(worse),
        worsening_now=worsening_now,
        high_pain=high,
        worsening_stop=worsening_stop,
        pain_rose_after=rose,
        directions=moved,
        reach={side: latest_reach(series[side]) for side in Side},
        spreading=tuple(spreading),
        below_knee_persisting=tuple(persisting),
        second_leg=second[0] if second else None,
        second_leg_since=second[1].recorded_at if second else None,
        recheck_why=_recheck_why(entries, history.checks, sessions),
        nerve_repeated=repeated,
        unfinished_last=last is not None and last.status is not SessionStatus.COMPLETED,
    )


def latest_reach(series: Sequence[DayReach]) -> int | None:
    """The furthest the pain reached on the latest day of one leg's series that says."""
    return next((d.depth for d in reversed(series) if d.depth is not None), None)


def _second_leg(entries: Sequence[PainEntry]) -> tuple[Side, PainEntry] | None:
    """The leg pain has newly come on in, and the rating that first placed it there: it stands
    while every placed rating since has pain in both legs (the thigh or further down), and no
    rating before that run had placed pain in both."""
    placed = [e for e in entries if e.score > 0 and leg_sides(e.sites)]
    run = len(placed)
    while run > 0 and len(leg_sides(placed[run - 1].sites)) == 2:
        run -= 1
    if run in (0, len(placed)):  # in both legs all along, or not in both now
        return None
    before = {side for e in placed[:run] for side in leg_sides(e.sites)}
    if len(before) != 1:
        return None
    (side,) = set(Side) - before
    return side, placed[run]


REPORTED_LEG = (LEG_NUMBNESS, LEG_WEAKER)  # a leg reported numb or weaker: ask again


def _recheck_why(
    entries: Sequence[PainEntry], checks: Sequence[ScreenResult], sessions: Sequence[Session]
) -> str | None:
    """Why the emergency questions must be asked again, if something changed since the latest
    check that asked them (the whole check, the emergency questions again, or a morning
    check-in)."""
    newest_check = latest_covering(checks)
    if newest_check is None:
        return None
    since = newest_check.order_key[0]
    for check in sorted(checks, key=lambda c: c.order_key):
        if check.order_key[0] <= since:
            continue
        if any(answer and q.code in REPORTED_LEG for q, answer in check.answered()):
            return "you reported new numbness or weakness in a leg"
    for session in sessions:
        if session.started_at > since and len(nerve_sides(session)) == 2:
            return "the stretch brought tingling or shooting below the knee in both legs"
    ordered = sorted(entries, key=lambda e: e.recorded_at)
    for i, entry in enumerate(ordered):
        if entry.recorded_at <= since:
            continue
        before = ordered[i - 1].score if i else None
        if entry.score >= JUMP_SCORE and (before is None or before < JUMP_SCORE):
            return f"your pain jumped to {entry.score}"
    return None
