"""Logging pain from the terminal: checked first, nothing written on bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stretchcoach.domain.journal import PainContext, PainSite, Region, parse_score
from stretchcoach.domain.values import Side
from stretchcoach.errors import InvalidInput
from stretchcoach.services.journal import log_pain, recent_entries
from stretchcoach.testing import FakeUnitOfWork

NOW = datetime(2026, 3, 10, 6, 45, tzinfo=UTC)


def test_a_rating_is_kept_with_where_and_when() -> None:
    uow = FakeUnitOfWork()

    entry = log_pain(
        4,
        where="left:thigh, left:calf,right:buttock",
        note="stiff after the drive",
        user_id="u",
        uow=uow,
        now=NOW,
        time_zone="Europe/Paris",
    )

    assert uow.journal.get(entry.id) == entry
    assert entry.sites == {
        PainSite(Side.LEFT, Region.THIGH),
        PainSite(Side.LEFT, Region.CALF),
        PainSite(Side.RIGHT, Region.BUTTOCK),
    }
    assert (entry.recorded_at, entry.time_zone) == (NOW, "Europe/Paris")
    assert entry.context is PainContext.STANDALONE
    assert uow.committed == 1


@pytest.mark.parametrize(
    ("score", "where", "note", "message"),
    [
        (11, "", "", "pain 11 is not on the scale"),
        (-1, "", "", "from 0 .no pain. to 10"),
        (3, "left:knee", "", "unknown place 'knee' in pain site 'left:knee': PLACE is one of"),
        (3, "middle:thigh", "", "SIDE is left or right"),
        (3, "thigh", "", "PLACE is one of lower-back, buttock"),
        (0, "left:calf", "", "pain 0 means no pain"),
        (3, "", "x" * 501, "at most 500 are allowed"),
    ],
    ids=[
        "too-high",
        "negative",
        "unknown-place",
        "unknown-side",
        "no-side",
        "zero-with-place",
        "long-note",
    ],
)
def test_bad_input_says_what_is_allowed_and_writes_nothing(
    score: int, where: str, note: str, message: str
) -> None:
    uow = FakeUnitOfWork()

    with pytest.raises(InvalidInput, match=message):
        log_pain(score, where=where, note=note, user_id="u", uow=uow, now=NOW, time_zone="UTC")

    assert uow.journal.entries("u") == []
    assert uow.committed == 0


def test_recent_entries_are_the_persons_own_within_the_days_asked() -> None:
    uow = FakeUnitOfWork()
    for days, user in [(20, "u"), (3, "u"), (1, "other"), (0, "u")]:
        log_pain(2, user_id=user, uow=uow, now=NOW - timedelta(days=days), time_zone="UTC")

    recent = recent_entries("u", uow=uow, now=NOW, days=14)

    assert [e.recorded_at for e in recent] == [NOW - timedelta(days=3), NOW]
    assert len(recent_entries("u", uow=uow, now=NOW)) == 3
    with pytest.raises(InvalidInput, match="--days 0"):
        recent_entries("u", uow=uow, now=NOW, days=0)


@pytest.mark.parametrize(("text", "score"), [("0", 0), (" 7 ", 7), ("10", 10), ("+3", 3)])
def test_a_typed_rating_is_a_whole_number_on_the_scale(text: str, score: int) -> None:
    assert parse_score(text) == score


@pytest.mark.parametrize("text", ["11", "-1", "abc", "3.5", "", "seven"])
def test_a_typed_rating_off_the_scale_says_what_is_allowed(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"whole number from 0 \(no pain\) to 10"):
        parse_score(text)


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("", ""),
        ("left:calf", "left calf"),
        ("right:big-toe,left:lower-back", "left lower back, right big toe"),
        ("left:foot,left:buttock,left:thigh", "left buttock, left thigh, left foot"),
    ],
    ids=["nowhere", "one", "left-first", "down-the-leg"],
)
def test_places_read_in_words_left_leg_first_down_the_nerve(spec: str, words: str) -> None:
    from stretchcoach.domain.journal import parse_sites, places_words

    assert places_words(parse_sites(spec)) == words


def test_every_place_has_its_words_and_the_reach_chart_uses_them() -> None:
    from stretchcoach.domain.centralisation import depth_label
    from stretchcoach.domain.journal import region_words

    assert [depth_label(r.depth) for r in Region] == [region_words(r) for r in Region]
    assert region_words(Region.BIG_TOE) == "big toe"
