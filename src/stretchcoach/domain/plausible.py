"""What a record from elsewhere (an import, the pending journal) may plausibly say.

A record typed by a person or written by another copy of stretchcoach is checked against
what a real session can be: no moment in the future (beyond a few minutes of clock skew
between devices) or before computers kept these records, a session that ends after it
starts, a hold held no longer than planned (a little margin for a late wake-up), and numbers
that fit the store's columns (a 32-bit integer on PostgreSQL).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stretchcoach.errors import InvalidInput

CLOCK_SKEW = timedelta(minutes=5)  # another device's clock may run this much ahead
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
HELD_MARGIN_S = 5.0  # a hold may end a little after its planned length (a late wake-up)
MAX_SECONDS = 600.0  # a hold or a rest, as a routine file allows
MAX_REPS = 50  # holds per leg, as a routine file allows
MAX_HOLD_NUMBER = 2 * MAX_REPS
MAX_SPEED = 1000.0  # a practice clock, as `start --speed` allows
MAX_INTEGER = 2**31 - 1  # a process id, a version: what an INTEGER column holds everywhere


def check_moment(moment: datetime, *, now: datetime) -> datetime:
    """A recorded moment: not before 1970, not after now (plus a few minutes of skew)."""
    if moment < EARLIEST:
        raise InvalidInput(f"{moment.isoformat()} is before 1970: use the real date")
    if moment > now + CLOCK_SKEW:
        raise InvalidInput(
            f"{moment.isoformat()} is in the future (it is {now.isoformat(timespec='seconds')} "
            "now): records can only be of what already happened"
        )
    return moment


def check_after(later: datetime | None, earlier: datetime, what: str) -> None:
    """`later` (an end, a last sign of life) is not before `earlier` (a start)."""
    if later is not None and later < earlier:
        raise InvalidInput(
            f"{later.isoformat()} is before the session started ({earlier.isoformat()}): "
            f"a session's {what} comes after its start"
        )


def check_held(held_s: float, planned_s: float) -> float:
    """Seconds held: at most the planned length and a small margin."""
    if held_s > planned_s + HELD_MARGIN_S:
        raise InvalidInput(
            f"{held_s:g} s is longer than the {planned_s:g} s planned: use at most "
            f"{planned_s + HELD_MARGIN_S:g} s"
        )
    return held_s
