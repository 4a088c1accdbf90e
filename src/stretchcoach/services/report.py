"""The clinician's report: one person's last N days, gathered for a doctor or physiotherapist.

UI-free: the figures come from the same use cases as `stats` and `plot`, so the report, the
terminal and the clinic's pages never disagree. The PDF adapter only lays them out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from stretchcoach.domain.adherence import Adherence, MorningWindow
from stretchcoach.domain.centralisation import DayReach, daily_reach
from stretchcoach.domain.clinical import GateStatus, Lean, Verdict, dose_story
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.preferences import check_time_zone
from stretchcoach.domain.routine import Routine, SessionSettings
from stretchcoach.domain.safety import Care, Question, Severity, evaluate
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import Session, local_start
from stretchcoach.domain.text import clean_text
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services.dosing import recent_felts
from stretchcoach.services.flexibility import FlexibilityTrend, flexibility_trend
from stretchcoach.services.safety import ScreenState, screen_state
from stretchcoach.services.stats import Insight, PlotData, check_days, insight, plot_data
from stretchcoach.services.uow import ReadUnitOfWork

DEFAULT_DAYS = 30
MAX_NAME = 80


def check_name(name: str | None) -> str | None:
    """The name to print on the report: one line of at most MAX_NAME characters, or none.

    Held to the one rule for typed text (domain/text.clean_text): a name in any script, an
    emoji sequence with its joiners, but no control or direction-changing character."""
    if name is None or not name.strip():
        return None
    return clean_text(" ".join(name.split()), field="the name", max_length=MAX_NAME)


@dataclass(frozen=True, slots=True)
class ScreenLine:
    """One answered warning-signs check: when (local time), the yes answers, the care called for."""

    answered_at: datetime
    yes: tuple[Question, ...]
    care: Care | None


@dataclass(frozen=True, slots=True)
class Dose:
    """What the sessions of the period asked for and what was held."""

    sessions: int  # real sessions that ended (completed, stopped or interrupted)
    completed: int
    holds: int  # holds kept, all of them
    full_holds: int  # holds that ran their whole planned time
    mean_held_s: float | None
    last_hold_s: float | None  # the dose of the latest session
    last_reps: str | None  # "3 per leg", or "2 left, 3 right" when one leg was cut down
    routines: tuple[str, ...]  # the routines' names, most used first
    story: tuple[str, ...] = ()  # what actually happened to the dose, session to session
    next_session: str = ""  # the next dose and why, for the clinician (none while paused)


@dataclass(frozen=True, slots=True)
class NerveSummary:
    """What the holds of the period felt like, and the days the nerve answered."""

    holds_rated: int
    pull: int
    nothing: int
    nerve: int
    nerve_days: tuple[date, ...]  # local dates of sessions with a nerve answer, newest first
    repeated: bool  # the same verdict as the flag in `stats`


@dataclass(frozen=True, slots=True)
class Report:
    generated_at: datetime  # local, in the report's zone
    first_day: date
    today: date
    insight: Insight
    mornings: Adherence  # mornings done in the period's days (an open today left out)
    plot: PlotData
    reach: dict[Side, list[DayReach]]
    screen: ScreenState
    screens: tuple[ScreenLine, ...]  # answered in the period, newest first
    dose: Dose
    nerve: NerveSummary
    flexibility: FlexibilityTrend


def clinician_report(
    user_id: str,
    *,
    routine: Routine,
    uow: ReadUnitOfWork,
    now: datetime,
    time_zone: str,
    window: MorningWindow,
    days: int = DEFAULT_DAYS,
) -> Report:
    """Everything the report shows for the `days` local days that end today."""
    check_days(days)
    zone = ZoneInfo(check_time_zone(time_zone))
    found = insight(
        user_id, routine=routine, uow=uow, now=now, time_zone=time_zone, window=window, days=days
    )
    picture = plot_data(user_id, uow=uow, now=now, time_zone=time_zone, window=window, days=days)
    today = picture.today
    first_day = picture.first_day
    since = now - timedelta(days=days + 1)  # a day of margin for zones either side of UTC
    with uow:
        entries = uow.journal.entries(user_id, since=since)
        sessions = uow.sessions.list_recent(user_id, since=since)
        screens = uow.screens.history(user_id)
    real = [
        s
        for s in sessions  # newest first
        if not s.practice and s.status.is_final and first_day <= local_start(s).date() <= today
    ]
    h = found.habit
    return Report(
        generated_at=now.astimezone(zone),
        first_day=first_day,
        today=today,
        insight=found,
        mornings=Adherence(
            sum(1 for day in h.days if first_day <= day <= today),
            days - (1 if h.today_open else 0),  # an open today is not missed yet
        ),
        plot=picture,
        reach=daily_reach(entries, zone=zone, first=first_day, last=today),
        screen=screen_state(found.verdict, screens),
        screens=_screen_lines(screens, zone=zone, first=first_day, last=today),
        dose=_dose(real, found),
        nerve=_nerve(real, repeated=found.verdict.signals.nerve_repeated),
        flexibility=flexibility_trend(
            uow=uow, user_id=user_id, since=datetime.combine(first_day, datetime.min.time(), zone)
        ),
    )


def _screen_lines(
    screens: list[ScreenResult], *, zone: ZoneInfo, first: date, last: date
) -> tuple[ScreenLine, ...]:
    """The checks answered from `first` to `last` (local dates), newest first."""
    lines = []
    for screen in reversed(screens):  # the store gives them oldest first
        answered = screen.counts_from.astimezone(zone)
        if first <= answered.date() <= last:
            outcome = evaluate(screen.answers, version=screen.version)
            lines.append(ScreenLine(answered, outcome.yes, outcome.care))
    return tuple(lines)


def _dose(sessions: list[Session], found: Insight) -> Dose:
    holds = [hold for s in sessions for hold in s.holds]
    latest = sessions[0].settings if sessions else None
    return Dose(
        sessions=len(sessions),
        completed=sum(1 for s in sessions if s.status is SessionStatus.COMPLETED),
        holds=len(holds),
        full_holds=sum(1 for hold in holds if hold.completed),
        mean_held_s=sum(h.held_s for h in holds) / len(holds) if holds else None,
        last_hold_s=latest.hold_s if latest else None,
        last_reps=_reps_text(latest) if latest else None,
        routines=tuple(name for name, _ in Counter(s.routine_name for s in sessions).most_common()),
        story=dose_story(sessions),
        next_session=next_session(found.verdict),
    )


_LEAN_WORDS = {Lean.SAME: "the same lean", Lean.LESS: "a gentler lean",
               Lean.FURTHER: "a little further, to a mild pull"}  # fmt: skip


def next_session(found: Verdict) -> str:
    """The next session, for the clinician: while the stretch is paused (a yes that blocks, a
    stop rule) no dose at all, only why; otherwise the planned dose and the reason for it."""
    if found.gate.status is GateStatus.BLOCKED:
        why = [f.for_clinician for f in found.flags if f.severity.rank <= Severity.STOP.rank]
        return f"none while the stretch is paused. {'; '.join(why)}."
    plan = found.plan
    left, right = plan.reps
    if left == right:
        reps = f"{left} per leg"
    else:
        reps = ", ".join(
            f"{side.value} leg rested" if n == 0 else f"{n} {side.value}"
            for side, n in zip(Side, plan.reps, strict=True)
        )
    due = " The warning-signs check is due before it." if found.gate.due else ""
    return f"{plan.hold_s:g} s holds, {reps}, {_LEAN_WORDS[plan.lean]}. {plan.for_clinician}{due}"


def _reps_text(settings: SessionSettings) -> str:
    if settings.side_reps is None:
        return f"{settings.reps_per_side} per leg"
    left, right = settings.side_reps
    return f"{left} left, {right} right"


def _nerve(sessions: list[Session], *, repeated: bool) -> NerveSummary:
    felts = recent_felts(sessions)
    answers = [felt for session in felts for felt in session]
    return NerveSummary(
        holds_rated=len(answers),
        pull=answers.count(Felt.PULL),
        nothing=answers.count(Felt.NOTHING),
        nerve=answers.count(Felt.NERVE),
        nerve_days=tuple(
            dict.fromkeys(
                local_start(s).date()
                for s, felt in zip(sessions, felts, strict=True)
                if Felt.NERVE in felt
            )
        ),
        repeated=repeated,
    )
