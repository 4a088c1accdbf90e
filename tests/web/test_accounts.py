"""Accounts: sign-up, login, cookies, CSRF, the rate limit, export and deleting everything."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text

from stretchcoach.adapters.store import tables
from stretchcoach.adapters.transfer import read_export
from stretchcoach.services.accounts import digest

from .conftest import PASSWORD, assert_error, csrf_of, make_client, pass_screen


def _count(app: Any, table: Any, **where: str) -> int:
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with app.state.engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def _anonymous(app: Any) -> httpx.Client:
    browser = make_client(app)
    browser.headers["X-CSRF-Token"] = csrf_of(browser, "/login")
    return browser


def test_password_is_kept_only_as_an_argon2_hash_and_the_token_only_as_a_digest(
    accounts_app: Any, sign_up: Any
) -> None:
    browser = sign_up(accounts_app, "ann@example.org")
    token = browser.cookies["sc_session"]

    with accounts_app.state.engine.connect() as connection:
        stored = connection.execute(select(tables.credentials.c.password_hash)).scalar_one()
        digests = connection.execute(select(tables.auth_sessions.c.token_hash)).scalars().all()

    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert digests == [digest(token)]
    assert browser.get("/api/me").json()["email"] == "ann@example.org"


def test_session_cookie_is_httponly_and_lax_and_secure_only_behind_https(
    accounts_app: Any,
) -> None:
    body = {"email": "bo@example.org", "password": PASSWORD, "display_name": "Bo"}
    plain = _anonymous(accounts_app)
    proxied = _anonymous(accounts_app)
    proxied.headers["X-Forwarded-Proto"] = "https"

    first = plain.post("/api/accounts", json=body).headers["set-cookie"].lower()
    second = proxied.post("/api/login", json={k: body[k] for k in ("email", "password")})

    assert "sc_session=" in first and "httponly" in first and "samesite=lax" in first
    assert "secure" not in first
    assert "secure" in second.headers["set-cookie"].lower()


@pytest.mark.parametrize(
    ("email", "password"),
    [("ann@example.org", "not the password"), ("nobody@example.org", PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_a_failed_login_says_the_same_whether_or_not_the_email_exists(
    accounts_app: Any, sign_up: Any, email: str, password: str
) -> None:
    sign_up(accounts_app, "ann@example.org")
    browser = _anonymous(accounts_app)

    response = browser.post("/api/login", json={"email": email, "password": password})

    message = assert_error(response, 401, "login_refused")
    assert message == "that email and password do not match an account"
    assert "sc_session" not in response.headers.get("set-cookie", "")


def test_five_wrong_passwords_lock_the_account_for_a_while(
    accounts_app: Any, sign_up: Any, web_clock: Any
) -> None:
    sign_up(accounts_app, "ann@example.org")
    browser = _anonymous(accounts_app)
    wrong = {"email": "ann@example.org", "password": "guess guess guess"}
    for _ in range(5):
        assert browser.post("/api/login", json=wrong).status_code == 401

    locked = browser.post("/api/login", json=wrong | {"password": PASSWORD})
    web_clock.tick(timedelta(minutes=16).total_seconds())
    later = browser.post("/api/login", json=wrong | {"password": PASSWORD})

    assert_error(locked, 429, "too_many_attempts")
    assert locked.headers["Retry-After"] == "900"
    assert later.status_code == 200


def test_failures_older_than_the_window_are_forgotten(accounts_app: Any, web_clock: Any) -> None:
    browser = _anonymous(accounts_app)
    wrong = {"email": "ann@example.org", "password": "guess guess guess"}
    for _ in range(3):
        browser.post("/api/login", json=wrong)

    web_clock.tick(timedelta(minutes=16).total_seconds())
    browser.post("/api/login", json=wrong)

    with accounts_app.state.engine.connect() as connection:
        counts = connection.execute(select(tables.login_limits.c.count)).scalars().all()
    assert sorted(counts) == [1, 1]  # account from this address, and the address: afresh


def test_one_address_trying_many_accounts_is_slowed_down(accounts_app: Any) -> None:
    browser = _anonymous(accounts_app)
    for n in range(20):
        body = {"email": f"user{n}@example.org", "password": "guess guess guess"}
        assert browser.post("/api/login", json=body).status_code == 401

    response = browser.post("/api/login", json={"email": "new@example.org", "password": "x"})

    assert_error(response, 429, "too_many_attempts")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"display_name": "   "}, "display_name"),
        ({"role": "admin"}, "role"),
    ],
    ids=["email", "short-password", "blank-name", "unknown-role"],
)
def test_registration_names_the_wrong_field_and_writes_nothing(
    accounts_app: Any, body: dict[str, str], field: str
) -> None:
    browser = _anonymous(accounts_app)
    good = {"email": "cy@example.org", "password": PASSWORD, "display_name": "Cy"}

    response = browser.post("/api/accounts", json=good | body)

    assert_error(response, 422, "invalid_input", field)
    assert _count(accounts_app, tables.users) == 0
    assert _count(accounts_app, tables.credentials) == 0


def test_an_email_can_have_only_one_account(accounts_app: Any, sign_up: Any) -> None:
    sign_up(accounts_app, "ann@example.org")
    browser = _anonymous(accounts_app)

    response = browser.post(
        "/api/accounts",
        json={"email": "ANN@example.org ", "password": PASSWORD, "display_name": "Other"},
    )

    assert "already exists" in assert_error(response, 422, "invalid_input", "email")
    assert _count(accounts_app, tables.users) == 1


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-CSRF-Token": "forged-token-forged-token-forged"}],
    ids=["missing", "forged"],
)
def test_a_change_without_this_browsers_csrf_token_is_refused(
    accounts_app: Any, sign_up: Any, headers: dict[str, str]
) -> None:
    browser = sign_up(accounts_app, "ann@example.org")
    del browser.headers["X-CSRF-Token"]

    response = browser.put(
        "/api/settings",
        headers=headers,
        json={
            "hold_s": 45,
            "reps_per_side": 3,
            "first_side": "left",
            "morning_start": "06:00",
            "morning_end": "10:00",
            "time_zone": "Europe/London",
            "reminder_at": None,
        },
    )

    assert_error(response, 403, "forbidden")
    assert browser.get("/api/settings").json()["hold_s"] != 45


def test_a_form_without_its_csrf_field_is_refused_in_local_mode_too(local_app: Any) -> None:
    browser = make_client(local_app)
    csrf_of(browser)  # the browser has its cookie, but the form below does not carry the token

    response = browser.post("/settings", data={"hold_s": "45"})

    assert response.status_code == 403
    assert "reload the page" in response.text


def test_login_form_goes_back_where_it_was_sent_from_but_never_to_another_site(
    accounts_app: Any, sign_up: Any
) -> None:
    sign_up(accounts_app, "ann@example.org")
    results = []
    for target in ("/history", "//evil.example/steal", "https://evil.example/"):
        browser = make_client(accounts_app)
        token = csrf_of(browser, "/login")
        response = browser.post(
            "/login",
            data={
                "csrf_token": token,
                "email": "ann@example.org",
                "password": PASSWORD,
                "next": target,
            },
        )
        results.append((response.status_code, response.headers["location"]))

    assert results == [(303, "/history"), (303, "/"), (303, "/")]


def test_pages_ask_for_a_login_and_the_form_shows_what_went_wrong(accounts_app: Any) -> None:
    browser = make_client(accounts_app)

    home = browser.get("/")
    token = csrf_of(browser, "/login")
    refused = browser.post(
        "/login",
        data={"csrf_token": token, "email": "x@example.org", "password": "nope nope nope"},
    )
    bad_signup = browser.post(
        "/register",
        data={"csrf_token": token, "display_name": "X", "email": "x@", "password": PASSWORD},
    )

    assert (home.status_code, home.headers["location"]) == (303, "/login?next=/")
    assert refused.status_code == 401 and 'value="x@example.org"' in refused.text
    assert bad_signup.status_code == 422
    assert 'id="email-error"' in bad_signup.text and 'aria-invalid="true"' in bad_signup.text
    assert PASSWORD not in bad_signup.text


def test_logging_out_ends_the_session_on_the_server(accounts_app: Any, sign_up: Any) -> None:
    browser = sign_up(accounts_app, "ann@example.org")
    old_token = browser.cookies["sc_session"]

    assert browser.post("/api/logout").status_code == 204
    replay = make_client(accounts_app)
    replay.cookies.set("sc_session", old_token)

    assert_error(replay.get("/api/me"), 401, "not_logged_in")
    assert _count(accounts_app, tables.auth_sessions) == 0


def test_an_expired_session_is_not_accepted(
    accounts_app: Any, sign_up: Any, web_clock: Any
) -> None:
    browser = sign_up(accounts_app, "ann@example.org")

    web_clock.tick(timedelta(days=31).total_seconds())

    assert_error(browser.get("/api/me"), 401, "not_logged_in")


def test_local_mode_has_no_login_and_acts_as_the_local_user(client: httpx.Client) -> None:
    me = client.get("/api/me").json()

    assert client.get("/login").status_code == 404
    assert me["mode"] == "local" and me["role"] == "patient"
    assert_error(client.request("DELETE", "/api/me", json={"password": "x"}), 404, "not_found")


def _record_some_data(browser: httpx.Client) -> str:
    """An answered screen, a session with one hold and a pain entry; the session's id."""
    pass_screen(browser)
    started = browser.post("/api/sessions", json={})
    assert started.status_code == 201, started.text
    session_id: str = started.json()["id"]
    hold = {"hold_number": 1, "side": "left", "held_s": 30, "completed": True}
    saved = browser.put(f"/api/sessions/{session_id}/holds/{uuid.uuid4()}", json=hold)
    assert saved.status_code == 201, saved.text
    entry = {"score": 4, "sites": ["left:thigh"], "context": "standalone"}
    assert browser.post("/api/journal", json=entry).status_code == 201
    return session_id


def test_download_holds_everything_of_mine_and_nothing_of_others(
    accounts_app: Any, sign_up: Any
) -> None:
    ann = sign_up(accounts_app, "ann@example.org")
    bo = sign_up(accounts_app, "bo@example.org")
    ann_session = _record_some_data(ann)
    _record_some_data(bo)

    response = ann.get("/api/me/export")
    data = json.loads(response.text)
    again = read_export(response.text, user_id="someone-else")

    assert "attachment" in response.headers["content-disposition"]
    assert data["format"] == "stretchcoach-export"
    assert data["account"]["email"] == "ann@example.org"
    assert data["account"]["user"]["display_name"] == "Ann"
    assert [s["id"] for s in data["sessions"]] == [ann_session]
    assert [h["session_id"] for h in data["holds"]] == [ann_session]
    assert [e["score"] for e in data["pain_entries"]] == [4]
    assert again.counts() == {"session": 1, "hold": 1, "pain": 1, "screen": 1, "seen": 0}


def test_deleting_an_account_needs_the_password(accounts_app: Any, sign_up: Any) -> None:
    browser = sign_up(accounts_app, "ann@example.org")

    response = browser.request("DELETE", "/api/me", json={"password": "not it at all"})

    assert_error(response, 422, "invalid_input", "password")
    assert _count(accounts_app, tables.users) == 1


def _rows_of(app: Any, user_id: str, session_ids: list[str]) -> dict[str, int]:
    """How many rows in each table still point at the user or their sessions."""
    found = {}
    with app.state.engine.connect() as connection:
        for table in tables.metadata.sorted_tables:
            for column in ("user_id", "patient_id", "clinician_id", "id"):
                if column not in table.c or (column == "id" and table.name != "users"):
                    continue
                count = connection.execute(
                    select(func.count()).select_from(table).where(table.c[column] == user_id)
                ).scalar_one()
                found[f"{table.name}.{column}"] = count
            if "session_id" in table.c and session_ids:
                count = connection.execute(
                    select(func.count())
                    .select_from(table)
                    .where(table.c.session_id.in_(session_ids))
                ).scalar_one()
                found[f"{table.name}.session_id"] = count
        found["hold_form"] = connection.execute(text("SELECT count(*) FROM hold_form")).scalar_one()
    return found


def test_deleting_an_account_removes_every_row_of_it_and_the_clinicians_view(
    make_accounts_app: Any, store_url: str, sign_up: Any
) -> None:
    app = make_accounts_app(store_url)
    ann = sign_up(app, "ann@example.org")
    bo = sign_up(app, "bo@example.org")
    doctor = sign_up(app, "doc@example.org", role="clinician")
    code = doctor.post("/api/clinic/invitations").json()["code"]
    assert ann.post(f"/api/invitations/{code}/accept").status_code == 200
    ann_id = ann.get("/api/me").json()["id"]
    ann_sessions = [_record_some_data(ann)]
    _record_some_data(bo)
    before = _rows_of(app, ann_id, ann_sessions)

    response = ann.request("DELETE", "/api/me", json={"password": PASSWORD})

    after = _rows_of(app, ann_id, ann_sessions)
    assert response.status_code == 204
    assert before["pain_entries.user_id"] == 1 and before["care_links.patient_id"] == 1
    assert {name: n for name, n in after.items() if n and name != "hold_form"} == {}
    assert doctor.get("/api/clinic/patients").json() == []
    assert_error(ann.get("/api/me"), 401, "not_logged_in")
    assert bo.get("/api/me/export").json()["pain_entries"] != []
