"""Reminders by notification: a phone subscribes, the server reminds it at the person's local
time, once a day, never on a day stretched already, again after a snooze; a push service
that says "gone" loses the subscription. The push service is a real HTTP server in the test
that decrypts each message with the phone's own keys and checks the VAPID signature.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from tests.push_service import PushService
from tests.web.conftest import assert_error, csrf_of, make_client, pass_screen

from stretchcoach.testing import FakeClock
from stretchcoach.web.reminders import remind_once

DAY = timedelta(days=1)


def allow_local_push(app: Any, service: PushService) -> Any:
    """The app may post to the test's push service (as STRETCHCOACH_PUSH_TEST_ENDPOINTS)."""
    app.state.settings = app.state.settings.replace(push_test_endpoints=f"{service.base}")
    return app


def remind_at(client: httpx.Client, at: str | None) -> None:
    current = client.get("/api/settings").json()
    current.pop("calendar_url")
    response = client.put("/api/settings", json=current | {"reminder_at": at})
    assert response.status_code == 200, response.text


def finish_a_session(client: httpx.Client) -> None:
    session = client.post("/api/sessions", json={}).json()
    for phase in session["phases"]:
        if phase["hold_number"]:
            body = {
                "hold_number": phase["hold_number"],
                "side": phase["side"],
                "held_s": 30.0,
                "completed": True,
            }
            response = client.put(f"/api/sessions/{session['id']}/holds/{uuid.uuid4()}", json=body)
            assert response.status_code == 201, response.text
    finished = client.post(f"/api/sessions/{session['id']}/finish", json={"status": "completed"})
    assert finished.status_code == 200, finished.text


@pytest.fixture
def service() -> Iterator[PushService]:
    with PushService() as running:
        yield running


@pytest.fixture
def app(local_app: Any, service: PushService) -> Any:
    return allow_local_push(local_app, service)


@pytest.fixture
def browser(app: Any) -> Iterator[httpx.Client]:
    with make_client(app) as client:
        client.headers["X-CSRF-Token"] = csrf_of(client)
        pass_screen(client)
        yield client


def subscribed(browser: httpx.Client, service: PushService) -> Any:
    service.server_public_key = browser.get("/api/push/key").json()["public_key"]
    phone = service.new_phone()
    response = browser.post("/api/push/subscriptions", json=phone.to_json())
    assert response.status_code == 201, response.text
    return phone


def test_a_reminder_reaches_the_phone_encrypted_to_its_keys_and_signed_by_the_server(
    app: Any, browser: httpx.Client, service: PushService, web_clock: FakeClock
) -> None:
    remind_at(browser, "07:00")
    phone = subscribed(browser, service)

    remind_once(app)

    assert service.problems == []
    assert phone.titles == ["Your morning stretch"]
    message = phone.received[0]
    assert [a["action"] for a in message["actions"]] == ["done", "snooze"]
    assert [a["title"] for a in message["actions"]] == ["Done today", "Later (30 min)"]
    assert "relie" not in message["body"].lower() and len(message["body"]) < 100


def test_the_reminder_follows_the_local_morning_once_a_day_and_not_when_stretched(
    app: Any, browser: httpx.Client, service: PushService, web_clock: FakeClock
) -> None:
    remind_at(browser, "07:30")  # the clock starts Monday 07:00 in London (UTC in January)
    phone = subscribed(browser, service)
    sent_on: list[str] = []

    def tick_to(minutes: int) -> None:
        web_clock.tick(minutes * 60)
        before = len(phone.received)
        remind_once(app)
        if len(phone.received) > before:
            sent_on.append(web_clock.now().strftime("%a %H:%M"))

    tick_to(29)  # 07:29: not yet
    tick_to(1)  # 07:30: the reminder
    tick_to(1)  # 07:31: not again
    tick_to(60)  # 08:31: not again
    tick_to(23 * 60 - 1)  # Tuesday 07:30
    web_clock.tick(22 * 3600)  # Wednesday 05:30: a session before the reminder
    finish_a_session(browser)
    tick_to(2 * 60)  # 07:30: stretched today, so no reminder
    tick_to(24 * 60 + 3 * 60)  # Thursday 10:30: the server was not running at 07:30
    tick_to(21 * 60)  # Friday 07:30

    assert sent_on == ["Mon 07:30", "Tue 07:30", "Fri 07:30"]
    assert service.problems == []


def test_snooze_brings_it_back_later_and_done_today_stops_it(
    app: Any, browser: httpx.Client, service: PushService, web_clock: FakeClock
) -> None:
    remind_at(browser, "07:00")
    phone = subscribed(browser, service)
    remind_once(app)

    snoozed = browser.post("/api/push/snooze")
    web_clock.tick(29 * 60)
    remind_once(app)
    at_29 = len(phone.received)
    web_clock.tick(60)
    remind_once(app)
    remind_once(app)
    at_30 = len(phone.received)
    browser.post("/api/push/snooze")
    stopped = browser.post("/api/push/done-today")
    web_clock.tick(31 * 60)
    remind_once(app)

    assert snoozed.status_code == 200, snoozed.text
    assert (at_29, at_30) == (1, 2)
    assert stopped.status_code == 204
    assert len(phone.received) == 2
    assert phone.received[1]["body"].startswith("Here again")


def test_two_workers_remind_each_person_once(
    make_accounts_app: Any,
    sign_up: Any,
    store_url: str,
    service: PushService,
    web_clock: FakeClock,
) -> None:
    workers = [allow_local_push(make_accounts_app(store_url), service) for _ in range(2)]
    phones = []
    for person in range(3):
        browser = sign_up(workers[person % 2], f"person{person}@example.org")
        remind_at(browser, "07:00")
        phones.append(subscribed(browser, service))

    for _morning in range(3):
        start = threading.Barrier(2)

        def run(worker: Any, start: threading.Barrier = start) -> None:
            start.wait()
            remind_once(worker)

        threads = [threading.Thread(target=run, args=(w,)) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        web_clock.tick(DAY.total_seconds())

    assert [p.titles for p in phones] == [["Your morning stretch"] * 3] * 3
    assert service.problems == []


def test_a_subscription_the_push_service_calls_gone_is_removed(
    app: Any, browser: httpx.Client, service: PushService
) -> None:
    remind_at(browser, "07:00")
    kept, expired = subscribed(browser, service), subscribed(browser, service)
    expired.gone = True

    remind_once(app)

    assert kept.titles == ["Your morning stretch"]
    assert browser.get("/api/push/key").json()["subscriptions"] == [kept.endpoint]


def test_a_phone_can_stop_its_reminders(
    app: Any, browser: httpx.Client, service: PushService
) -> None:
    remind_at(browser, "07:00")
    phone = subscribed(browser, service)

    response = browser.request(
        "DELETE", "/api/push/subscriptions", json={"endpoint": phone.endpoint}
    )
    remind_once(app)

    assert response.status_code == 204
    assert phone.received == []
    assert browser.get("/api/push/key").json()["subscriptions"] == []


@pytest.mark.parametrize(
    ("endpoint", "words"),
    [
        ("https://10.1.2.3/push/1", "private or local"),
        ("https://192.168.0.10:8443/push", "private or local"),
        ("https://[::1]/push", "private or local"),
        ("https://[fe80::1]/push", "private or local"),
        ("https://169.254.169.254/latest", "private or local"),
        ("https://224.0.0.1/push", "private or local"),
        ("https://240.0.0.1/push", "private or local"),
        ("https://0.0.0.0/push", "private or local"),
        ("https://[::ffff:127.0.0.1]/push", "private or local"),
        ("https://localhost/push", "private or local"),
        ("http://push.example.com/push", "https://"),
        ("https://user:secret@8.8.8.8/push", "name or password"),
        ("https://no-such-host.invalid/push", "has no address"),
    ],
    ids=[
        "private-10",
        "private-192",
        "loopback-v6",
        "link-local-v6",
        "cloud-metadata",
        "multicast",
        "reserved",
        "unspecified",
        "mapped-loopback",
        "localhost-name",
        "plain-http",
        "credentials",
        "unknown-host",
    ],
)
def test_an_endpoint_on_the_servers_own_networks_is_refused(
    browser: httpx.Client, service: PushService, endpoint: str, words: str
) -> None:
    body = service.new_phone().to_json() | {"endpoint": endpoint}

    response = browser.post("/api/push/subscriptions", json=body)

    message = assert_error(response, 422, "invalid_input", "endpoint")
    assert words in message
    assert browser.get("/api/push/key").json()["subscriptions"] == []


def test_a_local_endpoint_is_refused_unless_the_settings_name_it(
    local_app: Any, service: PushService
) -> None:
    with make_client(local_app) as browser:
        browser.headers["X-CSRF-Token"] = csrf_of(browser)

        refused = browser.post("/api/push/subscriptions", json=service.new_phone().to_json())
        local_app.state.settings = local_app.state.settings.replace(
            push_test_endpoints="http://127.0.0.1:*"
        )
        local_app.state.push = None  # the next request builds it from the new settings
        taken = browser.post("/api/push/subscriptions", json=service.new_phone().to_json())

    assert "https://" in assert_error(refused, 422, "invalid_input", "endpoint")
    assert taken.status_code == 201


def test_an_endpoint_that_turns_private_after_subscribing_is_not_posted_to(
    app: Any, browser: httpx.Client, service: PushService
) -> None:
    from stretchcoach.adapters.webpush import WebPushSender
    from stretchcoach.domain.push import Subscription
    from stretchcoach.services.push import Delivery

    phone = service.new_phone()
    browser.get("/api/push/key")  # the server makes its key
    sender = WebPushSender(
        app.state.push.sender.private_pem,
        "mailto:clinic@example.org",
        resolver=lambda host, port: ["127.0.0.1"],  # a name that now points at this machine
    )
    moved = Subscription(
        "s1",
        "u1",
        "https://push.example.org/p/1",
        phone.p256dh,
        phone.to_json()["keys"]["auth"],
        app.state.clock.now(),
    )

    outcome = sender.send(moved, {"title": "x"})

    assert outcome.delivery is Delivery.REFUSED
    assert "private or local" in outcome.detail
    assert service.problems == [] and phone.received == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"keys": {"p256dh": "not-a-key", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "p256dh"),
        ({"keys": {"p256dh": None, "auth": "short"}}, None),
        ({"endpoint": "mailto:someone@example.org"}, "endpoint"),
        ({"endpoint": "https://" + "a" * 2100}, "endpoint"),
    ],
    ids=["bad-p256dh", "missing-key", "not-a-web-address", "too-long"],
)
def test_a_subscription_that_is_not_a_browsers_is_refused_in_one_line(
    browser: httpx.Client, service: PushService, change: dict[str, Any], field: str | None
) -> None:
    body = service.new_phone().to_json() | change

    response = browser.post("/api/push/subscriptions", json=body)

    assert response.status_code == 422, response.text
    message = response.json()["error"]["message"]
    assert "\n" not in message and len(message) < 200
    if field:
        assert response.json()["error"]["field"] in (field, f"keys.{field}", "endpoint")


def test_push_writes_need_the_csrf_token(browser: httpx.Client, service: PushService) -> None:
    del browser.headers["X-CSRF-Token"]

    responses = [
        browser.post("/api/push/subscriptions", json=service.new_phone().to_json()),
        browser.post("/api/push/snooze"),
        browser.post("/api/push/done-today"),
        browser.request("DELETE", "/api/push/subscriptions", json={"endpoint": "https://x/"}),
    ]

    assert [r.status_code for r in responses] == [403] * 4


def test_the_app_runs_the_round_while_it_serves_on_its_own_clock(
    app: Any, browser: httpx.Client, service: PushService, web_clock: FakeClock
) -> None:
    import asyncio

    remind_at(browser, "09:00")  # two hours after the app's clock: not due yet
    phone = subscribed(browser, service)
    app.state.remind_every_s = 0.05
    seen: list[int] = []

    async def serve_a_while() -> None:
        async with app.router.lifespan_context(app):
            await asyncio.sleep(0.5)
            seen.append(len(phone.received))
            web_clock.tick(2 * 3600)  # 09:00 on the app's clock
            for _ in range(100):
                await asyncio.sleep(0.05)
                if phone.received:
                    break

    asyncio.run(serve_a_while())

    assert seen == [0]
    assert phone.titles == ["Your morning stretch"]


def test_the_round_runs_as_often_as_the_settings_say(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRETCHCOACH_REMIND_EVERY_S", "2.5")

    from_settings = make_app()
    monkeypatch.delenv("STRETCHCOACH_REMIND_EVERY_S")
    by_default = make_app()

    assert from_settings.state.remind_every_s == 2.5
    assert by_default.state.remind_every_s == 30.0
