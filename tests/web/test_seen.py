"""Recording a visit on the web: dated before the yes it settles, it is refused in one line
(the patient's form and API, the clinician's API); after answering, the words say what still
stands; in clinic mode a patient with no clinician records their own visit until linked."""

from __future__ import annotations

from typing import Any

import httpx

from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.domain.safety import CARE_MESSAGES, QUESTIONS, Care
from stretchcoach.testing import FakeClock

from .conftest import assert_error, pass_screen, text_of

BEFORE_THE_YES = (
    "the visit on 10 Jan 2022 is before the first yes (05 Jan 2026): give the date you were "
    "seen about it, on or after 05 Jan 2026"
)


def yes_to(*codes: str) -> list[bool]:
    return [q.code in codes for q in QUESTIONS]


def test_a_visit_before_the_yes_is_refused_on_the_page_and_the_api_and_nothing_is_kept(
    new_client: httpx.Client, web_clock: FakeClock
) -> None:
    assert new_client.post("/api/screen", json={"answers": yes_to("saddle-numbness")}).is_success
    web_clock.tick(3600)

    api = new_client.post("/api/screen/seen", json={"seen_on": "2022-01-10", "note": "fine"})
    form = new_client.post("/screen/seen", data={"seen_on": "2022-01-10"})
    page = new_client.get("/screen")
    after = new_client.get("/api/screen").json()
    later = new_client.post("/api/screen/seen", json={"seen_on": "2026-01-05"})

    assert assert_error(api, 422, "invalid_input", "seen_on") == BEFORE_THE_YES
    assert form.status_code == 422 and BEFORE_THE_YES in text_of(form)
    assert 'min="2026-01-05"' in page.text and "on or after 05 Jan 2026" in text_of(page)
    assert after["status"] == "blocked" and after["seen"] == []
    assert after["seen_from"] == "2026-01-05"
    assert later.status_code == 201 and later.json()["codes"] == ["saddle-numbness"]
    assert new_client.post("/api/sessions", json={}).status_code == 201


def test_all_no_after_an_emergency_yes_says_what_stands_not_you_can_stretch(
    new_client: httpx.Client, web_clock: FakeClock
) -> None:
    new_client.post("/api/screen", json={"answers": yes_to("bowel")})
    web_clock.tick(60)

    posted = new_client.post("/api/screen", json={"answers": [False] * len(QUESTIONS)})
    web_clock.tick(60)
    new_client.post("/screen", data=dict.fromkeys((q.code for q in QUESTIONS), "no"))
    page = text_of(new_client.get("/screen?done=1"))

    message = posted.json()["latest"]["message"]
    assert "you can stretch" not in message and CARE_MESSAGES[Care.EMERGENCY] in message
    assert message.startswith("Thank you. No to every question today, but your earlier yes")
    assert posted.json()["status"] == "blocked"
    assert "you can stretch" not in page and "All clear" not in page
    assert "Please get help now" in page and "tel:999" in page
    assert 'href="/session"' not in page


def test_a_visit_recorded_the_same_day_is_accepted_and_a_day_on_it_still_stands(
    client: httpx.Client, web_clock: FakeClock
) -> None:
    web_clock.tick(60)
    client.post("/api/screen", json={"answers": yes_to("unwell")})
    web_clock.tick(26 * 3600)  # the next morning
    refused = client.post("/api/screen/seen", json={"seen_on": "2026-01-04"})
    seen = client.post("/api/screen/seen", json={"seen_on": "2026-01-05"})
    web_clock.tick(10 * 24 * 3600)

    assert "before the first yes (05 Jan 2026)" in assert_error(
        refused, 422, "invalid_input", "seen_on"
    )
    assert seen.status_code == 201
    assert client.get("/api/screen").json()["status"] == "clear"


# -- clinic mode --------------------------------------------------------------------------


def _link(doctor: httpx.Client, patient: httpx.Client) -> None:
    code = doctor.post("/api/clinic/invitations").json()["code"]
    assert patient.post(f"/api/invitations/{code}/accept").status_code == 200


def test_a_patient_with_no_clinician_records_their_own_visit_until_linked(
    accounts_app: Any, sign_up: Any, web_clock: FakeClock
) -> None:
    ann = sign_up(accounts_app, "ann@example.org", name="Ann")
    ann_id = ann.get("/api/me").json()["id"]
    assert ann.post("/api/screen", json={"answers": yes_to("cancer")}).status_code == 201

    answered = text_of(ann.get("/screen?done=1"))
    page = text_of(ann.get("/screen"))
    early = ann.post("/api/screen/seen", json={"seen_on": "2022-01-10"})
    seen = ann.post("/api/screen/seen", json={"seen_on": "2026-01-05", "note": "GP: fine"})
    started = ann.post("/api/sessions", json={})
    with SqlUnitOfWork(accounts_app.state.engine) as uow:
        (kept,) = uow.screens.acknowledgements(ann_id)

    assert "you can stretch" not in answered and CARE_MESSAGES[Care.WITHIN_DAYS] in answered
    assert "ask your clinic for an invitation link" in page
    assert 'action="/screen/seen"' in page
    assert assert_error(early, 422, "invalid_input", "seen_on").startswith("the visit on 10 Jan")
    assert seen.status_code == 201 and seen.json()["codes"] == ["cancer"]
    assert started.status_code == 201
    assert kept.by_user_id == ann_id and not kept.by_clinician

    doctor = sign_up(accounts_app, "doc@example.org", role="clinician", name="Dr Doc")
    _link(doctor, ann)
    web_clock.tick(3600)
    ann.post("/api/screen", json={"answers": yes_to("cancer", "weight-loss")})
    linked_page = text_of(ann.get("/screen"))
    self_seen = ann.post("/api/screen/seen", json={"seen_on": "2026-01-05"})
    row = doctor.get(f"/api/clinic/patients/{ann_id}").json()

    assert self_seen.status_code == 403
    assert "Your clinician records this for you" in linked_page
    assert "invitation link" not in linked_page
    assert any("recorded by the patient" in r for r in row["reasons"])


def test_the_clinicians_api_refuses_a_visit_before_the_patients_yes(
    accounts_app: Any, sign_up: Any
) -> None:
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician", name="Dr Doc")
    bo = sign_up(accounts_app, "bo@example.org", name="Bo")
    _link(doctor, bo)
    bo_id = bo.get("/api/me").json()["id"]
    pass_screen(bo)
    bo.post("/api/screen", json={"answers": yes_to("saddle-numbness")})

    refused = doctor.post(f"/api/clinic/patients/{bo_id}/seen", json={"seen_on": "2022-01-10"})

    assert assert_error(refused, 422, "invalid_input", "seen_on") == BEFORE_THE_YES
    assert bo.get("/api/screen").json()["seen"] == []
