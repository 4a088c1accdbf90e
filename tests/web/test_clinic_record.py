"""A clinician's patient page: where the pain is on each leg (the verdict's reach), the
sessions with their holds, feel and pain, and the journal's corrections shown as such."""

from __future__ import annotations

from typing import Any

import httpx

from .conftest import pass_screen, text_of
from .test_session_history import record_session

NOTE = "PRIVATE-NOTE-OF-ANN"


def _patient(accounts_app: Any, sign_up: Any) -> tuple[httpx.Client, httpx.Client, str]:
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician")
    ann = sign_up(accounts_app, "ann@example.org", name="Ann")
    code = doctor.post("/api/clinic/invitations").json()["code"]
    assert ann.post(f"/api/invitations/{code}/accept").status_code == 200
    pass_screen(ann)
    ann_id: str = ann.get("/api/me").json()["id"]
    return doctor, ann, ann_id


def test_pain_that_reached_the_foot_once_is_named_per_leg(accounts_app: Any, sign_up: Any) -> None:
    doctor, ann, ann_id = _patient(accounts_app, sign_up)
    body = {"score": 5, "sites": ["left:thigh", "left:foot"]}
    assert ann.post("/api/journal", json=body).status_code == 201

    page = text_of(doctor.get(f"/clinic/patients/{ann_id}"))
    board = text_of(doctor.get("/clinic"))
    [row] = doctor.get("/api/clinic/patients").json()

    where = page[page.index('data-testid="where"') :]
    assert "Left: foot" in where[:400] and "Right: no pain" in where[:400]
    assert "Left: foot" in board
    assert row["reach"] == {"left": "foot", "right": "no pain"}


def test_the_patient_page_lists_sessions_with_holds_feel_and_pain(
    accounts_app: Any, sign_up: Any
) -> None:
    doctor, ann, ann_id = _patient(accounts_app, sign_up)
    session_id = record_session(ann, felt=["pull", "nerve"], before=6, after=3)

    page = text_of(doctor.get(f"/clinic/patients/{ann_id}"))

    shown = page[page.index(f'data-session="{session_id}"') :]
    assert "Pain before: <strong>6/10</strong> (left calf)" in shown
    assert "after: <strong>3/10</strong>" in shown
    assert "felt a mild pull at the back of the thigh" in shown
    assert "(ended early) · felt tingling, burning or shooting below the knee" in shown


def test_a_corrected_rating_shows_as_corrected_and_its_notes_stay_private(
    make_accounts_app: Any, store_url: str, sign_up: Any
) -> None:
    doctor, ann, ann_id = _patient(make_accounts_app(store_url), sign_up)
    tapped = ann.post(
        "/api/journal", json={"score": 9, "sites": ["right:calf"], "note": NOTE}
    ).json()["id"]
    withdrawn = ann.post("/api/journal", json={"score": 2, "sites": []}).json()["id"]
    assert ann.patch(f"/api/journal/{tapped}", json={"score": 4}).status_code == 200
    assert ann.delete(f"/api/journal/{withdrawn}").status_code == 200

    page = text_of(doctor.get(f"/clinic/patients/{ann_id}"))

    listed = page[page.index('data-testid="corrections"') :]
    assert (
        "9/10 (right calf), given" in listed and "to <strong>4/10</strong> (right calf)" in listed
    )
    assert "2/10, given" in listed and "<strong>taken back</strong>" in listed
    assert NOTE not in page
    [row] = doctor.get("/api/clinic/patients").json()
    assert row["pain_recent"] == 4.0  # the figures read the corrected record


def test_a_patient_without_sessions_or_corrections_says_so(accounts_app: Any, sign_up: Any) -> None:
    doctor, _, ann_id = _patient(accounts_app, sign_up)

    page = text_of(doctor.get(f"/clinic/patients/{ann_id}"))

    assert "No sessions in the last 30 days." in page
    assert 'data-testid="corrections"' not in page
    assert "Left: –" in page
