"""After a practice run, the done screen's advice is the real plan: the one Today shows."""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import httpx
from tests.web.conftest import pass_screen

from stretchcoach.services.session_case import PRACTICE_NOTE


def run(client: httpx.Client, felt: str, **start: Any) -> str:
    session = client.post("/api/sessions", json=start).json()
    for phase in (p for p in session["phases"] if p.get("hold_number")):
        body = {"hold_number": phase["hold_number"], "side": phase["side"], "held_s": 30.0,
                "completed": True}  # fmt: skip
        hold = f"/api/sessions/{session['id']}/holds/{uuid.uuid4()}"
        kept = client.put(hold, json=body)
        assert kept.status_code == 201, kept.text
        answer = felt if phase["side"] == "left" else "pull"
        told = client.put(f"{hold}/felt", json={"felt": answer})  # its one door
        assert told.status_code == 200, told.text
    client.post(f"/api/sessions/{session['id']}/finish", json={"status": "completed"})
    return str(session["id"])


def test_a_practice_run_with_tingling_leaves_the_advice_as_today_shows_it(
    client: httpx.Client,
) -> None:
    pass_screen(client)
    run(client, "pull")
    before = client.get("/api/verdict").json()["plan"]

    practice = run(client, "nerve", speed=20)
    advice = client.get(f"/api/sessions/{practice}/advice").json()
    today = client.get("/api/verdict").json()["plan"]
    page = " ".join(html.unescape(client.get("/").text).split())

    held = client.get(f"/api/sessions/{practice}").json()["holds"]
    assert {h["felt"] for h in held if h["side"] == "left"} == {"nerve"}
    assert advice["practice"] is True and advice["note"] == PRACTICE_NOTE
    assert advice["plan"] == today == before  # the practice run changed nothing
    assert advice["plan"]["reps"] == {"left": 3, "right": 3}
    assert "nerve" not in advice["plan"]["reason"]
    assert f"Today: {today['reason']}" in page
    assert not re.search(r"2 holds on the left", page + advice["plan"]["reason"])


def test_after_a_real_run_the_advice_carries_no_practice_note(client: httpx.Client) -> None:
    pass_screen(client)
    real = run(client, "pull")

    advice = client.get(f"/api/sessions/{real}/advice").json()

    assert (advice["practice"], advice["note"]) == (False, "")
    assert advice["plan"] == client.get("/api/verdict").json()["plan"]
