"""Consents to keep a person's records: plain SQL on the `Rows` port, run both ways (the
SQLAlchemy unit of work and the terminal's sqlite3), like the personal store (reads.py)."""

from __future__ import annotations

from stretchcoach.adapters.store.reads import Record, Rows, utc
from stretchcoach.domain.consent import Consent, KeptOn

# Anything this person has kept already: a session, a pain rating or a warning-signs check.
_ANYTHING_KEPT = (
    "SELECT 1 AS kept FROM sessions WHERE user_id = :user "
    "UNION ALL SELECT 1 FROM pain_entries WHERE user_id = :user "
    "UNION ALL SELECT 1 FROM screens WHERE user_id = :user "
    "LIMIT 1"
)


class ConsentStore:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def given(self, user_id: str) -> list[Consent]:
        """A user's consents, oldest first."""
        sql = "SELECT * FROM consents WHERE user_id = :user ORDER BY given_at, id"
        return [_consent(r) for r in self._rows(sql, {"user": user_id})]

    def anything_kept(self, user_id: str) -> bool:
        """Whether the store holds any record of this user's (a session, a rating, a check)."""
        return bool(self._rows(_ANYTHING_KEPT, {"user": user_id}))

    def add(self, consent: Consent) -> None:
        row = {
            "id": consent.id,
            "user_id": consent.user_id,
            "given_at": consent.given_at,
            "version": consent.version,
            "kept_on": consent.kept_on.value,
        }
        names = ", ".join(row)
        values = ", ".join(f":{name}" for name in row)
        self._rows.run(f"INSERT INTO consents ({names}) VALUES ({values})", row)


def _consent(r: Record) -> Consent:
    given_at = utc(r["given_at"])
    assert given_at is not None
    return Consent(
        id=r["id"],
        user_id=r["user_id"],
        given_at=given_at,
        version=int(r["version"]),
        kept_on=KeptOn(r["kept_on"]),
    )
