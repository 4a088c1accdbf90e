"""The phone's set-aside log in SQL: records the server refused for good, kept per person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError

from stretchcoach.adapters.store.tables import phone_set_aside
from stretchcoach.domain.refused import RefusedRecord, SetAsideRecord


class SqlPhoneAsideRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, user_id: str, record: RefusedRecord, *, kept_at: datetime) -> bool:
        """Keep the record; False when this person's record with this id is already kept."""
        row = {
            "user_id": user_id,
            "record_key": record.key,
            "method": record.method,
            "path": record.path,
            "body": record.body,
            "status": record.status,
            "reason": record.reason,
            "kept_at": kept_at,
        }
        try:
            with self._c.begin_nested():
                self._c.execute(insert(phone_set_aside).values(**row))
        except IntegrityError:
            return False
        return True

    def of(self, user_id: str) -> list[SetAsideRecord]:
        """This person's set-aside records, newest first."""
        t = phone_set_aside
        rows = self._c.execute(
            select(t).where(t.c.user_id == user_id).order_by(t.c.kept_at.desc(), t.c.record_key)
        ).all()
        return [
            SetAsideRecord(
                r.user_id,
                RefusedRecord(r.record_key, r.method, r.path, r.body, r.status, r.reason),
                r.kept_at,
            )
            for r in rows
        ]

    def count_of(self, user_id: str) -> int:
        t = phone_set_aside
        query = select(func.count()).select_from(t).where(t.c.user_id == user_id)
        return int(self._c.execute(query).scalar_one())
