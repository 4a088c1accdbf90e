"""The history, journal-correction and clinician pages on a 320 x 640 phone, with the text at
100 % and 200 %: no serious axe-core problem and nothing scrolls sideways. Screenshots go to
test-artifacts/web/ to be looked at."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .test_browser import ARTIFACTS, api, base_url, browser, pass_screen
from .test_phone_pages import AXE, PHONES, axe_problems

pytestmark = pytest.mark.e2e

__all__ = ["base_url", "browser"]  # fixtures used here

LONG_NOTE = (
    "Woke with it down the back of the leg again after the long drive to my daughter's; "
    "better after the warm bath but the calf still burns when I sit."
)


@pytest.fixture
def small_phone(browser: Any, base_url: str) -> Iterator[Any]:
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE} (scripts/test.sh installs it)")
    context = browser.new_context(
        viewport=PHONES["320x640"],
        is_mobile=True,
        has_touch=True,
        base_url=base_url,
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], errors


def _headers(page: Any) -> dict[str, str]:
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    return {"X-CSRF-Token": token, "Content-Type": "application/json"}


def a_morning(page: Any) -> str:
    """A session with a hold cut short, each hold's feel, pain before and after with places,
    and a rating with a long note that was then corrected; the corrected rating's id."""
    pass_screen(page)
    page.goto("/journal")
    headers = _headers(page)
    session = page.request.post("/api/sessions", data="{}", headers=headers).json()
    feels = iter(["pull", "nerve", "nothing", "pull", "pull", "pull"])
    for phase in session["phases"]:
        if phase["hold_number"]:
            hold_id = str(uuid.uuid4())
            held = 12 if phase["hold_number"] == 2 else 30
            hold = {"hold_number": phase["hold_number"], "side": phase["side"], "held_s": held}
            url = f"/api/sessions/{session['id']}/holds/{hold_id}"
            page.request.put(
                url, data=json.dumps(hold | {"completed": held == 30}), headers=headers
            )
            page.request.put(f"{url}/felt", data=json.dumps({"felt": next(feels)}), headers=headers)
    for context, score, sites in (
        ("before", 6, ["left:buttock", "left:thigh", "left:calf", "left:foot", "left:big-toe"]),
        ("after", 4, ["left:thigh"]),
    ):
        body = {"score": score, "sites": sites, "context": context, "session_id": session["id"]}
        page.request.put(f"/api/journal/{uuid.uuid4()}", data=json.dumps(body), headers=headers)
    page.request.post(
        f"/api/sessions/{session['id']}/finish", data='{"status": "completed"}', headers=headers
    )
    body = {"score": 8, "sites": ["right:calf", "right:foot"], "note": LONG_NOTE}
    tapped = page.request.post("/api/journal", data=json.dumps(body), headers=headers).json()
    fixed = page.request.patch(
        f"/api/journal/{tapped['id']}", data=json.dumps({"score": 5}), headers=headers
    )
    assert fixed.ok, fixed.text()
    assert len(api(page, "/api/journal")["corrections"]) == 1
    return str(fixed.json()["id"])


def look(page: Any, name: str, problems: dict[str, list[str]], wide: dict[str, int]) -> None:
    problems[name] = axe_problems(page)
    for zoom in ("100%", "200%"):
        page.evaluate(f"() => {{ document.documentElement.style.fontSize = '{zoom}'; }}")
        wide[f"{name} at {zoom}"] = page.evaluate("() => document.documentElement.scrollWidth")
        page.screenshot(path=str(ARTIFACTS / f"history-{name}-{zoom[:-1]}.png"), full_page=True)
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")


def test_history_and_journal_corrections_fit_a_small_phone_with_the_text_doubled(
    small_phone: Any,
) -> None:
    page = small_phone
    entry_id = a_morning(page)
    problems: dict[str, list[str]] = {}
    wide: dict[str, int] = {}

    page.goto("/history")
    assert "felt tingling, burning or shooting below the knee" in page.inner_text("main")
    look(page, "sessions", problems, wide)
    page.goto("/journal")
    assert "right calf, right foot" in page.inner_text("main")
    look(page, "journal-list", problems, wide)
    page.goto(f"/journal/{entry_id}")
    look(page, "journal-edit", problems, wide)
    page.get_by_role("radio", name="3", exact=True).check()
    page.get_by_role("button", name="Save the change").click()
    page.wait_for_selector("[data-testid=changed]")
    look(page, "journal-corrected", problems, wide)

    assert problems == {name: [] for name in problems}
    assert wide == dict.fromkeys(wide, 320)


def test_the_clinicians_patient_and_waiting_pages_fit_a_small_phone_with_the_text_doubled(
    browser: Any, tmp_path: Path
) -> None:
    from .test_browser import approve, start_server, stop_server
    from .test_shared_phone import _api_account, _log_in

    db_url = f"sqlite:///{tmp_path / 'clinic.db'}"
    server, base = start_server(db_url, "--accounts")
    doctor = _api_account(base, "ada@clinic.example", "Dr Ada Featherstonehaugh", "clinician")
    waiting = _api_account(base, "bea@clinic.example", "Dr Bea Waiting-Longtime", "clinician")
    patient = _api_account(base, "zoe@example.org", "Zoë Marchetti-Oyelaran", "patient")
    problems: dict[str, list[str]] = {}
    wide: dict[str, int] = {}
    context = browser.new_context(
        viewport=PHONES["320x640"], is_mobile=True, base_url=base, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        approve(db_url, "ada@clinic.example")
        code = doctor.post("/api/clinic/invitations").json()["code"]
        assert patient.post(f"/api/invitations/{code}/accept").status_code == 200
        patient_id = patient.get("/api/me").json()["id"]
        _log_in(page, "zoe@example.org")
        a_morning(page)
        context.clear_cookies()
        _log_in(page, "ada@clinic.example")
        page.goto(f"/clinic/patients/{patient_id}")
        said = page.inner_text("main")
        assert "Left: big toe" in said and "Corrected in their journal" in said
        assert LONG_NOTE[:30] not in said
        look(page, "clinic-patient", problems, wide)
        page.goto("/clinic")
        look(page, "clinic-dashboard", problems, wide)
        context.clear_cookies()
        _log_in(page, "bea@clinic.example")
        page.goto("/clinic")
        assert "ask the person who looks after this app" in page.inner_text("main")
        look(page, "clinic-waiting", problems, wide)
    finally:
        context.close()
        stop_server(server)
        for client in (doctor, waiting, patient):
            client.close()

    assert problems == {name: [] for name in problems}
    assert wide == dict.fromkeys(wide, 320)
