"""Clinics in SQL: invitations, care links, and what the dashboard reads.

The dashboard reads each linked patient's summary, one row a patient kept up to date as their
records are saved (summaries.py), so its cost grows with the clinic's patients and not with
the years of rows behind them.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    delete,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from stretchcoach.adapters.store import summaries
from stretchcoach.adapters.store.tables import care_links, invitations, users
from stretchcoach.adapters.store.uow import SqlRows
from stretchcoach.domain.clinical.inputs import Kept
from stretchcoach.domain.user import Role, User


class SqlClinicRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    # -- invitations and links -----------------------------------------------------------

    def add_invitation(
        self, code_hash: str, clinician_id: str, *, created_at: datetime, expires_at: datetime
    ) -> None:
        self._c.execute(
            insert(invitations).values(
                code_hash=code_hash,
                clinician_id=clinician_id,
                created_at=created_at,
                expires_at=expires_at,
            )
        )

    def open_invitation(self, code_hash: str, *, now: datetime) -> User | None:
        """The clinician behind an unused, unexpired invitation."""
        row = self._c.execute(
            select(users)
            .join(invitations, invitations.c.clinician_id == users.c.id)
            .where(
                invitations.c.code_hash == code_hash,
                invitations.c.used_at.is_(None),
                invitations.c.expires_at > now,
            )
        ).first()
        return _user(row._mapping) if row else None

    def use_invitation(self, code_hash: str, *, now: datetime) -> bool:
        """Mark it used; False when someone else used it first."""
        result = self._c.execute(
            update(invitations)
            .where(invitations.c.code_hash == code_hash, invitations.c.used_at.is_(None))
            .values(used_at=now)
        )
        return result.rowcount == 1

    def add_link(self, clinician_id: str, patient_id: str, *, at: datetime) -> None:
        if self.has_link(clinician_id, patient_id):
            return
        try:
            with self._c.begin_nested():
                self._c.execute(
                    insert(care_links).values(
                        clinician_id=clinician_id, patient_id=patient_id, accepted_at=at
                    )
                )
        except IntegrityError:
            return  # linked a moment ago by a twin request: the link is what was wanted

    def has_link(self, clinician_id: str, patient_id: str) -> bool:
        query = select(literal(1)).where(
            care_links.c.clinician_id == clinician_id, care_links.c.patient_id == patient_id
        )
        return self._c.execute(query).first() is not None

    def remove_link(self, clinician_id: str, patient_id: str) -> bool:
        result = self._c.execute(
            delete(care_links).where(
                care_links.c.clinician_id == clinician_id, care_links.c.patient_id == patient_id
            )
        )
        return result.rowcount == 1

    def clinicians_of(self, patient_id: str) -> list[User]:
        rows = self._c.execute(
            select(users)
            .join(care_links, care_links.c.clinician_id == users.c.id)
            .where(care_links.c.patient_id == patient_id)
            .order_by(users.c.display_name, users.c.id)
        )
        return [_user(r._mapping) for r in rows]

    # -- the dashboard -------------------------------------------------------------------

    def patients(self, clinician_id: str, *, patient_id: str | None = None) -> list[User]:
        """The clinician's linked patients (one of them, if `patient_id`)."""
        mine = select(care_links.c.patient_id).where(care_links.c.clinician_id == clinician_id)
        if patient_id is not None:
            mine = mine.where(care_links.c.patient_id == patient_id)
        rows = self._c.execute(select(users).where(users.c.id.in_(mine)))
        return [_user(r._mapping) for r in rows]

    def summary_digests(self, patient_ids: Collection[str]) -> dict[str, str]:
        """The digest of each patient's kept summary (summaries.py), without reading it."""
        return summaries.digests(SqlRows(self._c), patient_ids)

    def summaries(
        self, patient_ids: Collection[str], *, at: datetime | None = None
    ) -> dict[str, Kept]:
        """Each patient's summary (summaries.py): as kept, built and kept when missing or made
        by other code; with `at`, built for that time and not kept (a record dated ahead)."""
        rows = SqlRows(self._c)
        if at is not None:
            return {
                uid: Kept("", inputs)
                for uid, inputs in summaries.build(rows, patient_ids, anchor=at).items()
            }
        return summaries.load_or_build(rows, patient_ids)


def _user(m: Any) -> User:
    return User(m["id"], m["display_name"], Role(m["role"]), m["created_at"])
