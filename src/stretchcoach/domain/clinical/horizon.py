"""Until when a verdict stands by the clock alone, with no new record.

`assess` reads the time in two ways only: the person's local day (today, and the days counted
back from it), and spans measured back from now to a record's time: the sessions of the last
SESSION_DAYS, the ratings of the last ENTRY_DAYS and of the last LOOKBACK_DAYS + 1, an
acknowledged yes kept in view for SEEN_SHOWN, a check that is due SCREEN_EVERY after it was
answered. So from `now` until the person's next local midnight, or until a record's time plus
one of those spans is passed, whichever comes first, the same records give the same verdict.
`steady_until` is that moment: a reader who asks again before it, about the same records, may
use the verdict it already has. tests/unit/test_horizon.py asserts it over random histories:
a rule that reads the clock another way must add its span here.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.domain.clinical.gate import SEEN_SHOWN
from stretchcoach.domain.clinical.inputs import ENTRY_DAYS, SESSION_DAYS, VerdictInputs
from stretchcoach.domain.clinical.signals import LOOKBACK_DAYS
from stretchcoach.domain.safety import SCREEN_EVERY

SPANS = (
    timedelta(days=SESSION_DAYS),
    timedelta(days=ENTRY_DAYS),
    timedelta(days=LOOKBACK_DAYS + 1),
    SEEN_SHOWN,
    SCREEN_EVERY,
)


def steady_until(inputs: VerdictInputs, *, now: datetime, zone: ZoneInfo) -> datetime:
    """The first moment after `now` at which the verdict on `inputs` may read differently."""
    return min(
        local_moment(now.astimezone(zone).date() + timedelta(days=1), time(0), zone),
        first_span_end(record_times(inputs), SPANS, now=now),
    )


def record_times(inputs: VerdictInputs) -> list[datetime]:
    """Every time the summary holds, in order."""
    return sorted(_times(inputs))


def _times(s: VerdictInputs) -> Iterator[datetime]:
    for session in s.sessions:
        yield session.started_at
        yield from (t for t in (session.ended_at, session.last_seen_at) if t is not None)
        yield from (hold.ended_at for hold in session.holds)
    for entry in s.entries:
        yield entry.recorded_at
        if entry.corrected_at is not None:
            yield entry.corrected_at
    for check in s.checks:
        yield check.answered_at
        if check.stored_at is not None:
            yield check.stored_at
    yield from (ack.stored_at for ack in s.acknowledgements)
    yield from (at for at, _ in s.pain)
    yield from (at for at, _, _ in s.folds)
    yield from (t for t in (s.anchor, s.last_session_at, s.screened_at) if t is not None)


def first_span_end(times: list[datetime], spans: Iterable[timedelta], *, now: datetime) -> datetime:
    """The earliest `t + span` not before `now`, over the sorted `times` and every span: the
    first moment a record leaves a window measured back from the clock, or reaches one."""
    found = datetime.max.replace(tzinfo=UTC)
    for span in spans:
        at = bisect_left(times, now - span)  # the first time still within `span` of now
        if at < len(times):
            found = min(found, times[at] + span)
    return found


def local_moment(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """`clock` on `day` in `zone`, in UTC; the earlier reading where DST makes two (or none)."""
    return min(
        datetime.combine(day, clock, zone).replace(fold=fold).astimezone(UTC) for fold in (0, 1)
    )
