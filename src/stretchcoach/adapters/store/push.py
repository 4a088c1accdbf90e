"""Push subscriptions, each person's reminder of the day, and the server's keys, in plain SQL.

Claims are single UPDATEs whose WHERE holds only for the first worker to run them: the
database decides who sends, so a person is reminded once however many workers there are.
"""

from __future__ import annotations

from datetime import date, datetime

from stretchcoach.adapters.store.reads import Record, Rows, _day, _prefs, utc
from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.push import ReminderState, Subscription


def _subscription(r: Record) -> Subscription:
    created = utc(r["created_at"])
    assert created is not None
    return Subscription(r["id"], r["user_id"], r["endpoint"], r["p256dh"], r["auth"], created)


class PushStore:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def save_subscription(self, subscription: Subscription) -> None:
        """Insert, or give an endpoint already kept to this user with its new keys."""
        row = {
            "id": subscription.id,
            "user_id": subscription.user_id,
            "endpoint": subscription.endpoint,
            "p256dh": subscription.p256dh,
            "auth": subscription.auth,
            "created_at": subscription.created_at,
        }
        moved = self._rows.run(
            "UPDATE push_subscriptions SET user_id = :user_id, p256dh = :p256dh, "
            "auth = :auth, created_at = :created_at WHERE endpoint = :endpoint",
            row,
        )
        if moved == 0:
            self._rows.run(
                "INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, "
                "created_at) VALUES (:id, :user_id, :endpoint, :p256dh, :auth, :created_at)",
                row,
            )
        self._rows.insert_new(
            "INSERT INTO push_reminders (user_id) VALUES (:user_id)",
            {"user_id": subscription.user_id},
        )

    def delete_subscription(self, user_id: str, endpoint: str) -> bool:
        gone = self._rows.run(
            "DELETE FROM push_subscriptions WHERE user_id = :user AND endpoint = :endpoint",
            {"user": user_id, "endpoint": endpoint},
        )
        return gone > 0

    def forget_endpoint(self, endpoint: str) -> None:
        self._rows.run(
            "DELETE FROM push_subscriptions WHERE endpoint = :endpoint", {"endpoint": endpoint}
        )

    def subscriptions_of(self, user_id: str) -> list[Subscription]:
        found = self._rows(
            "SELECT * FROM push_subscriptions WHERE user_id = :user ORDER BY created_at, id",
            {"user": user_id},
        )
        return [_subscription(r) for r in found]

    def reminded(self) -> list[Preferences]:
        found = self._rows(
            "SELECT s.* FROM user_settings AS s WHERE s.reminder_at IS NOT NULL AND EXISTS "
            "(SELECT 1 FROM push_subscriptions AS p WHERE p.user_id = s.user_id) "
            "ORDER BY s.user_id"
        )
        return [_prefs(r) for r in found]

    def reminder_state(self, user_id: str) -> ReminderState:
        found = self._rows(
            "SELECT sent_day, snooze_until FROM push_reminders WHERE user_id = :user",
            {"user": user_id},
        )
        if not found:
            return ReminderState()
        row = found[0]
        sent_day = _day(row["sent_day"]) if row["sent_day"] is not None else None
        return ReminderState(sent_day, utc(row["snooze_until"]))

    def claim_day(self, user_id: str, day: date) -> bool:
        self._ensure(user_id)
        won = self._rows.run(
            "UPDATE push_reminders SET sent_day = :day WHERE user_id = :user "
            "AND (sent_day IS NULL OR sent_day < :day)",
            {"user": user_id, "day": day},
        )
        return won == 1

    def claim_snooze(self, user_id: str, until: datetime) -> bool:
        won = self._rows.run(
            "UPDATE push_reminders SET snooze_until = NULL "
            "WHERE user_id = :user AND snooze_until = :until",
            {"user": user_id, "until": until},
        )
        return won == 1

    def set_snooze(self, user_id: str, until: datetime | None, *, day: date | None) -> None:
        self._ensure(user_id)
        self._rows.run(
            "UPDATE push_reminders SET snooze_until = :until WHERE user_id = :user",
            {"user": user_id, "until": until},
        )
        if day is not None:
            self._rows.run(
                "UPDATE push_reminders SET sent_day = :day WHERE user_id = :user "
                "AND (sent_day IS NULL OR sent_day < :day)",
                {"user": user_id, "day": day},
            )

    def server_key(self, name: str) -> str | None:
        found = self._rows("SELECT private_pem FROM server_keys WHERE name = :name", {"name": name})
        return str(found[0]["private_pem"]) if found else None

    def add_server_key(self, name: str, private_pem: str, *, now: datetime) -> bool:
        return self._rows.insert_new(
            "INSERT INTO server_keys (name, private_pem, created_at) VALUES (:name, :pem, :now)",
            {"name": name, "pem": private_pem, "now": now},
        )

    def _ensure(self, user_id: str) -> None:
        self._rows.insert_new(
            "INSERT INTO push_reminders (user_id) VALUES (:user_id)", {"user_id": user_id}
        )
