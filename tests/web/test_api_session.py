"""The browser's session through the JSON API: start, keep holds (idempotently), resume, finish."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.web.conftest import assert_error, csrf_of, make_client, pass_screen

from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.domain.routine import choose_settings
from stretchcoach.domain.timeline import PhaseKind, build_timeline
from stretchcoach.domain.values import Side
from stretchcoach.errors import NotFound
from stretchcoach.services.web_session import (
    HoldReport,
    record_browser_hold,
    resume_phase,
    start_browser_session,
)
from stretchcoach.testing import FakeClock, FakeUnitOfWork


def hold_body(
    number: int, side: str, held_s: float = 30.0, completed: bool = True
) -> dict[str, Any]:
    return {"hold_number": number, "side": side, "held_s": held_s, "completed": completed}


def put_hold(
    client: httpx.Client, session: dict[str, Any], number: int, **extra: Any
) -> httpx.Response:
    phase = next(p for p in session["phases"] if p["hold_number"] == number)
    hold_id = extra.pop("hold_id", str(uuid.uuid4()))
    body = hold_body(number, phase["side"], **extra)
    return client.put(f"/api/sessions/{session['id']}/holds/{hold_id}", json=body)


def test_a_whole_session_is_kept_hold_by_hold_on_both_stores(make_app: Any, store_url: str) -> None:
    with make_client(make_app(store_url)) as client:
        client.headers["X-CSRF-Token"] = csrf_of(client)
        pass_screen(client)
        session = client.post("/api/sessions", json={}).json()

        statuses = [put_hold(client, session, n).status_code for n in range(1, 7)]
        finished = client.post(
            f"/api/sessions/{session['id']}/finish", json={"status": "completed"}
        )

        assert statuses == [201] * 6
        assert finished.status_code == 200
        saved = client.get(f"/api/sessions/{session['id']}").json()
        assert saved["status"] == "completed"
        assert [h["side"] for h in saved["holds"]] == ["left", "right"] * 3
        assert all(h["completed"] for h in saved["holds"])
        assert client.get("/api/today").json()["done_today"] is True


def test_a_session_starts_with_the_users_dose_and_every_phase(client: httpx.Client) -> None:
    prefs = client.get("/api/settings").json()
    prefs.pop("calendar_url")
    client.put(
        "/api/settings", json=prefs | {"hold_s": 45, "reps_per_side": 2, "first_side": "right"}
    )

    session = client.post("/api/sessions", json={"speed": 20}).json()

    assert session["settings"]["hold_s"] == 45
    assert session["practice"] is True and session["speed"] == 20
    holds = [p for p in session["phases"] if p["kind"] == "hold"]
    assert [h["side"] for h in holds] == ["right", "left", "right", "left"]
    assert session["phases"][0]["kind"] == "get_ready"
    assert session["resume_phase"] == 0


def test_the_same_hold_sent_twice_is_saved_once(client: httpx.Client) -> None:
    session = client.post("/api/sessions", json={}).json()
    hold_id = str(uuid.uuid4())

    first = put_hold(client, session, 1, hold_id=hold_id)
    again = put_hold(client, session, 1, hold_id=hold_id)
    other_tab = put_hold(client, session, 1, held_s=12.0, completed=False)

    assert (first.status_code, again.status_code, other_tab.status_code) == (201, 200, 200)
    assert again.json() == first.json() == other_tab.json()
    holds = client.get(f"/api/sessions/{session['id']}").json()["holds"]
    assert len(holds) == 1 and holds[0]["id"] == hold_id


def test_holds_sent_after_the_finish_are_still_kept(client: httpx.Client) -> None:
    session = client.post("/api/sessions", json={}).json()
    put_hold(client, session, 1)
    client.post(f"/api/sessions/{session['id']}/finish", json={"status": "stopped"})

    late = put_hold(client, session, 2, held_s=10.0, completed=False)
    finish_again = client.post(
        f"/api/sessions/{session['id']}/finish", json={"status": "completed"}
    )

    assert late.status_code == 201
    saved = client.get(f"/api/sessions/{session['id']}").json()
    assert len(saved["holds"]) == 2
    assert finish_again.json()["status"] == saved["status"] == "stopped"


def test_a_reload_resumes_at_the_rest_before_the_next_unsaved_hold(client: httpx.Client) -> None:
    session = client.post("/api/sessions", json={}).json()
    put_hold(client, session, 1)
    put_hold(client, session, 2)

    current = client.get("/api/sessions/current").json()["session"]

    assert current["id"] == session["id"]
    resume = current["phases"][current["resume_phase"]]
    assert resume["kind"] == "rest"
    following = current["phases"][current["resume_phase"] + 1]
    assert following["hold_number"] == 3


def test_starting_again_closes_the_session_left_open(client: httpx.Client) -> None:
    first = client.post("/api/sessions", json={}).json()
    put_hold(client, first, 1)

    second = client.post("/api/sessions", json={}).json()

    assert client.get(f"/api/sessions/{first['id']}").json()["status"] == "interrupted"
    assert client.get("/api/sessions/current").json()["session"]["id"] == second["id"]
    assert len(client.get(f"/api/sessions/{first['id']}").json()["holds"]) == 1


def test_no_session_in_progress_means_nothing_to_resume(client: httpx.Client) -> None:
    assert client.get("/api/sessions/current").json() == {"session": None}


@pytest.mark.parametrize(
    ("number", "body", "field"),
    [
        (2, hold_body(2, "left"), "side"),
        (7, hold_body(7, "left"), "hold_number"),
        (1, hold_body(1, "left", held_s=90.0), "held_s"),
        (1, hold_body(1, "left", held_s=-1.0), "held_s"),
        (1, {**hold_body(1, "left"), "side": "middle"}, "side"),
        (1, {**hold_body(1, "left"), "held_s": "long"}, "held_s"),
        (1, {**hold_body(1, "left"), "extra": 1}, "extra"),
        (1, {"side": "left", "held_s": 30, "completed": True}, "hold_number"),
    ],
    ids=[
        "wrong-leg",
        "beyond-the-last-hold",
        "longer-than-planned",
        "negative",
        "unknown-side",
        "not-a-number",
        "unknown-field",
        "missing-number",
    ],
)
def test_a_bad_hold_is_refused_with_its_field_and_nothing_is_saved(
    client: httpx.Client, number: int, body: dict[str, Any], field: str
) -> None:
    session = client.post("/api/sessions", json={}).json()

    response = client.put(f"/api/sessions/{session['id']}/holds/{uuid.uuid4()}", json=body)

    assert_error(response, 422, "invalid_input", field)
    assert client.get(f"/api/sessions/{session['id']}").json()["holds"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [({"speed": 0}, "speed"), ({"speed": 5000}, "speed"), ({"speed": "fast"}, "speed")],
    ids=["zero", "too-fast", "not-a-number"],
)
def test_a_bad_speed_is_refused_and_no_session_starts(
    client: httpx.Client, body: dict[str, Any], field: str
) -> None:
    response = client.post("/api/sessions", json=body)

    assert_error(response, 422, "invalid_input", field)
    assert client.get("/api/sessions").json()["sessions"] == []


def test_a_hold_id_that_is_not_a_uuid_is_refused(client: httpx.Client) -> None:
    session = client.post("/api/sessions", json={}).json()

    response = client.put(f"/api/sessions/{session['id']}/holds/hold-1", json=hold_body(1, "left"))

    assert_error(response, 422, "invalid_input", "hold_id")


def test_an_unknown_session_is_not_found(client: httpx.Client) -> None:
    unknown = str(uuid.uuid4())

    assert_error(client.get(f"/api/sessions/{unknown}"), 404, "not_found")
    response = client.put(
        f"/api/sessions/{unknown}/holds/{uuid.uuid4()}", json=hold_body(1, "left")
    )
    assert_error(response, 404, "not_found")


def test_writes_without_the_csrf_token_are_refused(client: httpx.Client) -> None:
    del client.headers["X-CSRF-Token"]

    response = client.post("/api/sessions", json={})

    assert_error(response, 403, "forbidden")
    assert client.get("/api/sessions").json()["sessions"] == []


def test_another_users_session_cannot_take_holds(routine: Any) -> None:
    uow, clock = FakeUnitOfWork(), FakeClock()
    mine = start_browser_session(
        routine,
        choose_settings(routine),
        user_id="me",
        uow=uow,
        now=clock.now(),
        time_zone="UTC",
    )
    report = HoldReport(str(uuid.uuid4()), 1, Side.LEFT, 30.0, True)

    with pytest.raises(NotFound):
        record_browser_hold(mine.id, report, user_id="someone-else", uow=uow, now=clock.now())
    assert uow.sessions.get(mine.id).holds == []


ROUTINE = load_builtin()


@settings(max_examples=60, deadline=None)
@given(reps=st.integers(1, 6), data=st.data())
def test_resuming_always_lands_just_before_the_first_unsaved_hold(reps: int, data: Any) -> None:
    timeline = build_timeline(ROUTINE, choose_settings(ROUTINE, reps_per_side=reps))
    numbers = [p.hold_number for p in timeline.holds]
    saved = set(data.draw(st.lists(st.sampled_from(numbers), unique=True)))

    where = resume_phase(timeline, saved)

    missing = [n for n in numbers if n not in saved]
    if not missing:
        assert where is None
        return
    assert where is not None
    first_unsaved = next(p for p in timeline.holds if p.hold_number == missing[0])
    assert where == first_unsaved.index - 1
    assert timeline[where].kind in (PhaseKind.REST, PhaseKind.GET_READY)


def test_a_hold_id_already_used_in_another_session_is_a_conflict(client: httpx.Client) -> None:
    first = client.post("/api/sessions", json={}).json()
    hold_id = str(uuid.uuid4())
    put_hold(client, first, 1, hold_id=hold_id)
    second = client.post("/api/sessions", json={}).json()

    response = put_hold(client, second, 1, hold_id=hold_id)

    message = assert_error(response, 409, "conflict")
    assert hold_id in message
    assert client.get(f"/api/sessions/{second['id']}").json()["holds"] == []


def test_the_api_refuses_pain_0_with_painful_places_as_the_terminal_does(
    client: httpx.Client,
) -> None:
    response = client.post("/api/journal", json={"score": 0, "sites": ["left:calf"]})

    assert "pain 0 means no pain" in assert_error(response, 422, "invalid_input", "score")
    assert client.get("/api/journal").json()["entries"] == []
