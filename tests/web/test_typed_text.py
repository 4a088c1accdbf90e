"""Every route that takes typed text refuses NUL and control characters, invisible and
direction-changing names, with a 4xx naming the field, on SQLite and PostgreSQL alike: never a
500, nothing saved. Text that passes is normalised (NFKC)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from stretchcoach.adapters.store import tables

from .conftest import PASSWORD, assert_error, csrf_of, make_client, pass_screen

NUL = "\x00"
ESCAPED_NUL = "%00"  # as a browser sends it in an address
SESSION_ID = "0b6a3b68-5f7e-4a43-9d1e-3f2a4a0e4c11"


@pytest.fixture
def world(make_app: Any, store_url: str) -> Iterator[dict[str, Any]]:
    """A local app and an accounts app on the same kind of database (SQLite or PostgreSQL)."""
    from stretchcoach.web.security import Argon2Hasher

    local_app = make_app(store_url)
    accounts_app = make_app(store_url, mode="accounts")
    accounts_app.state.password_hasher = Argon2Hasher(time_cost=1, memory_cost=1024)
    with make_client(local_app) as local, make_client(accounts_app) as visitor:
        local.headers["X-CSRF-Token"] = csrf_of(local)
        pass_screen(local)
        visitor.headers["X-CSRF-Token"] = csrf_of(visitor, "/login")
        yield {"local": local, "visitor": visitor, "app": local_app}


def _rows(app: Any, table: Any) -> int:
    with app.state.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


SETTINGS = {
    "hold_s": 30,
    "reps_per_side": 3,
    "first_side": "left",
    "morning_start": "05:00",
    "morning_end": "11:00",
    "time_zone": "Europe/London",
    "reminder_at": None,
}
ACCOUNT = {"email": "ann@example.org", "password": PASSWORD, "display_name": "Ann"}

# (browser, method, path, json body, expected status, expected field)
API_CASES = [
    ("local", "POST", "/api/journal", {"score": 3, "note": f"a{NUL}b"}, 422, "note"),
    ("local", "POST", "/api/journal", {"score": 3, "note": "bell\x07"}, 422, "note"),
    ("local", "POST", "/api/journal", {"score": 3, "note": "\x1b[31mred"}, 422, "note"),
    ("local", "POST", "/api/journal", {"score": 3, "session_id": NUL}, 422, "session_id"),
    ("local", "POST", "/api/journal", {"score": 3, "sites": [f"left:thigh{NUL}"]}, 422, "sites"),
    (
        "local",
        "PUT",
        "/api/settings",
        SETTINGS | {"time_zone": f"Europe/Lon{NUL}"},
        422,
        "time_zone",
    ),
    (
        "local",
        "PUT",
        "/api/settings",
        SETTINGS | {"morning_start": f"05{NUL}00"},
        422,
        "morning_start",
    ),
    ("local", "GET", f"/api/sessions/{ESCAPED_NUL}", None, 422, "path"),
    ("local", "PUT", f"/api/sessions/{SESSION_ID}/holds/{ESCAPED_NUL}", {}, 422, "path"),
    ("local", "GET", f"/api/history?days=3{ESCAPED_NUL}", None, 422, "days"),
    (
        "visitor",
        "POST",
        "/api/accounts",
        ACCOUNT | {"email": f"ann{NUL}@example.org"},
        422,
        "email",
    ),
    (
        "visitor",
        "POST",
        "/api/accounts",
        ACCOUNT | {"display_name": f"Ann{NUL}"},
        422,
        "display_name",
    ),
    (
        "visitor",
        "POST",
        "/api/accounts",
        ACCOUNT | {"display_name": "\u202eeoJ"},
        422,
        "display_name",
    ),
    (
        "visitor",
        "POST",
        "/api/accounts",
        ACCOUNT | {"display_name": "An\u200bn"},
        422,
        "display_name",
    ),
    ("visitor", "POST", "/api/accounts", ACCOUNT | {"display_name": "\u200b"}, 422, "display_name"),
    (
        "visitor",
        "POST",
        "/api/login",
        {"email": f"ann{NUL}@example.org", "password": PASSWORD},
        422,
        "email",
    ),
    ("visitor", "POST", f"/api/invitations/{ESCAPED_NUL}/accept", None, 422, "path"),
    ("visitor", "GET", f"/api/clinic/patients/{ESCAPED_NUL}", None, 422, "path"),
    ("visitor", "GET", f"/calendar/{ESCAPED_NUL}.ics", None, 422, "path"),
]


@pytest.mark.parametrize(
    ("who", "method", "path", "body", "status", "field"),
    API_CASES,
    ids=[
        f"{c[1]} {c[2]} {c[5]}-{i}".replace(ESCAPED_NUL, "<NUL>") for i, c in enumerate(API_CASES)
    ],
)
def test_control_characters_in_the_api_are_a_4xx_naming_the_field(
    world: dict[str, Any],
    who: str,
    method: str,
    path: str,
    body: Any,
    status: int,
    field: str,
) -> None:
    browser: httpx.Client = world[who]
    before = _rows(world["app"], tables.pain_entries), _rows(world["app"], tables.users)

    response = browser.request(method, path, json=body)

    if path.startswith("/api/"):
        assert_error(response, status, "invalid_input", field)
    else:
        assert response.status_code == status, response.text
    assert (_rows(world["app"], tables.pain_entries), _rows(world["app"], tables.users)) == before


FORM_CASES = [
    ("local", "/journal", {"score": "3", "note": f"x{NUL}y"}, "note"),
    ("local", "/journal", {"score": "3", "session": f"{NUL}"}, "form"),
    (
        "local",
        "/settings",
        {k: str(v or "") for k, v in SETTINGS.items()} | {"time_zone": NUL},
        "time_zone",
    ),
    (
        "visitor",
        "/register",
        ACCOUNT | {"role": "patient", "display_name": f"A{NUL}"},
        "display_name",
    ),
    ("visitor", "/register", ACCOUNT | {"role": "patient", "email": f"a{NUL}@b.org"}, "email"),
    ("visitor", "/login", {"email": f"a{NUL}@b.org", "password": PASSWORD}, "form"),
]


@pytest.mark.parametrize(
    ("who", "path", "form", "field"),
    FORM_CASES,
    ids=[f"{c[1]} {c[3]}" for c in FORM_CASES],
)
def test_control_characters_in_a_form_show_the_page_again_with_the_message(
    world: dict[str, Any], who: str, path: str, form: dict[str, str], field: str
) -> None:
    browser: httpx.Client = world[who]
    token = browser.headers["X-CSRF-Token"]

    response = browser.post(path, data=form | {"csrf_token": token})

    assert response.status_code == 422, response.text
    assert 'role="alert"' in response.text
    if field != "form":
        assert f'id="{field}-error"' in response.text


def test_a_name_is_normalised_before_it_is_kept(world: dict[str, Any]) -> None:
    visitor: httpx.Client = world["visitor"]

    response = visitor.post(
        "/api/accounts",
        json=ACCOUNT | {"display_name": "  \uff21nn  Lee ", "email": "ANN@Example.org"},
    )

    assert response.status_code == 201, response.text
    assert response.json()["user"]["display_name"] == "Ann Lee"
    assert response.json()["user"]["email"] == "ann@example.org"


def test_a_note_keeps_its_lines_and_is_normalised(world: dict[str, Any]) -> None:
    local: httpx.Client = world["local"]

    response = local.post("/api/journal", json={"score": 2, "note": "ﬁrst line\r\nsecond\tline"})

    assert response.status_code == 201, response.text
    assert response.json()["note"] == "first line\nsecond\tline"


def test_control_characters_in_a_query_are_refused_before_a_lookup(world: dict[str, Any]) -> None:
    visitor: httpx.Client = world["visitor"]

    response = visitor.get("/login", params={"next": f"/{NUL}"})

    assert response.status_code == 422
    assert "next" in response.text


NUMBER_CASES = [
    ("POST", "/api/journal", {"score": "1_0"}, "score"),
    ("POST", "/api/journal", {"score": "5"}, "score"),
    ("POST", "/api/journal", {"score": True}, "score"),
    ("POST", "/api/sessions", {"speed": "1_0"}, "speed"),
    ("PUT", "/api/settings", SETTINGS | {"hold_s": "3_0"}, "hold_s"),
    ("PUT", "/api/settings", SETTINGS | {"reps_per_side": "3"}, "reps_per_side"),
    ("GET", "/api/report.pdf?days=1_0", None, "days"),
    ("GET", "/api/report.pdf?days=1e20", None, "days"),
    ("GET", "/api/sessions?limit=1_0", None, "limit"),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    NUMBER_CASES,
    ids=[f"{c[0]} {c[1]} {c[3]}-{i}" for i, c in enumerate(NUMBER_CASES)],
)
def test_a_number_must_be_a_number_not_text_python_would_read(
    client: httpx.Client, method: str, path: str, body: Any, field: str
) -> None:
    response = client.request(method, path, json=body)

    assert_error(response, 422, "invalid_input", field)
    assert client.get("/api/journal").json()["entries"] == []


@pytest.mark.parametrize(
    ("path", "form", "field"),
    [
        ("/settings", {"hold_s": "3_0"}, "hold_s"),
        ("/settings", {"reps_per_side": "1e1"}, "reps_per_side"),
        ("/journal", {"score": "1_0"}, "score"),
    ],
    ids=["settings-hold", "settings-reps", "journal-score"],
)
def test_a_form_number_with_underscores_or_exponents_is_refused(
    client: httpx.Client, path: str, form: dict[str, str], field: str
) -> None:
    base = {k: str(v or "") for k, v in SETTINGS.items()} if path == "/settings" else {}

    response = client.post(path, data=base | form | {"csrf_token": client.headers["X-CSRF-Token"]})

    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text


def test_a_page_query_number_is_plain_digits(client: httpx.Client) -> None:
    assert client.get("/session?speed=1_0").status_code == 422
    assert client.get("/session?speed=2").status_code == 200


def test_json_nested_too_deep_is_one_clear_4xx(client: httpx.Client) -> None:
    deep = "[" * 100_000 + "]" * 100_000

    response = client.post(
        "/api/journal", content=deep, headers={"Content-Type": "application/json"}
    )

    assert "could not be read as JSON" in assert_error(response, 400, "bad_request")
