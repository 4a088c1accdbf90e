"""Clinics: invitations, the dashboard's figures and order, setting a patient's routine."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.domain.form.metrics import HoldForm
from stretchcoach.domain.journal import PainEntry, PainSite, Region
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.safety import QUESTIONS_V1
from stretchcoach.domain.screening import Acknowledgement, ScreenResult
from stretchcoach.domain.session import Hold, Session, new_id
from stretchcoach.domain.values import SessionStatus, Side

from .conftest import assert_error, make_client


def _link(doctor: httpx.Client, patient: httpx.Client) -> str:
    """Invite and accept; the patient's user id."""
    code = doctor.post("/api/clinic/invitations").json()["code"]
    assert patient.post(f"/api/invitations/{code}/accept").status_code == 200
    user_id: str = patient.get("/api/me").json()["id"]
    return user_id


def test_a_clinician_sees_a_patient_only_after_the_invitation_is_accepted(
    accounts_app: Any, sign_up: Any
) -> None:
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician", name="Dr Lee")
    ann = sign_up(accounts_app, "ann@example.org", name="Ann")
    invitation = doctor.post("/api/clinic/invitations")

    before = doctor.get("/api/clinic/patients").json()
    accepted = ann.post(f"/api/invitations/{invitation.json()['code']}/accept")
    after = doctor.get("/api/clinic/patients").json()

    assert invitation.status_code == 201 and "/invite/" in invitation.json()["url"]
    assert before == []
    assert accepted.json()["clinician"]["display_name"] == "Dr Lee"
    assert [row["display_name"] for row in after] == ["Ann"]
    assert ann.get("/api/me/clinicians").json()[0]["display_name"] == "Dr Lee"


def test_an_invitation_works_once_and_not_after_it_expires(
    accounts_app: Any, sign_up: Any, web_clock: Any
) -> None:
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician")
    ann = sign_up(accounts_app, "ann@example.org")
    bo = sign_up(accounts_app, "bo@example.org")
    used = doctor.post("/api/clinic/invitations").json()["code"]
    stale = doctor.post("/api/clinic/invitations").json()["code"]
    assert ann.post(f"/api/invitations/{used}/accept").status_code == 200

    again = bo.post(f"/api/invitations/{used}/accept")
    web_clock.tick(timedelta(days=15).total_seconds())
    late = bo.post(f"/api/invitations/{stale}/accept")
    made_up = bo.post("/api/invitations/not-a-real-code-at-all-xxxxxx/accept")

    for response in (again, late, made_up):
        assert "ask your clinician for a new one" in assert_error(response, 404, "not_found")
    assert len(doctor.get("/api/clinic/patients").json()) == 1


@pytest.mark.parametrize(
    ("role", "method", "path"),
    [
        ("patient", "POST", "/api/clinic/invitations"),
        ("patient", "GET", "/api/clinic/patients"),
        ("patient", "GET", "/clinic"),
        ("clinician", "POST", "/api/invitations/{code}/accept"),
    ],
    ids=["patient-invites", "patient-dashboard", "patient-dashboard-page", "clinician-accepts"],
)
def test_each_role_is_refused_the_other_roles_actions(
    accounts_app: Any, sign_up: Any, role: str, method: str, path: str
) -> None:
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician")
    code = doctor.post("/api/clinic/invitations").json()["code"]
    browser = doctor if role == "clinician" else sign_up(accounts_app, "ann@example.org")

    response = browser.request(method, path.format(code=code))

    assert response.status_code == 403
    if path.startswith("/api/"):
        assert_error(response, 403, "forbidden")


def test_the_invitation_page_explains_and_lets_a_logged_out_patient_sign_in_first(
    accounts_app: Any, sign_up: Any
) -> None:
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician", name="Dr Lee")
    url = doctor.post("/api/clinic/invitations").json()["url"]
    path = httpx.URL(url).path

    page = make_client(accounts_app).get(path)

    assert page.status_code == 200
    assert "Dr Lee invites you" in page.text
    assert f'href="/login?next={path}"' in page.text


def test_a_patient_who_stops_sharing_disappears_from_the_dashboard(
    accounts_app: Any, sign_up: Any
) -> None:
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician")
    ann = sign_up(accounts_app, "ann@example.org")
    ann_id = _link(doctor, ann)
    doctor_id = doctor.get("/api/me").json()["id"]

    left = ann.delete(f"/api/me/clinicians/{doctor_id}")

    assert left.status_code == 204
    assert doctor.get("/api/clinic/patients").json() == []
    assert_error(doctor.get(f"/api/clinic/patients/{ann_id}"), 404, "not_found")


def test_a_clinician_sets_the_patients_dose_and_the_patients_own_choices_stay(
    accounts_app: Any, sign_up: Any
) -> None:
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician")
    ann = sign_up(accounts_app, "ann@example.org")
    ann_id = _link(doctor, ann)
    own = ann.get("/api/settings").json()
    del own["calendar_url"]
    assert ann.put("/api/settings", json=own | {"morning_start": "06:30"}).status_code == 200

    response = doctor.put(
        f"/api/clinic/patients/{ann_id}/routine",
        json={"hold_s": 45, "reps_per_side": 4, "first_side": "right"},
    )

    mine = ann.get("/api/settings").json()
    assert response.json() == {"hold_s": 45, "reps_per_side": 4, "first_side": "right"}
    assert (mine["hold_s"], mine["reps_per_side"], mine["first_side"]) == (45, 4, "right")
    assert mine["morning_start"] == "06:30"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hold_s": 5}, "hold_s"),
        ({"reps_per_side": 99}, "reps_per_side"),
        ({"first_side": "middle"}, "first_side"),
    ],
    ids=["hold-too-short", "too-many-holds", "no-such-leg"],
)
def test_a_wrong_dose_names_its_field_and_changes_nothing(
    accounts_app: Any, sign_up: Any, change: dict[str, Any], field: str
) -> None:
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician")
    ann = sign_up(accounts_app, "ann@example.org")
    ann_id = _link(doctor, ann)
    before = ann.get("/api/settings").json()
    good = {"hold_s": 45, "reps_per_side": 4, "first_side": "right"}

    api = doctor.put(f"/api/clinic/patients/{ann_id}/routine", json=good | change)
    form = doctor.post(
        f"/clinic/patients/{ann_id}/routine",
        data={k: str(v) for k, v in (good | change).items()}
        | {"csrf_token": doctor.headers["X-CSRF-Token"]},
    )

    assert_error(api, 422, "invalid_input", field)
    assert form.status_code == 422 and f'id="{field}-error"' in form.text
    assert ann.get("/api/settings").json() == before


# -- the dashboard's figures ------------------------------------------------------------------


def _session(
    uow: SqlUnitOfWork,
    user_id: str,
    at: datetime,
    *,
    fold_deg: float | None = None,
    zone: str = "Europe/London",
    status: SessionStatus = SessionStatus.COMPLETED,
    practice: bool = False,
) -> None:
    session = Session(
        id=new_id(),
        user_id=user_id,
        routine_id="seated-hamstring",
        routine_name="Seated hamstring stretch",
        started_at=at,
        time_zone=zone,
        settings=SessionSettings(hold_s=30, reps_per_side=3, first_side=Side.LEFT, rest_s=10),
        status=status,
        practice=practice,
        ended_at=at + timedelta(minutes=5),
    )
    uow.sessions.add(session)
    hold = Hold(new_id(), session.id, 1, Side.LEFT, 30, 30, True, at + timedelta(minutes=1))
    uow.sessions.add_hold(hold)
    if fold_deg is not None:
        uow.hold_form.add(hold.id, HoldForm(Side.LEFT, 0, 30, 30, fold_deg, 178.0))


def _pain(uow: SqlUnitOfWork, user_id: str, at: datetime, score: int, region: Region) -> None:
    sites = frozenset({PainSite(Side.LEFT, region)})
    uow.journal.add(PainEntry(new_id(), user_id, at, "Europe/London", score, sites))


def test_the_dashboard_sums_the_last_weeks_and_puts_who_needs_attention_first(
    make_accounts_app: Any, store_url: str, sign_up: Any, web_clock: Any
) -> None:
    app = make_accounts_app(store_url)
    doctor = sign_up(app, "doc@example.org", role="clinician")
    steady = _link(doctor, sign_up(app, "steady@example.org", name="Steady"))
    spreading = _link(doctor, sign_up(app, "spread@example.org", name="Spreading"))
    flagged = _link(doctor, sign_up(app, "flag@example.org", name="Flagged"))
    _link(doctor, sign_up(app, "quiet@example.org", name="Quiet"))
    sign_up(app, "stranger@example.org")  # not linked: never on the dashboard
    now = web_clock.now()
    uow = SqlUnitOfWork(app.state.engine)
    with uow:
        for day in range(30):  # Steady: every day, pain easing and moving up the leg
            at = now - timedelta(days=day, hours=1)
            _session(uow, steady, at, fold_deg=70 if day < 7 else 60)
            _pain(uow, steady, at, 2 if day < 7 else 4, Region.BUTTOCK if day < 7 else Region.CALF)
        for day in (1, 10):  # Spreading: two sessions, pain worse and further down
            at = now - timedelta(days=day, hours=1)
            _session(uow, spreading, at)
            _pain(uow, spreading, at, 7 if day < 7 else 3, Region.FOOT if day < 7 else Region.THIGH)
        _session(uow, spreading, now - timedelta(days=40))  # outside the window
        _session(uow, flagged, now - timedelta(days=2))
        uow.screens.add(ScreenResult(new_id(), steady, now - timedelta(days=20), (True,) * 8))
        uow.screens.add_acknowledgement(  # seen about it since: the clinician recorded it
            Acknowledgement(
                new_id(),
                steady,
                tuple(q.code for q in QUESTIONS_V1),
                (now - timedelta(days=19)).date(),
                "clinician",
                "Dr Doc",
                "",
                now - timedelta(days=19),
            )
        )
        uow.screens.add(ScreenResult(new_id(), steady, now - timedelta(days=3), (False,) * 8))
        uow.screens.add(ScreenResult(new_id(), flagged, now - timedelta(days=9), (True,) * 8))
        uow.screens.add(
            ScreenResult(new_id(), flagged, now - timedelta(days=1), (False,) * 7 + (True,))
        )
        uow.commit()

    rows = doctor.get("/api/clinic/patients").json()

    by_name = {row["display_name"]: row for row in rows}
    assert [row["display_name"] for row in rows] == ["Flagged", "Spreading", "Quiet", "Steady"]
    assert (by_name["Steady"]["days_7"], by_name["Steady"]["days_30"]) == (7, 30)
    assert by_name["Steady"]["pain_change"] == -2.0
    assert by_name["Steady"]["spread"] == "centralising"
    assert (by_name["Steady"]["flex_recent_deg"], by_name["Steady"]["flex_change_deg"]) == (70, 10)
    assert all("acknowledged as seen" in r for r in by_name["Steady"]["reasons"])
    assert by_name["Steady"]["red_flag"] is False
    assert (by_name["Spreading"]["days_7"], by_name["Spreading"]["days_30"]) == (1, 2)
    assert by_name["Spreading"]["spread"] == "peripheralising"
    assert by_name["Spreading"]["pain_change"] == 4.0
    assert by_name["Flagged"]["red_flag"] is True
    assert by_name["Flagged"]["reasons"][0].startswith("Warning sign, not yet seen (emergency)")
    assert by_name["Quiet"]["reasons"] == ["no morning stretch in 30 days"]
    assert by_name["Quiet"]["last_session_at"] is None


def test_the_dashboard_page_lists_patients_with_their_reasons(
    accounts_app: Any, sign_up: Any
) -> None:
    doctor = sign_up(accounts_app, "doc@example.org", role="clinician")
    ann_id = _link(doctor, sign_up(accounts_app, "ann@example.org", name="Ann"))

    page = doctor.get("/clinic")
    detail = doctor.get(f"/clinic/patients/{ann_id}")

    assert page.status_code == 200
    assert f'href="/clinic/patients/{ann_id}"' in page.text
    assert "no morning stretch in 30 days" in page.text
    assert detail.status_code == 200 and 'for="hold_s"' in detail.text


def test_only_the_patients_clinician_records_that_they_were_seen(
    accounts_app: Any, sign_up: Any
) -> None:
    from stretchcoach.domain.safety import QUESTIONS

    doctor = sign_up(accounts_app, "doc@example.org", role="clinician", name="Dr Doc")
    ann = sign_up(accounts_app, "ann@example.org", name="Ann")
    ann_id = _link(doctor, ann)
    cancer = [q.code == "cancer" for q in QUESTIONS]
    assert ann.post("/api/screen", json={"answers": cancer}).status_code == 201

    self_seen = ann.post("/api/screen/seen", json={"seen_on": "2026-01-02"})
    refused = ann.post("/api/sessions", json={})
    page = doctor.get(f"/clinic/patients/{ann_id}")
    future = doctor.post(f"/api/clinic/patients/{ann_id}/seen", json={"seen_on": "2999-01-01"})
    before = doctor.post(f"/api/clinic/patients/{ann_id}/seen", json={"seen_on": "2026-01-02"})
    seen = doctor.post(
        f"/api/clinic/patients/{ann_id}/seen",
        json={"seen_on": "2026-01-05", "note": "treated 2019, exercise fine"},
    )
    row = doctor.get(f"/api/clinic/patients/{ann_id}").json()

    assert self_seen.status_code == 403  # with accounts, a patient cannot settle it alone
    assert refused.status_code == 409
    assert "Seen them?" in page.text and "History of cancer" in page.text
    assert future.status_code == 422 and "in the future" in future.text
    assert assert_error(before, 422, "invalid_input", "seen_on") == (
        "the visit on 02 Jan 2026 is before the first yes (05 Jan 2026): give the date you "
        "were seen about it, on or after 05 Jan 2026"
    )
    assert seen.status_code == 201 and seen.json()["codes"] == ["cancer"]
    assert seen.json()["by"] == "Dr Doc"
    assert ann.post("/api/sessions", json={}).status_code == 201
    assert row["red_flag"] is False
    assert any(
        "acknowledged as seen on 05 Jan 2026 (recorded by Dr Doc)" in r for r in row["reasons"]
    )
    assert "Seen them?" not in doctor.get(f"/clinic/patients/{ann_id}").text


def test_a_clinician_and_their_patient_are_shown_the_same_days_done(
    make_accounts_app: Any, store_url: str, sign_up: Any, web_clock: Any
) -> None:
    app = make_accounts_app(store_url)
    doctor = sign_up(app, "doc@example.org", role="clinician")
    ann = sign_up(app, "ann@example.org", name="Ann")
    ann_id = _link(doctor, ann)
    mine = ann.get("/api/settings").json()
    mine.pop("calendar_url")
    new_york = ZoneInfo("America/New_York")
    mine |= {"time_zone": "America/New_York", "morning_start": "05:00", "morning_end": "10:00"}
    assert ann.put("/api/settings", json=mine).status_code == 200
    today = web_clock.now().astimezone(new_york).date()  # 02:00 there: the morning still open

    def local(days_back: int, hour: int, minute: int = 0) -> datetime:
        day = today - timedelta(days=days_back)
        return datetime.combine(day, time(hour, minute), new_york)

    uow = SqlUnitOfWork(app.state.engine)
    with uow:
        for at, kind in [
            (local(1, 7), "counts"),
            (local(2, 23, 30), "evening: the next day in UTC, outside the morning"),
            (local(3, 0, 30), "just after midnight, before the morning"),
            (local(4, 6), "counts"),
            (local(4, 9, 59), "the same morning again: one day"),
            (local(5, 7), "practice"),
            (local(6, 7), "stopped"),
            (local(8, 7), "a morning done, but eight days back"),
        ]:
            _session(
                uow,
                ann_id,
                at,
                zone="America/New_York",
                practice=kind == "practice",
                status=SessionStatus.STOPPED if kind == "stopped" else SessionStatus.COMPLETED,
            )
        uow.commit()

    clinic = {r["patient_id"]: r for r in doctor.get("/api/clinic/patients").json()}[ann_id]
    page = doctor.get(f"/clinic/patients/{ann_id}").text
    own = ann.get("/api/history").json()["adherence"]
    today_page = ann.get("/api/today").json()

    assert clinic["days_7"] == own["last_7_days"]["done"] == today_page["last_7_days"]["done"] == 2
    assert clinic["days_30"] == own["last_30_days"]["done"] == 3
    assert '<dd data-testid="days-7">2</dd>' in page
