"""The morning check-in's three questions (domain/checkin.py): what each typed or tapped answer
means, and which warning-sign question it answers yes or no."""

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
    ("text", "numb"),
    [
        ("n", set()),
        ("no, none", set()),
        ("l", {Numb.LEFT}),
        ("right", {Numb.RIGHT}),
        ("b", {Numb.LEFT, Numb.RIGHT}),
        ("both", {Numb.LEFT, Numb.RIGHT}),
        ("l,s", {Numb.LEFT, Numb.SADDLE}),
        ("between", {Numb.SADDLE}),
    ],
)
def test_numbness_is_read_as_where_it_is(text: str, numb: set[Numb]) -> None:
    assert parse_numb(text) == numb


@pytest.mark.parametrize(
    ("text", "weaker"),
    [("n", set()), ("left", {L}), ("r", {R}), ("b", {L, R}), ("both", {L, R}), ("l r", {L, R})],
)
def test_a_weaker_leg_is_read_as_which(text: str, weaker: set[Side]) -> None:
    assert parse_weaker(text) == weaker


@pytest.mark.parametrize(
    ("text", "changed"),
    [
        ("no", set()),
        ("1", {Change.PEEING}),
        ("bowels,3", {Change.BOWELS, Change.FEELING}),
        ("pee, sex", {Change.PEEING, Change.SEX}),
    ],
)
def test_what_changed_is_read_as_which(text: str, changed: set[Change]) -> None:
    assert parse_changed(text) == changed


@pytest.mark.parametrize("parse", [parse_numb, parse_weaker, parse_changed])
@pytest.mark.parametrize("text", ["", " , ", "maybe", "no,maybe", "left,x"])
def test_nothing_or_an_unknown_word_is_not_an_answer(parse, text: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="is not an answer"):
        parse(text)


def test_a_no_typed_with_a_yes_is_not_an_answer() -> None:
    for parse, text in [(parse_numb, "no,left"), (parse_weaker, "n,r"), (parse_changed, "n,2")]:
        with pytest.raises(InvalidInput, match="is not an answer"):
            parse(text)


def test_options_name_the_option_in_the_error_and_leave_the_unasked_as_none() -> None:
    assert symptoms_from_options(None, None, None) == NOT_ASKED
    assert symptoms_from_options("no", "left", None) == Symptoms(frozenset(), frozenset({L}))
    assert symptoms_from_options(None, None, "1").changed == {Change.PEEING}
    for args, name in [(("x", None, None), "--numb"), ((None, "x", None), "--weaker"),
                       ((None, None, "x"), "--changed")]:  # fmt: skip
        with pytest.raises(InvalidInput, match=f"^{name}: "):
            symptoms_from_options(*args)


def test_taps_unticked_are_not_asked_and_no_with_a_yes_is_refused() -> None:
    assert symptoms_from_choices([], [], []) == NOT_ASKED
    got = symptoms_from_choices(["no"], ["left"], ["peeing", "sex"])
    assert got == Symptoms(frozenset(), frozenset({L}), frozenset({Change.PEEING, Change.SEX}))
    with pytest.raises(InvalidInput, match="'No' and a yes") as both:
        symptoms_from_choices([], [], ["no", "bowels"])
    assert both.value.field == "changed"
    with pytest.raises(InvalidInput) as bad:
        symptoms_from_choices(["elbow"], [], [])
    assert bad.value.field == "numb"


def test_asked_and_complete() -> None:
    assert not NOT_ASKED.asked and not NOT_ASKED.complete
    partly = Symptoms(frozenset(), None, None)
    assert partly.asked and not partly.complete
    assert NO_SYMPTOMS.asked and NO_SYMPTOMS.complete
    assert Symptoms(None, None, frozenset()).asked


# -- which warning-sign question each answer answers ----------------------------------------------


def test_no_to_everything_with_pain_in_one_leg_is_no_to_each_sign() -> None:
    found = NO_SYMPTOMS.answers(parse_sites("left:thigh"))

    assert found == {
        "leg-numbness": False,
        "saddle-numbness": False,
        "leg-weaker": False,
        "bladder": False,
        "bowel": False,
        "sexual": False,
        "both-legs": False,
    }


def test_pain_in_both_legs_leaves_both_legs_to_the_core() -> None:
    assert "both-legs" not in NO_SYMPTOMS.answers(parse_sites("left:thigh,right:calf"))


def test_numbness_in_one_leg_is_a_numb_leg_in_both_it_is_both_legs() -> None:
    one = Symptoms(frozenset({Numb.LEFT}), frozenset(), frozenset()).answers()
    both = Symptoms(frozenset({Numb.LEFT, Numb.RIGHT}), frozenset(), frozenset()).answers()
    saddle = Symptoms(frozenset({Numb.SADDLE}), frozenset(), frozenset()).answers()

    assert (one["leg-numbness"], one["both-legs"], one["saddle-numbness"]) == (True, False, False)
    assert (both["leg-numbness"], both["both-legs"]) == (False, True)
    assert (saddle["saddle-numbness"], saddle["leg-numbness"]) == (True, False)


def test_a_weaker_leg_and_both_weaker() -> None:
    one = Symptoms(frozenset(), frozenset({R}), frozenset()).answers()
    both = Symptoms(frozenset(), frozenset({L, R}), frozenset()).answers()

    assert (one["leg-weaker"], one["both-legs"]) == (True, False)
    assert (both["leg-weaker"], both["both-legs"]) == (True, True)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (Change.PEEING, "bladder"),
        (Change.BOWELS, "bowel"),
        (Change.FEELING, "saddle-numbness"),
        (Change.SEX, "sexual"),
    ],
)
def test_each_change_is_a_yes_to_its_own_sign(change: Change, code: str) -> None:
    found = Symptoms(None, None, frozenset({change})).answers()

    assert [c for c, yes in found.items() if yes] == [code]
    assert "both-legs" not in found  # numbness and weakness not asked: both legs unknown


def test_a_saddle_change_keeps_a_saddle_numbness_yes() -> None:
    found = Symptoms(frozenset({Numb.SADDLE}), frozenset(), frozenset({Change.PEEING})).answers()

    assert found["saddle-numbness"] and found["bladder"]


def test_only_one_question_answered_says_nothing_of_both_legs() -> None:
    assert "both-legs" not in Symptoms(frozenset(), None, None).answers()
    assert "both-legs" not in Symptoms(None, frozenset(), None).answers()


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


def test_pain_in_the_back_on_both_sides_is_not_both_legs() -> None:
    assert NO_SYMPTOMS.answers(parse_sites("left:lower-back,right:buttock"))["both-legs"] is False


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
