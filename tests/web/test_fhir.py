"""A clinician's per-patient FHIR download: a valid Bundle, pseudonymous unless asked, only for
the patient's own clinicians.

Validated with fhir.resources' R4B models: its R4 (4.0.1) models (fhir.resources 6.x) need
pydantic 1, which this project's pydantic 2 rules out. Patient, Observation,
QuestionnaireResponse and Bundle read the same in R4 and R4B (docs/export.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
from fhir.resources.R4B.bundle import Bundle as FhirBundle

from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.safety import EMERGENCY_CODES, QUESTIONS, emergency_only
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import Hold, Session, new_id
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services.fhir import PAIN_CODE

from .conftest import assert_error


def _link(doctor: httpx.Client, patient: httpx.Client) -> str:
    code = doctor.post("/api/clinic/invitations").json()["code"]
    assert patient.post(f"/api/invitations/{code}/accept").status_code == 200
    user_id: str = patient.get("/api/me").json()["id"]
    return user_id


def _records(app: Any, user_id: str, now: datetime) -> dict[str, str]:
    """A morning: pain before (with a private note), a session of two holds, pain after,
    a full check and the emergency questions asked again alone. The ids, by what they are."""
    at = now - timedelta(days=1)
    session = Session(
        new_id(),
        user_id,
        "seated-hamstring",
        "Seated hamstring stretch",
        at,
        "America/New_York",
        SessionSettings(hold_s=30, reps_per_side=1, first_side=Side.LEFT, rest_s=10),
        status=SessionStatus.COMPLETED,
        ended_at=at + timedelta(minutes=3),
    )
    practice = Session(
        new_id(),
        user_id,
        "seated-hamstring",
        "Seated hamstring stretch",
        at - timedelta(days=1),
        "America/New_York",
        SessionSettings(hold_s=30, reps_per_side=1, first_side=Side.LEFT, rest_s=10),
        practice=True,
        speed=10.0,
        status=SessionStatus.COMPLETED,
        ended_at=at - timedelta(days=1) + timedelta(minutes=1),
    )
    before = PainEntry(
        new_id(),
        user_id,
        at - timedelta(minutes=1),
        "America/New_York",
        6,
        parse_sites("left:calf,right:buttock"),
        PainContext.BEFORE,
        session.id,
        "slept badly, sore after the drive",
    )
    after = PainEntry(
        new_id(), user_id, at + timedelta(minutes=4), "America/New_York", 4, frozenset(),
        PainContext.AFTER, session.id,
    )  # fmt: skip
    full = ScreenResult(new_id(), user_id, at - timedelta(days=2), (False,) * len(QUESTIONS), 3)
    urgent = emergency_only(dict.fromkeys(EMERGENCY_CODES, False))  # the rest not asked
    again = ScreenResult(new_id(), user_id, at - timedelta(minutes=2), urgent, 3)
    uow = SqlUnitOfWork(app.state.engine)
    with uow:
        uow.sessions.add(session)
        uow.sessions.add(practice)
        uow.sessions.add_hold(
            Hold(new_id(), session.id, 1, Side.LEFT, 30, 31.2, True, at + timedelta(seconds=40),
                 Felt.PULL)
        )  # fmt: skip
        uow.sessions.add_hold(
            Hold(new_id(), session.id, 2, Side.RIGHT, 30, 18.0, False, at + timedelta(seconds=90),
                 Felt.NERVE)
        )  # fmt: skip
        uow.journal.add(before)
        uow.journal.add(after)
        uow.screens.add(full)
        uow.screens.add(again)
        uow.commit()
    return {
        "session": session.id,
        "practice": practice.id,
        "before": before.id,
        "after": after.id,
        "full": full.id,
        "again": again.id,
    }


def _by_id(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}


def test_the_clinicians_download_is_a_valid_r4_bundle_of_the_patients_records(
    accounts_app: Any, sign_up: Any, web_clock: Any
) -> None:
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician")
    ann_id = _link(doctor, sign_up(accounts_app, "ann@example.org", name="Ann Smith"))
    ids = _records(accounts_app, ann_id, web_clock.now())

    response = doctor.get(f"/api/clinic/patients/{ann_id}/record.fhir.json")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    assert "attachment" in response.headers["content-disposition"]
    data = response.json()
    FhirBundle.model_validate(data)  # raises on anything R4(B) does not allow
    assert data["type"] == "collection"
    found = _by_id(data)
    patient = next(r for r in found.values() if r["resourceType"] == "Patient")
    assert "name" not in patient and ann_id not in response.text and "Ann" not in response.text
    before = found[ids["before"]]
    assert before["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": PAIN_CODE,
        "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    }
    assert before["valueInteger"] == 6
    assert before["effectiveDateTime"].endswith("-05:00")  # New York in January
    assert before["bodySite"]["text"] == "Pain reaches: left calf, right buttock"
    assert before["subject"]["reference"] == f"urn:uuid:{patient['id']}"
    assert "slept badly" not in response.text  # notes are kept from clinicians
    assert "bodySite" not in found[ids["after"]]
    session = found[ids["session"]]
    parts = {c["code"]["text"]: c for c in session["component"]}
    assert parts["Hold 1: seconds held"]["valueQuantity"] == {
        "value": 31.2,
        "unit": "s",
        "system": "http://unitsofmeasure.org",
        "code": "s",
    }
    assert parts["Hold 2: leg"]["valueCodeableConcept"]["text"] == "right"
    assert "below the knee" in parts["Hold 2: felt"]["valueString"]
    assert session["effectivePeriod"]["start"].endswith("-05:00")
    assert ids["practice"] not in found  # a try-out at speed is not a session done
    full, again = found[ids["full"]], found[ids["again"]]
    assert full["resourceType"] == "QuestionnaireResponse"
    assert [i["linkId"] for i in full["item"]] == [q.code for q in QUESTIONS]
    assert all(i["answer"] == [{"valueBoolean": False}] for i in full["item"])
    asked = [i for i in again["item"] if "answer" in i]
    assert 0 < len(asked) < len(QUESTIONS)


def test_the_name_goes_in_only_when_the_clinician_asks(accounts_app: Any, sign_up: Any) -> None:
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician")
    ann_id = _link(doctor, sign_up(accounts_app, "ann@example.org", name="Ann Smith"))

    plain = doctor.get(f"/api/clinic/patients/{ann_id}/record.fhir.json").json()
    named = doctor.get(f"/api/clinic/patients/{ann_id}/record.fhir.json?name=1").json()

    FhirBundle.model_validate(named)
    assert "name" not in plain["entry"][0]["resource"]
    assert named["entry"][0]["resource"]["name"] == [{"text": "Ann Smith"}]
    assert plain["entry"][0]["resource"]["id"] == named["entry"][0]["resource"]["id"]


def test_the_patient_page_links_the_download(accounts_app: Any, sign_up: Any) -> None:
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician")
    ann_id = _link(doctor, sign_up(accounts_app, "ann@example.org", name="Ann"))

    page = doctor.get(f"/clinic/patients/{ann_id}")

    assert f'href="/api/clinic/patients/{ann_id}/record.fhir.json"' in page.text
    assert f'href="/api/clinic/patients/{ann_id}/record.fhir.json?name=1"' in page.text


def test_another_clinics_clinician_and_the_patient_get_nothing(
    accounts_app: Any, sign_up: Any, web_clock: Any
) -> None:
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician")
    other = sign_up(accounts_app, "other@example.org", role="clinician")
    ann = sign_up(accounts_app, "ann@example.org", name="Ann")
    ann_id = _link(doctor, ann)
    _records(accounts_app, ann_id, web_clock.now())
    path = f"/api/clinic/patients/{ann_id}/record.fhir.json"

    stranger = other.get(path)
    patient = ann.get(path)
    made_up = doctor.get(f"/api/clinic/patients/{new_id()}/record.fhir.json")

    assert_error(stranger, 404, "not_found")
    assert_error(made_up, 404, "not_found")
    assert patient.status_code == 403
    assert "Ann" not in stranger.text and ann_id not in patient.text
