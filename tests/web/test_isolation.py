"""No one reads or changes another person's data, through any endpoint.

Ann is a patient of Dr A. Bo, another patient, and Dr B, another clinician, try every route
of the app: with Ann's ids where the route takes an id, and as themselves where it does not.
Each case checks the answer (404 for someone else's id, 403 for the wrong role), that the
response shows nothing of Ann's, and that Ann's data is exactly as it was. The table must
name every route the app has, so a new route fails this test until it is thought about.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from stretchcoach.config import Settings
from stretchcoach.domain.safety import QUESTIONS
from stretchcoach.testing import FakeClock
from stretchcoach.web.security import Argon2Hasher

from .conftest import PASSWORD, app_routes, approve, csrf_of, make_client, pass_screen

NOTE = "ANN-PRIVATE-NOTE"
ANN_PHONE = "http://127.0.0.1:9/push/ANN-PRIVATE-PHONE"
PHONE = {"endpoint": "", "keys": {"p256dh": "B" + "A" * 86, "auth": "A" * 22}}
ANN_NAME = "Annabel Private"


@dataclass
class World:
    app: Any
    ann: httpx.Client
    bo: httpx.Client
    dr_a: httpx.Client
    dr_b: httpx.Client
    ids: dict[str, str]
    secrets: list[str] = field(default_factory=list)  # must never appear in others' answers
    browsers: list[httpx.Client] = field(default_factory=list)

    def sign_up(self, email: str, *, role: str = "patient", name: str = "Someone") -> Any:
        browser = make_client(self.app)
        self.browsers.append(browser)
        browser.headers["X-CSRF-Token"] = csrf_of(browser, "/login")
        body = {"email": email, "password": PASSWORD, "display_name": name, "role": role}
        response = browser.post("/api/accounts", json=body)
        assert response.status_code == 201, response.text
        browser.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        if role == "clinician":
            approve(self.app, email)
        return browser

    def ann_snapshot(self) -> dict[str, Any]:
        data = json.loads(self.ann.get("/api/me/export").text)
        data.pop("exported_at")
        data["clinicians"] = self.ann.get("/api/me/clinicians").json()
        data["screen"] = self.ann.get("/api/screen").json()
        data["push"] = self.ann.get("/api/push/key").json()
        return data


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from stretchcoach.web.app import create_app

    path: Path = tmp_path_factory.mktemp("isolation") / "web.db"
    settings = Settings(
        database_url=f"sqlite:///{path}",
        time_zone="Europe/London",
        push_test_endpoints="http://127.0.0.1:*",
    )
    app = create_app(settings, mode="accounts")
    app.state.clock = FakeClock()
    app.state.password_hasher = Argon2Hasher(time_cost=1, memory_cost=1024)
    w = World(app, None, None, None, None, {})  # type: ignore[arg-type]
    w.ann = w.sign_up("ann@example.org", name=ANN_NAME)
    w.bo = w.sign_up("bo@example.org", name="Bo")
    w.dr_a = w.sign_up("dra@example.org", role="clinician", name="Dr A")
    w.dr_b = w.sign_up("drb@example.org", role="clinician", name="Dr B")
    code = w.dr_a.post("/api/clinic/invitations").json()["code"]
    assert w.ann.post(f"/api/invitations/{code}/accept").status_code == 200
    bo_code = w.dr_b.post("/api/clinic/invitations").json()["code"]
    assert w.bo.post(f"/api/invitations/{bo_code}/accept").status_code == 200

    pass_screen(w.ann)
    pass_screen(w.bo)
    session_id = w.ann.post("/api/sessions", json={}).json()["id"]
    hold_id = str(uuid.uuid4())
    hold = {"hold_number": 1, "side": "left", "held_s": 30, "completed": True}
    assert w.ann.put(f"/api/sessions/{session_id}/holds/{hold_id}", json=hold).status_code == 201
    entry = w.ann.post(
        "/api/journal", json={"score": 6, "sites": ["left:calf"], "note": NOTE}
    ).json()
    refused = {"method": "PUT", "path": "/api/journal/x", "body": {"note": NOTE}}
    refused |= {"status": 404, "reason": "no such session"}
    assert w.ann.put("/api/set-aside/ann-refused", json=refused).status_code == 201
    token = w.ann.get("/api/settings").json()["calendar_url"].rsplit("/", 1)[1]
    assert w.ann.post("/api/push/subscriptions", json=PHONE | {"endpoint": ANN_PHONE}).is_success
    bo_session = w.bo.post("/api/sessions", json={}).json()["id"]
    me = w.ann.get("/api/me").json()
    w.ids = {
        "ann_id": me["id"],
        "ann_session": session_id,
        "ann_hold": hold_id,
        "ann_entry": entry["id"],
        "ann_token": token.removesuffix(".ics"),
        "used_code": code,
        "dr_a_id": w.dr_a.get("/api/me").json()["id"],
        "bo_session": bo_session,
    }
    w.secrets = [me["id"], session_id, hold_id, entry["id"], NOTE, ANN_NAME, "ann@example.org"]
    w.secrets += [w.ids["ann_token"], ANN_PHONE]
    yield w
    for browser in w.browsers:
        browser.close()
    app.state.engine.dispose()


@dataclass(frozen=True)
class Case:
    method: str
    route: str  # the app's route path, as FastAPI knows it
    who: str  # bo, dr_b, or "new" (a fresh patient, for actions that end an account)
    expect: tuple[int, ...]
    url: str = ""  # the URL to call, with {ids}; the route itself when empty
    json: Any = None
    form: dict[str, str] | None = None
    leak_check: bool = True


SETTINGS = {
    "hold_s": 45,
    "reps_per_side": 3,
    "first_side": "right",
    "morning_start": "06:00",
    "morning_end": "10:00",
    "time_zone": "Europe/Paris",
    "reminder_at": "07:00",
}
HOLD = {"hold_number": 1, "side": "left", "held_s": 99, "completed": True}
DOSE = {"hold_s": 60, "reps_per_side": 5, "first_side": "right"}
OK = (200,)
MOVED = (303,)

CASES = [
    # -- routes that take an id: someone else's id answers 404, the wrong role 403 --
    Case("GET", "/api/sessions/{session_id}", "bo", (404,), "/api/sessions/{ann_session}"),
    Case(
        "GET",
        "/api/sessions/{session_id}/advice",
        "bo",
        (404,),
        "/api/sessions/{ann_session}/advice",
    ),
    Case(
        "POST",
        "/api/sessions/{session_id}/finish",
        "bo",
        (404,),
        "/api/sessions/{ann_session}/finish",
        json={"status": "completed"},
    ),
    Case(
        "PUT",
        "/api/sessions/{session_id}/holds/{hold_id}",
        "bo",
        (404,),
        "/api/sessions/{ann_session}/holds/{new_uuid}",
        json=HOLD,
    ),
    Case(
        "PUT",
        "/api/sessions/{session_id}/holds/{hold_id}",
        "bo",
        (404, 409, 422),
        "/api/sessions/{bo_session}/holds/{ann_hold}",
        json=HOLD,
    ),
    Case(
        "PUT",
        "/api/sessions/{session_id}/holds/{hold_id}/felt",
        "bo",
        (404,),
        "/api/sessions/{ann_session}/holds/{ann_hold}/felt",
        json={"felt": "nerve"},
    ),
    Case(
        "PUT",
        "/api/sessions/{session_id}/holds/{hold_id}/felt",
        "bo",
        (404,),
        "/api/sessions/{bo_session}/holds/{ann_hold}/felt",
        json={"felt": "nerve"},
    ),
    Case(
        "PUT",
        "/api/journal/{entry_id}",
        "bo",
        (404,),
        "/api/journal/{ann_entry}",
        json={"score": 1},
    ),
    Case(
        "PATCH",
        "/api/journal/{entry_id}",
        "bo",
        (404,),
        "/api/journal/{ann_entry}",
        json={"score": 1},
    ),
    Case("DELETE", "/api/journal/{entry_id}", "bo", (404,), "/api/journal/{ann_entry}"),
    Case("GET", "/journal/{entry_id}", "bo", (404,), "/journal/{ann_entry}"),
    Case(
        "POST",
        "/journal/{entry_id}",
        "bo",
        (404,),
        "/journal/{ann_entry}",
        form={"score": "1", "note": ""},
    ),
    Case("POST", "/journal/{entry_id}/delete", "bo", (404,), "/journal/{ann_entry}/delete"),
    Case(
        "GET", "/api/clinic/patients/{patient_id}", "dr_b", (404,), "/api/clinic/patients/{ann_id}"
    ),
    Case("GET", "/api/clinic/patients/{patient_id}", "bo", (403,), "/api/clinic/patients/{ann_id}"),
    Case(
        "GET",
        "/api/clinic/patients/{patient_id}/report.pdf",
        "dr_b",
        (404,),
        "/api/clinic/patients/{ann_id}/report.pdf",
    ),
    Case(
        "GET",
        "/api/clinic/patients/{patient_id}/record.fhir.json",
        "dr_b",
        (404,),
        "/api/clinic/patients/{ann_id}/record.fhir.json?name=1",
    ),
    Case(
        "PUT",
        "/api/clinic/patients/{patient_id}/routine",
        "dr_b",
        (404,),
        "/api/clinic/patients/{ann_id}/routine",
        json=DOSE,
    ),
    Case(
        "POST",
        "/api/clinic/patients/{patient_id}/seen",
        "dr_b",
        (404,),
        "/api/clinic/patients/{ann_id}/seen",
        json={"seen_on": "2026-01-02"},
    ),
    Case(
        "POST",
        "/clinic/patients/{patient_id}/seen",
        "dr_b",
        (404,),
        "/clinic/patients/{ann_id}/seen",
        form={"seen_on": "2026-01-02"},
    ),
    Case("GET", "/clinic/patients/{patient_id}", "dr_b", (404,), "/clinic/patients/{ann_id}"),
    Case(
        "POST",
        "/clinic/patients/{patient_id}/routine",
        "dr_b",
        (404,),
        "/clinic/patients/{ann_id}/routine",
        form={k: str(v) for k, v in DOSE.items()},
    ),
    Case(
        "DELETE",
        "/api/me/clinicians/{clinician_id}",
        "bo",
        (404,),
        "/api/me/clinicians/{dr_a_id}",
    ),
    Case(
        "POST",
        "/account/clinicians/{clinician_id}/leave",
        "bo",
        (404,),
        "/account/clinicians/{dr_a_id}/leave",
    ),
    Case(
        "POST",
        "/api/invitations/{code}/accept",
        "bo",
        (404,),
        "/api/invitations/{used_code}/accept",
    ),
    Case("GET", "/invite/{code}", "bo", (404,), "/invite/{used_code}"),
    Case("POST", "/invite/{code}", "bo", (404,), "/invite/{used_code}"),
    Case("GET", "/calendar/{token}.ics", "bo", (404,), "/calendar/{new_uuid}.ics"),
    Case("GET", "/reset/{token}", "bo", (404,), "/reset/{new_uuid}"),
    Case(
        "POST", "/reset/{token}", "bo", (404,), "/reset/{new_uuid}", form={"new_password": "x" * 12}
    ),
    Case(
        "POST",
        "/api/resets/{token}",
        "bo",
        (404,),
        "/api/resets/{new_uuid}",
        json={"new_password": "x" * 12},
    ),
    Case(
        "PUT",
        "/api/set-aside/{key}",
        "bo",
        (201,),  # the same record id as Ann's: Bo's own, beside hers, never over it
        "/api/set-aside/ann-refused",
        json={"method": "PUT", "path": "/api/x", "body": {}, "status": 404, "reason": "gone"},
    ),
    # -- ids inside a body: a pain entry tied to someone else's session --
    Case(
        "POST",
        "/api/journal",
        "bo",
        (404,),
        json={"score": 3, "sites": [], "session_id": "{ann_session}"},
    ),
    Case(
        "POST",
        "/journal",
        "bo",
        (404, 422),
        form={"score": "3", "context": "after", "session": "{ann_session}"},
    ),
    # -- routes without ids act on the caller only, and show nothing of Ann's --
    *[
        Case("GET", route, "bo", OK)
        for route in (
            "/",
            "/session",
            "/journal",
            "/history",
            "/learn",
            "/settings",
            "/account",
            "/account/export",
            "/api/me",
            "/api/me/export",
            "/api/me/clinicians",
            "/api/sessions",
            "/api/sessions/current",
            "/api/journal",
            "/api/history",
            "/api/today",
            "/api/settings",
            "/api/report.pdf",
            "/api/csrf",
            "/screen",
            "/api/screen",
            "/api/verdict",
            "/api/set-aside",
            "/sw.js",
            "/manifest.webmanifest",
        )
    ],
    *[Case("GET", route, "dr_b", OK) for route in ("/clinic", "/api/clinic/patients")],
    Case("GET", "/welcome", "bo", MOVED),  # Bo has kept records: past the first visit
    Case("POST", "/welcome", "bo", MOVED, form={"answer": "yes"}),
    Case("GET", "/api/consent", "bo", OK),
    Case("POST", "/api/consent", "bo", OK, json={"agree": True}),
    Case("GET", "/login", "bo", MOVED),
    Case("GET", "/register", "bo", OK),
    Case("PUT", "/api/settings", "bo", OK, json=SETTINGS),
    Case("POST", "/settings", "bo", MOVED, form={k: str(v) for k, v in SETTINGS.items()}),
    Case("POST", "/api/settings/calendar-token", "bo", OK),
    Case("POST", "/settings/calendar", "bo", MOVED),
    Case("GET", "/api/push/key", "bo", OK),
    Case(
        "POST",
        "/api/push/subscriptions",
        "bo",
        (201,),
        json=PHONE | {"endpoint": "http://127.0.0.1:9/push/bo"},
    ),
    Case("DELETE", "/api/push/subscriptions", "bo", (204,), json={"endpoint": ANN_PHONE}),
    Case("POST", "/api/push/snooze", "bo", OK),
    Case("POST", "/api/push/done-today", "bo", (204,)),
    Case("POST", "/api/sessions", "bo", (201,), json={}),
    Case("POST", "/api/checkin", "bo", OK, json={"score": 2, "sites": ["left:thigh"]}),
    Case("POST", "/api/screen", "bo", (201,), json={"answers": [False] * len(QUESTIONS)}),
    Case("POST", "/api/screen/seen", "bo", (403,), json={"seen_on": "2026-01-01"}),
    Case("POST", "/screen", "bo", MOVED, form={q.code: "no" for q in QUESTIONS}),
    Case("POST", "/screen/seen", "bo", (403,), form={"seen_on": "2026-01-01"}),
    Case("POST", "/api/clinic/invitations", "dr_b", (201,)),
    Case("POST", "/clinic/invitations", "dr_b", (201,)),
    Case(
        "POST",
        "/api/login",
        "anonymous",
        OK,
        json={"email": "bo@example.org", "password": PASSWORD},
    ),
    Case(
        "POST",
        "/login",
        "anonymous",
        MOVED,
        form={"email": "bo@example.org", "password": PASSWORD, "next": "/"},
    ),
    Case(
        "POST",
        "/api/accounts",
        "anonymous",
        (201,),
        json={"email": "{new_uuid}@example.org", "password": PASSWORD, "display_name": "New"},
    ),
    Case(
        "POST",
        "/register",
        "anonymous",
        MOVED,
        form={"email": "{new_uuid}@example.org", "password": PASSWORD, "display_name": "New"},
    ),
    Case(
        "PUT",
        "/api/me/password",
        "new",
        (204,),
        json={"current_password": PASSWORD, "new_password": "another long secret"},
    ),
    Case(
        "POST",
        "/account/password",
        "new",
        MOVED,
        form={"current_password": PASSWORD, "new_password": "another long secret"},
    ),
    Case("POST", "/api/logout", "new", (204,)),
    Case("POST", "/logout", "new", MOVED),
    Case("DELETE", "/api/me", "new", (204,), json={"password": PASSWORD}),
    Case("POST", "/account/delete", "new", MOVED, form={"password": PASSWORD}),
]


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids, new_uuid=uuid.uuid4())
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _browser(world: World, who: str) -> httpx.Client:
    if who == "new":
        return world.sign_up(f"{uuid.uuid4()}@example.org")
    if who == "anonymous":
        browser = make_client(world.app)
        world.browsers.append(browser)
        browser.headers["X-CSRF-Token"] = csrf_of(browser, "/login")
        return browser
    found: httpx.Client = getattr(world, who)
    return found


def test_the_table_names_every_route_of_the_app(world: World) -> None:
    assert {(c.method, c.route) for c in CASES} == app_routes(world.app)


@pytest.mark.parametrize(
    "case",
    CASES,
    ids=[f"{c.method} {c.url or c.route} as {c.who}" for c in CASES],
)
def test_no_route_shows_or_changes_another_persons_data(world: World, case: Case) -> None:
    before = world.ann_snapshot()
    browser = _browser(world, case.who)
    url = _fill(case.url or case.route, world.ids)

    response = browser.request(
        case.method, url, json=_fill(case.json, world.ids), data=_fill(case.form, world.ids)
    )

    assert response.status_code in case.expect, response.text[:300]
    sent = str(response.request.url) + response.request.content.decode()
    answer = response.text + str(response.headers)
    leaked = [s for s in world.secrets if s in answer and s not in sent]  # an echo is no leak
    assert leaked == []
    assert world.ann_snapshot() == before
