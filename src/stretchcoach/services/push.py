"""Use cases of reminders by notification: subscribe, unsubscribe, snooze, done today, the
round that sends what is due, and a test message.

The sending itself (encrypting, signing, posting) is a `PushSender` the composition root
builds (adapters/webpush.py); it checks the address again just before it posts. Which
reminder is due is the domain's rule (domain/push.py); here it is read, claimed and sent.
Several workers may run the round at once: each claims a person's reminder with one UPDATE
that only one of them can win, and only the winner sends.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Protocol

from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.push import (
    SNOOZE,
    Due,
    EndpointRule,
    ReminderState,
    Subscription,
    allowed_for_tests,
    check_subscription,
    endpoint_parts,
    endpoint_refusal,
    local_today,
    reminder_due,
    reminder_message,
    trial_message,
)
from stretchcoach.errors import InvalidInput
from stretchcoach.services.overview import today_overview
from stretchcoach.services.uow import ReadUnitOfWork, UnitOfWork

VAPID_KEY = "vapid"  # the server key's name in the store


class PushRepository(Protocol):
    def save_subscription(self, subscription: Subscription) -> None:
        """Insert, or give an endpoint already kept to this user with its new keys."""
        ...

    def delete_subscription(self, user_id: str, endpoint: str) -> bool: ...

    def forget_endpoint(self, endpoint: str) -> None:
        """The push service says this endpoint is gone: whoever it was kept for."""
        ...

    def subscriptions_of(self, user_id: str) -> list[Subscription]: ...

    def reminded(self) -> list[Preferences]:
        """The preferences of everyone with a reminder time and a subscription."""
        ...

    def reminder_state(self, user_id: str) -> ReminderState: ...

    def claim_day(self, user_id: str, day: date) -> bool:
        """Mark `day`'s reminder sent, unless it (or a later one) was: True for the winner."""
        ...

    def claim_snooze(self, user_id: str, until: datetime) -> bool:
        """End the snooze that runs until `until`: True for the one that ended it."""
        ...

    def set_snooze(self, user_id: str, until: datetime | None, *, day: date | None) -> None:
        """Snooze until `until` (None: no snooze); with `day`, that day's reminder is done."""
        ...

    def server_key(self, name: str) -> str | None: ...

    def add_server_key(self, name: str, private_pem: str, *, now: datetime) -> bool:
        """Keep a new key unless one of that name is kept: False then (another won)."""
        ...


class PushUnitOfWork(UnitOfWork, Protocol):
    @property
    def push(self) -> PushRepository: ...


class Delivery(Enum):
    SENT = "sent"
    GONE = "gone"  # the push service no longer knows the subscription (404, 410)
    REFUSED = "refused"  # our own rule: not a public https address
    FAILED = "failed"  # the push service or the network said no, for now


@dataclass(frozen=True, slots=True)
class Outcome:
    delivery: Delivery
    detail: str = ""


class PushSender(Protocol):
    def send(self, subscription: Subscription, message: dict[str, object]) -> Outcome:
        """Encrypt `message` (as JSON) to the subscription's keys, sign, and post it."""
        ...


Resolve = Callable[[str, int], list[str]]


def check_endpoint(endpoint: str, *, resolve: Resolve, test_rules: Sequence[EndpointRule]) -> None:
    """InvalidInput unless the server may post to `endpoint`: a test endpoint named in the
    settings, or https on a host whose every address is public."""
    if allowed_for_tests(endpoint, test_rules):
        return
    parts = endpoint_parts(endpoint)
    try:
        addresses = resolve(parts.hostname or "", parts.port or 443)
    except OSError:
        addresses = []
    refusal = endpoint_refusal(endpoint, addresses)
    if refusal is not None:
        raise InvalidInput(refusal, field="endpoint")


def may_offer(user_id: str, *, uow: ReadUnitOfWork) -> bool:
    """Reminders are offered after the first session, never on a first visit."""
    with uow:
        return bool(uow.sessions.list_recent(user_id, limit=1))


def subscribe(
    user_id: str,
    *,
    endpoint: str,
    p256dh: str,
    auth: str,
    uow: PushUnitOfWork,
    now: datetime,
    resolve: Resolve,
    test_rules: Sequence[EndpointRule],
) -> Subscription:
    """Keep this browser's subscription for the user (the same browser again replaces it)."""
    check_subscription(endpoint, p256dh, auth)
    check_endpoint(endpoint, resolve=resolve, test_rules=test_rules)
    subscription = Subscription(str(uuid.uuid4()), user_id, endpoint, p256dh, auth, now)
    with uow:
        uow.push.save_subscription(subscription)
        uow.commit()
    return subscription


def unsubscribe(user_id: str, endpoint: str, *, uow: PushUnitOfWork) -> bool:
    """Forget one of the user's browsers; False when it was not kept for them."""
    with uow:
        gone = uow.push.delete_subscription(user_id, endpoint)
        uow.commit()
    return gone


def subscriptions(user_id: str, *, uow: PushUnitOfWork) -> list[Subscription]:
    with uow:
        return uow.push.subscriptions_of(user_id)


def snooze(user_id: str, *, uow: PushUnitOfWork, now: datetime) -> datetime:
    """The reminder again SNOOZE from now; when it will come."""
    until = now + SNOOZE
    with uow:
        uow.push.set_snooze(user_id, until, day=None)
        uow.commit()
    return until


def done_for_today(prefs: Preferences, *, uow: PushUnitOfWork, now: datetime) -> None:
    """No more reminders today (a snooze is cancelled too)."""
    with uow:
        uow.push.set_snooze(prefs.user_id, None, day=local_today(now, prefs.time_zone))
        uow.commit()


def vapid_private_key(*, uow: PushUnitOfWork, make: Callable[[], str], now: datetime) -> str:
    """The server's VAPID key (PEM): made once, on first use, and shared by every worker."""
    with uow:
        kept = uow.push.server_key(VAPID_KEY)
    if kept is not None:
        return kept
    with uow:
        uow.push.add_server_key(VAPID_KEY, make(), now=now)
        uow.commit()
    with uow:
        kept = uow.push.server_key(VAPID_KEY)
    assert kept is not None
    return kept


@dataclass(slots=True)
class Round:
    """What one round of sending did."""

    sent: list[str] = field(default_factory=list)  # user ids reminded
    skipped_done: list[str] = field(default_factory=list)  # stretched already today
    failed: list[str] = field(default_factory=list)
    removed: int = 0  # subscriptions the push service said are gone


def send_due_reminders(
    *,
    uow: PushUnitOfWork,
    now: datetime,
    sender: PushSender,
    url: str,
) -> Round:
    """Send each person the reminder due now, once, whichever worker gets there first."""
    done = Round()
    with uow:
        candidates = uow.push.reminded()
    for prefs in candidates:
        user_id = prefs.user_id
        if prefs.reminder_at is None:
            continue
        with uow:
            state = uow.push.reminder_state(user_id)
        due = reminder_due(
            prefs.reminder_at, time_zone=prefs.time_zone, now=now, state=state, done_today=False
        )
        if due is None:
            continue
        today = today_overview(prefs, uow=uow, now=now)  # read only when something is due
        if today.done_today or today.stretched_today:
            done_for_today(prefs, uow=uow, now=now)  # and not asked again today
            done.skipped_done.append(user_id)
            continue
        if not _claim(user_id, due, state, prefs, uow=uow, now=now):
            continue  # another worker has it
        delivered = _send_all(user_id, reminder_message(due, url=url), uow=uow, sender=sender)
        done.removed += delivered.removed
        (done.sent if delivered.sent else done.failed).append(user_id)
    return done


def _claim(
    user_id: str,
    due: Due,
    state: ReminderState,
    prefs: Preferences,
    *,
    uow: PushUnitOfWork,
    now: datetime,
) -> bool:
    with uow:
        if due is Due.SNOOZED:
            assert state.snooze_until is not None
            won = uow.push.claim_snooze(user_id, state.snooze_until)
        else:
            won = uow.push.claim_day(user_id, local_today(now, prefs.time_zone))
        uow.commit()
    return won


@dataclass(frozen=True, slots=True)
class Sent:
    sent: int
    failed: int
    removed: int
    details: tuple[str, ...]


def _send_all(
    user_id: str, message: dict[str, object], *, uow: PushUnitOfWork, sender: PushSender
) -> Sent:
    with uow:
        kept = uow.push.subscriptions_of(user_id)
    sent = failed = removed = 0
    details: list[str] = []
    for subscription in kept:
        outcome = sender.send(subscription, message)
        if outcome.delivery is Delivery.SENT:
            sent += 1
            continue
        if outcome.delivery is Delivery.GONE:
            with uow:
                uow.push.forget_endpoint(subscription.endpoint)
                uow.commit()
            removed += 1
        else:
            failed += 1
        if outcome.detail:
            details.append(outcome.detail)
    return Sent(sent, failed, removed, tuple(details))


def send_test(user_id: str, *, uow: PushUnitOfWork, sender: PushSender, url: str) -> Sent:
    """A test notification to every browser the user subscribed."""
    return _send_all(user_id, trial_message(url=url), uow=uow, sender=sender)


def describe_test(sent: Sent) -> str:
    """One line on what a test did, for the person who asked for it."""
    tried = sent.sent + sent.failed + sent.removed
    if tried == 0:
        return (
            "No phone has asked for reminders yet: open the app on the phone, then "
            "Settings, and turn on reminders on this phone."
        )
    phones = "phone" if tried == 1 else "phones"
    line = f"Sent a test reminder to {sent.sent} of {tried} {phones}."
    if sent.removed:
        line += f" {sent.removed} no longer take reminders and were removed."
    if sent.failed:
        line += f" Not sent: {'; '.join(sorted(set(sent.details)))}."
    return line
