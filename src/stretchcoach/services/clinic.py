"""Use cases for clinics: invite a patient, accept, set a patient's routine, the dashboard.

A clinician sees a patient only through a care link the patient made by accepting an
invitation. Every use case that names a patient checks that link first and answers NotFound
otherwise, so a wrong id and someone else's id look the same.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Hashable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from stretchcoach.domain.adherence import MorningWindow
from stretchcoach.domain.attention import (
    PatientStatus,
    assess,
    by_attention,
    figures_at,
    figures_steady_until,
)
from stretchcoach.domain.clinical import History, Verdict
from stretchcoach.domain.clinical.horizon import steady_until
from stretchcoach.domain.clinical.inputs import Kept
from stretchcoach.domain.journal import AroundSession, PainEntry, around_sessions
from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.routine import Routine
from stretchcoach.domain.screening import Acknowledgement
from stretchcoach.domain.session import Session
from stretchcoach.domain.user import Role, User
from stretchcoach.domain.values import Side
from stretchcoach.errors import InvalidInput, NotFound, StretchcoachError
from stretchcoach.services.accounts import (
    AccountsUnitOfWork,
    digest,
    new_secret,
    require_approved,
)
from stretchcoach.services.fhir import fhir_bundle, patient_pseudonym
from stretchcoach.services.overview import morning_window
from stretchcoach.services.report import Report, clinician_report
from stretchcoach.services.settings import get_preferences, update_preferences
from stretchcoach.services.transfer import export_bundle

INVITATION_LIFETIME = timedelta(days=14)

# What a clinician sees of a patient who accepts their invitation: shown word for word on the
# consent screen, so the patient agrees to exactly this. (The dashboard, the patient page and
# the PDF report show no more; their notes, email, reminder and calendar stay their own.)
SHARED_WITH_CLINICIAN = (
    "your name as you gave it",
    "the days you stretched, each session's holds and how long you held them",
    "how the holds felt: a pull in the thigh, or tingling or shooting below the knee",
    "your pain scores and where on each leg the pain reached",
    "your answers to the warning-signs check, including any yes",
    "how far you leaned forward, when the camera watched a session",
    "your time zone, so your mornings are counted as yours",
)
KEPT_FROM_CLINICIAN = (
    "your email",
    "your notes",
    "your morning window, reminder and calendar address",
)


class WrongRole(StretchcoachError):
    """The action is for the other role (a clinician's action asked by a patient, or back)."""


class ClinicRepository(Protocol):
    def add_invitation(
        self, code_hash: str, clinician_id: str, *, created_at: datetime, expires_at: datetime
    ) -> None: ...

    def open_invitation(self, code_hash: str, *, now: datetime) -> User | None: ...

    def use_invitation(self, code_hash: str, *, now: datetime) -> bool: ...

    def add_link(self, clinician_id: str, patient_id: str, *, at: datetime) -> None: ...

    def has_link(self, clinician_id: str, patient_id: str) -> bool: ...

    def remove_link(self, clinician_id: str, patient_id: str) -> bool: ...

    def clinicians_of(self, patient_id: str) -> list[User]: ...

    def patients(self, clinician_id: str, *, patient_id: str | None = None) -> list[User]: ...

    def summary_digests(self, patient_ids: Collection[str]) -> dict[str, str]: ...

    def summaries(
        self, patient_ids: Collection[str], *, at: datetime | None = None
    ) -> dict[str, Kept]: ...


class ClinicUnitOfWork(AccountsUnitOfWork, Protocol):
    @property
    def clinic(self) -> ClinicRepository: ...


@dataclass(frozen=True, slots=True)
class Invitation:
    """A new invitation: the one-time code (shown once, stored only as a digest)."""

    code: str
    expires_at: datetime


def require_role(user: User, role: Role) -> None:
    if user.role is not role:
        raise WrongRole(f"this is for a {role.value} account; you are logged in as a {user.role}")


def invite(clinician: User, *, uow: ClinicUnitOfWork, now: datetime) -> Invitation:
    require_role(clinician, Role.CLINICIAN)
    require_approved(clinician, uow=uow)
    code = new_secret()
    expires_at = now + INVITATION_LIFETIME
    with uow:
        uow.clinic.add_invitation(digest(code), clinician.id, created_at=now, expires_at=expires_at)
        uow.commit()
    return Invitation(code, expires_at)


def inviting_clinician(code: str, *, uow: ClinicUnitOfWork, now: datetime) -> User:
    """Who sent an open invitation; NotFound when it is unknown, used or out of date."""
    with uow:
        clinician = uow.clinic.open_invitation(digest(code), now=now)
    if clinician is None:
        raise NotFound("this invitation is not valid any more: ask your clinician for a new one")
    return clinician


def accept(code: str, patient: User, *, uow: ClinicUnitOfWork, now: datetime) -> User:
    """Link the patient to the inviting clinician; the code works once."""
    require_role(patient, Role.PATIENT)
    with uow:
        clinician = uow.clinic.open_invitation(digest(code), now=now)
        if clinician is None or not uow.clinic.use_invitation(digest(code), now=now):
            raise NotFound(
                "this invitation is not valid any more: ask your clinician for a new one"
            )
        uow.clinic.add_link(clinician.id, patient.id, at=now)
        uow.commit()
    return clinician


def my_clinicians(patient: User, *, uow: ClinicUnitOfWork) -> list[User]:
    with uow:
        return uow.clinic.clinicians_of(patient.id)


def records_own_visits(user: User, *, uow: ClinicUnitOfWork) -> bool:
    """Whether a patient records "I have been seen" themselves (kept as recorded by them):
    until a clinician is linked, so nobody without one is stuck behind a yes; from then on
    only their clinician records it (record_seen)."""
    return user.role is Role.PATIENT and not my_clinicians(user, uow=uow)


def leave(patient: User, clinician_id: str, *, uow: ClinicUnitOfWork) -> None:
    """The patient ends a link: that clinician sees nothing of them from now on."""
    with uow:
        if not uow.clinic.remove_link(clinician_id, patient.id):
            raise NotFound(f"no clinician with id {clinician_id!r} among yours")
        uow.commit()


def _check_patient(clinician: User, patient_id: str, *, uow: ClinicUnitOfWork) -> None:
    require_role(clinician, Role.CLINICIAN)
    require_approved(clinician, uow=uow)
    with uow:
        linked = uow.clinic.has_link(clinician.id, patient_id)
    if not linked:
        raise NotFound(f"no patient with id {patient_id!r} among yours")


def dashboard(
    clinician: User,
    routine: Routine,
    *,
    uow: ClinicUnitOfWork,
    now: datetime,
    known: KnownStatuses | None = None,
) -> list[PatientStatus]:
    """The clinician's patients, who needs attention first (`known`: statuses worked out
    before, used while they still stand)."""
    require_role(clinician, Role.CLINICIAN)
    require_approved(clinician, uow=uow)
    with uow:
        patients = uow.clinic.patients(clinician.id)
    return by_attention(_statuses(patients, routine, uow=uow, now=now, known=known))


def patient_status(
    clinician: User,
    patient_id: str,
    routine: Routine,
    *,
    uow: ClinicUnitOfWork,
    now: datetime,
    known: KnownStatuses | None = None,
) -> PatientStatus:
    _check_patient(clinician, patient_id, uow=uow)
    with uow:
        patients = uow.clinic.patients(clinician.id, patient_id=patient_id)
    if not patients:
        raise NotFound(f"no patient with id {patient_id!r} among yours")
    return _statuses(patients, routine, uow=uow, now=now, known=known)[0]


BATCH = 500  # patients whose summaries are read and judged together


@dataclass(frozen=True, slots=True)
class _Standing:
    asked_at: datetime
    until: datetime
    status: PatientStatus


class KnownStatuses:
    """The patient statuses a dashboard worked out, each used again while it still stands: its
    key names everything the status is worked out from (the digest of the patient's kept
    summary, their name, zone, morning window and dose, the routine), and it stands from the
    time it was asked for until the clock reaches the moment it could read differently
    (domain/clinical/horizon.py). The least recently used go first beyond `size`. One a
    process; safe across the web server's threads."""

    def __init__(self, size: int = 20_000) -> None:
        self._size = size
        self._found: OrderedDict[Hashable, _Standing] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0  # statuses used again

    def get(self, key: Hashable, now: datetime) -> PatientStatus | None:
        with self._lock:
            standing = self._found.get(key)
            if standing is None or not standing.asked_at <= now < standing.until:
                return None
            self._found.move_to_end(key)
            self.hits += 1
            return standing.status

    def put(self, key: Hashable, status: PatientStatus, *, now: datetime, until: datetime) -> None:
        if until <= now:
            return
        with self._lock:
            self._found[key] = _Standing(now, until, status)
            self._found.move_to_end(key)
            while len(self._found) > self._size:
                self._found.popitem(last=False)

    def __len__(self) -> int:
        return len(self._found)


def _statuses(
    patients: list[User],
    routine: Routine,
    *,
    uow: ClinicUnitOfWork,
    now: datetime,
    known: KnownStatuses | None,
) -> list[PatientStatus]:
    """Each patient's verdict from the clinical core and their figures, in the patient's own
    zone and morning: the same verdict the patient sees, read from the summary the store
    keeps of each (domain/clinical/inputs.py) rather than from every row behind it. A status
    in `known` whose summary has not changed and that still stands is used as it is: only
    the summaries that changed are read, and only their verdicts asked again."""
    ids = [p.id for p in patients]
    with uow:
        saved = uow.preferences.get_many(ids)
        digests = uow.clinic.summary_digests(ids) if known is not None else {}

    def key(person: User, digest: str) -> Hashable:
        prefs = saved.get(person.id)
        return (person.id, digest, person.display_name, prefs, routine.id, routine.dose)

    found: dict[str, PatientStatus] = {}
    if known is not None:
        for person in patients:
            if person.id in digests:
                status = known.get(key(person, digests[person.id]), now)
                if status is not None:
                    found[person.id] = status
    wanted = [p for p in patients if p.id not in found]
    for start in range(0, len(wanted), BATCH):  # a batch's summaries go once it is judged
        batch = wanted[start : start + BATCH]
        with uow:
            kept = uow.clinic.summaries([p.id for p in batch])
            uow.commit()  # keep the summaries built just now (missing, or made by other code)
        ahead = [p.id for p in batch if not kept[p.id].inputs.covers(now)]
        if ahead:  # a record dated ahead of this clock: a summary for now, not kept
            with uow:
                kept.update(uow.clinic.summaries(ahead, at=now))
        for person in batch:
            found[person.id] = _status(
                person,
                kept[person.id],
                saved.get(person.id),
                routine,
                now=now,
                known=known,
                key=key(person, kept[person.id].digest),
            )
    return [found[p.id] for p in patients]


def _status(
    person: User,
    kept: Kept,
    prefs: Preferences | None,
    routine: Routine,
    *,
    now: datetime,
    known: KnownStatuses | None,
    key: Hashable,
) -> PatientStatus:
    zone = ZoneInfo(prefs.time_zone if prefs is not None else "UTC")
    window = morning_window(prefs) if prefs is not None else MorningWindow()
    inputs = kept.inputs
    verdict = assess_history(
        inputs.history(now=now, zone=zone),
        routine,
        reps=prefs.reps_per_side if prefs else None,
    )
    figures = figures_at(
        inputs,
        patient_id=person.id,
        display_name=person.display_name,
        now=now,
        zone=zone,
        window=window,
    )
    status = assess(figures, verdict)
    if known is not None and kept.digest:
        until = min(
            steady_until(inputs, now=now, zone=zone),
            figures_steady_until(inputs, now=now, zone=zone, window=window),
        )
        known.put(key, status, now=now, until=until)
    return status


def assess_history(history: History, routine: Routine, *, reps: int | None) -> Verdict:
    from stretchcoach.domain.clinical import assess as clinical_assess

    return clinical_assess(history, routine.dose, routine_id=routine.id, reps_per_side=reps)


RECORD_DAYS = 30  # how far back a patient's page lists sessions and journal corrections
RECORD_SESSIONS = 20


@dataclass(frozen=True, slots=True)
class Correction:
    """A rating the patient corrected: as first given, and what replaced it (None: taken
    back)."""

    was: PainEntry
    now: PainEntry | None


@dataclass(frozen=True, slots=True)
class PatientRecord:
    """What a clinician's patient page lists: the recent sessions with their holds and feel,
    the pain before and after each, and the journal's corrections (the notes stay the
    patient's own: SHARED_WITH_CLINICIAN)."""

    sessions: tuple[Session, ...]
    pain_around: dict[str, AroundSession]
    corrections: tuple[Correction, ...]


def patient_record(
    clinician: User, patient_id: str, *, uow: ClinicUnitOfWork, now: datetime
) -> PatientRecord:
    """One of the clinician's patients' recent sessions and journal corrections."""
    _check_patient(clinician, patient_id, uow=uow)
    since = now - timedelta(days=RECORD_DAYS)
    with uow:
        sessions = uow.sessions.list_recent(patient_id, since=since, limit=RECORD_SESSIONS)
        entries = uow.journal.entries(patient_id, since=since - timedelta(days=1))
        fixed = uow.journal.corrections(patient_id, since=since)
    by_id = {e.id: e for e in [*entries, *fixed]}
    return PatientRecord(
        sessions=tuple(sessions),
        pain_around=around_sessions(entries),
        corrections=tuple(
            Correction(c, by_id.get(c.superseded_by) if c.superseded_by else None)
            for c in sorted(fixed, key=lambda c: c.corrected_at or c.recorded_at, reverse=True)
        ),
    )


def record_seen(
    clinician: User,
    patient_id: str,
    routine: Routine,
    *,
    seen_on: date,
    note: str,
    uow: ClinicUnitOfWork,
    now: datetime,
) -> Acknowledgement:
    """The clinician records having seen a patient about what stands, and that they may
    exercise: it settles the patient's open warning signs and stop rules, dated, in their name."""
    from zoneinfo import ZoneInfo

    from stretchcoach.services.safety import acknowledge

    require_role(clinician, Role.CLINICIAN)
    _check_patient(clinician, patient_id, uow=uow)
    with uow:
        prefs = uow.preferences.get(patient_id)
    return acknowledge(
        patient_id,
        routine,
        seen_on=seen_on,
        by_user_id=clinician.id,
        by_name=clinician.display_name,
        note=note,
        uow=uow,
        now=now,
        zone=ZoneInfo(prefs.time_zone if prefs is not None else "UTC"),
    )


def patient_preferences(
    clinician: User,
    patient_id: str,
    routine: Routine,
    *,
    uow: ClinicUnitOfWork,
    now: datetime,
    time_zone: str,
) -> Preferences:
    _check_patient(clinician, patient_id, uow=uow)
    return get_preferences(patient_id, routine, uow=uow, now=now, time_zone=time_zone)


def patient_report(
    clinician: User,
    patient_id: str,
    routine: Routine,
    *,
    uow: ClinicUnitOfWork,
    now: datetime,
    time_zone: str,
    days: int,
) -> tuple[User, Report]:
    """The clinician report of one of the clinician's patients, in the patient's own morning."""
    prefs = patient_preferences(
        clinician, patient_id, routine, uow=uow, now=now, time_zone=time_zone
    )
    with uow:
        person = uow.users.find(patient_id)
    if person is None:
        raise NotFound(f"no patient with id {patient_id!r} among yours")
    found = clinician_report(
        patient_id,
        routine=routine,
        uow=uow,
        now=now,
        time_zone=prefs.time_zone,
        window=morning_window(prefs),
        days=days,
    )
    return person, found


def patient_fhir(
    clinician: User,
    patient_id: str,
    *,
    uow: ClinicUnitOfWork,
    now: datetime,
    with_name: bool = False,
) -> dict[str, Any]:
    """One of the clinician's patients' records as a FHIR R4 Bundle (services/fhir.py): named
    only when the clinician asks, and without the patient's notes (kept from clinicians)."""
    _check_patient(clinician, patient_id, uow=uow)
    with uow:
        person = uow.users.find(patient_id)
    if person is None:
        raise NotFound(f"no patient with id {patient_id!r} among yours")
    return fhir_bundle(
        export_bundle(patient_id, uow=uow),
        patient_id=patient_pseudonym(patient_id),
        now=now,
        name=person.display_name if with_name else None,
        notes=False,
    )


def set_patient_routine(
    clinician: User,
    patient_id: str,
    routine: Routine,
    *,
    hold_s: float,
    reps_per_side: int,
    first_side: Side,
    uow: ClinicUnitOfWork,
    now: datetime,
    time_zone: str,
) -> Preferences:
    """The clinician sets the dose; the patient's own morning, zone and reminder stay."""
    _check_patient(clinician, patient_id, uow=uow)
    current = get_preferences(patient_id, routine, uow=uow, now=now, time_zone=time_zone)
    return update_preferences(
        patient_id,
        routine,
        hold_s=hold_s,
        reps_per_side=reps_per_side,
        first_side=first_side,
        morning_start=current.morning_start,
        morning_end=current.morning_end,
        time_zone=current.time_zone,
        reminder_at=current.reminder_at,
        uow=uow,
        now=now,
    )


def check_first_side(raw: str) -> Side:
    try:
        return Side(raw.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"first leg {raw!r} is not known: choose 'left' or 'right'", field="first_side"
        ) from None
