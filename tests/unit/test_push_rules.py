"""The rules of reminders by notification, on plain values: when a reminder is due (local
wall-clock time, across daylight saving), which addresses are public, and the test rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stretchcoach.domain.push import (
    Due,
    EndpointRule,
    ReminderState,
    allowed_for_tests,
    check_subscription,
    contact_names_nobody,
    endpoint_refusal,
    parse_endpoint_rules,
    public_address,
    reminder_due,
)
from stretchcoach.errors import InvalidInput

KEY = "B" + "A" * 86  # 65 bytes starting 0x04, base64url
AUTH = "A" * 22  # 16 bytes


def due_at(moment: datetime, state: ReminderState | None = None, **kw: object) -> Due | None:
    return reminder_due(
        time(7, 30),
        time_zone="Europe/London",
        now=moment,
        state=state or ReminderState(),
        done_today=bool(kw.get("done", False)),
    )


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 3, 28, 7, 29, tzinfo=UTC), None),  # Saturday, GMT: 07:29
        (datetime(2026, 3, 28, 7, 30, tzinfo=UTC), Due.MORNING),  # 07:30 GMT
        (datetime(2026, 3, 29, 6, 29, tzinfo=UTC), None),  # Sunday, BST: 07:29 local
        (datetime(2026, 3, 29, 6, 30, tzinfo=UTC), Due.MORNING),  # 07:30 BST
        (datetime(2026, 3, 29, 9, 29, tzinfo=UTC), None),  # 10:29 BST: past two hours
        (datetime(2026, 10, 25, 7, 30, tzinfo=UTC), Due.MORNING),  # back to GMT: 07:30
    ],
    ids=["before", "at-gmt", "before-bst", "at-bst", "too-late", "at-gmt-again"],
)
def test_the_reminder_follows_local_wall_clock_time_across_daylight_saving(
    moment: datetime, expected: Due | None
) -> None:
    assert due_at(moment) is expected


def test_a_day_already_reminded_or_stretched_gets_nothing_more() -> None:
    seven_thirty = datetime(2026, 1, 5, 7, 30, tzinfo=UTC)

    assert due_at(seven_thirty, ReminderState(sent_day=date(2026, 1, 5))) is None
    assert due_at(seven_thirty, ReminderState(sent_day=date(2026, 1, 4))) is Due.MORNING
    assert due_at(seven_thirty, done=True) is None
    snoozed = ReminderState(date(2026, 1, 5), seven_thirty + timedelta(minutes=30))
    assert due_at(seven_thirty + timedelta(minutes=29), snoozed) is None
    assert due_at(seven_thirty + timedelta(minutes=30), snoozed) is Due.SNOOZED
    assert due_at(seven_thirty + timedelta(minutes=30), snoozed, done=True) is None


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 1, 1)))
def test_a_morning_reminder_is_due_at_most_once_a_local_day(naive: datetime) -> None:
    start = naive.replace(tzinfo=UTC)
    state = ReminderState()
    sent: list[date] = []
    for minute in range(0, 26 * 60, 7):
        moment = start + timedelta(minutes=minute)
        if due_at(moment, state) is Due.MORNING:
            local_day = moment.astimezone(ZoneInfo("Europe/London")).date()
            sent.append(local_day)
            state = ReminderState(sent_day=local_day)

    assert len(sent) == len(set(sent))


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("127.0.0.1", False),
        ("169.254.169.254", False),
        ("224.0.0.251", False),
        ("240.0.0.1", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:8.8.8.8", True),
    ],
)
def test_only_public_addresses_count_as_public(address: str, public: bool) -> None:
    assert public_address(address) is public


def test_an_https_endpoint_on_public_addresses_is_allowed_and_any_private_one_refuses_it() -> None:
    assert endpoint_refusal("https://fcm.googleapis.com/x", ["142.250.1.1"]) is None
    refusal = endpoint_refusal("https://mixed.example/x", ["142.250.1.1", "10.0.0.1"])
    assert refusal is not None and "10.0.0.1" in refusal


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("", ()),
        ("http://127.0.0.1:*", (EndpointRule("http", "127.0.0.1", None),)),
        (
            "http://127.0.0.1:8080, https://[::1]:*",
            (EndpointRule("http", "127.0.0.1", 8080), EndpointRule("https", "::1", None)),
        ),
        ("ftp://127.0.0.1:*", InvalidInput),
        ("127.0.0.1", InvalidInput),
        ("http://127.0.0.1:99999", InvalidInput),
    ],
    ids=["none", "any-port", "two", "ftp", "no-scheme", "bad-port"],
)
def test_test_endpoints_are_read_from_the_setting(text: str, rules: object) -> None:
    if rules is InvalidInput:
        with pytest.raises(InvalidInput, match="is not scheme://host:port"):
            parse_endpoint_rules(text)
        return
    assert parse_endpoint_rules(text) == rules


def test_a_test_rule_matches_scheme_host_and_port_only() -> None:
    rules = parse_endpoint_rules("http://127.0.0.1:8080")

    assert allowed_for_tests("http://127.0.0.1:8080/push/1", rules)
    assert not allowed_for_tests("http://127.0.0.1:8081/push/1", rules)
    assert not allowed_for_tests("https://127.0.0.1:8080/push/1", rules)
    assert not allowed_for_tests("http://127.0.0.2:8080/push/1", rules)


@pytest.mark.parametrize(
    ("endpoint", "p256dh", "auth", "field"),
    [
        ("https://push.example/1", KEY, AUTH, None),
        ("https://push.example/1", "C" + KEY[1:], AUTH, "p256dh"),  # not an uncompressed point
        ("https://push.example/1", KEY[:-4], AUTH, "p256dh"),
        ("https://push.example/1", KEY, AUTH + "AA", "auth"),
        ("https://push.example/1", KEY, "not base64!", "auth"),
        ("javascript:alert(1)", KEY, AUTH, "endpoint"),
    ],
    ids=["good", "not-a-point", "short-key", "long-auth", "not-base64", "not-web"],
)
def test_a_subscription_must_be_one_a_browser_makes(
    endpoint: str, p256dh: str, auth: str, field: str | None
) -> None:
    if field is None:
        check_subscription(endpoint, p256dh, auth)
        return
    with pytest.raises(InvalidInput) as caught:
        check_subscription(endpoint, p256dh, auth)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("contact", "nobody"),
    [
        ("mailto:stretchcoach@localhost", True),  # the default: Apple refuses it
        ("mailto:admin@clinic", True),
        ("mailto:me@laptop.local", True),
        ("mailto:me@127.0.0.1", True),
        ("https://localhost/about", True),
        ("https://[::1]/", True),
        ("https://10.0.0.5/contact", True),
        ("mailto:admin@clinic.example", False),
        ("mailto:Physio.Team@Back-Clinic.co.uk", False),
        ("https://clinic.example/contact", False),
        ("https://8.8.8.8/", False),
    ],
)
def test_a_contact_names_somebody_only_on_a_public_host(contact: str, nobody: bool) -> None:
    assert contact_names_nobody(contact) is nobody
