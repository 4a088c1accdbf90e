"""The warning-signs check: its questions and levels, parsing, and what one check means."""

from __future__ import annotations

import pytest

from stretchcoach.domain.safety import (
    ALL_CODES,
    ANSWER_SCRIPTED,
    EMERGENCY_CODES,
    QUESTIONS,
    QUESTIONS_V1,
    SCREEN_ABOUT,
    SCREEN_INTRO,
    SCREEN_VERSION,
    Care,
    Question,
    check_answers,
    evaluate,
    pain_rose,
    parse_answers,
    questions_for,
)
from stretchcoach.errors import InvalidInput


def test_the_check_asks_every_red_flag_with_the_emergency_questions_first() -> None:
    codes = [q.code for q in QUESTIONS]

    assert len(codes) == len(set(codes))
    assert codes[: len(EMERGENCY_CODES)] == list(EMERGENCY_CODES)
    assert set(EMERGENCY_CODES) == {"saddle-numbness", "bladder", "bowel", "sexual", "both-legs"}
    # New numbness in one leg is asked next to a weakening leg, the rest most urgent first.
    assert codes[codes.index("leg-weaker") + 1] == "leg-numbness"
    rest = [q.care.rank for q in QUESTIONS if q.code != "leg-numbness"]
    assert rest == sorted(rest)
    for missing_before in ("bowel", "sexual", "immune", "bones-steroids", "night-pain",
                           "upper-back", "walking", "infection", "spine-procedure",
                           "new-pain-age", "leg-numbness"):  # fmt: skip
        assert missing_before in codes
    assert {q.care for q in QUESTIONS} == set(Care)


def _asked(code: str) -> Question:
    return next(q for q in QUESTIONS if q.code == code)


@pytest.mark.parametrize(
    ("code", "care"),
    [
        ("cancer", Care.WITHIN_DAYS),
        ("infection", Care.WITHIN_DAYS),
        ("spine-procedure", Care.WITHIN_DAYS),
        ("new-pain-age", Care.WITHIN_DAYS),
        ("night-pain", Care.WITHIN_DAYS),
        ("unwell", Care.SAME_DAY),  # a fever stays same-day
        ("leg-numbness", Care.ROUTINE),
    ],
)
def test_the_third_version_questions_call_for_their_level_alone(code: str, care: Care) -> None:
    outcome = evaluate(tuple(q.code == code for q in QUESTIONS))

    assert outcome.care is care
    assert [q.code for q in outcome.yes] == [code]
    assert care.blocks is (care is not Care.ROUTINE)
    assert _asked(code).clinical and _asked(code).clinical != _asked(code).text


def test_the_third_version_asks_about_age_at_50_and_night_pain_that_does_not_ease() -> None:
    age, night = _asked("new-pain-age"), _asked("night-pain")

    assert "50" in age.text and "55" not in age.text and "first ever" not in age.text
    assert "under 20" in age.text
    assert "all the time" not in night.text and "night" in night.text
    assert "rest" in night.text and "position" in night.text
    assert _asked("cancer").text == "Have you ever had cancer?"  # at any age
    assert "urine" in _asked("infection").text
    assert "injection" in _asked("spine-procedure").text
    assert "one leg" in _asked("leg-numbness").text


@pytest.mark.parametrize(
    ("version", "count", "codes"),
    [
        (1, 8, ("bladder-bowel", "leg-weakness")),
        (2, 17, ("first-episode-age", "night-pain")),
        (3, 20, ("new-pain-age", "infection", "spine-procedure", "leg-numbness")),
    ],
)
def test_each_version_keeps_its_own_questions(
    version: int, count: int, codes: tuple[str, ...]
) -> None:
    asked = questions_for(version)

    assert len(asked) == count
    assert set(codes) <= {q.code for q in asked}
    assert {q.code for q in asked} <= ALL_CODES
    check_answers((False,) * count, version=version)
    with pytest.raises(InvalidInput, match=f"the check has {count} questions"):
        check_answers((False,) * (count + 1), version=version)


def test_the_current_version_is_the_third() -> None:
    assert SCREEN_VERSION == 3
    assert questions_for(SCREEN_VERSION) == QUESTIONS
    assert str(len(QUESTIONS)) in SCREEN_INTRO and str(len(QUESTIONS)) in SCREEN_ABOUT


def test_a_second_version_check_is_read_with_its_own_questions() -> None:
    v2 = questions_for(2)
    first_episode = tuple(q.code == "first-episode-age" for q in v2)

    outcome = evaluate(first_episode, version=2)

    assert outcome.care is Care.WITHIN_DAYS
    assert [q.text for q in outcome.yes] == [
        "Is this your first ever back pain or sciatica, and are you under 20 or over 55?"
    ]
    # Read by the third version's order, the same answers would name another question.
    assert evaluate(first_episode + (False,) * 3).yes != outcome.yes


def test_old_checks_are_read_with_the_questions_they_asked() -> None:
    assert questions_for(1) == QUESTIONS_V1
    outcome = evaluate((False, False, False, False, True, False, False, False), version=1)
    assert outcome.care is Care.SAME_DAY  # a fever, read by today's levels
    with pytest.raises(InvalidInput, match="version 9 is unknown"):
        questions_for(9)


def test_no_hint_shows_how_to_answer_no_to_everything() -> None:
    assert "none" not in ANSWER_SCRIPTED
    assert "--answers" in ANSWER_SCRIPTED and "--questions" in ANSWER_SCRIPTED
    for text in ("maybe", "no,no"):
        with pytest.raises(InvalidInput) as error:
            parse_answers(text)
        assert "none" not in str(error.value)


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
