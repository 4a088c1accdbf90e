"""Clinics in SQL: invitations, care links, and the dashboard's aggregates.

The dashboard asks five grouped queries, each limited to one clinician's patients and to the
last 30 days through the (user_id, time) indexes, so its cost grows with the clinic's
patients and not with the years of rows behind them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import Select
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from stretchcoach.adapters.store.tables import (
    care_links,
    invitations,
    pain_entries,
    screens,
    session_folds,
    sessions,
    users,
)
from stretchcoach.domain.attention import PatientFigures
from stretchcoach.domain.user import Role, User
from stretchcoach.domain.values import SessionStatus

RECENT = timedelta(days=7)
WINDOW = timedelta(days=30)


class LocalDate(FunctionElement[Any]):
    """The calendar day of a UTC time in the zone stored beside it.

    PostgreSQL converts with the zone; SQLite has no zone data, so there the day is the UTC
    day (the single-user SQLite store is not where clinics run).
    """

    type = Date()
    inherit_cache = True


@compiles(LocalDate, "postgresql")
def _local_date_pg(element: LocalDate, compiler: SQLCompiler, **kw: Any) -> str:
    moment, zone = list(element.clauses)
    return (
        f"CAST(timezone({compiler.process(zone, **kw)}, {compiler.process(moment, **kw)}) AS DATE)"
    )


@compiles(LocalDate)
def _local_date_default(element: LocalDate, compiler: SQLCompiler, **kw: Any) -> str:
    moment, _zone = list(element.clauses)
    return f"date({compiler.process(moment, **kw)})"


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

    def figures(
        self, clinician_id: str, *, now: datetime, patient_id: str | None = None
    ) -> list[PatientFigures]:
        """Each linked patient's last-30-days figures (one patient's, if `patient_id`)."""
        recent, window = now - RECENT, now - WINDOW
        mine = select(care_links.c.patient_id).where(care_links.c.clinician_id == clinician_id)
        if patient_id is not None:
            mine = mine.where(care_links.c.patient_id == patient_id)
        patients = {
            r.id: r.display_name
            for r in self._c.execute(
                select(users.c.id, users.c.display_name).where(users.c.id.in_(mine))
            )
        }
        if not patients:
            return []

        day = LocalDate(sessions.c.started_at, sessions.c.time_zone)
        done = and_(
            sessions.c.status == SessionStatus.COMPLETED.value,
            sessions.c.practice.is_(False),
        )
        adherence = self._per_patient(
            mine,
            sessions.c.user_id,
            [
                func.count(func.distinct(case((and_(done, sessions.c.started_at >= recent), day)))),
                func.count(func.distinct(case((done, day)))),
                func.max(sessions.c.started_at),
            ],
            sessions.c.started_at >= window,
        )

        reach = case(
            (pain_entries.c.reach_left.is_(None), pain_entries.c.reach_right),
            (pain_entries.c.reach_right.is_(None), pain_entries.c.reach_left),
            (pain_entries.c.reach_left > pain_entries.c.reach_right, pain_entries.c.reach_left),
            else_=pain_entries.c.reach_right,
        )
        is_recent = pain_entries.c.recorded_at >= recent
        pain = self._per_patient(
            mine,
            pain_entries.c.user_id,
            [
                func.avg(case((is_recent, pain_entries.c.score))),
                func.avg(case((~is_recent, pain_entries.c.score))),
                func.avg(case((is_recent, reach))),
                func.avg(case((~is_recent, reach))),
            ],
            pain_entries.c.recorded_at >= window,
            pain_entries.c.corrected_at.is_(None),  # a corrected rating counts as corrected
        )

        fold_recent = session_folds.c.started_at >= recent

        def mean_fold(when: Any) -> Any:
            total = func.sum(case((when, session_folds.c.fold_sum_deg)))
            return total / func.nullif(func.sum(case((when, session_folds.c.fold_count))), 0)

        flex = self._per_patient(
            mine,
            session_folds.c.user_id,
            [mean_fold(fold_recent), mean_fold(~fold_recent)],
            session_folds.c.started_at >= window,
        )

        # The latest screen decides: a yes counts when no later screen came back clear.
        flags = self._per_patient(
            mine,
            screens.c.user_id,
            [
                func.max(screens.c.answered_at),
                func.max(case((screens.c.any_yes.is_(True), screens.c.answered_at))),
            ],
            screens.c.answered_at.is_not(None),
        )

        result = []
        for pid, name in patients.items():
            days_7, days_30, last = adherence.get(pid, (0, 0, None))
            p = [_float(v) for v in pain.get(pid, (None, None, None, None))]
            f = [_float(v) for v in flex.get(pid, (None, None))]
            screened_at, flagged_at = flags.get(pid, (None, None))
            result.append(
                PatientFigures(
                    patient_id=pid,
                    display_name=name,
                    days_7=int(days_7),
                    days_30=int(days_30),
                    last_session_at=last,
                    pain_recent=p[0],
                    pain_before=p[1],
                    reach_recent=p[2],
                    reach_before=p[3],
                    flex_recent_deg=f[0],
                    flex_before_deg=f[1],
                    red_flag=flagged_at is not None and flagged_at == screened_at,
                    screened_at=screened_at,
                )
            )
        return result

    def _per_patient(
        self, mine: Select[Any], owner: Any, aggregates: list[Any], *where: Any
    ) -> dict[str, tuple[Any, ...]]:
        """`aggregates` over each patient's rows of one table, by patient id.

        On PostgreSQL each patient's rows are found through the (user_id, time) index, one
        range scan per patient (LATERAL); the cost follows the clinic's patients and the
        window, not every row in the table. SQLite (one person) groups in a single pass.
        """
        labelled = [a.label(f"v{n}") for n, a in enumerate(aggregates)]
        if self._c.dialect.name == "postgresql":
            patient = mine.subquery()
            inner = select(*labelled).where(owner == patient.c.patient_id, *where).lateral()
            query: Select[Any] = select(patient.c.patient_id, *inner.c).select_from(
                patient.join(inner, true())
            )
        else:
            query = select(owner, *labelled).where(owner.in_(mine), *where).group_by(owner)
        return {row[0]: tuple(row[1:]) for row in self._c.execute(query)}


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _user(m: Any) -> User:
    return User(m["id"], m["display_name"], Role(m["role"]), m["created_at"])
