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
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from stretchcoach.adapters.store.tables import (
    care_links,
    holds,
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


def add_fold(connection: Connection, hold_id: str, fold_deg: float) -> None:
    """Count one hold's good-form fold in its session's row of `session_folds`."""
    found = connection.execute(
        select(sessions.c.id, sessions.c.user_id, sessions.c.started_at)
        .join(holds, holds.c.session_id == sessions.c.id)
        .where(holds.c.id == hold_id)
    ).first()
    if found is None:
        return
    bump = (
        update(session_folds)
        .where(session_folds.c.session_id == found.id)
        .values(
            fold_sum_deg=session_folds.c.fold_sum_deg + fold_deg,
            fold_count=session_folds.c.fold_count + 1,
            max_fold_deg=case(
                (session_folds.c.max_fold_deg < fold_deg, fold_deg),
                else_=session_folds.c.max_fold_deg,
            ),
        )
    )
    if connection.execute(bump).rowcount:
        return
    try:
        with connection.begin_nested():
            connection.execute(
                insert(session_folds).values(
                    session_id=found.id,
                    user_id=found.user_id,
                    started_at=found.started_at,
                    fold_sum_deg=fold_deg,
                    fold_count=1,
                    max_fold_deg=fold_deg,
                )
            )
    except IntegrityError:  # the session's first two folds arrived together: add to the row
        connection.execute(bump)


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
        ids = list(patients)

        day = LocalDate(sessions.c.started_at, sessions.c.time_zone)
        done = and_(
            sessions.c.status == SessionStatus.COMPLETED.value,
            sessions.c.practice.is_(False),
        )
        session_rows = self._c.execute(
            select(
                sessions.c.user_id,
                func.count(func.distinct(case((and_(done, sessions.c.started_at >= recent), day)))),
                func.count(func.distinct(case((done, day)))),
                func.max(sessions.c.started_at),
            )
            .where(sessions.c.user_id.in_(ids), sessions.c.started_at >= window)
            .group_by(sessions.c.user_id)
        )
        adherence = {r[0]: (int(r[1]), int(r[2]), r[3]) for r in session_rows}

        reach = case(
            (pain_entries.c.reach_left.is_(None), pain_entries.c.reach_right),
            (pain_entries.c.reach_right.is_(None), pain_entries.c.reach_left),
            (pain_entries.c.reach_left > pain_entries.c.reach_right, pain_entries.c.reach_left),
            else_=pain_entries.c.reach_right,
        )
        is_recent = pain_entries.c.recorded_at >= recent
        pain_rows = self._c.execute(
            select(
                pain_entries.c.user_id,
                func.avg(case((is_recent, pain_entries.c.score))),
                func.avg(case((~is_recent, pain_entries.c.score))),
                func.avg(case((is_recent, reach))),
                func.avg(case((~is_recent, reach))),
            )
            .where(pain_entries.c.user_id.in_(ids), pain_entries.c.recorded_at >= window)
            .group_by(pain_entries.c.user_id)
        )
        pain = {r[0]: tuple(_float(v) for v in r[1:]) for r in pain_rows}

        fold_recent = session_folds.c.started_at >= recent

        def mean_fold(when: Any) -> Any:
            total = func.sum(case((when, session_folds.c.fold_sum_deg)))
            return total / func.nullif(func.sum(case((when, session_folds.c.fold_count))), 0)

        flex_rows = self._c.execute(
            select(session_folds.c.user_id, mean_fold(fold_recent), mean_fold(~fold_recent))
            .where(session_folds.c.user_id.in_(ids), session_folds.c.started_at >= window)
            .group_by(session_folds.c.user_id)
        )
        flex = {r[0]: (_float(r[1]), _float(r[2])) for r in flex_rows}

        latest = (
            select(screens.c.user_id, func.max(screens.c.answered_at).label("at"))
            .where(screens.c.user_id.in_(ids))
            .group_by(screens.c.user_id)
            .subquery()
        )
        screen_rows = self._c.execute(
            select(screens.c.user_id, screens.c.any_yes, screens.c.answered_at).join(
                latest,
                and_(screens.c.user_id == latest.c.user_id, screens.c.answered_at == latest.c.at),
            )
        )
        flags: dict[str, tuple[bool, datetime]] = {}
        for r in screen_rows:  # two screens at the same instant: a yes in either counts
            earlier_yes = r.user_id in flags and flags[r.user_id][0]
            flags[r.user_id] = (bool(r.any_yes) or earlier_yes, r.answered_at)

        result = []
        for pid, name in patients.items():
            days_7, days_30, last = adherence.get(pid, (0, 0, None))
            p = pain.get(pid, (None, None, None, None))
            f = flex.get(pid, (None, None))
            flag, screened_at = flags.get(pid, (False, None))
            result.append(
                PatientFigures(
                    patient_id=pid,
                    display_name=name,
                    days_7=days_7,
                    days_30=days_30,
                    last_session_at=last,
                    pain_recent=p[0],
                    pain_before=p[1],
                    reach_recent=p[2],
                    reach_before=p[3],
                    flex_recent_deg=f[0],
                    flex_before_deg=f[1],
                    red_flag=flag,
                    screened_at=screened_at,
                )
            )
        return result


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _user(m: Any) -> User:
    return User(m["id"], m["display_name"], Role(m["role"]), m["created_at"])
