"""What an imported record may plausibly say: moments, order, how long a hold was held."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stretchcoach.domain.plausible import (
    CLOCK_SKEW,
    HELD_MARGIN_S,
    check_after,
    check_held,
    check_moment,
)
from stretchcoach.errors import InvalidInput

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (NOW, None),
        (NOW + CLOCK_SKEW, None),
        (NOW + CLOCK_SKEW + timedelta(seconds=1), "is in the future"),
        (datetime(2999, 1, 1, tzinfo=UTC), "is in the future"),
        (datetime(1970, 1, 1, tzinfo=UTC), None),
        (datetime(1969, 12, 31, 23, 59, tzinfo=UTC), "before 1970"),
    ],
    ids=["now", "within skew", "past skew", "year 2999", "1970", "1969"],
)
def test_a_moment_has_already_happened(moment: datetime, message: str | None) -> None:
    if message is None:
        assert check_moment(moment, now=NOW) == moment
    else:
        with pytest.raises(InvalidInput, match=message):
            check_moment(moment, now=NOW)


def test_a_session_ends_after_it_starts() -> None:
    check_after(NOW, NOW, "end")
    check_after(None, NOW, "end")

    with pytest.raises(InvalidInput, match="a session's end comes after its start"):
        check_after(NOW - timedelta(seconds=1), NOW, "end")


@pytest.mark.parametrize(
    ("held", "ok"),
    [(30.0, True), (30.0 + HELD_MARGIN_S, True), (30.0 + HELD_MARGIN_S + 0.01, False)],
)
def test_a_hold_is_held_at_most_a_little_longer_than_planned(held: float, ok: bool) -> None:
    if ok:
        assert check_held(held, 30.0) == held
    else:
        with pytest.raises(InvalidInput, match="longer than the 30 s planned"):
            check_held(held, 30.0)
