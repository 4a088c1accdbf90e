"""The morning check-in's answers: what each one says yes or no to, and how they are typed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stretchcoach.domain.checkin import (
    NO_SYMPTOMS,
    NOT_ASKED,
    Change,
    Numb,
    Symptoms,
    parse_changed,
    parse_numb,
    parse_weaker,
    symptoms_from_choices,
    symptoms_from_options,
)
from stretchcoach.domain.journal import parse_sites
from stretchcoach.domain.safety import QUESTIONS, Care, by_code, check_answers, evaluate
from stretchcoach.domain.values import Side
from stretchcoach.errors import InvalidInput

L, R = Side.LEFT, Side.RIGHT


@pytest.mark.parametrize(
    ("symptoms", "sites", "expected"),
    [
        (NO_SYMPTOMS, "left:calf", {
            "leg-numbness": False, "saddle-numbness": False, "leg-weaker": False,
            "bladder": False, "bowel": False, "sexual": False, "both-legs": False,
        }),
        (Symptoms(frozenset({Numb.LEFT}), frozenset(), frozenset()), "", {
            "leg-numbness": True, "saddle-numbness": False, "both-legs": False,
        }),
        (Symptoms(frozenset({Numb.LEFT, Numb.RIGHT}), frozenset(), frozenset()), "", {
            "leg-numbness": False, "both-legs": True,
        }),
        (Symptoms(frozenset({Numb.SADDLE}), frozenset(), frozenset()), "", {
            "saddle-numbness": True, "leg-numbness": False,
        }),
        (Symptoms(frozenset(), frozenset({L, R}), frozenset()), "", {
            "leg-weaker": True, "both-legs": True,
        }),
        (Symptoms(frozenset(), frozenset({R}), frozenset()), "", {
            "leg-weaker": True, "both-legs": False,
        }),
        (Symptoms(frozenset(), frozenset(), frozenset({Change.FEELING})), "", {
            "saddle-numbness": True, "bladder": False,
        }),
        (Symptoms(frozenset(), frozenset(), frozenset({Change.PEEING, Change.SEX})), "", {
            "bladder": True, "sexual": True, "bowel": False,
        }),
    ],
    ids=["all-no", "one-leg-numb", "both-legs-numb", "saddle", "both-weaker", "one-weaker",
         "feeling-between-the-legs", "peeing-and-sex"],
)  # fmt: skip
def test_each_answer_is_a_yes_or_no_to_its_warning_sign(
    symptoms: Symptoms, sites: str, expected: dict[str, bool]
) -> None:
    found = symptoms.answers(parse_sites(sites))

    assert {code: found[code] for code in expected} == expected


def test_pain_in_both_legs_leaves_the_both_legs_question_to_the_core() -> None:
    found = NO_SYMPTOMS.answers(parse_sites("left:calf,right:thigh"))

    assert "both-legs" not in found  # whether it is new is the history's to say
    assert found["leg-numbness"] is False


def test_pain_in_the_back_on_both_sides_is_not_both_legs() -> None:
    assert NO_SYMPTOMS.answers(parse_sites("left:lower-back,right:buttock"))["both-legs"] is False


def test_a_question_not_asked_answers_nothing() -> None:
    assert NOT_ASKED.answers() == {}
    assert not NOT_ASKED.asked and not NOT_ASKED.complete
    assert Symptoms(weaker=frozenset()).answers() == {"leg-weaker": False}


@given(
    numb=st.frozensets(st.sampled_from(list(Numb))),
    weaker=st.frozensets(st.sampled_from(list(Side))),
    changed=st.frozensets(st.sampled_from(list(Change))),
)
def test_any_answers_make_a_check_the_core_can_read(
    numb: frozenset[Numb], weaker: frozenset[Side], changed: frozenset[Change]
) -> None:
    answers = by_code(Symptoms(numb, weaker, changed).answers())
    checked = check_answers(answers, reported=True)
    outcome = evaluate(checked)

    said_yes = bool(numb - {Numb.LEFT, Numb.RIGHT} or changed or len(numb) == 2 or weaker)
    assert (outcome.care in (Care.EMERGENCY, Care.SAME_DAY)) is said_yes
    assert len(checked) == len(QUESTIONS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no", frozenset()),
        ("N", frozenset()),
        ("left", frozenset({Numb.LEFT})),
        ("r", frozenset({Numb.RIGHT})),
        ("both", frozenset({Numb.LEFT, Numb.RIGHT})),
        ("l,s", frozenset({Numb.LEFT, Numb.SADDLE})),
        (" saddle ", frozenset({Numb.SADDLE})),
        ("no, none, n, nothing, nowhere, 0", frozenset()),  # every way of saying no at once
    ],
)
def test_numbness_is_typed_as_where(text: str, expected: frozenset[Numb]) -> None:
    assert parse_numb(text) == expected


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (parse_numb, ""),
        (parse_numb, "elbow"),
        (parse_weaker, "saddle"),
        (parse_weaker, ""),
        (parse_changed, "5"),
        (parse_changed, "sometimes"),
    ],
)
def test_an_answer_that_is_not_one_says_what_is_allowed(parse: object, text: str) -> None:
    assert callable(parse)
    with pytest.raises(InvalidInput, match="is not an answer: use no"):
        parse(text)


def test_weaker_and_changed_are_typed_as_words_or_numbers() -> None:
    assert parse_weaker("both") == frozenset({L, R})
    assert parse_weaker("no") == frozenset()
    assert parse_changed("1,3") == frozenset({Change.PEEING, Change.FEELING})
    assert parse_changed("bowels, sex") == frozenset({Change.BOWELS, Change.SEX})


def test_options_name_themselves_in_the_message() -> None:
    with pytest.raises(InvalidInput, match=r"^--weaker: weaker 'up' is not an answer"):
        symptoms_from_options(None, "up", None)
    assert symptoms_from_options(None, None, None) == NOT_ASKED
    assert symptoms_from_options("no", "no", "no") == NO_SYMPTOMS


def test_a_forms_ticks_become_answers_and_no_with_a_yes_is_refused() -> None:
    assert symptoms_from_choices([], [], []) == NOT_ASKED
    found = symptoms_from_choices(["left"], ["no"], ["peeing", "bowels"])
    assert found == Symptoms(
        frozenset({Numb.LEFT}), frozenset(), frozenset({Change.PEEING, Change.BOWELS})
    )
    assert symptoms_from_choices([], ["both"], []).weaker == frozenset({L, R})
    with pytest.raises(InvalidInput, match="'No' and a yes") as refused:
        symptoms_from_choices(["no", "saddle"], [], [])
    assert refused.value.field == "numb"


def test_every_way_of_saying_no_at_once_is_still_no() -> None:
    every_no = "no, none, n, nothing, nowhere, 0"
    assert parse_changed(every_no) == frozenset()
    assert parse_weaker(every_no) == frozenset()


def test_a_check_in_that_leaves_both_legs_to_the_pain_still_asked_the_urgent_signs() -> None:
    from datetime import UTC, datetime

    from stretchcoach.domain.safety import SCREEN_VERSION
    from stretchcoach.domain.screening import ScreenResult, covers_emergency

    at = datetime(2026, 3, 2, 7, tzinfo=UTC)
    answers = by_code(NO_SYMPTOMS.answers(parse_sites("left:calf,right:calf")))
    without_saddle = tuple(
        None if q.code == "saddle-numbness" else a for q, a in zip(QUESTIONS, answers, strict=True)
    )

    assert covers_emergency(ScreenResult("a", "u", at, answers, SCREEN_VERSION))
    assert not covers_emergency(ScreenResult("b", "u", at, without_saddle, SCREEN_VERSION))


@pytest.mark.parametrize(
    ("numb", "weaker", "sites", "both"),
    [
        ({Numb.LEFT}, {R}, "", True),  # numb in one leg, weaker in the other: both legs
        ({Numb.LEFT}, set(), "right:calf", None),  # pain in the other leg: the core decides
        ({Numb.LEFT}, {L}, "left:calf", False),  # all in one leg
        (set(), set(), "", False),
        ({Numb.SADDLE}, set(), "left:thigh,right:thigh", None),
    ],
)
def test_both_legs_counts_numbness_weakness_and_pain_together(
    numb: set[Numb], weaker: set[Side], sites: str, both: bool | None
) -> None:
    found = Symptoms(frozenset(numb), frozenset(weaker), frozenset()).answers(parse_sites(sites))

    assert found.get("both-legs") is both
