"""The morning check-in on the web: what the person reports before Begin decides today's
session, the same way the terminal's `start` decides it, and danger said in the journal acts
at once."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pytest

from stretchcoach.services.checkin import NOTE_STANDS_AS_YES
from stretchcoach.testing import FakeClock

from .conftest import assert_error

NO = {"numb": [], "weaker": [], "changed": []}


def words_of(response: httpx.Response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def morning(client: httpx.Client, score: int, sites: list[str], **answers: list[str]) -> Any:
    response = client.post("/api/checkin", json={"score": score, "sites": sites, **NO, **answers})
    assert response.status_code == 200, response.text
    return response.json()


def log(client: httpx.Client, score: int, sites: list[str], note: str = "") -> None:
    body = {"score": score, "sites": sites, "note": note}
    assert client.post("/api/journal", json=body).status_code == 201


def test_a_calm_check_in_gives_the_plan_and_its_pain_goes_with_the_session(
    client: httpx.Client,
) -> None:
    found = morning(client, 3, ["left:thigh"])

    assert found["refusal"] is None and found["verdict"]["gate"]["may_start"]
    assert found["settings"]["hold_s"] == 30 and found["settings"]["reps"] == {
        "left": 3,
        "right": 3,
    }
    assert client.get("/api/journal").json()["entries"] == []  # kept once the session begins

    started = client.post("/api/sessions", json={"checkin": {"score": 3, "sites": ["left:thigh"]}})
    assert started.status_code == 201
    [entry] = client.get("/api/journal").json()["entries"]
    assert (entry["score"], entry["context"], entry["session_id"]) == (
        3,
        "before",
        started.json()["id"],
    )


def test_a_worsening_check_in_refuses_the_session_with_the_gp_words_and_keeps_the_pain(
    client: httpx.Client, web_clock: FakeClock
) -> None:
    for score, place in ((4, "left:thigh"), (6, "left:calf")):
        log(client, score, [place])
        web_clock.tick(24 * 3600)

    found = morning(client, 7, ["left:foot"])

    assert found["settings"] is None
    assert "see your GP or physiotherapist" in found["refusal"]
    assert not found["verdict"]["gate"]["may_start"]
    assert [e["score"] for e in client.get("/api/journal").json()["entries"]][-1] == 7
    refused = client.post("/api/sessions", json={})
    assert_error(refused, 409, "safety_block")


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({"changed": ["peeing"]}, "Go to an emergency department now"),
        ({"numb": ["saddle"]}, "Go to an emergency department now"),
        ({"numb": ["left", "right"]}, "Go to an emergency department now"),
        ({"weaker": ["left"]}, "Get seen today"),
    ],
    ids=["peeing", "saddle", "both-legs-numb", "weaker-leg"],
)
def test_a_yes_at_the_check_in_says_its_level_at_once_and_blocks(
    client: httpx.Client, answers: dict[str, list[str]], words: str
) -> None:
    found = morning(client, 4, ["left:calf"], **answers)

    assert found["reported"]["message"].startswith(words)
    assert found["refusal"] and found["settings"] is None
    assert_error(client.post("/api/sessions", json={}), 409, "safety_block")


def test_a_skipped_check_in_says_so_and_plans_from_the_last_mornings(
    client: httpx.Client,
) -> None:
    response = client.post("/api/checkin", json={})

    assert response.status_code == 200
    found = response.json()
    assert found["skipped"] and found["notice"].startswith("No check-in today")
    assert found["settings"] is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"score": 11}, "score"),
        ({"score": -1}, "score"),
        ({"score": "seven"}, "score"),
        ({"score": 4, "sites": ["left:knee"]}, "sites"),
        ({"score": 0, "sites": ["left:calf"]}, "score"),
        ({"score": 4, "numb": ["elbow"]}, "numb"),
        ({"score": 4, "surprise": True}, "surprise"),
        ({"score": 0, "sites": ["left:calf"], "numb": ["saddle"]}, "score"),  # a yes too
    ],
)
def test_bad_check_ins_are_refused_in_one_line_and_nothing_is_kept(
    client: httpx.Client, body: dict[str, Any], field: str
) -> None:
    response = client.post("/api/checkin", json=body)

    assert response.status_code == 422
    assert field in response.text
    assert client.get("/api/journal").json()["entries"] == []
    latest = client.get("/api/screen").json()["latest"]
    assert latest["answers"].count(None) == 0  # still the whole check: nothing reported
    assert client.get("/api/verdict").json()["gate"]["may_start"]


def test_a_bladder_note_in_the_journal_says_go_now_on_the_page_at_once(
    client: httpx.Client,
) -> None:
    page = client.get("/journal")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    form = {
        "csrf_token": token.group(1),
        "score": "4",
        "sites": "left:calf",
        "note": "I can’t control my bladder since last night",
        "context": "standalone",
    }
    saved = client.post("/journal", data=form, follow_redirects=True)

    assert saved.status_code == 200
    words = words_of(saved)
    assert "Saved" in words and "emergency department now" in words
    assert NOTE_STANDS_AS_YES in words  # why a yes nobody ticked, as the terminal says it
    assert words.index(NOTE_STANDS_AS_YES) < words.index("emergency department now")
    assert 'href="tel:' in saved.text
    assert_error(client.post("/api/sessions", json={}), 409, "safety_block")


def test_an_ordinary_note_in_the_journal_is_not_said_to_be_a_warning_sign(
    client: httpx.Client,
) -> None:
    page = client.get("/journal")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    form = {
        "csrf_token": token.group(1),
        "score": "4",
        "sites": "left:thigh",
        "note": "wet weather, stiff back",
        "context": "standalone",
    }
    saved = client.post("/journal", data=form, follow_redirects=True)

    assert "Saved" in words_of(saved)
    assert NOTE_STANDS_AS_YES not in words_of(saved)
    assert 'data-testid="noted"' not in client.get("/journal?saved=1&noted=1").text  # no sign


def test_the_journals_three_questions_are_kept_as_answers(client: httpx.Client) -> None:
    page = client.get("/journal")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    base = {"csrf_token": token.group(1), "score": "3", "context": "standalone"}

    both = client.post("/journal", data={**base, "numb": ["no", "left"]})
    weaker = client.post("/journal", data={**base, "weaker": "right"}, follow_redirects=True)

    assert both.status_code == 422 and "'No' and a yes" in words_of(both)
    assert "Get seen today" in words_of(weaker)


def test_pages_that_read_the_newest_check_read_a_reported_one(client: httpx.Client) -> None:
    morning(client, 4, ["left:calf"], weaker=["left"])  # only some questions answered

    for page in ("/", "/screen", "/journal", "/api/screen", "/api/verdict"):
        assert client.get(page).status_code == 200, page


def test_a_bladder_note_and_a_check_in_yes_show_on_the_clinicians_dashboard(
    accounts_app: Any, sign_up: Any
) -> None:
    from stretchcoach.domain.safety import QUESTIONS

    doctor = sign_up(accounts_app, "doc@example.org", role="clinician", name="Dr Doc")
    ann = sign_up(accounts_app, "ann@example.org", name="Ann")
    bo = sign_up(accounts_app, "bo@example.org", name="Bo")
    for patient in (ann, bo):
        code = doctor.post("/api/clinic/invitations").json()["code"]
        assert patient.post(f"/api/invitations/{code}/accept").status_code == 200
        assert patient.post("/api/screen", json={"answers": [False] * len(QUESTIONS)}).is_success

    note = {"score": 4, "sites": ["left:calf"], "note": "wet myself in the night, didnt feel it"}
    assert ann.post("/api/journal", json=note).status_code == 201
    assert morning(bo, 3, ["left:thigh"], weaker=["right"])["refusal"]

    rows = {row["display_name"]: row for row in doctor.get("/api/clinic/patients").json()}

    assert rows["Ann"]["red_flag"] is True
    assert rows["Ann"]["reasons"][0].startswith("Warning sign, not yet seen (emergency)")
    assert "urinary" in rows["Ann"]["reasons"][0]
    assert rows["Bo"]["reasons"][0].startswith("Warning sign, not yet seen (same-day)")


def checks_kept(app: Any) -> int:
    from sqlalchemy import text

    with app.state.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM screens")).scalar_one())


def test_the_journal_keeps_a_rating_and_its_answers_together_once(
    client: httpx.Client, local_app: Any
) -> None:
    page = client.get("/journal")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    entry_id = re.search(r'name="entry_id" value="([^"]+)"', page.text)
    assert token is not None and entry_id is not None
    form = {
        "csrf_token": token.group(1),
        "entry_id": entry_id.group(1),
        "score": "3",
        "context": "standalone",
        "weaker": ["left", "right"],
    }
    before = checks_kept(local_app)

    for _ in range(2):  # a double tap on Save, or the form sent again
        client.post("/journal", data=form)

    assert len(client.get("/api/journal").json()["entries"]) == 1
    assert checks_kept(local_app) == before + 1
    assert client.get("/api/verdict").json()["gate"]["care"] == "emergency"  # both legs


def test_a_refused_journal_form_keeps_what_was_ticked(client: httpx.Client) -> None:
    page = client.get("/journal")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    form = {"csrf_token": token.group(1), "score": "", "context": "standalone",
            "numb": ["saddle"], "changed": ["no"]}  # fmt: skip

    refused = client.post("/journal", data=form)

    assert refused.status_code == 422
    assert re.search(r'name="numb" value="saddle" checked', refused.text)
    assert re.search(r'name="changed" value="no" checked', refused.text)
    assert not re.search(r'name="weaker" value="[a-z]+" checked', refused.text)
