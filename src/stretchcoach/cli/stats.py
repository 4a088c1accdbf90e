"""`stretchcoach stats`: the morning habit, the pain trend, where the pain reaches, and flags."""

from __future__ import annotations

import textwrap
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import typer

from stretchcoach.cli.common import DB_OPTION, open_store, print_json, settings, whole_number
from stretchcoach.domain.values import signed

if TYPE_CHECKING:
    from stretchcoach.bootstrap import Store
    from stretchcoach.config import Settings
    from stretchcoach.domain.adherence import Adherence, MorningWindow
    from stretchcoach.domain.trends import PainTrend
    from stretchcoach.services.stats import Insight
    from stretchcoach.services.uow import ReadUnitOfWork

T_co = TypeVar("T_co", covariant=True)

DAYS_OPTION = typer.Option(
    "30", "--days", metavar="N", help="How many days back the pain trend looks (1 or more)."
)


def morning_and_zone(current: Settings, store: Store) -> tuple[MorningWindow, str]:
    """The local user's saved web preferences when there are any, else the STRETCHCOACH_* ones."""
    from stretchcoach import bootstrap
    from stretchcoach.domain.adherence import MorningWindow
    from stretchcoach.services.settings import morning_and_zone as saved_or

    return saved_or(
        store.user_id,
        uow=store.uow,
        window=MorningWindow(current.morning_start, current.morning_end),
        time_zone=bootstrap.local_time_zone(current),
    )


class PeriodView(Protocol[T_co]):
    """A use case that looks at one person's last `days` days (insight, plot data, report);
    one that judges with the clinical core is given its routine first (functools.partial)."""

    def __call__(
        self,
        user_id: str,
        /,
        *,
        uow: ReadUnitOfWork,
        now: datetime,
        time_zone: str,
        window: MorningWindow,
        days: int,
    ) -> T_co: ...


def days_option(text: str) -> int:
    """--days as digits only (`1_0` and `1e3` are not days), in the range check_days allows."""
    from stretchcoach.services.journal import MAX_DAYS

    return whole_number(text, "--days", 1, MAX_DAYS)


def local_period(db: str | None, view: PeriodView[T_co], days: int) -> tuple[Store, T_co]:
    """Open the local store and run `view` over the last `days` days, in the saved morning."""
    from stretchcoach import bootstrap

    current = settings(db)
    store = open_store(current, write=False)
    window, zone = morning_and_zone(current, store)
    found = view(
        store.user_id,
        uow=store.uow,
        now=bootstrap.clock().now(),
        time_zone=zone,
        window=window,
        days=days,
    )
    return store, found


def stats(
    as_json: bool = typer.Option(False, "--json", help="Print the figures as a JSON object."),
    days: str = DAYS_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Streaks, adherence, the pain trend, the pain's reach per leg, and anything to watch."""
    from functools import partial

    from stretchcoach import bootstrap
    from stretchcoach.cli.flexibility import flexibility_json, flexibility_lines
    from stretchcoach.services.flexibility import flexibility_trend
    from stretchcoach.services.stats import check_days, insight

    period = check_days(days_option(days))
    # the clinical verdict inside reads the built-in routine's dose
    store, found = local_period(db, partial(insight, routine=bootstrap.routine()), period)
    flexibility = flexibility_trend(uow=store.uow, user_id=store.user_id)
    if as_json:
        print_json({**insight_json(found), "flexibility": flexibility_json(flexibility)})
    else:
        typer.echo("\n".join(insight_lines(found) + flexibility_lines(flexibility)))


def _adherence_json(a: Adherence) -> dict[str, Any]:
    return {"done": a.done, "of_days": a.of_days, "ratio": round(a.ratio, 4)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def insight_json(found: Insight) -> dict[str, Any]:
    h, t, e = found.habit, found.trend, found.effect
    return {
        "today": h.today.isoformat(),
        "time_zone": found.time_zone,
        "morning": {"start": f"{found.window.start:%H:%M}", "end": f"{found.window.end:%H:%M}"},
        "habit": {
            "current_streak": h.current_streak,
            "best_streak": h.best_streak,
            "done_today": h.today in h.days,
            "today_open": h.today_open,
            "last_7_days": _adherence_json(h.last_7),
            "last_30_days": _adherence_json(h.last_30),
        },
        "pain": {
            "days": found.days,
            "first_day": t.first_day.isoformat() if t.first_day else None,
            "first_week_mean": _round(t.first_week_mean),
            "last_week_mean": _round(t.last_week_mean),
            "difference": _round(t.difference),
            "slope_per_week": _round(t.slope_per_week),
            "noticeable_threshold": _round(t.threshold),
            "change": t.change.value,
            "summary": trend_sentence(t, practice_ratings=found.practice_ratings),
            "practice_ratings_left_out": found.practice_ratings,
        },
        "around_a_session": {"sessions": e.sessions, "mean_change": _round(e.mean_change)},
        "centralisation": {side.value: d.value for side, d in found.centralisation.items()},
        "worse_mornings": [d.isoformat() for d in found.verdict.signals.worse_days],
        "gate": {
            "status": found.verdict.gate.status.value,
            "care": found.verdict.gate.care.value if found.verdict.gate.care else None,
            "message": found.verdict.gate.message,
        },
        "next_dose": {
            "hold_s": found.verdict.plan.hold_s,
            "reps": {"left": found.verdict.plan.reps[0], "right": found.verdict.plan.reps[1]},
            "lean": found.verdict.plan.lean.value,
            "reason": found.verdict.plan.reason,
        },
        "flags": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "message": f.message,
                "for_clinician": f.for_clinician,
            }
            for f in found.flags
        ],
    }


def trend_sentence(t: PainTrend, *, practice_ratings: int = 0) -> str:
    """The pain trend in a sentence; `practice_ratings`, the period's ratings given around a
    practice run, which no trend counts."""
    from stretchcoach.domain.trends import Change

    if t.change is Change.TOO_EARLY or t.difference is None or t.threshold is None:
        if t.first_day is None and practice_ratings:
            counted = "a rating" if practice_ratings == 1 else f"{practice_ratings} ratings"
            return (
                f"No pain ratings that count yet in these days: {counted} given around "
                "a practice run, which the trend leaves out."
            )
        if t.first_day is None:
            return "No pain ratings yet in these days."
        return "Two weeks of ratings are needed to compare the first week with the last."
    assert t.first_week_mean is not None and t.last_week_mean is not None
    head = f"First week {t.first_week_mean:.1f}, last week {t.last_week_mean:.1f}"
    if t.change is Change.BETTER:
        return f"{head}: a drop most people notice."
    if t.change is Change.WORSE:
        return f"{head}: a rise most people notice."
    return (
        f"{head}: smaller than the change most people notice from that start "
        f"(about {t.threshold:.1f} points)."
    )


def _adherence_text(a: Adherence) -> str:
    return f"{a.done} of {a.of_days} ({a.ratio:.0%})"


DIRECTION_WORDS = {
    "centralising": "pulling back toward the spine: a good sign",
    "peripheralising": "reaching further down the leg",
    "stable": "about the same",
    "no-data": "not enough ratings with places yet",
}


def insight_lines(found: Insight) -> list[str]:
    from stretchcoach.domain.safety import read_first

    h, t, e = found.habit, found.trend, found.effect
    if h.current_streak:
        word = "morning" if h.current_streak == 1 else "mornings"
        streak = f"{h.current_streak} {word} in a row"
    else:
        streak = "your next morning starts one"
    # A flag that stops the stretch or sends the person to be seen comes first: nothing
    # encouraging stands above it.
    first = read_first(found.flags)
    lines = [*_flag_lines(found, "Please read first"), ""] if first else []
    lines += [
        f"Your mornings ({found.window}, {found.time_zone})",
        f"  Streak: {streak} (best so far: {h.best_streak})",
        f"  Last 7 days: {_adherence_text(h.last_7)}   Last 30 days: {_adherence_text(h.last_30)}",
    ]
    if h.today in h.days:
        lines.append("  Today: done. Well done.")
    elif h.today_open:
        lines.append(f"  Today: still to do; your morning runs until {found.window.end:%H:%M}.")
    else:
        lines.append("  Today: no morning stretch. Tomorrow is a fresh start.")
    lines += ["", f"Pain, last {found.days} days (0 none, 10 worst)"]
    lines += textwrap.wrap(
        trend_sentence(t, practice_ratings=found.practice_ratings),
        width=78,
        initial_indent="  ",
        subsequent_indent="  ",
    )
    if t.slope_per_week is not None and t.threshold is not None:
        lines.append(f"  Trend: {signed(t.slope_per_week)} points a week.")
    worse = found.verdict.signals.worse_days
    if worse:
        days = ", ".join(f"{d:%d %b}" for d in worse[-3:])
        lines.append(f"  Mornings worse than the days before: {days}.")
    if e.mean_change is not None:
        word = "session" if e.sessions == 1 else "sessions"
        lines.append(f"  Straight after a session: {signed(e.mean_change)} points on average")
        lines.append(f"  ({e.sessions} {word} rated before and after).")
    lines += ["", "Where the pain reaches, last 14 days"]
    for side, direction in found.centralisation.items():
        lines.append(f"  {side.value.capitalize()} leg: {DIRECTION_WORDS[direction.value]}")
    plan, gate = found.verdict.plan, found.verdict.gate
    lines += ["", "Next session"]
    if gate.status.value == "blocked":
        text = f"None for now. {gate.message[:1].upper()}{gate.message[1:]}."
    elif gate.due:
        text = f"{gate.message[:1].upper()}{gate.message[1:]}: answer with 'stretchcoach screen'."
    else:
        text = plan.reason
    lines += textwrap.wrap(text, width=78, initial_indent="  ", subsequent_indent="  ")
    if found.flags and not first:
        lines += ["", *_flag_lines(found, "Please read")]
    return lines


def _flag_lines(found: Insight, title: str) -> list[str]:
    lines = [title]
    for flag in found.flags:
        lines += textwrap.wrap(
            flag.message, width=78, initial_indent="  - ", subsequent_indent="    "
        )
    return lines
