"""The warning-signs check on the web: the /screen page and /api/screen, each person their own."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pytest

from stretchcoach.domain.safety import (
    CARE_MESSAGES,
    CLEAR_MESSAGE,
    QUESTIONS,
    Care,
)

from .conftest import assert_error, text_of

ALL_NO = {q.code: "no" for q in QUESTIONS}
CODES = [q.code for q in QUESTIONS]


def answers_with_yes(*codes: str) -> list[bool]:
    return [code in codes for code in CODES]


def test_the_page_asks_every_question_in_order_as_labelled_yes_no_pairs(
    new_client: httpx.Client,
) -> None:
    page = new_client.get("/screen")

    assert page.status_code == 200
    legends = re.findall(r"<legend>\d+\. (.*?)</legend>", page.text)
    assert [html.unescape(legend) for legend in legends] == [q.text for q in QUESTIONS]
    for code in CODES:
        pair = re.findall(
            rf'<label class="check"><input type="radio" name="{code}" value="(yes|no)"', page.text
        )
        assert pair == ["yes", "no"], code
    assert 'name="csrf_token"' in page.text


@pytest.mark.parametrize(
    ("yes", "message", "care"),
    [
        ((), CLEAR_MESSAGE, None),
        (("bladder",), CARE_MESSAGES[Care.EMERGENCY], "emergency"),
        (("cancer", "injury"), CARE_MESSAGES[Care.SAME_DAY], "same-day"),
        (("cancer",), CARE_MESSAGES[Care.WITHIN_DAYS], "within-days"),
        (("cancer", "saddle-numbness"), CARE_MESSAGES[Care.EMERGENCY], "emergency"),
    ],
    ids=["all-no", "emergency", "same-day", "within-days", "emergency-beats-all"],
)
def test_the_answered_page_says_which_care_and_how_soon_in_the_clis_words(
    new_client: httpx.Client, yes: tuple[str, ...], message: str, care: str | None
) -> None:
    form = ALL_NO | dict.fromkeys(yes, "yes")

    posted = new_client.post("/screen", data=form)
    result = new_client.get(posted.headers["location"])

    assert posted.status_code == 303 and posted.headers["location"] == "/screen?done=1"
    assert message in text_of(result)
    for question in QUESTIONS:
        assert (question.text in text_of(result)) == (question.code in yes)
    saved = new_client.get("/api/screen").json()
    assert saved["latest"]["care"] == care
    assert saved["latest"]["yes"] == [c for c in CODES if c in yes]
    assert saved["status"] == ("blocked" if yes else "clear")
    assert saved["standing"] == [c for c in CODES if c in yes]


def test_an_unanswered_question_is_shown_next_to_it_and_nothing_is_saved(
    new_client: httpx.Client,
) -> None:
    form = ALL_NO | {"cancer": "yes"}
    del form["weight-loss"]

    response = new_client.post("/screen", data=form)

    assert response.status_code == 422
    fieldset = re.search(r'<fieldset[^>]*id="q-weight-loss".*?</fieldset>', response.text, re.S)
    assert fieldset and 'id="weight-loss-error"' in fieldset.group(0)
    assert 'aria-describedby="weight-loss-error"' in fieldset.group(0)
    assert response.text.count('class="error" role="alert">Please choose') == 1
    assert re.search(r'name="cancer" value="yes" required checked', response.text)  # kept
    assert new_client.get("/api/screen").json()["latest"] is None


def test_the_page_form_needs_the_csrf_token(new_client: httpx.Client) -> None:
    del new_client.headers["X-CSRF-Token"]

    response = new_client.post("/screen", data=ALL_NO)

    assert response.status_code == 403
    assert new_client.get("/api/screen").json()["latest"] is None


def test_the_api_lists_the_questions_and_says_the_check_is_due(new_client: httpx.Client) -> None:
    before = new_client.get("/api/screen").json()

    posted = new_client.post("/api/screen", json={"answers": answers_with_yes("unwell")})
    after = new_client.get("/api/screen").json()

    assert [q["code"] for q in before["questions"]] == CODES
    assert [q["text"] for q in before["questions"]] == [q.text for q in QUESTIONS]
    assert before["every_days"] == 30
    assert (before["status"], before["due"], before["latest"]) == ("missing", True, None)
    assert posted.status_code == 201
    assert posted.json()["latest"]["message"] == CARE_MESSAGES[Care.SAME_DAY]
    assert (after["status"], after["due"], after["care"]) == ("blocked", False, "same-day")
    assert after["latest"]["answers"] == answers_with_yes("unwell")


def test_the_third_version_is_asked_on_the_web_and_settings_says_how_many(
    new_client: httpx.Client,
) -> None:
    page = text_of(new_client.get("/screen"))
    settings = text_of(new_client.get("/settings"))

    assert f"{len(QUESTIONS)} short yes/no questions" in page
    for asked in ("infection", "spine-procedure", "new-pain-age", "leg-numbness"):
        assert f'name="{asked}"' in page
    assert "Eight" not in settings
    assert f"{len(QUESTIONS)} yes-or-no questions" in settings and len(QUESTIONS) == 20
    numb = new_client.post("/api/screen", json={"answers": answers_with_yes("leg-numbness")})
    assert numb.status_code == 201
    assert (numb.json()["status"], numb.json()["latest"]["care"]) == ("clear", "routine")
    old = new_client.post("/api/screen", json={"answers": [False] * 17})  # version 2's count
    message = assert_error(old, 422, "invalid_input", "answers")
    assert "17 answers given: the check has 20 questions" in message


@pytest.mark.parametrize(
    "body",
    [
        {"answers": [False] * (len(QUESTIONS) - 1)},
        {"answers": [False] * (len(QUESTIONS) + 1)},
        {"answers": ["no"] * len(QUESTIONS)},
        {"answers": [0] * len(QUESTIONS)},
        {},
    ],
    ids=["one-short", "one-over", "words", "numbers", "missing"],
)
def test_the_api_refuses_anything_but_one_yes_no_answer_per_question_and_saves_nothing(
    new_client: httpx.Client, body: dict[str, Any]
) -> None:
    response = new_client.post("/api/screen", json=body)

    message = assert_error(response, 422, "invalid_input", "answers")
    assert "answers" in message
    assert new_client.get("/api/screen").json()["latest"] is None


def test_the_api_needs_the_csrf_token(new_client: httpx.Client) -> None:
    del new_client.headers["X-CSRF-Token"]

    assert_error(
        new_client.post("/api/screen", json={"answers": [False] * len(QUESTIONS)}), 403, "forbidden"
    )


# -- isolation ----------------------------------------------------------------------------------


def test_another_persons_check_is_neither_shown_nor_changed(
    accounts_app: Any, sign_up: Any
) -> None:
    ann = sign_up(accounts_app, "ann@example.org")
    bo = sign_up(accounts_app, "bo@example.org")
    ann.post("/api/screen", json={"answers": answers_with_yes("cancer")})
    ann_before = ann.get("/api/screen").json()

    bo_sees = bo.get("/api/screen").json()
    bo_page = bo.get("/screen")
    bo.post("/api/screen", json={"answers": [False] * len(QUESTIONS)})
    bo.post("/screen", data=ALL_NO)

    assert (bo_sees["status"], bo_sees["latest"]) == ("missing", None)
    assert (
        CARE_MESSAGES[Care.SAME_DAY] not in text_of(bo_page) and "Last answered" not in bo_page.text
    )
    assert ann.get("/api/screen").json() == ann_before
