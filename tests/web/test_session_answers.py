"""What the phone asks around a session, through the JSON API: how each hold felt (also after
the hold was sent), pain before and after kept once under the phone's own id, and the clinical
core's verdict (gate, plan, flags) the session page shows before and after."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from tests.web.conftest import assert_error
from tests.web.test_api_session import put_hold

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
