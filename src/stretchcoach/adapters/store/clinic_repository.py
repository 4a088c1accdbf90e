"""Clinics in plain SQL: invitations, care links, and what the dashboard reads.

Written once on the `Rows` port (reads.py), so SQLite and PostgreSQL run the same statements.
The dashboard reads each linked patient's summary, one row a patient kept up to date as their
records are saved (summaries.py), so its cost grows with the clinic's patients and not with
the years of rows behind them.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from stretchcoach.adapters.store import summaries
from stretchcoach.adapters.store.reads import Rows, _user
from stretchcoach.domain.clinical.inputs import Kept
from stretchcoach.domain.user import User

_LINK = "clinician_id = :clinician AND patient_id = :patient"


class SqlClinicRepository:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    # -- invitations and links -----------------------------------------------------------

    def add_invitation(
        self, code_hash: str, clinician_id: str, *, created_at: datetime, expires_at: datetime
    ) -> None:
        self._rows.run(
            "INSERT INTO invitations (code_hash, clinician_id, created_at, expires_at) "
            "VALUES (:code, :clinician, :created_at, :expires_at)",
            {
                "code": code_hash,
                "clinician": clinician_id,
                "created_at": created_at,
                "expires_at": expires_at,
            },
        )

    def open_invitation(self, code_hash: str, *, now: datetime) -> User | None:
        """The clinician behind an unused, unexpired invitation."""
        found = self._rows(
            "SELECT u.* FROM users AS u JOIN invitations AS i ON i.clinician_id = u.id "
            "WHERE i.code_hash = :code AND i.used_at IS NULL AND i.expires_at > :now",
            {"code": code_hash, "now": now},
        )
        return _user(found[0]) if found else None

    def use_invitation(self, code_hash: str, *, now: datetime) -> bool:
        """Mark it used; False when someone else used it first."""
        used = self._rows.run(
            "UPDATE invitations SET used_at = :now WHERE code_hash = :code AND used_at IS NULL",
            {"code": code_hash, "now": now},
        )
        return used == 1

    def add_link(self, clinician_id: str, patient_id: str, *, at: datetime) -> None:
        if self.has_link(clinician_id, patient_id):
            return
        # False when a twin request linked them a moment ago: the link is what was wanted.
        self._rows.insert_new(
            "INSERT INTO care_links (clinician_id, patient_id, accepted_at) "
            "VALUES (:clinician, :patient, :at)",
            {"clinician": clinician_id, "patient": patient_id, "at": at},
        )

    def has_link(self, clinician_id: str, patient_id: str) -> bool:
        found = self._rows(
            f"SELECT 1 AS linked FROM care_links WHERE {_LINK}",
            {"clinician": clinician_id, "patient": patient_id},
        )
        return bool(found)

    def remove_link(self, clinician_id: str, patient_id: str) -> bool:
        gone = self._rows.run(
            f"DELETE FROM care_links WHERE {_LINK}",
            {"clinician": clinician_id, "patient": patient_id},
        )
        return gone == 1

    def clinicians_of(self, patient_id: str) -> list[User]:
        """The patient's clinicians, by name (then id)."""
        found = self._rows(
            "SELECT u.* FROM users AS u JOIN care_links AS l ON l.clinician_id = u.id "
            "WHERE l.patient_id = :patient ORDER BY u.display_name, u.id",
            {"patient": patient_id},
        )
        return [_user(r) for r in found]

    # -- the dashboard -------------------------------------------------------------------

    def patients(self, clinician_id: str, *, patient_id: str | None = None) -> list[User]:
        """The clinician's linked patients (one of them, if `patient_id`)."""
        params = {"clinician": clinician_id}
        one = ""
        if patient_id is not None:
            one = " AND patient_id = :patient"
            params["patient"] = patient_id
        found = self._rows(
            "SELECT * FROM users WHERE id IN "
            f"(SELECT patient_id FROM care_links WHERE clinician_id = :clinician{one})",
            params,
        )
        return [_user(r) for r in found]

    def summary_digests(self, patient_ids: Collection[str]) -> dict[str, str]:
        """The digest of each patient's kept summary (summaries.py), without reading it."""
        return summaries.digests(self._rows, patient_ids)

    def summaries(
        self, patient_ids: Collection[str], *, at: datetime | None = None
    ) -> dict[str, Kept]:
        """Each patient's summary (summaries.py): as kept, built and kept when missing or made
        by other code; with `at`, built for that time and not kept (a record dated ahead)."""
        if at is not None:
            return {
                uid: Kept("", inputs)
                for uid, inputs in summaries.build(self._rows, patient_ids, anchor=at).items()
            }
        return summaries.load_or_build(self._rows, patient_ids)
