"""The gate before a session on the web, as in the terminal: no session while the latest
warning-signs answers have a yes, and none before the check is answered or once it is over
30 days old; the Today page says why, with every safety flag."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest

from stretchcoach.domain.safety import CARE_MESSAGES, QUESTIONS, Care
from stretchcoach.testing import FakeClock

from .conftest import assert_error, csrf_of, make_client, pass_screen, text_of


def answers_with_yes(*codes: str) -> list[bool]:
    return [q.code in codes for q in QUESTIONS]


def test_a_yes_refuses_a_session_until_someone_records_being_seen(
    client: httpx.Client, web_clock: FakeClock
) -> None:
    web_clock.tick(60)  # a minute after the all-no answers of the fixture
    client.post("/api/screen", json={"answers": answers_with_yes("both-legs")})

    refused = client.post("/api/sessions", json={})
    page = client.get("/session")
    blocked = client.get(page.headers["location"])
    today = client.get("/")
    web_clock.tick(3600)
    pass_screen(client)  # an hour later, all no: the yes still stands
    still = client.post("/api/sessions", json={})
    seen = client.post("/api/screen/seen", json={"seen_on": "2026-01-05", "note": "A&E: fine"})

    message = assert_error(refused, 409, "safety_block")
    assert "emergency department" in message and "warning-signs page" in message
    assert page.status_code == 303 and page.headers["location"] == "/screen?blocked=1"
    assert "You answered yes to a warning sign" in text_of(blocked)
    assert CARE_MESSAGES[Care.EMERGENCY] in text_of(today)
    assert 'href="/session"' not in today.text
    assert_error(still, 409, "safety_block")
    assert seen.status_code == 201, seen.text
    assert seen.json()["codes"] == ["both-legs"]
    assert client.post("/api/sessions", json={}).status_code == 201


def test_a_missing_check_sends_start_to_the_screen_first(new_client: httpx.Client) -> None:
    refused = new_client.post("/api/sessions", json={})
    page = new_client.get("/session")
    today = new_client.get("/")

    message = assert_error(refused, 409, "screen_due")
    assert "answer it on the warning-signs page" in message
    assert page.headers["location"] == "/screen?blocked=1"
    assert re.search(r'<a class="button start" href="/screen">Start</a>', today.text)
    assert "You have not answered the warning-signs check yet" in text_of(today)
    pass_screen(new_client)
    assert re.search(r'<a class="button start" href="/session">', new_client.get("/").text)


def test_a_check_over_30_days_old_is_due_again(client: httpx.Client, web_clock: FakeClock) -> None:
    web_clock.tick(timedelta(days=30, minutes=1).total_seconds())

    refused = client.post("/api/sessions", json={})

    assert "over 30 days old" in assert_error(refused, 409, "screen_due")
    assert client.get("/api/screen").json()["status"] == "overdue"
    assert "over 30 days old" in text_of(client.get("/"))


def test_a_session_under_way_resumes_even_when_the_check_falls_due(
    client: httpx.Client, web_clock: FakeClock
) -> None:
    started = client.post("/api/sessions", json={}).json()
    web_clock.tick(timedelta(days=30).total_seconds())
    client.put(  # the session is heard from, so it is still under way
        f"/api/sessions/{started['id']}/holds/0b0b0b0b-0000-4000-8000-000000000001",
        json={"hold_number": 1, "side": "left", "held_s": 30, "completed": True},
    )
    web_clock.tick(120)

    assert client.get("/session").status_code == 200


def test_the_today_page_shows_the_ease_off_flags(client: httpx.Client) -> None:
    session = client.post("/api/sessions", json={}).json()
    for score, moment in ((2, "before"), (5, "after")):
        body = {"score": score, "context": moment, "session_id": session["id"]}
        assert client.post("/api/journal", json=body).status_code == 201
    client.post(f"/api/sessions/{session['id']}/finish", json={"status": "completed"})

    today = text_of(client.get("/"))

    assert "2 or more points higher after the last session" in today
    assert "ease off next time" in today


def test_a_check_answered_in_the_terminal_gates_the_web_too(
    make_app: Any, tmp_path: Any, web_clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    from stretchcoach.cli.app import run

    url = f"sqlite:///{tmp_path / 'web.db'}"
    answers = ",".join("y" if q.code == "unwell" else "n" for q in QUESTIONS)
    answered = run(["screen", "--answers", answers, "--db", url])  # closes what it opened
    said = capsys.readouterr()
    with make_client(make_app(url)) as browser:
        browser.headers["X-CSRF-Token"] = csrf_of(browser)
        state = browser.get("/api/screen").json()
        refused = browser.post("/api/sessions", json={})

    assert answered == 0, said.err
    assert state["status"] == "blocked" and state["latest"]["yes"] == ["unwell"]
    assert "get seen today" in assert_error(refused, 409, "safety_block")


def test_one_persons_yes_blocks_only_their_own_sessions(accounts_app: Any, sign_up: Any) -> None:
    ann = sign_up(accounts_app, "ann@example.org")
    bo = sign_up(accounts_app, "bo@example.org")
    ann.post("/api/screen", json={"answers": answers_with_yes("cancer")})
    pass_screen(bo)

    assert_error(ann.post("/api/sessions", json={}), 409, "safety_block")
    assert bo.post("/api/sessions", json={}).status_code == 201


def test_pain_newly_in_the_second_leg_is_an_emergency_on_the_web(
    client: httpx.Client, web_clock: FakeClock
) -> None:
    web_clock.tick(60)
    assert (
        client.post("/api/journal", json={"score": 5, "sites": ["left:thigh"]}).status_code == 201
    )
    web_clock.tick(3600)
    both = {"score": 6, "sites": ["left:calf", "right:calf"]}
    assert client.post("/api/journal", json=both).status_code == 201

    refused = client.post("/api/sessions", json={})

    assert "emergency department now" in assert_error(refused, 409, "safety_block")
    today = text_of(client.get("/"))
    assert "Pain has come on in your right leg as well" in today
    assert "see your GP soon" not in today


def test_a_jump_to_9_asks_the_urgent_questions_again_on_the_web(
    client: httpx.Client, web_clock: FakeClock
) -> None:
    from stretchcoach.domain.safety import EMERGENCY_CODES

    web_clock.tick(60)
    first = {"score": 5, "sites": ["left:thigh"]}
    assert client.post("/api/journal", json=first).status_code == 201
    web_clock.tick(3600)
    jump = {"score": 9, "sites": ["left:calf"]}
    assert client.post("/api/journal", json=jump).status_code == 201

    refused = client.post("/api/sessions", json={})
    page = client.get("/screen")
    legends = re.findall(r"<legend>\d+\. (.*?)</legend>", page.text)
    answered = client.post("/screen", data=dict.fromkeys(EMERGENCY_CODES, "no"))
    after = client.get("/api/screen").json()

    assert "urgent questions come again" in assert_error(refused, 409, "screen_due")
    assert len(legends) == len(EMERGENCY_CODES)
    assert "Something you logged has changed" in text_of(page)
    assert answered.status_code == 303
    assert after["status"] == "clear"
    assert after["latest"]["answers"].count(None) == len(QUESTIONS) - len(EMERGENCY_CODES)
