"""One guided session, the same in the terminal and on the phone: plan it, begin it, keep
each hold and what it felt like, the pain before and after, finish it, advise.

Every decision about a session is taken here, once (or in the domain it calls): whether
it may start (the clinical core's gate), its dose (the core's plan over the hold someone
chose), when a hold counts as completed (`domain.session.ended_hold`), which answer belongs
to which hold, and what to say afterwards. The terminal and the web only ask, call and show.

Records go through a `Keep`: the terminal's is its SafeKeeper (saved, or safe on this
computer until the store answers: services/safekeeping.py), the web's is `store_now` (saved
in one transaction now, or an error the phone's outbox sends again). Either way a record is
written by `safekeeping.apply`, so writing it twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from stretchcoach.domain.checkin import NOT_ASKED, Symptoms
from stretchcoach.domain.clinical import Verdict, apply_plan
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.form.metrics import HoldForm
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.routine import Routine, SessionSettings
from stretchcoach.domain.safety import Flag, Severity
from stretchcoach.domain.session import Hold, Session
from stretchcoach.domain.values import SessionStatus
from stretchcoach.errors import InvalidInput, NotFound, SafetyBlock
from stretchcoach.services.checkin import Reported, report_symptoms
from stretchcoach.services.clinical import verdict
from stretchcoach.services.pain import new_pain_entry
from stretchcoach.services.safekeeping import (
    FeltKept,
    HoldKept,
    Kept,
    PainKept,
    PendingEntry,
    SessionBegun,
    SessionEnded,
    apply,
)
from stretchcoach.services.safety import require_screen
from stretchcoach.services.settings import chosen_hold
from stretchcoach.services.uow import UnitOfWork

Keep = Callable[[PendingEntry], Kept]
MAX_SPEED = 1000.0  # the fastest practice clock
WARN_BEFORE = (Severity.SEE_DOCTOR, Severity.EASE_OFF, Severity.STOP)


def store_now(uow: UnitOfWork) -> Keep:
    """Keep each record in the store at once, one transaction each (the web's way)."""

    def keep(entry: PendingEntry) -> Kept:
        with uow:
            apply(entry, uow)
            uow.commit()
        return Kept.SAVED

    return keep


# -- plan -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Where:
    """Where the person answers the warning-signs check and records a visit, in words for
    the interface asking (the refusal tells them)."""

    answer: str
    seen: str


@dataclass(frozen=True, slots=True)
class Plan:
    """Today's session: may it start (the verdict's gate), with which dose, and what to say."""

    verdict: Verdict
    settings: SessionSettings
    first_run: bool
    hold_suggested: bool  # the hold is the core's suggestion, not one someone chose

    @property
    def warnings(self) -> tuple[Flag, ...]:
        """What to tell the person before they start."""
        return tuple(f for f in self.verdict.flags if f.severity in WARN_BEFORE)


def check_gate(
    user_id: str,
    routine: Routine,
    *,
    uow: UnitOfWork,
    now: datetime,
    zone: ZoneInfo,
    where: Where,
    reps_per_side: int | None = None,
    practice: bool = False,
    today: PainEntry | None = None,
) -> Verdict:
    """The verdict, or SafetyBlock (a yes, a stop rule) / ScreenDue (missing, old, changed).

    `today`: the pain reported at this morning's check-in, not yet kept."""
    found = verdict(
        user_id,
        routine,
        uow=uow,
        now=now,
        zone=zone,
        reps_per_side=reps_per_side,
        practice=practice,
        today=None if practice else today,
    )
    require_screen(found, answer_where=where.answer, seen_where=where.seen)
    return found


def plan(
    user_id: str,
    routine: Routine,
    requested: SessionSettings,
    *,
    uow: UnitOfWork,
    now: datetime,
    zone: ZoneInfo,
    where: Where,
    hold_chosen: bool = False,
    practice: bool = False,
    today: PainEntry | None = None,
) -> Plan:
    """Gate, then dose: the core's plan over what was asked for, with this morning's pain.

    `hold_chosen`: the person chose the hold for this session (`--hold`); otherwise the hold
    saved for them (on the web, or by their clinician) stands, else the core's suggestion.
    `today`: the check-in's pain (`morning_pain`), read before it is kept."""
    found = check_gate(
        user_id,
        routine,
        uow=uow,
        now=now,
        zone=zone,
        where=where,
        reps_per_side=requested.reps_per_side,
        practice=practice,
        today=today,
    )
    saved_hold = None if hold_chosen else chosen_hold(user_id, routine, uow=uow)
    if saved_hold is not None:
        requested = replace(requested, hold_s=saved_hold)
    kept = hold_chosen or saved_hold is not None
    settings = apply_plan(found.plan, requested, keep_hold=kept)
    with uow:
        first_run = not uow.sessions.list_recent(user_id, limit=1)
    return Plan(found, settings, first_run, not kept and settings.hold_s != requested.hold_s)


@dataclass(frozen=True, slots=True)
class Morning:
    """What the person reported at this morning's check-in: the pain now and where (`None`:
    skipped), and the three questions' answers."""

    score: int | None = None
    where: str = ""
    symptoms: Symptoms = NOT_ASKED


@dataclass(frozen=True, slots=True)
class CheckedIn:
    """The check-in read: what its three answers said (kept already), the verdict with
    today's pain, and either today's plan with the pain to keep with the session once it
    begins, or why there is no session today (the pain is then kept already)."""

    reported: Reported
    verdict: Verdict
    plan: Plan | None
    pain: PainEntry | None
    refused: SafetyBlock | None = None  # ScreenDue is one


def check_in(
    user_id: str,
    routine: Routine,
    requested: SessionSettings,
    morning: Morning,
    *,
    uow: UnitOfWork,
    now: datetime,
    zone: ZoneInfo,
    where: Where,
    keep: Keep,
    hold_chosen: bool = False,
    practice: bool = False,
) -> CheckedIn:
    """The morning check-in, then the plan from it.

    The pain is checked first (InvalidInput: nothing is kept). The answers to the three
    questions are kept at once: a yes stands at its level whatever happens next. The pain is
    then read with the history for today's gate and dose. When the gate refuses today's
    session (SafetyBlock, ScreenDue) the pain is kept on its own at once, so nothing the
    person said is lost (a practice run's is not: practice never changes the record), and
    the refusal is returned to be said."""
    today = None
    if morning.score is not None:
        today = morning_pain(
            morning.score, morning.where, user_id=user_id, now=now, time_zone=zone.key
        )
    sites = today.sites if today is not None else frozenset()
    reported = report_symptoms(morning.symptoms, sites, user_id=user_id, uow=uow, now=now)
    try:
        planned = plan(
            user_id,
            routine,
            requested,
            uow=uow,
            now=now,
            zone=zone,
            where=where,
            hold_chosen=hold_chosen,
            practice=practice,
            today=today,
        )
    except SafetyBlock as refused:  # ScreenDue too
        if today is not None and not practice:
            keep_morning_pain(today, keep=keep)
        found = verdict(
            user_id,
            routine,
            uow=uow,
            now=now,
            zone=zone,
            reps_per_side=requested.reps_per_side,
            practice=practice,
        )
        return CheckedIn(reported, found, None, None, refused)
    return CheckedIn(reported, planned.verdict, planned, today)


# -- begin, holds, answers, pain, finish ----------------------------------------------------


def begin(session: Session, *, keep: Keep, pain: PainEntry | None = None) -> Kept:
    """Keep a new session (`sessions.new_session`) before its first hold, and with it the
    pain its check-in reported (`check_in`), as the pain before this session."""
    kept = keep(SessionBegun(session))
    if pain is not None:
        keep(PainKept(replace(pain, session_id=session.id, context=PainContext.BEFORE)))
    return kept


def record_hold(hold: Hold, *, keep: Keep, form: HoldForm | None = None) -> Kept:
    """Keep one ended hold (with what the camera saw of it) on its own."""
    return keep(HoldKept(hold, form))


def record_felt(session_id: str, hold_id: str, felt: Felt, *, keep: Keep) -> Kept:
    """Keep what one kept hold felt like; the latest answer stands."""
    return keep(FeltKept(session_id, hold_id, felt))


def answer_felt(
    session_id: str, hold_id: str, felt: Felt, *, user_id: str, uow: UnitOfWork
) -> Hold:
    """Keep what a saved hold felt like, now; NotFound unless the hold is in one of this
    user's sessions."""
    session = owned_session(session_id, user_id=user_id, uow=uow)
    hold = next((h for h in session.holds if h.id == hold_id), None)
    if hold is None:
        raise NotFound(f"no hold with id {hold_id!r} in session {session_id!r}")
    record_felt(session_id, hold_id, felt, keep=store_now(uow))
    return replace(hold, felt=felt)


def morning_pain(
    score: int, where: str, *, user_id: str, now: datetime, time_zone: str
) -> PainEntry:
    """The pain reported at the check-in, checked (InvalidInput), before any session exists:
    `plan` reads it; it is kept with the session once it begins (`session_pain`), or on its
    own (`keep_morning_pain`) when the gate refuses today's session."""
    return new_pain_entry(
        score,
        parse_sites(where),
        user_id=user_id,
        now=now,
        time_zone=time_zone,
        context=PainContext.BEFORE,
    )


def keep_morning_pain(entry: PainEntry, *, keep: Keep) -> Kept:
    """Keep the check-in's pain when no session follows it: a rating of the day like any other."""
    return keep(PainKept(replace(entry, context=PainContext.STANDALONE)))


def session_pain(
    session: Session,
    score: int,
    context: PainContext,
    *,
    now: datetime,
    where: str = "",
) -> PainEntry:
    """The pain before or after a session, checked as every rating is (InvalidInput);
    `where`: the places, `left:thigh,left:calf`."""
    return new_pain_entry(
        score,
        parse_sites(where),
        user_id=session.user_id,
        now=now,
        time_zone=session.time_zone,
        context=context,
        session_id=session.id,
    )


def record_pain(entry: PainEntry, *, keep: Keep) -> Kept:
    """Keep a rating made by `session_pain`."""
    return keep(PainKept(entry))


def finish(session_id: str, status: SessionStatus, *, now: datetime, keep: Keep) -> Kept:
    """Mark how the session ended (completed, stopped, interrupted)."""
    return keep(SessionEnded(session_id, status, now))


@dataclass
class FeltAnswers:
    """What each hold felt like, kept once the hold itself is kept.

    An answer and its hold may come in either order; the answer waits here until its hold's
    id is known. `scripted`: one answer for every hold, or one per hold, given up front
    (`start --felt`)."""

    session_id: str
    keep: Keep
    scripted: tuple[Felt, ...] = ()
    hold_ids: dict[int, str] = field(default_factory=dict)
    waiting: dict[int, Felt] = field(default_factory=dict)

    def hold_kept(self, hold: Hold) -> None:
        """Call once a hold is kept; a scripted answer for it is kept with it."""
        self.hold_ids[hold.hold_number] = hold.id
        if self.scripted:
            index = hold.hold_number - 1 if len(self.scripted) > 1 else 0
            if index < len(self.scripted):
                self.waiting[hold.hold_number] = self.scripted[index]
        self._flush()

    def answer(self, hold_number: int, felt: Felt) -> None:
        self.waiting[hold_number] = felt
        self._flush()

    def _flush(self) -> None:
        for number in [n for n in self.waiting if n in self.hold_ids]:
            record_felt(
                self.session_id, self.hold_ids[number], self.waiting.pop(number), keep=self.keep
            )


# -- afterwards -------------------------------------------------------------------------------


PRACTICE_NOTE = "That was a practice run: it leaves your dose as it was."


@dataclass(frozen=True, slots=True)
class Advice:
    """What to say after a session: the dose for next time, with its reason, and the
    warnings that apply now (the verdict's flags, less the merely informative).

    After a practice run the advice is the real one (what Today shows): a practice run
    changes no dose, and `note` says so."""

    verdict: Verdict
    practice: bool = False

    @property
    def reason(self) -> str:
        return self.verdict.plan.reason

    @property
    def note(self) -> str:
        return PRACTICE_NOTE if self.practice else ""

    @property
    def warnings(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.verdict.flags if f.severity is not Severity.INFO)


def advise(
    session_id: str,
    routine: Routine,
    *,
    user_id: str,
    uow: UnitOfWork,
    now: datetime,
    usual_reps: int | None = None,
) -> Advice:
    """The real verdict after this session, in the zone it was run in: for a real session,
    with the holds per leg it ran; after a practice run, exactly as Today plans the next real
    session (`usual_reps`: the person's own holds per leg, the routine's if None), since a
    practice run never changes the dose. NotFound unless it is this user's session."""
    session = owned_session(session_id, user_id=user_id, uow=uow)
    reps = usual_reps if session.practice else session.settings.reps_per_side
    found = verdict(
        user_id, routine, uow=uow, now=now, zone=ZoneInfo(session.time_zone), reps_per_side=reps
    )
    return Advice(found, practice=session.practice)


def owned_session(session_id: str, *, user_id: str, uow: UnitOfWork) -> Session:
    """The session if it is this user's; NotFound otherwise (never says whose it is)."""
    with uow:
        return owned(session_id, user_id, uow)


def owned(session_id: str, user_id: str, uow: UnitOfWork) -> Session:
    """The same, inside an open unit of work."""
    try:
        session = uow.sessions.get(session_id)
    except NotFound:
        session = None
    if session is None or session.user_id != user_id:
        raise NotFound(f"no session with id {session_id!r}")
    return session


def check_speed(speed: float, *, option: str = "speed") -> None:
    """A faster clock (a demo, a test) runs above 0 and at most MAX_SPEED times faster."""
    if not 0 < speed <= MAX_SPEED:
        raise InvalidInput(
            f"{option} {speed:g} is not allowed: use a number above 0, up to {MAX_SPEED:g}",
            field="speed",
        )
