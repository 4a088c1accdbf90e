"""A phone that changes hands: after logging out and going offline, the next person can read
nothing of the last one (account, journal, settings with the secret calendar address, a
clinician's patient list), neither from the pages nor from what the service worker keeps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from stretchcoach.domain.safety import QUESTIONS

from .test_browser import ARTIFACTS, PHONE, approve, browser, start_server, stop_server

pytestmark = pytest.mark.e2e
__all__ = ["browser"]

PASSWORD = "a long enough sentence"
PERSONAL_PAGES = ["/", "/account", "/journal", "/settings", "/history", "/session", "/clinic"]

CACHED = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      found.push({url: new URL(request.url).pathname, body: await response.text()});
    }
  }
  return found;
}"""


def _api_account(base: str, email: str, name: str, role: str) -> httpx.Client:
    """An account made through the API (not on the phone), logged in; a patient has agreed
    on the first visit to keep their records."""
    client = httpx.Client(base_url=base)
    token = client.get("/api/csrf").json()["csrf_token"]
    response = client.post(
        "/api/accounts",
        json={"email": email, "password": PASSWORD, "display_name": name, "role": role},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 201, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    if role == "patient":  # past the first visit: keep my records
        assert client.post("/api/consent", json={"agree": True}).status_code == 200
    return client


def _log_in(page: Any, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    page.evaluate("() => navigator.serviceWorker.ready")


def _log_out(page: Any) -> None:
    page.goto("/account")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")


def _offline_texts(page: Any, paths: list[str]) -> dict[str, str]:
    """What each page shows with the connection off (an error page counts as nothing)."""
    page.context.set_offline(True)
    shown: dict[str, str] = {}
    try:
        for path in paths:
            try:
                page.goto(path)
                shown[path] = page.content()
            except Exception as error:
                shown[path] = f"(not shown: {type(error).__name__})"
    finally:
        page.context.set_offline(False)
    return shown


def test_nothing_personal_is_readable_offline_after_logging_out(
    browser: Any, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'phone.db'}"
    server, base = start_server(db_url, "--accounts")
    doctor = _api_account(base, "ada@clinic.example", "Dr Adaline Quist", "clinician")
    patient = _api_account(base, "zoe@example.org", "Zoë Marchetti", "patient")
    context = browser.new_context(viewport=PHONE, is_mobile=True, base_url=base)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        approve(db_url, "ada@clinic.example")
        code = doctor.post("/api/clinic/invitations").json()["code"]
        assert patient.post(f"/api/invitations/{code}/accept").status_code == 200
        note = "the left calf burns after the long drive to my sister"
        assert patient.post("/api/journal", json={"score": 4, "note": note}).status_code == 201

        # The patient uses the phone: every page, the session shell kept for offline use.
        _log_in(page, "zoe@example.org")
        for path in ["/", "/journal", "/history", "/account", "/session", "/settings"]:
            page.goto(path)
        page.reload()  # now under the service worker's control
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        calendar = page.locator("a[href^='webcal:']").get_attribute("href")
        secret = calendar.rsplit("/", 1)[-1].removesuffix(".ics")
        assert "Zoë Marchetti" in page.goto("/account").text()
        _log_out(page)

        # The clinician uses the same phone next, then logs out too.
        _log_in(page, "ada@clinic.example")
        page.goto("/clinic")
        assert "Marchetti" in page.content()
        _log_out(page)

        shown = _offline_texts(page, PERSONAL_PAGES)
        kept = page.evaluate(CACHED)
        page.screenshot(path=str(ARTIFACTS / "shared-phone-offline.png"), full_page=True)
    finally:
        context.close()
        stop_server(server)
        doctor.close()
        patient.close()

    secrets = ["Marchetti", "Zoë", "Adaline", "left calf burns", secret, "zoe@example.org"]
    leaks = {path: [s for s in secrets if s in text] for path, text in shown.items()}
    assert leaks == {path: [] for path in PERSONAL_PAGES}
    cached_leaks = [(e["url"], s) for e in kept for s in secrets if s in e["body"]]
    assert cached_leaks == []
    assert {e["url"] for e in kept} <= {"/session"} | {
        e["url"] for e in kept if e["url"].startswith("/static/") or e["url"].endswith("manifest")
    }


def test_one_persons_unsent_holds_never_go_out_under_anothers_login(
    browser: Any, tmp_path: Path
) -> None:
    server, base = start_server(f"sqlite:///{tmp_path / 'outbox.db'}", "--accounts")
    ann = _api_account(base, "ann@example.org", "Ann", "patient")
    bo = _api_account(base, "bo@example.org", "Bo", "patient")
    ann_id = ann.get("/api/me").json()["id"]
    no_to_all = {"answers": [False] * len(QUESTIONS)}
    assert bo.post("/api/screen", json=no_to_all).status_code == 201
    context = browser.new_context(viewport=PHONE, is_mobile=True, base_url=base)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/holds/" in r.url else None)
    waiting = {
        "key": "h1",
        "method": "PUT",
        "url": "/api/sessions/0b6a3b68-5f7e-4a43-9d1e-3f2a4a0e4c11/holds/h1",
        "body": {"hold_number": 1, "side": "left", "held_s": 30, "completed": True},
    }
    try:
        page.goto("/login")  # Ann's hold, still waiting on this phone from before
        for key in (f"sc-outbox:{ann_id}", "sc-outbox"):  # hers, and as kept before per-user keys
            page.evaluate(
                "([key, item]) => localStorage.setItem(key, JSON.stringify([item]))",
                [key, waiting],
            )
        _log_in(page, "bo@example.org")
        page.goto("/session")
        page.get_by_role("button", name="Begin").wait_for()  # the session page, not the screen
        page.wait_for_timeout(5_000)  # the outbox is flushed every 4 s
        kept = page.evaluate(f"() => localStorage.getItem('sc-outbox:{ann_id}')")
    finally:
        context.close()
        stop_server(server)
        ann.close()
        bo.close()

    assert sent == []
    assert kept is not None and "h1" in kept
