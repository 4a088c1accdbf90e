"""Reminders by notification: what a subscription must be, where the server may post, and
when a person's reminder is due.

A subscription is the browser's own `PushSubscription.toJSON()`: a push service's address
(`endpoint`) and two keys the message is encrypted to. The server posts there, so the address
is checked like any address a stranger hands in: `https` on a public host only, never one of
the server's own networks (private, loopback, link-local, multicast, reserved), or a
subscription would be a way to reach them. Tests name local endpoints that may be used
instead (`http://127.0.0.1:*`).

The reminder is due once a local day, from the chosen time until LATE after it (a server
that was down all morning does not remind in the evening), never on a day already stretched,
and again at a snooze's end.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from urllib.parse import SplitResult, urlsplit
from zoneinfo import ZoneInfo

from stretchcoach.errors import InvalidInput

MAX_ENDPOINT = 2048
LATE = timedelta(hours=2)  # how long after the chosen time the day's reminder may still go
SNOOZE = timedelta(minutes=30)

# The words: calm, short, and never a promise of relief.
REMINDER_TITLE = "Your morning stretch"
REMINDER_BODY = "When you are ready: sit on the edge of the bed. It takes about five minutes."
SNOOZED_BODY = "Here again, as you asked. Your stretch is ready when you are."
TEST_TITLE = "stretchcoach"
TEST_BODY = "This is a test. Reminders will reach this phone."


@dataclass(frozen=True, slots=True)
class Subscription:
    """One browser's subscription, as it gave it; `id` is ours."""

    id: str
    user_id: str
    endpoint: str
    p256dh: str  # base64url, the browser's P-256 public key (65 bytes, uncompressed)
    auth: str  # base64url, the 16-byte authentication secret
    created_at: datetime


@dataclass(frozen=True, slots=True)
class EndpointRule:
    """A local endpoint tests may use: `scheme://host:port`, the port maybe `*`."""

    scheme: str
    host: str
    port: int | None  # None: any port


def b64url_bytes(text: str) -> bytes:
    """base64url without padding (as browsers give keys) -> bytes; ValueError if not."""
    if not text or not text.replace("-", "").replace("_", "").isalnum() or not text.isascii():
        raise ValueError(text)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError(text) from None


def check_subscription(endpoint: str, p256dh: str, auth: str) -> None:
    """InvalidInput naming the field when the browser's subscription is not one."""
    if len(endpoint) > MAX_ENDPOINT or not endpoint.startswith(("https://", "http://")):
        raise InvalidInput(
            "the subscription's endpoint is not a web address: send the browser's "
            "PushSubscription.toJSON() as it is",
            field="endpoint",
        )
    for field, text, size in (("p256dh", p256dh, 65), ("auth", auth, 16)):
        try:
            raw = b64url_bytes(text)
        except ValueError:
            raw = b""
        if len(raw) != size or (field == "p256dh" and raw[0] != 4):
            raise InvalidInput(
                f"the subscription's key {field!r} is not one a browser makes: send "
                "PushSubscription.toJSON() as it is",
                field=field,
            )


def parse_endpoint_rules(text: str) -> tuple[EndpointRule, ...]:
    """`http://127.0.0.1:*, http://[::1]:8443` -> rules; InvalidInput naming a bad one."""
    rules: list[EndpointRule] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        wildcard = item.endswith(":*")
        parts = urlsplit(item.removesuffix(":*") if wildcard else item)
        try:
            port = None if wildcard else parts.port
        except ValueError:
            port = -1
        if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
            raise InvalidInput(
                f"test endpoint {item!r} is not scheme://host:port: use e.g. http://127.0.0.1:*",
                field="push_test_endpoints",
            )
        rules.append(EndpointRule(parts.scheme, parts.hostname.lower(), port))
    return tuple(rules)


def endpoint_parts(endpoint: str) -> SplitResult:
    """The endpoint split; InvalidInput when it has no host or a port out of range."""
    parts = urlsplit(endpoint)
    try:
        parts.port  # noqa: B018 (reading it checks the port)
    except ValueError:
        raise InvalidInput(f"the endpoint's port is not a number in {endpoint!r}") from None
    if not parts.hostname:
        raise InvalidInput(f"the endpoint {endpoint!r} names no host", field="endpoint")
    return parts


def default_port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def allowed_for_tests(endpoint: str, rules: Sequence[EndpointRule]) -> bool:
    """Whether one of the test rules names this endpoint's scheme, host and port."""
    parts = endpoint_parts(endpoint)
    host = (parts.hostname or "").lower()
    return any(
        rule.scheme == parts.scheme
        and rule.host == host
        and (rule.port is None or rule.port == default_port(parts))
        for rule in rules
    )


def public_address(address: str) -> bool:
    """Whether an IP address is on the public internet: not private, loopback, link-local,
    multicast, reserved or unspecified (an IPv4 address inside IPv6 counts as itself)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local
    )


def contact_names_nobody(contact: str) -> bool:
    """Whether the VAPID contact (`mailto:` or `https://`) names no one a push service can
    reach: a host with no dot in it (`localhost`, a machine's own name) or an address that is
    not public. Apple's push service refuses such a contact, so iPhones get no reminders."""
    parts = urlsplit(contact)
    host = contact.partition("@")[2] if parts.scheme == "mailto" else (parts.hostname or "")
    host = host.strip("[]").lower()
    try:
        return not public_address(host)
    except ValueError:  # a name, not an address
        return "." not in host.rstrip(".") or host.endswith((".localhost", ".local"))


def endpoint_refusal(endpoint: str, addresses: Sequence[str]) -> str | None:
    """Why the server must not post to `endpoint`, whose host resolved to `addresses`; None
    when it may. (Test endpoints are let through before this is asked.)"""
    parts = endpoint_parts(endpoint)
    if parts.scheme != "https":
        return f"push addresses must start with https://, not {parts.scheme}://"
    if parts.username is not None or parts.password is not None:
        return "a push address must not carry a name or password"
    if not addresses:
        return f"the push service's host {parts.hostname!r} has no address"
    for address in addresses:
        if not public_address(address):
            return (
                f"the push service's host {parts.hostname!r} is on a private or local "
                f"network ({address}): only public push services are used"
            )
    return None


class Due(Enum):
    """Which reminder, if any, is due now."""

    MORNING = "morning"
    SNOOZED = "snoozed"


@dataclass(frozen=True, slots=True)
class ReminderState:
    """What was sent: the local day whose reminder went (or was declined), and a snooze."""

    sent_day: date | None = None
    snooze_until: datetime | None = None


def local_today(now: datetime, time_zone: str) -> date:
    return now.astimezone(ZoneInfo(time_zone)).date()


def reminder_due(
    at: time, *, time_zone: str, now: datetime, state: ReminderState, done_today: bool
) -> Due | None:
    """The reminder due at `now` for someone who chose `at` in `time_zone`, or None.

    Never on a day stretched already. A snooze that has run out comes first; otherwise the
    day's reminder, once, from `at` until LATE after it (local wall-clock time, so it follows
    daylight saving)."""
    if done_today:
        return None
    if state.snooze_until is not None and now >= state.snooze_until:
        return Due.SNOOZED
    local = now.astimezone(ZoneInfo(time_zone))
    today = local.date()
    if state.sent_day is not None and state.sent_day >= today:
        return None
    start = datetime.combine(today, at, tzinfo=local.tzinfo)
    if start <= local < start + LATE:
        return Due.MORNING
    return None


def reminder_message(due: Due, *, url: str) -> dict[str, object]:
    """The notification the service worker shows, with its two actions."""
    return {
        "title": REMINDER_TITLE,
        "body": SNOOZED_BODY if due is Due.SNOOZED else REMINDER_BODY,
        "tag": "morning-stretch",
        "url": url,
        "actions": [
            {"action": "done", "title": "Done today"},
            {"action": "snooze", "title": f"Later ({int(SNOOZE.total_seconds() // 60)} min)"},
        ],
    }


def trial_message(*, url: str) -> dict[str, object]:
    return {"title": TEST_TITLE, "body": TEST_BODY, "tag": "test", "url": url, "actions": []}
