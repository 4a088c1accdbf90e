"""/api/set-aside: a record the phone sent and the server refused for good is kept, with the
server's reason, for its owner only; on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from .conftest import assert_error, make_client, pass_screen

HOLD = {"hold_number": 1, "side": "left", "held_s": 30, "completed": True}


def refused(**change: Any) -> dict[str, Any]:
    """A hold for a session the server does not have, as the phone reports it."""
    session = "0b6a3b68-5f7e-4a43-9d1e-3f2a4a0e4c11"
    record = {
        "method": "PUT",
        "path": f"/api/sessions/{session}/holds/{uuid.uuid4()}",
        "body": HOLD,
        "status": 404,
        "reason": f"no session with id {session!r}",
    }
    return record | change


@pytest.fixture
def two(make_accounts_app: Any, sign_up: Any, store_url: str) -> tuple[Any, ...]:
    """An accounts app on each store, with two patients logged in: Ann and Bo."""
    app = make_accounts_app(store_url)
    ann = sign_up(app, "ann@example.org", name="Ann")
    return ann, sign_up(app, "bo@example.org", name="Bo"), app


def test_a_refused_record_is_kept_once_with_its_reason_for_its_owner_only(
    two: tuple[Any, ...],
) -> None:
    ann, bo, _ = two
    first = refused()

    kept = ann.put("/api/set-aside/h-1", json=first)
    again = ann.put("/api/set-aside/h-1", json=refused(reason="said differently"))
    bo_same_key = bo.put("/api/set-aside/h-1", json=refused(body={"bo": True}))

    assert (kept.status_code, kept.json()) == (201, {"key": "h-1", "kept": True, "new": True})
    assert (again.status_code, again.json()["new"]) == (200, False)
    assert bo_same_key.status_code == 201
    [mine] = ann.get("/api/set-aside").json()["set_aside"]
    assert {k: mine[k] for k in first} == first  # the first report stays as it was
    assert mine["key"] == "h-1" and mine["kept_at"]
    [his] = bo.get("/api/set-aside").json()["set_aside"]
    assert his["body"] == {"bo": True}
    assert ann.get("/api/me/export").json()["set_aside"] == [mine]


def test_the_set_aside_log_needs_a_login_and_the_pages_token(
    two: tuple[Any, ...],
) -> None:
    ann, _, app = two

    with make_client(app) as stranger:
        nobody_lists = stranger.get("/api/set-aside")
        nobody_keeps = stranger.put("/api/set-aside/h-1", json=refused())
    no_token = ann.put("/api/set-aside/h-2", json=refused(), headers={"X-CSRF-Token": ""})

    assert_error(nobody_lists, 401, "not_logged_in")
    assert_error(nobody_keeps, 403, "forbidden")
    assert_error(no_token, 403, "forbidden")
    assert ann.get("/api/set-aside").json()["set_aside"] == []


def test_a_record_that_names_another_person_is_answered_as_logged_out_and_not_saved(
    two: tuple[Any, ...],
) -> None:
    ann, bo, _ = two
    ann_id = ann.get("/api/me").json()["id"]
    pass_screen(bo)
    session = bo.post("/api/sessions", json={}).json()["id"]
    hold = f"/api/sessions/{session}/holds/{uuid.uuid4()}"

    as_ann = bo.put(hold, json=HOLD, headers={"X-Stretchcoach-User": ann_id})
    report_as_ann = bo.put(
        "/api/set-aside/h-3", json=refused(), headers={"X-Stretchcoach-User": ann_id}
    )
    bo_id = bo.get("/api/me").json()["id"]
    as_bo = bo.put(hold, json=HOLD, headers={"X-Stretchcoach-User": bo_id})

    assert_error(as_ann, 401, "not_logged_in")
    assert_error(report_as_ann, 401, "not_logged_in")
    assert as_bo.status_code == 201
    assert bo.get("/api/set-aside").json()["set_aside"] == []
    assert ann.get("/api/set-aside").json()["set_aside"] == []


BAD = [
    ("bad key", "a b", {}, "key"),
    ("long key", "k" * 101, {}, "key"),
    ("method", "h", {"method": "GET"}, "method"),
    ("path elsewhere", "h", {"path": "https://evil.example/api/x"}, "path"),
    ("path up", "h", {"path": "/api/../login"}, "path"),
    ("not refused: 401", "h", {"status": 401}, "status"),
    ("not refused: 503", "h", {"status": 503}, "status"),
    ("status as text", "h", {"status": "404"}, "status"),
    ("empty reason", "h", {"reason": "  "}, "reason"),
    ("reason with NUL", "h", {"reason": "no\x00"}, "reason"),
    ("body too large", "h", {"body": {"note": "x" * 17_000}}, "body"),
    ("unknown field", "h", {"extra": 1}, "extra"),
]


@pytest.mark.parametrize(("key", "change", "field"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_report_is_refused_in_one_line_naming_the_field(
    two: tuple[Any, ...], key: str, change: dict[str, Any], field: str
) -> None:
    ann, _, _ = two

    response = ann.put(f"/api/set-aside/{key}", json=refused(**change))

    message = assert_error(response, 422, "invalid_input", field)
    assert "\n" not in message
    assert ann.get("/api/set-aside").json()["set_aside"] == []
