"""The pages: every one renders with a label on every control; forms answer wrong values
next to the field and save nothing; the calendar feed; modes; the app shell files."""

from __future__ import annotations

import re
import uuid
from datetime import date
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from tests.web.conftest import assert_error, csrf_of, make_client, text_of

from stretchcoach.errors import StoreUnavailable
from stretchcoach.testing import FakeUnitOfWork
from stretchcoach.web import charts

PAGES = ["/", "/session", "/journal", "/history", "/learn", "/settings", "/screen"]


class Controls(HTMLParser):
    """Collects form controls and what labels them."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self._label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(str(a["for"]))
        if tag in ("input", "select", "textarea", "button") and a.get("type") != "hidden":
            self.controls.append(a | {"tag": tag, "in_label": "1" if self._label_depth else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_depth -= 1


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.strip("/") or "today")
def test_every_page_renders_with_a_label_on_every_control(client: httpx.Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert 'name="viewport"' in response.text and 'rel="manifest"' in response.text
    parser = Controls()
    parser.feed(response.text)
    for control in parser.controls:
        if control["tag"] == "button":
            continue  # buttons are labelled by their text
        labelled = (
            control["in_label"]
            or control.get("id") in parser.label_for
            or control.get("aria-label")
        )
        assert labelled, f"{path}: unlabelled {control}"


def test_the_journal_form_saves_the_score_and_where_it_hurts(client: httpx.Client) -> None:
    token = csrf_of(client, "/journal")

    response = client.post(
        "/journal",
        data={
            "csrf_token": token,
            "score": "6",
            "sites": ["left:thigh", "left:calf"],
            "note": "after the drive",
        },
    )

    assert response.status_code == 303
    entries = client.get("/api/journal").json()["entries"]
    assert [(e["score"], e["sites"]) for e in entries] == [(6, ["left:calf", "left:thigh"])]
    page = text_of(client.get(response.headers["location"]))
    assert "Saved" in page
    assert "left thigh, left calf" in page and "after the drive" in page


@pytest.mark.parametrize(
    ("form", "field", "quoted"),
    [
        ({"score": "11"}, "score", "11"),
        ({"score": "lots"}, "score", "'lots'"),
        ({"score": "3", "sites": "left:knee"}, "sites", "'left:knee'"),
        ({"score": "3", "note": "x" * 501}, "note", "501"),
        ({"score": "0", "sites": "left:calf"}, "score", "pain 0 means no pain"),
        ({"sites": "left:calf"}, "score", "Please choose how much it hurts"),
    ],
    ids=[
        "score-too-high",
        "score-not-a-number",
        "unknown-place",
        "note-too-long",
        "zero-with-places",
        "no-score-chosen",
    ],
)
def test_a_wrong_journal_value_is_shown_next_to_its_field_and_nothing_is_saved(
    client: httpx.Client, form: dict[str, str], field: str, quoted: str
) -> None:
    token = csrf_of(client, "/journal")

    response = client.post("/journal", data={"csrf_token": token, **form})

    assert response.status_code == 422
    error = re.search(rf'id="{field}-error" class="error" role="alert">([^<]+)<', response.text)
    assert error, response.text
    assert quoted in error.group(1).replace("&#39;", "'")
    assert client.get("/api/journal").json()["entries"] == []


def test_the_journal_form_has_no_preset_score_and_a_second_post_of_it_saves_nothing_more(
    client: httpx.Client,
) -> None:
    page = client.get("/journal").text
    token = csrf_of(client, "/journal")
    entry_id = re.search(r'name="entry_id" value="([^"]+)"', page)
    assert entry_id and " checked" not in page.split('name="score"', 1)[1].split("</fieldset>")[0]
    form = {"csrf_token": token, "score": "5", "entry_id": entry_id.group(1)}

    statuses = [client.post("/journal", data=form).status_code for _ in range(2)]

    assert statuses == [303, 303]
    assert [e["id"] for e in client.get("/api/journal").json()["entries"]] == [entry_id.group(1)]


def test_the_settings_form_keeps_every_answer_when_one_is_wrong(client: httpx.Client) -> None:
    token = csrf_of(client, "/settings")
    before = client.get("/api/settings").json()
    form = {
        "csrf_token": token,
        "hold_s": "45",
        "reps_per_side": "4",
        "first_side": "right",
        "morning_start": "06:00",
        "morning_end": "10:00",
        "time_zone": "Atlantis/Capital",
        "reminder_at": "06:30",
    }

    response = client.post("/settings", data=form)

    assert response.status_code == 422
    assert re.search(r'id="time_zone-error"[^>]*>[^<]*Atlantis/Capital', response.text)
    assert 'value="45"' in response.text and 'value="06:30"' in response.text
    assert client.get("/api/settings").json() == before


def test_saved_settings_shape_the_next_session(client: httpx.Client) -> None:
    token = csrf_of(client, "/settings")
    form = {
        "csrf_token": token,
        "hold_s": "40",
        "reps_per_side": "2",
        "first_side": "right",
        "morning_start": "06:00",
        "morning_end": "09:30",
        "time_zone": "America/Chicago",
        "reminder_at": "06:45",
    }

    assert client.post("/settings", data=form).status_code == 303

    settings = client.get("/api/settings").json()
    assert settings["time_zone"] == "America/Chicago" and settings["reminder_at"] == "06:45"
    session = client.post("/api/sessions", json={}).json()
    assert session["settings"] == {
        "hold_s": 40.0,
        "reps_per_side": 2,
        "first_side": "right",
        "rest_s": 10.0,
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hold_s": 10}, "hold_s"),
        ({"reps_per_side": 0}, "reps_per_side"),
        ({"first_side": "middle"}, "first_side"),
        ({"morning_start": "7am"}, "morning_start"),
        ({"morning_start": "10:00", "morning_end": "09:00"}, "morning_end"),
        ({"time_zone": "Nowhere/Town"}, "time_zone"),
        ({"reminder_at": "25:00"}, "reminder_at"),
    ],
    ids=["hold", "reps", "leg", "time-format", "morning-backwards", "zone", "reminder"],
)
def test_the_settings_api_names_the_wrong_field_and_changes_nothing(
    client: httpx.Client, change: dict[str, Any], field: str
) -> None:
    before = client.get("/api/settings").json()
    body = {k: v for k, v in before.items() if k != "calendar_url"} | change

    response = client.put("/api/settings", json=body)

    assert_error(response, 422, "invalid_input", field)
    assert client.get("/api/settings").json() == before


def test_the_calendar_feed_repeats_the_reminder_daily_in_the_users_zone(
    client: httpx.Client,
) -> None:
    body = {k: v for k, v in client.get("/api/settings").json().items() if k != "calendar_url"}
    saved = client.put(
        "/api/settings", json=body | {"reminder_at": "07:20", "time_zone": "Europe/Paris"}
    ).json()
    path = httpx.URL(saved["calendar_url"]).path

    feed = client.get(path)

    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    text = feed.text.replace("\r\n ", "")
    assert "RRULE:FREQ=DAILY" in text
    assert "DTSTART;TZID=Europe/Paris:" in text and text.split("DTSTART;TZID=Europe/Paris:")[
        1
    ].startswith("2026")
    assert "T072000" in text
    assert "BEGIN:VALARM" in text and "ACTION:DISPLAY" in text


def test_clearing_the_reminder_empties_the_feed(client: httpx.Client) -> None:
    body = {k: v for k, v in client.get("/api/settings").json().items() if k != "calendar_url"}
    client.put("/api/settings", json=body | {"reminder_at": "07:00"})
    path = httpx.URL(client.get("/api/settings").json()["calendar_url"]).path
    assert "BEGIN:VEVENT" in client.get(path).text

    client.put("/api/settings", json=body | {"reminder_at": None})

    feed = client.get(path)
    assert feed.status_code == 200 and "BEGIN:VCALENDAR" in feed.text
    assert "BEGIN:VEVENT" not in feed.text


def test_a_new_calendar_address_retires_the_old_one(client: httpx.Client) -> None:
    old = httpx.URL(client.get("/api/settings").json()["calendar_url"]).path

    new = httpx.URL(client.post("/api/settings/calendar-token").json()["calendar_url"]).path

    assert new != old
    assert client.get(new).status_code == 200
    assert client.get(old).status_code == 404


def test_an_unknown_calendar_address_is_not_found(client: httpx.Client) -> None:
    assert client.get(f"/calendar/{uuid.uuid4().hex}.ics").status_code == 404


def complete_a_session(client: httpx.Client) -> None:
    session = client.post("/api/sessions", json={}).json()
    for phase in session["phases"]:
        if phase["hold_number"]:
            hold = {
                "hold_number": phase["hold_number"],
                "side": phase["side"],
                "held_s": 30,
                "completed": True,
            }
            client.put(f"/api/sessions/{session['id']}/holds/{uuid.uuid4()}", json=hold)
    client.post(f"/api/sessions/{session['id']}/finish", json={"status": "completed"})


def test_the_today_page_shows_a_morning_done_after_a_session(client: httpx.Client) -> None:
    complete_a_session(client)  # at 07:00 in London, inside the default morning

    page = client.get("/").text

    assert "Done for today" in page
    assert re.search(r'data-testid="streak">1<', page)


def test_a_session_outside_the_morning_window_helps_but_does_not_count(
    client: httpx.Client,
) -> None:
    body = {k: v for k, v in client.get("/api/settings").json().items() if k != "calendar_url"}
    client.put("/api/settings", json=body | {"morning_start": "05:00", "morning_end": "06:30"})

    complete_a_session(client)

    today = client.get("/api/today").json()
    assert (today["done_today"], today["stretched_today"]) == (False, True)
    page = client.get("/").text
    assert "Stretched today" in page and re.search(r'data-testid="streak">0<', page)


def test_the_history_page_draws_its_charts_as_svg(client: httpx.Client) -> None:
    token = client.headers["X-CSRF-Token"]
    client.post("/journal", data={"csrf_token": token, "score": "5"})

    page = client.get("/history").text

    assert page.count("<svg") >= 3
    assert 'class="chart calendar"' in page
    assert re.search(r'aria-label="Pain each day, 0 to 10\. Pain: 1 readings', page)


def test_the_calendar_chart_fills_the_days_done() -> None:
    days = {date(2026, 1, 5), date(2026, 1, 6), date(2025, 12, 1)}

    svg = charts.adherence_calendar(days, first=date(2026, 1, 1), today=date(2026, 1, 7))

    assert svg.count('class="day done') == 2
    assert svg.count('class="day missed') == 5
    assert "2 of the last 7 days done" in svg


def test_a_line_chart_says_in_words_what_it_draws() -> None:
    points = [(date(2026, 1, 3), 7.0), (date(2026, 1, 1), 8.0), (date(2026, 1, 6), 4.0)]

    svg = charts.line_chart(
        {"Pain": points, "Other": []},
        first=date(2026, 1, 1),
        last=date(2026, 1, 7),
        y_min=0,
        y_max=10,
        label="Pain <daily>",
    )
    empty = charts.line_chart(
        {"Pain": []}, first=date(2026, 1, 1), last=date(2026, 1, 7), y_min=0, y_max=10, label="P"
    )

    assert "Pain &lt;daily&gt;. Pain: 3 readings, from 8 on 01 Jan to 4 on 06 Jan" in svg
    assert svg.count("<circle") == 3 and svg.count('class="series s0"') == 4
    assert "Other" not in svg
    assert "Nothing recorded yet" in empty and "<circle" not in empty


def test_the_api_is_described_by_openapi(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    refused = paths["/api/journal"]["post"]["responses"]["422"]["content"]["application/json"]
    assert refused["schema"]["$ref"].endswith("/ErrorResponse")

    for path in (
        "/api/sessions",
        "/api/sessions/{session_id}/holds/{hold_id}",
        "/api/sessions/current",
        "/api/journal",
        "/api/today",
        "/api/history",
        "/api/settings",
        "/api/screen",
    ):
        assert path in paths


def test_the_app_can_be_installed_and_works_offline(client: httpx.Client) -> None:
    manifest = client.get("/manifest.webmanifest")
    worker = client.get("/sw.js")

    assert manifest.headers["content-type"].startswith("application/manifest+json")
    icons = manifest.json()["icons"]
    assert {"192x192", "512x512"} <= {i["sizes"] for i in icons}
    for icon in icons:
        assert client.get(icon["src"]).status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["service-worker-allowed"] == "/"


def test_the_offline_cache_is_named_after_the_version_and_the_worker(
    client: httpx.Client,
) -> None:
    import hashlib
    import re

    from stretchcoach import __version__
    from stretchcoach.web import WEB_DIR

    text = (WEB_DIR / "static" / "sw.js").read_text("utf-8")
    served = client.get("/sw.js").text
    (name,) = re.findall(r'^const CACHE = "([^"]*)";$', served, flags=re.M)

    mark = hashlib.sha256(text.encode()).hexdigest()[:12]
    assert name == f"stretchcoach-{__version__}-{mark}"  # a changed worker drops old caches


def test_an_unknown_page_says_so_kindly(client: httpx.Client) -> None:
    page = client.get("/nowhere")

    assert page.status_code == 404 and "Not here" in page.text
    assert_error(client.get("/api/nowhere"), 404, "not_found")


def test_in_accounts_mode_nobody_gets_in_without_logging_in(make_app: Any) -> None:
    with make_client(make_app(mode="accounts")) as stranger:
        assert_error(stranger.get("/api/today"), 401, "not_logged_in")
        page = stranger.get("/journal")
        assert page.status_code == 303
        assert page.headers["location"].startswith("/login")


def test_pages_allow_only_their_own_scripts_and_no_framing(client: httpx.Client) -> None:
    headers = client.get("/session").headers

    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_settings_are_kept_on_both_stores(make_app: Any, store_url: str) -> None:
    with make_client(make_app(store_url)) as browser:
        browser.headers["X-CSRF-Token"] = csrf_of(browser)
        body = {k: v for k, v in browser.get("/api/settings").json().items() if k != "calendar_url"}

        saved = browser.put(
            "/api/settings", json=body | {"reps_per_side": 5, "reminder_at": "06:10"}
        )

        assert saved.status_code == 200
        again = browser.get("/api/settings").json()
        assert (again["reps_per_side"], again["reminder_at"]) == (5, "06:10")
        assert browser.get(httpx.URL(again["calendar_url"]).path).status_code == 200


class UnreachableStore(FakeUnitOfWork):
    def __enter__(self) -> UnreachableStore:
        raise StoreUnavailable("connection to 'db.internal' refused")


def test_a_database_that_stops_answering_is_one_clear_error(
    local_app: Any, client: httpx.Client
) -> None:
    from stretchcoach.web.deps import get_uow

    local_app.dependency_overrides[get_uow] = UnreachableStore

    message = assert_error(client.get("/api/today"), 503, "store_unavailable")
    page = client.get("/journal")

    assert "db.internal" in message
    assert page.status_code == 503 and "db.internal" in page.text
