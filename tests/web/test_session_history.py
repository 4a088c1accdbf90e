"""The phone's history page lists each session with its holds, how each felt, and the pain
before and after it."""

from __future__ import annotations

import uuid

import httpx

from .conftest import text_of


def record_session(
    client: httpx.Client, *, felt: list[str | None], before: int | None, after: int | None
) -> str:
    """A session as the phone records it: holds, each one's feel, pain around it, the end."""
    session_id: str = client.post("/api/sessions", json={}).json()["id"]
    if before is not None:
        body = {"score": before, "sites": ["left:calf"], "context": "before"}
        response = client.post("/api/journal", json=body | {"session_id": session_id})
        assert response.status_code == 201, response.text
    for n, answer in enumerate(felt, start=1):
        hold_id = str(uuid.uuid4())
        side = "left" if n % 2 else "right"
        hold = {"hold_number": n, "side": side, "held_s": 30, "completed": n != 2}
        url = f"/api/sessions/{session_id}/holds/{hold_id}"
        assert client.put(url, json=hold).status_code == 201
        if answer is not None:
            assert client.put(f"{url}/felt", json={"felt": answer}).status_code in (200, 201)
    if after is not None:
        body = {"score": after, "sites": [], "context": "after", "session_id": session_id}
        assert client.post("/api/journal", json=body).status_code == 201
    finish = client.post(f"/api/sessions/{session_id}/finish", json={"status": "completed"})
    assert finish.status_code == 200, finish.text
    return session_id


def test_each_session_shows_its_holds_their_feel_and_the_pain_around_it(
    client: httpx.Client,
) -> None:
    session_id = record_session(client, felt=["pull", "nerve", None], before=6, after=4)

    page = text_of(client.get("/history"))

    shown = page[page.index(f'data-session="{session_id}"') :]
    assert "Pain before: <strong>6/10</strong> (left calf)" in shown
    assert "after: <strong>4/10</strong>" in shown
    assert "Left leg, 30 s · felt a mild pull at the back of the thigh" in shown
    assert (
        "Right leg, 30 s (ended early) · felt tingling, burning or shooting below the knee" in shown
    )
    assert "no answer on the feel" in shown


def test_a_session_without_ratings_says_they_were_not_given(client: httpx.Client) -> None:
    record_session(client, felt=["nothing"], before=None, after=None)

    page = text_of(client.get("/history"))

    assert "Pain before: <strong>not given</strong>" in page
    assert "after: <strong>not given</strong>" in page
    assert "felt nothing much" in page


def test_a_session_stopped_before_its_first_hold_says_so(client: httpx.Client) -> None:
    session_id: str = client.post("/api/sessions", json={}).json()["id"]
    hold = {"hold_number": 1, "side": "left", "held_s": 0.2, "completed": False}
    client.put(f"/api/sessions/{session_id}/holds/{uuid.uuid4()}", json=hold)
    client.post(f"/api/sessions/{session_id}/finish", json={"status": "stopped"})

    page = text_of(client.get("/history"))

    shown = page[page.index(f'data-session="{session_id}"') :]
    assert "Stopped before the first hold" in shown[:600]
    assert "0 of" not in shown[:600]


def test_settings_counts_the_checks_questions_from_the_check_itself(client: httpx.Client) -> None:
    from stretchcoach.domain.safety import QUESTIONS

    page = text_of(client.get("/settings"))

    assert f"{len(QUESTIONS)} yes-or-no questions" in page
