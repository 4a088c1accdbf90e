"""Which answers set a phone's record aside, and how a set-aside record is named."""

from __future__ import annotations

import pytest

from stretchcoach.domain.refused import refused_for_good, what_was_sent

ANSWERS = [
    (400, True),
    (404, True),
    (409, True),
    (422, True),
    (401, False),  # the login ended: kept for its owner's next login, not refused
    (403, False),  # a stale token: sent again with a new one
    (408, False),
    (429, False),
    (500, False),
    (503, False),
    (200, False),
]


@pytest.mark.parametrize(("status", "expected"), ANSWERS, ids=[str(a[0]) for a in ANSWERS])
def test_only_a_lasting_refusal_sets_a_record_aside(status: int, expected: bool) -> None:
    assert refused_for_good(status) is expected


PATHS = [
    ("/api/sessions/s/holds/h", "a hold"),
    ("/api/sessions/s/holds/h/felt", "an answer about a hold"),
    ("/api/sessions/s/holds/h/form", "a camera reading of a hold"),
    ("/api/journal/j", "a pain rating"),
    ("/api/sessions/s/finish", "a session's end"),
    ("/api/settings", "a record"),
]


@pytest.mark.parametrize(("path", "words"), PATHS, ids=[p[1] for p in PATHS])
def test_a_set_aside_record_is_named_in_a_persons_words(path: str, words: str) -> None:
    assert what_was_sent(path) == words
