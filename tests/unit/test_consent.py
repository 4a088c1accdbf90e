"""The first visit's words and its consent: asked once per wording, a no keeps nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from stretchcoach.domain.consent import (
    CONSENT_VERSION,
    WHAT_IT_IS,
    WHAT_IT_IS_NOT,
    Consent,
    KeptOn,
    first_run_lines,
    needs_consent,
)
from stretchcoach.domain.safety import EMERGENCY_CODES, EMERGENCY_SIGNS, QUESTIONS
from stretchcoach.domain.user import LOCAL_USER_ID
from stretchcoach.services.consent import consent_given, first_visit, give_consent
from stretchcoach.services.safety import answer_screen
from stretchcoach.testing import FakeUnitOfWork

NOW = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


def test_there_is_one_emergency_sign_for_each_emergency_question() -> None:
    assert len(EMERGENCY_SIGNS) == len(EMERGENCY_CODES) == 5
    assert len(set(EMERGENCY_SIGNS)) == len(EMERGENCY_SIGNS)


def test_the_terminals_first_run_says_what_the_first_visit_says() -> None:
    lines = first_run_lines("112")

    assert lines[:2] == (WHAT_IT_IS, WHAT_IT_IS_NOT)
    assert "call 112" in lines[2]
    assert all(sign in lines[2] for sign in EMERGENCY_SIGNS)
    assert "not medical advice" in WHAT_IT_IS_NOT and "does not diagnose" in WHAT_IT_IS_NOT


def test_only_a_yes_to_the_current_words_settles_the_first_visit() -> None:
    old = Consent("a", LOCAL_USER_ID, NOW, CONSENT_VERSION - 1, KeptOn.DEVICE)
    current = Consent("b", LOCAL_USER_ID, NOW, CONSENT_VERSION, KeptOn.DEVICE)

    assert needs_consent([])
    assert needs_consent([old])
    assert not needs_consent([old, current])


def test_a_yes_is_kept_once_with_its_time_and_place() -> None:
    uow = FakeUnitOfWork()

    first = give_consent(LOCAL_USER_ID, KeptOn.SERVER, uow=uow, now=NOW)
    again = give_consent(LOCAL_USER_ID, KeptOn.SERVER, uow=uow, now=NOW.replace(hour=9))

    assert again == first
    assert uow.consents.given(LOCAL_USER_ID) == [first]
    assert (first.given_at, first.version, first.kept_on) == (NOW, CONSENT_VERSION, KeptOn.SERVER)
    assert consent_given(LOCAL_USER_ID, uow=uow) == first
    assert uow.committed == 1


def test_someone_with_records_already_or_a_yes_is_past_the_first_visit() -> None:
    fresh, kept, agreed = FakeUnitOfWork(), FakeUnitOfWork(), FakeUnitOfWork()
    answer_screen((False,) * len(QUESTIONS), user_id=LOCAL_USER_ID, uow=kept, now=NOW)
    give_consent(LOCAL_USER_ID, KeptOn.DEVICE, uow=agreed, now=NOW)

    assert first_visit(LOCAL_USER_ID, uow=fresh)
    assert not first_visit(LOCAL_USER_ID, uow=kept)
    assert not first_visit(LOCAL_USER_ID, uow=agreed)
    assert consent_given(LOCAL_USER_ID, uow=fresh) is None
