"""The phone's set-aside log in plain SQL (on the `Rows` port, reads.py): records the server
refused for good, kept per person."""

from __future__ import annotations

from datetime import datetime

from stretchcoach.adapters.store.reads import Record, Rows, _utc
from stretchcoach.domain.refused import RefusedRecord, SetAsideRecord


class SqlPhoneAsideRepository:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def add(self, user_id: str, record: RefusedRecord, *, kept_at: datetime) -> bool:
        """Keep the record; False when this person's record with this id is already kept."""
        return self._rows.insert_new(
            "INSERT INTO phone_set_aside "
            "(user_id, record_key, method, path, body, status, reason, kept_at) "
            "VALUES (:user_id, :record_key, :method, :path, :body, :status, :reason, :kept_at)",
            {
                "user_id": user_id,
                "record_key": record.key,
                "method": record.method,
                "path": record.path,
                "body": record.body,
                "status": record.status,
                "reason": record.reason,
                "kept_at": kept_at,
            },
        )

    def of(self, user_id: str) -> list[SetAsideRecord]:
        """This person's set-aside records, newest first."""
        found = self._rows(
            "SELECT * FROM phone_set_aside WHERE user_id = :user ORDER BY kept_at DESC, record_key",
            {"user": user_id},
        )
        return [_set_aside(r) for r in found]

    def count_of(self, user_id: str) -> int:
        found = self._rows(
            "SELECT COUNT(*) AS n FROM phone_set_aside WHERE user_id = :user", {"user": user_id}
        )
        return int(found[0]["n"])


def _set_aside(r: Record) -> SetAsideRecord:
    record = RefusedRecord(
        r["record_key"], r["method"], r["path"], r["body"], int(r["status"]), r["reason"]
    )
    return SetAsideRecord(r["user_id"], record, _utc(r["kept_at"]))
