"""Passwords change and reset, clinicians wait for approval, the consent screen says what is
shared, and the limits on logins and sign-ups hold without locking the owner out."""

from __future__ import annotations

import threading
from datetime import timedelta
from html import unescape
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from stretchcoach.adapters.store import tables
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.errors import InvalidInput, NotFound
from stretchcoach.services import accounts as accounts_service
from stretchcoach.services.accounts import MAX_SIGNUPS_PER_ADDRESS, digest
from stretchcoach.services.clinic import SHARED_WITH_CLINICIAN
from stretchcoach.web.security import BoundedHasher

from .conftest import PASSWORD, approve, assert_error, csrf_of, make_client

NEW = "a brand new long secret"


def _log_in(app: Any, email: str, password: str) -> httpx.Response:
    browser = make_client(app)
    browser.headers["X-CSRF-Token"] = csrf_of(browser, "/login")
    return browser.post("/api/login", json={"email": email, "password": password})


# -- changing a password ------------------------------------------------------------------


def test_changing_the_password_needs_the_current_one_and_ends_the_other_sessions(
    accounts_app: Any, sign_up: Any
) -> None:
    here = sign_up(accounts_app, "ann@example.org")
    phone = make_client(accounts_app)
    phone.headers["X-CSRF-Token"] = csrf_of(phone, "/login")
    assert phone.post(
        "/api/login", json={"email": "ann@example.org", "password": PASSWORD}
    ).is_success

    wrong = here.put("/api/me/password", json={"current_password": "nope", "new_password": NEW})
    short = here.put("/api/me/password", json={"current_password": PASSWORD, "new_password": "x"})
    done = here.put("/api/me/password", json={"current_password": PASSWORD, "new_password": NEW})

    assert_error(wrong, 422, "invalid_input", "current_password")
    assert_error(short, 422, "invalid_input", "new_password")
    assert done.status_code == 204
    assert here.get("/api/me").status_code == 200  # this session stays
    assert_error(phone.get("/api/me"), 401, "not_logged_in")  # the other one ended
    assert _log_in(accounts_app, "ann@example.org", PASSWORD).status_code == 401
    assert _log_in(accounts_app, "ann@example.org", NEW).status_code == 200


def test_the_account_page_changes_the_password_and_shows_a_wrong_one_by_its_field(
    accounts_app: Any, sign_up: Any
) -> None:
    ann = sign_up(accounts_app, "ann@example.org")
    token = ann.headers["X-CSRF-Token"]

    wrong = ann.post(
        "/account/password",
        data={"csrf_token": token, "current_password": "nope", "new_password": NEW},
    )
    right = ann.post(
        "/account/password",
        data={"csrf_token": token, "current_password": PASSWORD, "new_password": NEW},
    )

    assert wrong.status_code == 422 and 'id="current_password-error"' in wrong.text
    assert right.status_code == 303
    assert "Your password is changed" in ann.get(right.headers["location"]).text


# -- a reset a clinic runs ------------------------------------------------------------------


def test_a_reset_link_sets_a_new_password_once_and_is_stored_only_as_a_digest(
    accounts_app: Any, sign_up: Any, web_clock: Any
) -> None:
    ann = sign_up(accounts_app, "ann@example.org")
    uow = SqlUnitOfWork(accounts_app.state.engine)
    link = accounts_service.start_reset("Ann@Example.org", uow=uow, now=web_clock.now())
    visitor = make_client(accounts_app)
    csrf = csrf_of(visitor, "/login")

    with accounts_app.state.engine.connect() as c:
        stored = c.execute(select(tables.password_resets.c.token_hash)).scalars().all()
    page = visitor.get(f"/reset/{link.token}")
    short = visitor.post(f"/reset/{link.token}", data={"csrf_token": csrf, "new_password": "x"})
    done = visitor.post(f"/reset/{link.token}", data={"csrf_token": csrf, "new_password": NEW})
    again = visitor.post(f"/reset/{link.token}", data={"csrf_token": csrf, "new_password": NEW})

    assert page.status_code == 200 and "Ann" in page.text
    assert short.status_code == 422 and 'id="new_password-error"' in short.text
    assert done.status_code == 303 and done.headers["location"] == "/login?reset=1"
    assert again.status_code == 404 and "not valid any more" in again.text
    assert_error(ann.get("/api/me"), 401, "not_logged_in")  # every session ended
    assert _log_in(accounts_app, "ann@example.org", NEW).status_code == 200
    assert stored == [digest(link.token)]


def test_a_reset_link_expires_and_a_newer_one_replaces_it(
    accounts_app: Any, sign_up: Any, web_clock: Any
) -> None:
    sign_up(accounts_app, "ann@example.org")
    uow = SqlUnitOfWork(accounts_app.state.engine)
    first = accounts_service.start_reset("ann@example.org", uow=uow, now=web_clock.now())
    second = accounts_service.start_reset("ann@example.org", uow=uow, now=web_clock.now())
    visitor = make_client(accounts_app)
    visitor.headers["X-CSRF-Token"] = csrf_of(visitor, "/login")

    replaced = visitor.post(f"/api/resets/{first.token}", json={"new_password": NEW})
    web_clock.tick(timedelta(hours=25).total_seconds())
    expired = visitor.post(f"/api/resets/{second.token}", json={"new_password": NEW})

    assert_error(replaced, 404, "not_found")
    assert_error(expired, 404, "not_found")
    with pytest.raises(NotFound, match="no account"):
        accounts_service.start_reset("nobody@example.org", uow=uow, now=web_clock.now())


# -- clinicians wait for approval -------------------------------------------------------------


def test_a_clinician_is_told_they_wait_and_sees_no_one_until_approved(
    accounts_app: Any, sign_up: Any
) -> None:
    doctor = sign_up(accounts_app, "dr@clinic.example", role="clinician", approved=False)

    page = doctor.get("/clinic")
    invite = doctor.post("/api/clinic/invitations")
    patients = doctor.get("/api/clinic/patients")
    approve(accounts_app, "dr@clinic.example")

    assert page.status_code == 403 and "waiting for your clinic to approve" in page.text
    assert "ask the person who looks after this app" in page.text
    assert "dr@clinic.example" in page.text and "stretchcoach accounts" not in page.text
    assert "Invite a patient" not in page.text
    assert "waiting for approval" in assert_error(invite, 403, "not_approved")
    assert_error(patients, 403, "not_approved")
    assert doctor.get("/clinic").status_code == 200
    assert doctor.post("/api/clinic/invitations").status_code == 201


def test_only_clinicians_are_approved_and_the_waiting_list_shows_who_is_left(
    accounts_app: Any, sign_up: Any, web_clock: Any
) -> None:
    sign_up(accounts_app, "pat@example.org")
    sign_up(accounts_app, "dr1@clinic.example", role="clinician", approved=False)
    sign_up(accounts_app, "dr2@clinic.example", role="clinician", approved=False)
    uow = SqlUnitOfWork(accounts_app.state.engine)

    with pytest.raises(InvalidInput, match="only clinicians need approval"):
        accounts_service.approve_clinician("pat@example.org", uow=uow, now=web_clock.now())
    accounts_service.approve_clinician("dr1@clinic.example", uow=uow, now=web_clock.now())
    accounts_service.approve_clinician("dr1@clinic.example", uow=uow, now=web_clock.now())

    waiting = accounts_service.waiting_clinicians(uow=uow)
    assert [email for _, email in waiting] == ["dr2@clinic.example"]


def test_the_consent_screen_lists_everything_shared_warning_signs_included(
    accounts_app: Any, sign_up: Any
) -> None:
    doctor = sign_up(accounts_app, "dr@clinic.example", role="clinician", name="Dr Lee")
    patient = sign_up(accounts_app, "pat@example.org")
    code = doctor.post("/api/clinic/invitations").json()["code"]

    page = unescape(patient.get(f"/invite/{code}").text)

    for item in SHARED_WITH_CLINICIAN:
        assert f"<li>{item}</li>" in page
    assert "warning-signs check, including any yes" in page
    assert "They will not see your email, your notes" in page


# -- limits -----------------------------------------------------------------------------------


def test_a_guesser_elsewhere_does_not_lock_the_owner_out(accounts_app: Any, sign_up: Any) -> None:
    sign_up(accounts_app, "ann@example.org")
    guesser = make_client(accounts_app)
    guesser.headers["X-CSRF-Token"] = csrf_of(guesser, "/login")
    wrong = {"email": "ann@example.org", "password": "guess guess guess"}
    answers = [guesser.post("/api/login", json=wrong).status_code for _ in range(7)]

    owner = _log_in(accounts_app, "ann@example.org", PASSWORD)
    guesser_with_the_password = guesser.post("/api/login", json=wrong | {"password": PASSWORD})

    assert answers == [401] * 5 + [429] * 2
    assert owner.status_code == 200
    assert_error(guesser_with_the_password, 429, "too_many_attempts")


def test_a_good_login_gives_its_slot_back(accounts_app: Any, sign_up: Any) -> None:
    ann = sign_up(accounts_app, "ann@example.org")
    body = {"email": "ann@example.org", "password": PASSWORD}

    answers = []
    for _ in range(25):
        response = ann.post("/api/login", json=body)
        answers.append(response.status_code)
        ann.headers["X-CSRF-Token"] = response.json().get("csrf_token", "")

    assert set(answers) == {200}


def test_one_address_makes_a_limited_number_of_accounts_an_hour(
    accounts_app: Any, web_clock: Any
) -> None:
    browser = make_client(accounts_app)
    browser.headers["X-CSRF-Token"] = csrf_of(browser, "/login")

    def register(n: int) -> httpx.Response:
        body = {"email": f"p{n}@example.org", "password": PASSWORD, "display_name": f"P{n}"}
        response = browser.post("/api/accounts", json=body)
        if response.status_code == 201:  # now logged in as the new account: its token
            browser.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        return response

    made = [register(n).status_code for n in range(MAX_SIGNUPS_PER_ADDRESS)]
    refused = register(100)
    other_address = make_client(accounts_app)
    other_address.headers["X-CSRF-Token"] = csrf_of(other_address, "/login")
    elsewhere = other_address.post(
        "/api/accounts",
        json={"email": "q@example.org", "password": PASSWORD, "display_name": "Q"},
    )
    web_clock.tick(timedelta(hours=1, seconds=1).total_seconds())
    later = register(101)

    assert made == [201] * MAX_SIGNUPS_PER_ADDRESS
    assert_error(refused, 429, "too_many_attempts")
    assert refused.headers["Retry-After"] == "3600"
    assert elsewhere.status_code == 201
    assert later.status_code == 201


class GatedHasher:
    """A hasher whose calls wait at a gate, counting how many run at once."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()

    def _work(self) -> None:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        self.gate.wait(timeout=10)
        with self._lock:
            self.running -= 1

    def hash(self, password: str) -> str:
        self._work()
        return "h"

    def verify(self, password_hash: str, password: str) -> bool:
        self._work()
        return False

    def needs_rehash(self, password_hash: str) -> bool:
        return False


def test_no_more_hashes_run_at_once_than_the_bound() -> None:
    inner = GatedHasher()
    bounded = BoundedHasher(inner, limit=2)
    threads = [threading.Thread(target=bounded.verify, args=("h", "p")) for _ in range(12)]

    for thread in threads:
        thread.start()
    while inner.running < 2:
        threading.Event().wait(0.005)
    running_while_full = inner.running
    inner.gate.set()
    for thread in threads:
        thread.join(timeout=10)

    assert running_while_full == 2
    assert inner.most == 2


def test_a_hash_waiting_too_long_is_a_503_not_a_pile_up() -> None:
    from starlette.exceptions import HTTPException

    inner = GatedHasher()
    bounded = BoundedHasher(inner, limit=1, wait_s=0.05)
    busy = threading.Thread(target=bounded.hash, args=("p",))
    busy.start()
    while inner.running < 1:
        threading.Event().wait(0.005)

    with pytest.raises(HTTPException) as refused:
        bounded.hash("q")
    inner.gate.set()
    busy.join(timeout=10)

    assert refused.value.status_code == 503
