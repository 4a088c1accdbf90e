"""The warning-signs check: its questions and levels, parsing, and what one check means."""

from __future__ import annotations

import pytest

from stretchcoach.domain.safety import (
    EMERGENCY_CODES,
    QUESTIONS,
    QUESTIONS_V1,
    Care,
    check_answers,
    evaluate,
    pain_rose,
    parse_answers,
    questions_for,
)
from stretchcoach.errors import InvalidInput


def test_the_check_asks_every_red_flag_with_the_most_urgent_first() -> None:
    codes = [q.code for q in QUESTIONS]

    assert len(codes) == len(set(codes))
    assert [q.care.rank for q in QUESTIONS] == sorted(q.care.rank for q in QUESTIONS)
    assert set(EMERGENCY_CODES) == {"saddle-numbness", "bladder", "bowel", "sexual", "both-legs"}
    for missing_before in ("bowel", "sexual", "immune", "bones-steroids", "first-episode-age",
                           "night-pain", "upper-back", "walking"):  # fmt: skip
        assert missing_before in codes
    assert {q.care for q in QUESTIONS} == set(Care)


def test_old_checks_are_read_with_the_questions_they_asked() -> None:
    assert questions_for(1) == QUESTIONS_V1
    outcome = evaluate((False, False, False, False, True, False, False, False), version=1)
    assert outcome.care is Care.SAME_DAY  # a fever, read by today's levels
    with pytest.raises(InvalidInput, match="version 9 is unknown"):
        questions_for(9)


@pytest.mark.parametrize(
    ("yes", "care"),
    [
        ((), None),
        (("not-easing",), Care.ROUTINE),
        (("cancer", "not-easing"), Care.WITHIN_DAYS),
        (("injury", "cancer"), Care.SAME_DAY),
        (("weight-loss", "bladder"), Care.EMERGENCY),
    ],
)
def test_the_most_urgent_yes_sets_the_care(yes: tuple[str, ...], care: Care | None) -> None:
    answers = tuple(q.code in yes for q in QUESTIONS)

    outcome = evaluate(answers)

    assert outcome.care is care
    assert [q.code for q in outcome.yes] == [q.code for q in QUESTIONS if q.code in yes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("none", (False,) * len(QUESTIONS)),
        (
            ",".join(["n"] * (len(QUESTIONS) - 1) + ["yes"]),
            (False,) * (len(QUESTIONS) - 1) + (True,),
        ),
        ("maybe", "not yes or no"),
        ("no,no", f"2 answers given: the check has {len(QUESTIONS)}"),
    ],
    ids=["none", "last-yes", "not-yes-no", "too-few"],
)
def test_scripted_answers_parse_or_say_what_is_allowed(
    text: str, expected: tuple[bool, ...] | str
) -> None:
    if isinstance(expected, str):
        with pytest.raises(InvalidInput, match=expected):
            parse_answers(text)
    else:
        assert parse_answers(text) == expected


def test_a_full_check_needs_every_answer_and_a_partial_one_the_emergency_ones() -> None:
    with pytest.raises(InvalidInput, match="answer 3 is None"):
        check_answers((False, False, None) + (False,) * (len(QUESTIONS) - 3))
    partial = tuple(False if q.code in EMERGENCY_CODES else None for q in QUESTIONS)
    assert check_answers(partial, partial=True) == partial


def test_pain_two_points_higher_after_a_session_is_a_stop_rule() -> None:
    assert pain_rose(3, 5)
    assert not pain_rose(3, 4)
    assert not pain_rose(None, 9)
