"""A phone that changes hands: after logging out and going offline, the next person can read
nothing of the last one (account, journal, settings with the secret calendar address, a
clinician's patient list), neither from the pages nor from what the service worker keeps."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from stretchcoach.domain.safety import QUESTIONS

from .test_browser import (
    ARTIFACTS,
    PHONE,
    SPEED,
    approve,
    browser,
    controlled,
    shot,
    start_server,
    stop_server,
    wait_for_holds,
)

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


def _log_in(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
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
        controlled(page)  # now under the service worker's control
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


# -- a login the server ends (a password reset, expiry, "log everyone out") -----------------

ANN_PASSWORD = "a new sentence for ann"
STORAGE = """() => Object.fromEntries(
  Object.keys(localStorage).map((key) => [key, localStorage.getItem(key)]))"""
QUEUES = """() => new Promise((resolve) => {
  const opening = indexedDB.open("sc-outbox", 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore("queues");
  opening.onsuccess = () => {
    const asked = opening.result.transaction("queues").objectStore("queues").getAllKeys();
    asked.onsuccess = () => { opening.result.close(); resolve(asked.result); };
  };
})"""


def _reset_password(base: str, db_url: str, email: str, new: str) -> None:
    """The clinic's administrator prints a reset link; the person sets a new password with
    it, which ends every login of theirs on the server."""
    printed = subprocess.run(
        [
            sys.executable,
            "-m",
            "stretchcoach",
            "accounts",
            "reset",
            email,
            "--db",
            db_url,
            "--url",
            base,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert printed.returncode == 0, printed.stderr
    link = printed.stdout.strip().splitlines()[-1]
    with httpx.Client() as person:
        page = person.get(link)
        token = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        assert token, page.text
        done = person.post(link, data={"new_password": new, "csrf_token": token.group(1)})
    assert done.status_code == 303, done.text


def _api_login(base: str, email: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base)
    token = client.get("/api/csrf").json()["csrf_token"]
    response = client.post(
        "/api/login",
        json={"email": email, "password": password},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 200, response.text
    return client


def _outbox(page: Any, user: str) -> list[dict[str, Any]]:
    found = page.evaluate(f"() => localStorage.getItem('sc-outbox:{user}')")
    return json.loads(found) if found else []


def test_a_login_the_server_ends_leaves_nothing_for_the_next_person_and_loses_nothing(
    browser: Any, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'ended.db'}"
    server, base = start_server(db_url, "--accounts")
    ann = _api_account(base, "ann@example.org", "Annabel Quist", "patient")
    bo = _api_account(base, "bo@example.org", "Bo", "patient")
    ann_id = ann.get("/api/me").json()["id"]
    no_to_all = {"answers": [False] * len(QUESTIONS)}
    for person in (ann, bo):
        assert person.post("/api/screen", json=no_to_all).status_code == 201
    ann.close()
    context = browser.new_context(viewport=PHONE, is_mobile=True, base_url=base)
    context.set_default_timeout(15_000)
    sent: list[tuple[str, str]] = []  # every write the phone sent, and whose it said it was
    context.on(
        "request",
        lambda r: (
            sent.append((r.url, r.headers.get("x-stretchcoach-user", "")))
            if r.method != "GET"
            else None
        ),
    )
    page = context.new_page()
    try:
        # Ann stretches on the phone; the connection drops after her first hold.
        _log_in(page, "ann@example.org")
        ann_token = page.locator('meta[name="csrf-token"]').get_attribute("content")
        page.goto(f"/session?speed={SPEED}")
        controlled(page)  # under the service worker now, which keeps the shell
        page.get_by_role("button", name="Begin").click()
        page.get_by_role("button", name="Skip this").click()
        session_id = wait_for_holds(page, 1)["id"]
        page.context.set_offline(True)
        page.wait_for_function(
            f"() => (JSON.parse(localStorage.getItem('sc-outbox:{ann_id}')) || [])"
            ".filter((item) => /holds\\/[^/]+$/.test(item.url)).length >= 2",
            timeout=20_000,
        )
        unsent = _outbox(page, ann_id)
        shell = [e for e in page.evaluate(CACHED) if e["url"] == "/session"]
        page.close()

        # The server ends Ann's login (her password is reset) while the phone is offline;
        # then Bo picks the phone up, back online, and logs in.
        _reset_password(base, db_url, "ann@example.org", ANN_PASSWORD)
        before_reset = len(sent)
        context.set_offline(False)
        page = context.new_page()
        _log_in(page, "bo@example.org")
        for path in ("/", "/session", "/history"):
            page.goto(path)
            page.wait_for_load_state("networkidle")
        page.wait_for_timeout(5_000)  # the outbox is tried every 4 s
        bo_sees = {path: page.goto(path).text() for path in ("/", "/session", "/journal")}
        bo_notice = page.locator("#aside-note").count()
        storage = page.evaluate(STORAGE)
        queues = page.evaluate(QUEUES)
        cached = page.evaluate(CACHED)
        shot(page, "shared-phone-after-ended-login")
        bo_sets_aside = bo.get("/api/set-aside").json()["set_aside"]
        bo_sessions = bo.get("/api/sessions").json()["sessions"]
        sent_while_gone = [url for url, _ in sent[before_reset:] if session_id in url]

        # Bo logs out; Ann logs in again with her new password: what waited goes, as hers.
        _log_out(page)
        _log_in(page, "ann@example.org", ANN_PASSWORD)
        page.wait_for_function(
            f"() => !localStorage.getItem('sc-outbox:{ann_id}') && "
            f"!localStorage.getItem('sc-aside:{ann_id}')",
            timeout=20_000,
        )
        ann_again = _api_login(base, "ann@example.org", ANN_PASSWORD)
        saved = ann_again.get(f"/api/sessions/{session_id}").json()
        ann_again.close()
    finally:
        context.close()
        stop_server(server)
        bo.close()

    # The cached shell named nobody and carried no token, even while Ann was logged in.
    assert shell and all(ann_id not in e["body"] and ann_token not in e["body"] for e in shell)
    # Bo sees nothing of Ann's: no page, no notice, no stored session or queue, no cache.
    secrets = [ann_id, session_id, "Annabel", ann_token]
    assert {path: [s for s in secrets if s in text] for path, text in bo_sees.items()} == {
        path: [] for path in bo_sees
    }
    assert bo_notice == 0
    assert f"sc-session:{ann_id}" not in storage and f"sc-outbox:{ann_id}" not in storage
    assert ann_id not in queues
    assert [(e["url"], s) for e in cached for s in secrets if s in e["body"]] == []
    # Nothing of Ann's went out after her login ended, under anyone; Bo's records are his.
    assert sent_while_gone == []
    assert bo_sets_aside == [] and bo_sessions == []
    # Kept aside for her alone while Bo had the phone, and all of it saved once she was back.
    kept = json.loads(storage[f"sc-aside:{ann_id}"])
    assert sorted(item["key"] for item in kept) == sorted(item["key"] for item in unsent)
    assert {item["status"] for item in kept} == {401}
    hold_ids = {item["url"].rsplit("/", 1)[1] for item in unsent if item["url"].count("/") == 6}
    assert hold_ids <= {hold["id"] for hold in saved["holds"]}
    assert len(saved["holds"]) == len({hold["hold_number"] for hold in saved["holds"]}) >= 3
    ann_writes = [who for url, who in sent if session_id in url]
    assert ann_writes and set(ann_writes) == {ann_id}


# -- a record the server refuses for good --------------------------------------------------


def test_a_record_the_server_refuses_is_shown_reported_and_kept_until_dismissed(
    browser: Any, tmp_path: Path
) -> None:
    server, base = start_server(f"sqlite:///{tmp_path / 'refused.db'}", "--accounts")
    ann = _api_account(base, "ann@example.org", "Ann", "patient")
    ann_id = ann.get("/api/me").json()["id"]
    missing = "0b6a3b68-5f7e-4a43-9d1e-3f2a4a0e4c11"  # a session the server does not have
    waiting = {
        "key": "5c0ffee0-0000-4000-8000-000000000001",
        "method": "PUT",
        "url": f"/api/sessions/{missing}/holds/5c0ffee0-0000-4000-8000-000000000001",
        "body": {"hold_number": 1, "side": "left", "held_s": 30, "completed": True},
    }
    context = browser.new_context(viewport=PHONE, is_mobile=True, base_url=base)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/login")
        page.evaluate(
            "([key, item]) => localStorage.setItem(key, JSON.stringify([item]))",
            [f"sc-outbox:{ann_id}", waiting],
        )
        _log_in(page, "ann@example.org")
        note = page.locator("#aside-note")
        note.wait_for()
        page.wait_for_function(
            "() => document.getElementById('aside-note').textContent.includes('on the server')"
        )
        said = note.inner_text()
        shot(page, "refused-hold-360")
        page.set_viewport_size({"width": 320, "height": 640})
        shot(page, "refused-hold-320")
        page.add_style_tag(content="html { font-size: 200% }")
        shot(page, "refused-hold-320-large-text")
        reported = ann.get("/api/set-aside").json()["set_aside"]
        page.goto("/history")
        still_shown = note.is_visible()
        history = page.get_by_test_id("set-aside").inner_text()
        shot(page, "refused-hold-history")
        note.get_by_role("button", name="Dismiss").click()
        page.goto("/")
        page.wait_for_load_state("networkidle")
        after = note.count()
        storage = page.evaluate(STORAGE)
    finally:
        context.close()
        stop_server(server)
        ann.close()

    assert said.startswith(f"1 hold could not be saved: no session with id '{missing}'"), said
    assert [(r["key"], r["path"], r["body"], r["status"]) for r in reported] == [
        (waiting["key"], waiting["url"], waiting["body"], 404)
    ]
    assert reported[0]["reason"] in said
    assert still_shown and after == 0
    assert ": a hold, not saved: no session with id" in history
    assert f"sc-outbox:{ann_id}" not in storage and f"sc-aside:{ann_id}" not in storage


def test_an_open_page_whose_login_the_server_ends_says_so_and_keeps_what_waits(
    browser: Any, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'open.db'}"
    server, base = start_server(db_url, "--accounts")
    ann = _api_account(base, "ann@example.org", "Ann", "patient")
    ann_id = ann.get("/api/me").json()["id"]
    ann.close()
    waiting = {
        "key": "5c0ffee0-0000-4000-8000-000000000002",
        "method": "PUT",
        "url": "/api/journal/5c0ffee0-0000-4000-8000-000000000002",
        "body": {"score": 3, "context": "standalone"},
    }
    context = browser.new_context(viewport={"width": 320, "height": 640}, base_url=base)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        _log_in(page, "ann@example.org")
        page.goto("/learn")
        _reset_password(base, db_url, "ann@example.org", ANN_PASSWORD)
        # A rating kept while the page was open; the next try to send it meets the ended login.
        page.evaluate(
            "([key, item]) => localStorage.setItem(key, JSON.stringify([item]))",
            [f"sc-outbox:{ann_id}", waiting],
        )
        note = page.locator("#aside-note")
        note.wait_for(timeout=10_000)  # the outbox is tried every 4 s
        said = note.inner_text()
        shot(page, "logged-out-by-the-server-320")
        page.add_style_tag(content="html { font-size: 200% }")
        shot(page, "logged-out-by-the-server-320-large-text")
        storage = page.evaluate(STORAGE)
        note.get_by_role("link", name="Log in").click()
        page.wait_for_url("**/login**")
    finally:
        context.close()
        stop_server(server)

    assert said.startswith("You have been logged out on this phone. 1 record is not sent yet")
    assert "sc-user" not in storage and f"sc-outbox:{ann_id}" not in storage
    assert [i["key"] for i in json.loads(storage[f"sc-aside:{ann_id}"])] == [waiting["key"]]
