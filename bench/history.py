"""A believable history for one person, to measure and to look at: `fill(uow, user, now, days)`.

Mornings on most days (some missed, a few in the evening, a few stopped early), pain that
eases over the first weeks with the odd flare, where it reaches down the left leg following
the pain, a rating before and after each session and some on their own, what each hold felt
like (now and then the nerve), and a warning-signs check every four weeks. Seeded, so two
runs build the same history.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import Hold, Session, new_id
from stretchcoach.domain.values import SessionStatus, Side

ZONE = "Europe/London"
REACH = ["lower-back", "buttock", "thigh", "calf", "foot"]


def pain_on(day: int, rng: random.Random) -> float:
    """The day's underlying pain: easing from 6.5 toward 2.5, a flare every few months."""
    settling = 2.5 + 4.0 * math.exp(-day / 35)
    flare = 2.5 * max(0.0, math.sin(day / 23.0)) ** 12
    return min(10.0, max(0.0, settling + flare + rng.gauss(0, 0.6)))


def sites_for(pain: float) -> str:
    depth = min(len(REACH) - 1, max(0, int((pain - 1.0) / 1.4)))
    left = f"left:{REACH[depth]}"
    return f"{left},right:buttock" if pain > 6 else left


def fill(
    uow: SqlUnitOfWork, user: str, now: datetime, days: int, *, seed: int = 7, zone: str = ZONE
) -> dict[str, int]:
    """Add `days` days of history up to yesterday; return how many of each record."""
    rng = random.Random(seed)
    local_zone = ZoneInfo(zone)
    today = now.astimezone(local_zone).date()
    counts = {"sessions": 0, "holds": 0, "pain": 0, "screens": 0}
    with uow:
        for n, back in enumerate(range(days, 0, -1)):
            day = today - timedelta(days=back)
            pain = pain_on(n, rng)
            if n % 28 == 0:
                at = datetime.combine(day, time(6, 55), local_zone).astimezone(UTC)
                uow.screens.add(ScreenResult(new_id(), user, at, (False,) * 8))
                counts["screens"] += 1
            if rng.random() < 0.2:
                at = datetime.combine(day, time(21, rng.randrange(60)), local_zone)
                score = round(min(10, pain + 0.5))
                uow.journal.add(
                    PainEntry(
                        new_id(),
                        user,
                        at.astimezone(UTC),
                        zone,
                        score,
                        parse_sites(sites_for(pain)),
                    )
                )
                counts["pain"] += 1
            if rng.random() > 0.85:
                continue  # a morning missed
            hour = 18 if rng.random() < 0.08 else rng.choice((6, 7, 7, 8))
            local = datetime.combine(day, time(hour, rng.randrange(60)), local_zone)
            start = local.astimezone(UTC)
            hold_s = 30.0 if n < 20 else 40.0
            settings = SessionSettings(hold_s, 3, Side.LEFT, 10.0)
            stopped = rng.random() < 0.04
            session = Session(
                new_id(),
                user,
                "seated-hamstring",
                "Seated hamstring stretch",
                start,
                zone,
                settings,
                status=SessionStatus.STOPPED if stopped else SessionStatus.COMPLETED,
                ended_at=start + timedelta(minutes=5),
            )
            uow.sessions.add(session)
            counts["sessions"] += 1
            for number in range(1, 4 if stopped else 7):
                side = Side.LEFT if number % 2 else Side.RIGHT
                nerve = rng.random() < (0.02 + 0.05 * max(0.0, pain - 5))
                felt = Felt.NERVE if nerve else rng.choice((Felt.PULL,) * 5 + (Felt.NOTHING,))
                ended = start + timedelta(seconds=number * (hold_s + 10))
                uow.sessions.add_hold(
                    Hold(new_id(), session.id, number, side, hold_s, hold_s, True, ended, felt)
                )
                counts["holds"] += 1
            before = round(pain)
            after = max(0, before - rng.choice((0, 1, 1, 2))) if rng.random() > 0.03 else before + 2
            for context, score in ((PainContext.BEFORE, before), (PainContext.AFTER, after)):
                uow.journal.add(
                    PainEntry(
                        new_id(),
                        user,
                        start,
                        zone,
                        min(10, score),
                        parse_sites(sites_for(score)),
                        context,
                        session.id,
                    )
                )
                counts["pain"] += 1
        uow.commit()
    return counts
