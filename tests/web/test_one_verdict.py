"""One history, one verdict: the terminal, the web, the clinic dashboard and the report agree.

Each story is written into a store through the services, dated back from the real clock (the
terminal runs on it). The same story goes to a local store, read by `stretchcoach stats --json`
and by the local web app (the check page's API, the Today page, starting a session), and to an
accounts store, read by the patient's clinician on the dashboard and in the PDF report.

Both interfaces then run a session through the one session use case (services/session_case.py):
the phone starts one, the terminal's `start` runs one to its end on a clock that never waits,
and they must agree on whether it may start, its dose, and the advice after it.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from tests.web.conftest import make_client

from stretchcoach import bootstrap
from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import parse_sites
from stretchcoach.domain.routine import choose_settings
from stretchcoach.domain.runner import HoldResult
from stretchcoach.domain.safety import QUESTIONS, SCREEN_VERSION
from stretchcoach.domain.screening import Acknowledgement, ScreenResult
from stretchcoach.domain.session import Hold, new_id
from stretchcoach.domain.timeline import hold_sides
from stretchcoach.domain.user import LOCAL_USER_ID
from stretchcoach.domain.values import SessionStatus
from stretchcoach.services import session_case
from stretchcoach.services.pain import log_pain
from stretchcoach.services.safety import answer_screen
from stretchcoach.services.sessions import get_session, new_session
from stretchcoach.services.users import ensure_local_user
from stretchcoach.testing import FakeClock
from stretchcoach.web.routers.screen import ON_WEB

NOW = datetime.now(UTC).replace(microsecond=0)
ZONE = "Europe/London"
ALL_NO = (False,) * len(QUESTIONS)


def yes_to(*codes: str) -> tuple[bool, ...]:
    return tuple(q.code in codes for q in QUESTIONS)


@pytest.fixture
def web_clock() -> FakeClock:
    return FakeClock(NOW)


@dataclass
class Writer:
    uow: SqlUnitOfWork
    user: str

    def check(self, days_ago: float, answers: tuple[bool, ...]) -> None:
        answer_screen(answers, user_id=self.user, uow=self.uow, now=NOW - timedelta(days=days_ago))

    def pain(self, days_ago: float, score: int, where: str, note: str = "") -> None:
        at = NOW - timedelta(days=days_ago)
        log_pain(score, parse_sites(where), user_id=self.user, uow=self.uow, now=at,
                 time_zone=ZONE, note=note)  # fmt: skip

    def session(self, days_ago: float, felt: Felt, *, before: int | None = None,
                where: str = "", refused: bool = False) -> None:  # fmt: skip
        """A morning as the phone runs it (web/routers/api_session.py) with the terminal's
        check-in: the check-in's pain and places decide the gate and the dose, then the
        holds, what each felt like and the end, each kept at once. `refused`: the check-in
        refuses this morning's session (its pain is kept all the same)."""
        at = NOW - timedelta(days=days_ago)
        routine = load_builtin()
        keep = session_case.store_now(self.uow)
        morning = session_case.Morning(before, where)
        checked = session_case.check_in(
            self.user, routine, choose_settings(routine), morning, uow=self.uow, now=at,
            zone=ZoneInfo(ZONE), where=ON_WEB, keep=keep,
        )  # fmt: skip
        assert (checked.plan is None) is refused, checked.refused
        if checked.plan is None:
            return
        settings = checked.plan.settings  # the dose the app would run
        s = new_session(routine, settings, user_id=self.user, now=at, time_zone=ZONE)
        session_case.begin(s, keep=keep, pain=checked.pain)
        answers = session_case.FeltAnswers(s.id, keep)
        for number, side in enumerate(hold_sides(settings), start=1):
            hold = Hold.from_result(s.id, HoldResult(number, side, 30, 30, True), ended_at=at)
            session_case.record_hold(hold, keep=keep)
            answers.hold_kept(hold)
            answers.answer(number, felt)
        session_case.finish(s.id, SessionStatus.COMPLETED, now=at, keep=keep)

    def seen(self, days_ago: float, codes: tuple[str, ...], by: str) -> None:
        at = NOW - timedelta(days=days_ago)
        ack = Acknowledgement(new_id(), self.user, codes, at.date(), by, "Dr Doc", "", at)
        with self.uow:
            self.uow.screens.add_acknowledgement(ack)
            self.uow.commit()

    def raw_check(self, claims: datetime, answers: tuple[bool, ...], stored: datetime) -> None:
        with self.uow:
            self.uow.screens.add(
                ScreenResult(new_id(), self.user, claims, answers, SCREEN_VERSION, stored_at=stored)
            )
            self.uow.commit()


def clear(w: Writer) -> None:
    w.check(5, ALL_NO)
    for days in (3, 2, 1):
        w.session(days, Felt.PULL, before=3, where="left:thigh")


def worsening(w: Writer) -> None:
    w.check(5, ALL_NO)
    w.session(3, Felt.PULL, before=4, where="left:thigh")
    w.session(2, Felt.PULL, before=6, where="left:calf")
    w.session(1, Felt.PULL, before=7, where="left:foot", refused=True)  # the check-in stops it


def second_leg(w: Writer) -> None:
    w.check(3, ALL_NO)
    w.pain(2, 6, "left:thigh")
    w.pain(0.01, 9, "left:thigh,right:calf", note="right foot feels numb")


def nerve_every_hold(w: Writer) -> None:
    w.check(4, ALL_NO)
    w.session(3, Felt.NERVE)
    w.session(2, Felt.NERVE, refused=True)  # the urgent questions come first


def fever(w: Writer) -> None:
    w.check(0.01, yes_to("unwell"))


def lifelong_yes_seen(w: Writer) -> None:
    w.check(10, yes_to("cancer"))
    w.seen(9, ("cancer",), by="self-or-clinician")
    w.check(2, yes_to("cancer"))


def future_dated_clear(w: Writer) -> None:
    w.raw_check(NOW + timedelta(days=900), ALL_NO, stored=NOW - timedelta(days=2))
    w.check(0.01, yes_to("injury"))


def never_screened(w: Writer) -> None:
    w.pain(1, 3, "left:thigh")


STORIES: list[tuple[Callable[[Writer], None], str, int]] = [
    (clear, "clear", 201),
    (worsening, "blocked", 409),
    (second_leg, "blocked", 409),  # new pain in both legs: the emergency sign
    (nerve_every_hold, "recheck", 409),  # nerve answers in both legs: the urgent questions
    (fever, "blocked", 409),
    (lifelong_yes_seen, "clear", 201),
    (future_dated_clear, "blocked", 409),
    (never_screened, "missing", 409),
]


def _latest_terminal_session(url: str) -> str | None:
    """The id of the session the terminal ran (it has an owner process; the web's has none)."""
    engine = open_store(url)
    try:
        uow = SqlUnitOfWork(engine)
        with uow:
            sessions = uow.sessions.list_recent(LOCAL_USER_ID, limit=5)
        return next((s.id for s in sessions if s.owner is not None), None)
    finally:
        engine.dispose()


def _session_settings(url: str, session_id: str | None) -> dict[str, Any]:
    assert session_id is not None
    engine = open_store(url)
    try:
        settings = get_session(session_id, uow=SqlUnitOfWork(engine)).settings
    finally:
        engine.dispose()
    return {
        "hold_s": settings.hold_s,
        "reps_per_side": settings.reps_per_side,
        "first_side": settings.first_side.value,
        "rest_s": settings.rest_s,
    }


def _normalise(text: str) -> str:
    return " ".join(html.unescape(text).replace("’", "'").split())


@pytest.mark.parametrize(("story", "gate", "start"), STORIES, ids=[s[0].__name__ for s in STORIES])
def test_the_terminal_the_web_the_dashboard_and_the_report_give_one_verdict(
    tmp_path: Path,
    make_app: Any,
    make_accounts_app: Any,
    sign_up: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    story: Callable[[Writer], None],
    gate: str,
    start: int,
) -> None:
    from pypdf import PdfReader

    from stretchcoach.cli.app import run

    local_url = f"sqlite:///{tmp_path / 'local.db'}"
    engine = open_store(local_url)
    local = SqlUnitOfWork(engine)
    story(Writer(local, ensure_local_user(uow=local, now=NOW - timedelta(days=30))))
    engine.dispose()

    terminal = run(["stats", "--json", "--db", local_url])  # closes what it opened
    out = capsys.readouterr()
    assert terminal == 0, out.err
    said = json.loads(out.out)
    flags = said["flags"]

    with make_client(make_app(local_url)) as browser:
        from tests.web.conftest import csrf_of

        browser.headers["X-CSRF-Token"] = csrf_of(browser)
        screen = browser.get("/api/screen").json()
        today = _normalise(browser.get("/").text)
        started = browser.post("/api/sessions", json={})
        # the terminal's session, on a clock that never waits (a real run, not practice)
        monkeypatch.setattr(bootstrap, "clock", lambda speed=1.0: FakeClock(NOW))
        capsys.readouterr()
        ran_code = run(["start", "--skip-checkin", "--no-voice", "--db", local_url])
        ran = capsys.readouterr()
        ran_session = _latest_terminal_session(local_url)
        advice = browser.get(f"/api/sessions/{ran_session}/advice") if ran_session else None

    app = make_accounts_app(f"sqlite:///{tmp_path / 'clinic.db'}")
    doctor = sign_up(app, "doc@example.org", role="clinician", name="Dr Doc")
    patient = sign_up(app, "pat@example.org", name="Pat")
    code = doctor.post("/api/clinic/invitations").json()["code"]
    assert patient.post(f"/api/invitations/{code}/accept").status_code == 200
    patient_id = patient.get("/api/me").json()["id"]
    story(Writer(SqlUnitOfWork(app.state.engine), patient_id))
    row = doctor.get(f"/api/clinic/patients/{patient_id}").json()
    pdf = doctor.get(f"/api/clinic/patients/{patient_id}/report.pdf", params={"days": 30})
    report = _normalise(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    )

    assert said["gate"]["status"] == screen["status"] == gate
    assert started.status_code == start, started.text
    assert ran_code == (0 if start == 201 else 2), ran
    if start == 201:
        hold = started.json()["settings"]["hold_s"]
        assert hold == said["next_dose"]["hold_s"]
        terminal_settings = _session_settings(local_url, ran_session)
        assert terminal_settings == started.json()["settings"]
        assert advice is not None and advice.status_code == 200
        after = advice.json()
        printed = _normalise(ran.out)
        assert _normalise(f"Next time: {after['plan']['reason']}") in printed
        for flag in after["flags"]:
            if flag["severity"] != "info":
                assert _normalise(flag["message"]) in printed, flag["code"]
    else:
        assert ran_session is None  # refused before anything was written
        assert ran.err.startswith("Error: ")
    for flag in flags:
        if flag["severity"] != "info" or flag["code"].startswith("seen-"):
            assert _normalise(flag["message"]) in today, flag["code"]
    shown = [f for f in flags if f["severity"] != "info" or f["code"].startswith("seen-")]
    assert [_normalise(r) for r in row["reasons"][: len(shown)]] == [
        _normalise(f["for_clinician"]) for f in shown
    ]
    assert row["red_flag"] == bool(screen["standing"])
    for f in shown:
        assert _normalise(f["for_clinician"])[:60] in report, f["code"]
