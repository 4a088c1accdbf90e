"""What `start` asks and says around a session: safety first, pain before and after, and
the dose for next time. Every decision is the session use case's (services/session_case.py),
the same the phone gets; this module asks and prints.

`start` calls these in order: `options` (check everything the user typed, before anything is
written), `before_session` (the warning-signs check when it is due, the first-run note, the
dose, pain before), `keep_pain`, and after the session `pain_after` and `advise`. How each
hold felt is asked on the session screen itself (services/guided.py).

Scripted runs (stdin not a terminal) are never asked anything: the warning-signs check that
is due is only mentioned on stderr (a yes on the latest check still blocks), pain is kept only
when --pain-before/--pain-after give it, and --felt gives what the holds felt like.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from stretchcoach.domain.checkin import NOT_ASKED, Symptoms, symptoms_from_options
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext, parse_sites
from stretchcoach.domain.values import Side
from stretchcoach.errors import InvalidInput, SafetyBlock

if TYPE_CHECKING:
    from rich.console import Console

    from stretchcoach.bootstrap import Store
    from stretchcoach.domain.clinical import Verdict
    from stretchcoach.domain.journal import PainEntry
    from stretchcoach.domain.routine import Routine, SessionSettings
    from stretchcoach.domain.session import Session
    from stretchcoach.services.checkin import Reported
    from stretchcoach.services.session_case import Keep

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Options:
    """The check-in options of `start`, checked."""

    skip: bool
    pain_before: int | None
    pain_after: int | None
    felt: tuple[Felt, ...]
    interactive: bool
    where_before: str = ""
    symptoms: Symptoms = NOT_ASKED


def options(
    *,
    skip_checkin: bool,
    pain_before: str | None,
    pain_after: str | None,
    felt: str | None,
    total_holds: int,
    where_before: str = "",
    numb: str | None = None,
    weaker: str | None = None,
    changed: str | None = None,
) -> Options:
    """Check the check-in options; raises InvalidInput before anything is written."""
    from stretchcoach.domain.journal import parse_score

    scores: dict[str, int | None] = {}
    for name, value in (("--pain-before", pain_before), ("--pain-after", pain_after)):
        try:
            scores[name] = None if value is None else parse_score(value)
        except InvalidInput as error:
            raise InvalidInput(f"{name}: {error}") from None
    try:
        parse_sites(where_before)
    except InvalidInput as error:
        raise InvalidInput(f"--where-before: {error}") from None
    if where_before and scores["--pain-before"] is None:
        raise InvalidInput("--where-before goes with a rating: add --pain-before N (0 to 10)")
    return Options(
        skip=skip_checkin,
        pain_before=scores["--pain-before"],
        pain_after=scores["--pain-after"],
        felt=parse_felt(felt, total_holds) if felt is not None else (),
        interactive=sys.stdin.isatty(),
        where_before=where_before,
        symptoms=symptoms_from_options(numb, weaker, changed),
    )


def parse_felt(spec: str, total_holds: int) -> tuple[Felt, ...]:
    """`pull`, or one answer per hold: `pull,nothing,nerve,...`."""
    answers: list[Felt] = []
    for raw in (part.strip().lower() for part in spec.split(",")):
        try:
            answers.append(Felt(raw))
        except ValueError:
            raise InvalidInput(
                f"--felt {raw!r} is not an answer: use pull, nothing or nerve"
            ) from None
    if len(answers) not in (1, total_holds):
        raise InvalidInput(
            f"--felt has {len(answers)} answers: give one for every hold or "
            f"{total_holds} (one per hold)"
        )
    return tuple(answers)


@dataclass
class Checkin:
    """What was asked before the session, to keep once the session exists."""

    options: Options
    settings: SessionSettings
    pain: PainEntry | None = None  # the check-in's, kept with the session as it begins
    today: str = ""  # the plan's reason, kept in view on the get-ready screen


def before_session(
    console: Console,
    store: Store,
    routine: Routine,
    requested: SessionSettings,
    opts: Options,
    *,
    hold_given: bool,
    practice: bool,
    now: datetime,
    zone_name: str,
    emergency_number: str = "999",
) -> Checkin:
    """The morning check-in first, then the safety gate and the dose (the clinical core's).

    On a terminal a warning-signs check that is due is asked there and then, and the check-in
    asks the pain now, where it reaches, and the three questions (numbness, a weaker leg, a
    change in peeing, bowels or feeling between the legs); what it hears decides today's gate
    and dose. A script gives the same with --pain-before, --where-before, --numb, --weaker and
    --changed, and a check that is due refuses it with one line saying how to answer it, as
    the web refuses a session (the same gate everywhere)."""

    from stretchcoach.domain.checkin import SKIPPED
    from stretchcoach.domain.safety import (
        ACKNOWLEDGE_IN_TERMINAL,
        ANSWER_IN_TERMINAL,
        ANSWER_SCRIPTED,
    )
    from stretchcoach.services import session_case
    from stretchcoach.services.clinical import verdict

    zone = ZoneInfo(zone_name)

    def current() -> Verdict:
        return verdict(
            store.user_id,
            routine,
            uow=store.uow,
            now=now,
            zone=zone,
            reps_per_side=requested.reps_per_side,
            practice=practice,
        )

    found = current()
    screened = False
    if found.gate.due and opts.interactive:
        _answer_the_check(console, store, found, current, now=now)
        screened = True
    score, where, symptoms = opts.pain_before, opts.where_before, opts.symptoms
    if not opts.skip and opts.interactive and score is None:
        score, where, symptoms = ask_morning(console, symptoms_too=not screened, given=symptoms)
        if score is None:
            console.print(SKIPPED, highlight=False)
    where_to = session_case.Where(
        answer=ANSWER_IN_TERMINAL if opts.interactive else ANSWER_SCRIPTED,
        seen=ACKNOWLEDGE_IN_TERMINAL,
    )
    morning = session_case.Morning(score, where, symptoms)
    checked = session_case.check_in(
        store.user_id,
        routine,
        requested,
        morning,
        uow=store.uow,
        now=now,
        zone=zone,
        where=where_to,
        keep=store.keeper.keep,
        hold_chosen=hold_given,
        practice=practice,
    )
    show_reported(console, checked.reported)
    if checked.refused is not None:
        raise checked.refused
    planned = checked.plan
    assert planned is not None  # a check-in not refused has its plan
    if planned.first_run:  # the same facts as the web's first visit
        from stretchcoach.domain.consent import first_run_lines

        for line in first_run_lines(emergency_number):
            console.print(line, style="bold", highlight=False)
    for flag in planned.warnings:
        console.print(flag.message, style="bold yellow", highlight=False)
    settings = planned.settings
    if planned.hold_suggested:
        console.print(
            f"Holding {settings.hold_s:g} s, as suggested after last time (--hold S to choose).",
            highlight=False,
        )
    if settings.side_reps is not None:
        console.print(
            f"Holds per leg today: {settings.reps_for(Side.LEFT)} left, "
            f"{settings.reps_for(Side.RIGHT)} right.",
            highlight=False,
        )
    plan = planned.verdict.plan  # on a first run, said only when the morning changed it
    today = "" if planned.first_run and not plan.changed_by else f"Today: {plan.reason}"
    if today:
        console.print(today, highlight=False)
    return Checkin(opts, settings, pain=checked.pain, today=today)


def ask_morning(
    console: Console, *, symptoms_too: bool = True, given: Symptoms = NOT_ASKED
) -> tuple[int | None, str, Symptoms]:
    """The check-in: pain now and where (Enter skips the whole check-in), then the three
    questions, each needing an answer (n for no); one given as an option is not asked."""
    from stretchcoach.domain.checkin import CHANGE_WORDS, parse_changed, parse_numb, parse_weaker

    score, where = ask_pain(console, "before", skip_words="Enter skips the check-in")
    if score is None or not symptoms_too:
        return score, where, NOT_ASKED
    changes = " · ".join(f"{i} {w}" for i, w in enumerate(CHANGE_WORDS.values(), start=1))
    numb = given.numb
    if numb is None:
        numb = _ask(
            console,
            "New numbness or pins and needles?",
            "n no · l left · r right · b both legs · s between the legs",
            parse_numb,
        )
    weaker = given.weaker
    if weaker is None:
        weaker = _ask(
            console,
            "Is a leg or foot getting weaker?",
            "n no · l left · r right · b both",
            parse_weaker,
        )
    changed = given.changed
    if changed is None:
        changed = _ask(
            console,
            "Any change in peeing, your bowels, the feeling between your legs, or in sex?",
            f"n no · {changes}",
            parse_changed,
        )
    return score, where, Symptoms(numb, weaker, changed)


def _ask(console: Console, question: str, choices: str, parse: Callable[[str], T]) -> T:
    """Ask until the answer parses, the choices on a line of their own under the question;
    Enter alone is not an answer here."""
    while True:
        console.print(question, style="bold", highlight=False)
        text = console.input(f"  {choices}: ").strip()
        if text:
            try:
                return parse(text)
            except InvalidInput as error:
                console.print(str(error), highlight=False)
                continue
        console.print("Please answer: n means no.", highlight=False)


def show_reported(console: Console, reported: Reported) -> None:
    """What a reported yes means, at once, in the words of its level."""
    from stretchcoach.domain.safety import CARE_MESSAGES, Care

    if reported.care is None:
        return
    style = "bold red" if reported.care in (Care.EMERGENCY, Care.SAME_DAY) else "bold yellow"
    console.print(CARE_MESSAGES[reported.care], style=style, highlight=False)


def _answer_the_check(
    console: Console,
    store: Store,
    found: Verdict,
    reassess: Callable[[], Verdict],
    *,
    now: datetime,
) -> None:
    """Ask the warning-signs check that is due; SafetyBlock when the answers stop the session."""
    from stretchcoach.cli.screen import ask_screen, show_outcome
    from stretchcoach.domain.clinical import GateStatus
    from stretchcoach.services.safety import answer_screen

    recheck = found.gate.status is GateStatus.RECHECK
    if recheck:
        console.print(f"{found.gate.message[:1].upper()}{found.gate.message[1:]}.")
    answers = ask_screen(console, emergency_only=recheck)
    _, outcome = answer_screen(
        answers, user_id=store.user_id, uow=store.uow, now=now, partial=recheck
    )
    after = reassess()
    show_outcome(console, outcome, after)
    if after.gate.status is GateStatus.BLOCKED:  # said just above, in full
        raise SafetyBlock("no session today: please get the care described above first")


def ask_pain(
    console: Console, when: str, *, skip_words: str = "Enter to skip"
) -> tuple[int | None, str]:
    """A 0-10 rating and, if given, where; Enter skips either."""
    from stretchcoach.domain.journal import parse_score

    score: int | None = None
    while True:
        text = console.input(f"Pain {when} the stretch, 0 to 10 ({skip_words}): ").strip()
        if not text:
            return None, ""
        try:
            score = parse_score(text)
            break
        except InvalidInput:
            console.print("Please type a whole number from 0 (none) to 10 (worst).")
    if score == 0:
        return 0, ""
    while True:
        where = console.input("Where? e.g. left:buttock,left:thigh (Enter to skip): ").strip()
        try:
            parse_sites(where)
            return score, where
        except InvalidInput as error:
            console.print(str(error), highlight=False)


def keep_pain(
    store: Store,
    session: Session,
    score: int | None,
    where: str,
    context: PainContext,
    *,
    now: datetime,
    keep: Keep | None = None,
) -> None:
    """Keep a rating with the session: saved, or kept safe until the store answers
    (`keep`: how, the store's keeper unless given)."""
    from stretchcoach.services import session_case

    if score is None:
        return
    entry = session_case.session_pain(session, score, context, now=now, where=where)
    session_case.record_pain(entry, keep=keep or store.keeper.keep)


def pain_after(
    console: Console,
    store: Store,
    session: Session,
    checkin: Checkin,
    *,
    completed_holds: int,
    now: datetime,
    keep: Keep | None = None,
) -> None:
    """Ask how the pain is now (given, or asked after a session that kept a hold)."""
    opts = checkin.options
    score, where = opts.pain_after, ""
    if not opts.skip and opts.interactive and score is None and completed_holds:
        score, where = ask_pain(console, "after")
    keep_pain(store, session, score, where, PainContext.AFTER, now=now, keep=keep)


def advise(
    console: Console, store: Store, routine: Routine, session: Session, *, now: datetime
) -> None:
    """The dose for next time, with its reason, and any warning that applies now: the same
    advice the phone shows after its session."""
    from stretchcoach.domain.safety import Severity
    from stretchcoach.services import session_case

    advice = session_case.advise(session.id, routine, user_id=store.user_id, uow=store.uow, now=now)
    if advice.note:
        console.print(advice.note, highlight=False)
    console.print(f"Next time: {advice.reason}", highlight=False)
    for flag in advice.warnings:
        style = "bold yellow" if flag.severity is Severity.EASE_OFF else "bold red"
        console.print(flag.message, style=style, highlight=False)
