"""The clinician report on the web: a patient's own PDF, and a clinician's for their patients."""

from __future__ import annotations

import io
import uuid
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from stretchcoach.domain.safety import QUESTIONS

from .conftest import assert_error, make_client


def pdf_text(response: httpx.Response) -> tuple[int, str]:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def a_session(browser: httpx.Client, felt: list[str | None]) -> None:
    """Start a session, post its holds with what they felt like, and finish it."""
    session = browser.post("/api/sessions", json={}).json()
    holds = [p for p in session["phases"] if p["kind"] == "hold"]
    for phase, answer in zip(holds, felt, strict=False):
        body = {
            "hold_number": phase["hold_number"],
            "side": phase["side"],
            "held_s": 30.0,
            "completed": True,
        }
        url = f"/api/sessions/{session['id']}/holds/{uuid.uuid4()}"
        assert browser.put(url, json=body).status_code == 201
        if answer is not None:  # how it felt, through its one door
            assert browser.put(f"{url}/felt", json={"felt": answer}).status_code == 200
    finished = browser.post(f"/api/sessions/{session['id']}/finish", json={"status": "completed"})
    assert finished.status_code == 200


def test_the_local_user_downloads_their_report(client: httpx.Client) -> None:
    a_session(client, ["pull", "nerve", "pull", "nothing", "pull", "pull"])
    client.post("/api/journal", json={"score": 5, "sites": ["left:calf"]})

    response = client.get("/api/report.pdf", params={"days": 14})

    pages, text = pdf_text(response)
    assert pages == 2
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="stretchcoach-report-')
    assert "(14 days, Europe/London)" in text
    assert "Patient: " in text and "Patient: You" not in text  # no account, no name
    assert "1 (1 completed); 6 holds" in text
    assert "6 holds rated: 4 a mild pull behind the thigh (the aim), 1 nothing much, 1 " in text
    assert "Left: not enough located ratings" in text


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("0", "use a whole number from 1 to 3660"),
        ("3661", "from 1 to 3660"),
        ("soon", "not a whole number"),
    ],
)
def test_a_period_out_of_range_is_422_naming_days(
    client: httpx.Client, days: str, message: str
) -> None:
    response = client.get("/api/report.pdf", params={"days": days})

    assert message in assert_error(response, 422, "invalid_input", "days")


def test_the_history_page_links_to_the_report(client: httpx.Client) -> None:
    page = client.get("/history").text

    assert 'href="/api/report.pdf?days=30"' in page and 'href="/api/report.pdf?days=90"' in page


def test_a_clinician_downloads_the_report_of_a_patient_who_shares(
    make_accounts_app: Any, store_url: str, sign_up: Any
) -> None:
    accounts_app = make_accounts_app(store_url)
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician", name="Dr Lee")
    other = sign_up(accounts_app, "other@example.org", role="clinician", name="Dr Other")
    ann = sign_up(accounts_app, "ann@example.org", name="Ann Example")
    cancer = [q.code == "cancer" for q in QUESTIONS]
    assert ann.post("/api/screen", json={"answers": cancer}).status_code == 201
    code = doctor.post("/api/clinic/invitations").json()["code"]
    assert ann.post(f"/api/invitations/{code}/accept").status_code == 200
    ann_id = ann.get("/api/me").json()["id"]
    url = f"/api/clinic/patients/{ann_id}/report.pdf"

    pages, text = pdf_text(doctor.get(url, params={"days": 30}))
    own_pages, own_text = pdf_text(ann.get("/api/report.pdf"))

    assert pages == own_pages == 2
    assert "Patient: Ann Example" in text and "Patient: Ann Example" in own_text
    assert "not yet seen: History of cancer" in text
    assert (
        f"/api/clinic/patients/{ann_id}/report.pdf?days=30"
        in doctor.get(f"/clinic/patients/{ann_id}").text
    )
    assert_error(other.get(url), 404, "not_found")  # not one of theirs: as if it did not exist
    assert_error(ann.get(url), 403, "forbidden")  # a patient is not a clinician
    assert_error(doctor.get(url, params={"days": "0"}), 422, "invalid_input", "days")
    assert make_client(accounts_app).get(url).status_code == 401
