"""The first visit: what stretchcoach is and is not, the emergency signs, and the consent to
keep records, asked before the warning-signs check, once; on SQLite and PostgreSQL, in local
mode and with accounts."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from stretchcoach.domain.consent import (
    CONSENT_VERSION,
    DECLINED_WORDS,
    KEPT_WORDS,
    WHAT_IT_IS,
    WHAT_IT_IS_NOT,
    KeptOn,
)
from stretchcoach.domain.safety import EMERGENCY_SIGNS, QUESTIONS

from .conftest import assert_error, csrf_of, make_client, text_of

KEPT_TABLES = ("users", "consents", "user_settings", "sessions", "pain_entries", "screens")


def rows_in(app: Any) -> dict[str, int]:
    with app.state.engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in KEPT_TABLES
        }


@pytest.fixture
def stranger(make_app: Any, store_url: str) -> Any:
    """A browser on a fresh local app that has not been through the first visit."""
    app = make_app(store_url)
    with make_client(app) as browser:
        browser.headers["X-CSRF-Token"] = csrf_of(browser, "/welcome")
        yield app, browser


def flat(response: httpx.Response) -> str:
    return " ".join(text_of(response).split())


@pytest.mark.parametrize("path", ["/", "/screen", "/session", "/journal", "/history", "/settings"])
def test_every_page_with_records_waits_for_the_first_visit(stranger: Any, path: str) -> None:
    app, browser = stranger

    response = browser.get(path)

    assert response.status_code == 303
    assert response.headers["location"] == "/welcome"
    assert rows_in(app) == dict.fromkeys(KEPT_TABLES, 0)


def test_the_first_visit_says_what_it_is_and_is_not_and_the_emergency_signs(
    stranger: Any,
) -> None:
    _, browser = stranger

    page = flat(browser.get("/welcome"))

    for words in (WHAT_IT_IS, WHAT_IT_IS_NOT, KEPT_WORDS[KeptOn.DEVICE], *EMERGENCY_SIGNS):
        assert " ".join(words.split()) in page
    assert "Call 999 now" in page
    assert KEPT_WORDS[KeptOn.SERVER] not in page


def test_yes_is_kept_with_its_time_and_words_and_the_check_comes_next(
    stranger: Any, web_clock: Any
) -> None:
    app, browser = stranger

    answered = browser.post("/welcome", data={"answer": "yes"})

    assert answered.status_code == 303
    assert answered.headers["location"] == "/screen"
    assert browser.get("/screen").status_code == 200
    assert browser.get("/").status_code == 200
    assert browser.get("/welcome").headers["location"] == "/"  # never shown again
    kept = browser.get("/api/consent").json()
    assert kept["first_visit"] is False
    assert kept["consent"] == {
        "given_at": web_clock.now().isoformat(),
        "version": CONSENT_VERSION,
        "kept_on": "device",
    }
    assert rows_in(app)["consents"] == 1


def test_no_keeps_nothing_and_leaves_the_information_and_the_signs(stranger: Any) -> None:
    app, browser = stranger

    answered = browser.post("/welcome", data={"answer": "no"})

    assert answered.status_code == 303
    assert answered.headers["location"] == "/welcome?declined=1"
    page = flat(browser.get(answered.headers["location"]))
    assert DECLINED_WORDS in page
    for sign in EMERGENCY_SIGNS:
        assert " ".join(sign.split()) in page
    assert "Call 999 now" in page
    assert rows_in(app) == dict.fromkeys(KEPT_TABLES, 0)
    assert browser.get("/").headers["location"] == "/welcome"  # asked again next time


def test_the_api_keeps_one_yes_and_nothing_for_a_no(stranger: Any) -> None:
    app, browser = stranger

    declined = browser.post("/api/consent", json={"agree": False})
    assert declined.json() == {"consent": None}
    assert rows_in(app) == dict.fromkeys(KEPT_TABLES, 0)

    first = browser.post("/api/consent", json={"agree": True}).json()["consent"]
    again = browser.post("/api/consent", json={"agree": True}).json()["consent"]

    assert first == again
    assert rows_in(app)["consents"] == 1


@pytest.mark.parametrize(
    "body",
    [{"agree": "maybe"}, {}, {"agree": True, "extra": 1}],
    ids=["not-a-yes-or-no", "missing", "unknown-field"],
)
def test_the_api_refuses_a_body_that_is_not_a_yes_or_no(
    stranger: Any, body: dict[str, Any]
) -> None:
    app, browser = stranger

    assert_error(browser.post("/api/consent", json=body), 422, "invalid_input", *_field(body))
    assert rows_in(app)["consents"] == 0


def _field(body: dict[str, Any]) -> tuple[str, ...]:
    return ("extra",) if "extra" in body else ("agree",)


def test_the_form_and_the_api_need_the_csrf_token(stranger: Any) -> None:
    app, browser = stranger
    del browser.headers["X-CSRF-Token"]

    assert browser.post("/welcome", data={"answer": "yes"}).status_code == 403
    assert_error(browser.post("/api/consent", json={"agree": True}), 403, "forbidden")
    assert rows_in(app)["consents"] == 0


def test_an_answer_that_is_not_yes_or_no_is_one_line(stranger: Any) -> None:
    _, browser = stranger

    response = browser.post("/welcome", data={"answer": "perhaps"})

    assert response.status_code == 422
    assert "answer 'perhaps' is not yes or no" in text_of(response)


def test_someone_who_already_kept_records_here_is_not_on_a_first_visit(
    make_app: Any, store_url: str, web_clock: Any
) -> None:
    from stretchcoach.adapters.store.uow import SqlUnitOfWork
    from stretchcoach.services.safety import answer_screen
    from stretchcoach.services.users import ensure_local_user

    app = make_app(store_url)
    uow = SqlUnitOfWork(app.state.engine)
    user_id = ensure_local_user(uow=uow, now=web_clock.now())  # the terminal, before
    answer_screen((False,) * len(QUESTIONS), user_id=user_id, uow=uow, now=web_clock.now())

    with make_client(app) as browser:
        assert browser.get("/").status_code == 200


def test_a_patient_is_asked_about_the_clinics_server_and_a_clinician_never(
    make_accounts_app: Any, store_url: str, sign_up: Any
) -> None:
    app = make_accounts_app(store_url)
    patient = sign_up(app, "pat@example.org", agreed=False)
    clinician = sign_up(app, "doc@example.org", role="clinician")

    assert patient.get("/").headers["location"] == "/welcome"
    page = flat(patient.get("/welcome"))
    assert KEPT_WORDS[KeptOn.SERVER] in page
    assert KEPT_WORDS[KeptOn.DEVICE] not in page
    assert patient.post("/welcome", data={"answer": "yes"}).headers["location"] == "/screen"
    assert patient.get("/api/consent").json()["consent"]["kept_on"] == "server"
    assert patient.get("/").status_code == 200

    assert clinician.get("/welcome").headers["location"] == "/"
    assert clinician.get("/api/consent").json()["first_visit"] is False
    assert rows_in(app)["consents"] == 1


def test_nobody_logged_in_is_sent_to_log_in_first(make_accounts_app: Any) -> None:
    app = make_accounts_app()
    with make_client(app) as browser:
        assert browser.get("/welcome").headers["location"].startswith("/login")
        assert_error(browser.get("/api/consent"), 401, "not_logged_in")
