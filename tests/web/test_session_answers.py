"""What the phone asks around a session, through the JSON API: how each hold felt (also after
the hold was sent), pain before and after kept once under the phone's own id, and the clinical
core's verdict (gate, plan, flags) the session page shows before and after."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.web.conftest import assert_error, csrf_of, make_client
from tests.web.test_api_session import hold_body, put_hold

from stretchcoach.domain.clinical import GENTLER_CUE


def finished_session(client: httpx.Client, felts: list[str | None]) -> dict[str, Any]:
    """A real (not practice) session with one hold per answer, each felt as given, finished."""
    session = client.post("/api/sessions", json={}).json()
    for number, felt in enumerate(felts, start=1):
        hold = put_hold(client, session, number).json()
        if felt is not None:
            response = client.put(
                f"/api/sessions/{session['id']}/holds/{hold['id']}/felt", json={"felt": felt}
            )
            assert response.status_code == 200, response.text
    client.post(f"/api/sessions/{session['id']}/finish", json={"status": "completed"})
    return dict(session)


def test_a_hold_can_say_how_it_felt_after_it_was_sent_and_again_changes_nothing(
    client: httpx.Client,
) -> None:
    session = client.post("/api/sessions", json={}).json()
    hold = put_hold(client, session, 1).json()
    url = f"/api/sessions/{session['id']}/holds/{hold['id']}/felt"

    first = client.put(url, json={"felt": "nerve"})
    again = client.put(url, json={"felt": "nerve"})

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["felt"] == "nerve"
    saved = client.get(f"/api/sessions/{session['id']}").json()["holds"]
    assert [h["felt"] for h in saved] == ["nerve"]


def test_a_feel_has_one_door_a_hold_sent_with_its_feel_is_refused(client: httpx.Client) -> None:
    session = client.post("/api/sessions", json={}).json()

    side = session["phases"][1]["side"]
    body = {**hold_body(1, side), "felt": "pull"}

    sent = client.put(f"/api/sessions/{session['id']}/holds/{uuid.uuid4()}", json=body)

    message = assert_error(sent, 422, "invalid_input", "felt")
    assert "felt" in message
    assert client.get(f"/api/sessions/{session['id']}").json()["holds"] == []


def test_a_feel_for_a_hold_not_in_the_session_or_not_an_answer_is_refused(
    client: httpx.Client,
) -> None:
    session = client.post("/api/sessions", json={}).json()
    hold = put_hold(client, session, 1).json()
    other = client.post("/api/sessions", json={}).json()

    unknown = client.put(
        f"/api/sessions/{session['id']}/holds/{uuid.uuid4()}/felt", json={"felt": "pull"}
    )
    elsewhere = client.put(
        f"/api/sessions/{other['id']}/holds/{hold['id']}/felt", json={"felt": "pull"}
    )
    wrong = client.put(
        f"/api/sessions/{session['id']}/holds/{hold['id']}/felt", json={"felt": "ouch"}
    )

    assert_error(unknown, 404, "not_found")
    assert_error(elsewhere, 404, "not_found")
    assert_error(wrong, 422, "invalid_input", "felt")
    saved = client.get(f"/api/sessions/{session['id']}").json()["holds"]
    assert [h["felt"] for h in saved] == [None]


def test_pain_before_and_after_are_kept_once_each_under_the_phones_id(
    client: httpx.Client,
) -> None:
    session = client.post("/api/sessions", json={}).json()
    before_id, after_id = str(uuid.uuid4()), str(uuid.uuid4())
    before = {"score": 5, "context": "before", "session_id": session["id"]}
    after = {"score": 3, "context": "after", "session_id": session["id"]}

    statuses = [
        client.put(f"/api/journal/{before_id}", json=before).status_code,
        client.put(f"/api/journal/{before_id}", json=before).status_code,  # a retry
        client.put(f"/api/journal/{after_id}", json=after).status_code,
    ]

    assert statuses == [201, 200, 201]
    entries = client.get("/api/journal").json()["entries"]
    assert {(e["id"], e["score"], e["context"], e["session_id"]) for e in entries} == {
        (before_id, 5, "before", session["id"]),
        (after_id, 3, "after", session["id"]),
    }


def test_a_rating_id_that_is_not_a_uuid_or_a_session_not_yours_is_refused(
    client: httpx.Client,
) -> None:
    bad_id = client.put("/api/journal/not-an-id", json={"score": 4})
    no_session = client.put(
        f"/api/journal/{uuid.uuid4()}", json={"score": 4, "session_id": str(uuid.uuid4())}
    )

    assert_error(bad_id, 422, "invalid_input", "entry_id")
    assert_error(no_session, 404, "not_found")
    assert client.get("/api/journal").json()["entries"] == []


def test_one_persons_rating_id_is_never_anothers(accounts_app: Any, sign_up: Any) -> None:
    ann = sign_up(accounts_app, "ann@example.org")
    bob = sign_up(accounts_app, "bob@example.org")
    entry_id = str(uuid.uuid4())
    ann.put(f"/api/journal/{entry_id}", json={"score": 6})

    response = bob.put(f"/api/journal/{entry_id}", json={"score": 2})

    assert_error(response, 404, "not_found")
    assert bob.get("/api/journal").json()["entries"] == []
    assert [e["score"] for e in ann.get("/api/journal").json()["entries"]] == [6]


def test_the_session_carries_the_gentler_cue_said_after_a_nerve_answer(
    client: httpx.Client,
) -> None:
    session = client.post("/api/sessions", json={}).json()

    assert session["cues"]["gentler"] == GENTLER_CUE


def test_the_verdict_gives_the_gate_the_plan_with_its_reason_and_the_flags(
    client: httpx.Client,
) -> None:
    first = client.get("/api/verdict").json()
    finished_session(client, ["pull", "pull", "nerve", "pull", "pull", "pull"])

    after = client.get("/api/verdict").json()

    assert first["gate"]["status"] == "clear" and first["gate"]["may_start"] is True
    assert (
        after["plan"]["hold_s"] < first["plan"]["hold_s"]
        or after["plan"]["reps"] != (first["plan"]["reps"])
    )
    assert "nerve" in after["plan"]["reason"] or "tingling" in after["plan"]["reason"]
    assert after["plan"]["reason"] != first["plan"]["reason"]
    assert all(set(flag) == {"code", "severity", "message"} for flag in after["flags"])
    today = client.get("/").text
    assert after["plan"]["reason"] in today.replace("&#39;", "'")


def test_the_next_session_runs_the_dose_the_verdict_gave(client: httpx.Client) -> None:
    finished_session(client, ["nerve", "pull", "nerve", "pull", "nerve", "pull"])
    plan = client.get("/api/verdict").json()["plan"]

    session = client.post("/api/sessions", json={}).json()

    holds = [p for p in session["phases"] if p["kind"] == "hold"]
    assert session["settings"]["hold_s"] == plan["hold_s"]
    assert sum(p["side"] == "left" for p in holds) == plan["reps"]["left"]
    assert sum(p["side"] == "right" for p in holds) == plan["reps"]["right"]


@pytest.mark.parametrize("number", ["999", "112", "911"])
def test_emergency_advice_has_a_button_that_calls_the_deployments_number(
    tmp_path: Path, web_clock: Any, number: str
) -> None:
    from stretchcoach.config import Settings
    from stretchcoach.domain.safety import QUESTIONS
    from stretchcoach.web.app import create_app

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'call.db'}",
        time_zone="Europe/London",
        emergency_number=number,
    )
    app = create_app(settings, mode="local")
    app.state.clock = web_clock
    try:
        with make_client(app) as browser:
            browser.headers["X-CSRF-Token"] = csrf_of(browser)
            learn = browser.get("/learn").text
            answers = [q.code == "saddle-numbness" for q in QUESTIONS]
            assert browser.post("/api/screen", json={"answers": answers}).status_code == 201

            screen = browser.get("/screen?done=1").text
            today = browser.get("/").text
    finally:
        app.state.engine.dispose()

    call = f'href="tel:{number}"'
    assert call in learn and call in screen and call in today
    assert f"Call {number} now" in screen


def test_an_emergency_number_that_is_not_a_phone_number_is_refused() -> None:
    from pydantic import ValidationError

    from stretchcoach.config import Settings

    with pytest.raises(ValidationError, match="emergency_number"):
        Settings(emergency_number="999; drop")


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [
        ("Asia/Tokyo", "Asia/Tokyo"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Mars/Olympus", "Europe/London"),  # the server's zone
        ("../../etc/passwd", "Europe/London"),
    ],
    ids=["browser-zone", "three-part-zone", "not-a-zone", "not-a-name"],
)
def test_a_new_users_settings_start_in_the_browsers_time_zone(
    local_app: Any, cookie: str, expected: str
) -> None:
    with make_client(local_app) as browser:
        browser.cookies.set("sc_tz", cookie)

        zone = browser.get("/api/settings").json()["time_zone"]

    assert zone == expected


def test_a_saved_time_zone_is_not_changed_by_the_browsers(client: httpx.Client) -> None:
    before = client.get("/api/settings").json()["time_zone"]
    client.cookies.set("sc_tz", "Asia/Tokyo")

    after = client.get("/api/settings").json()["time_zone"]

    assert before == after == "Europe/London"
