"""What `start` asks and says around a session: safety first, pain before and after, the feel
of each hold, and the dose for next time.

`start` calls these in order: `options` (check everything the user typed, before anything is
written), `before_session` (the warning-signs gate, the first-run note, the suggested hold,
pain before), `FeltRecorder` during the session, `after_session` at the end.

Scripted runs (stdin not a terminal) are never asked anything: the warning-signs check that
is due is only mentioned on stderr (a yes on the latest check still blocks), pain is kept only
when --pain-before/--pain-after give it, and --felt gives what the holds felt like.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext
from stretchcoach.domain.safety import ANSWER_IN_TERMINAL
from stretchcoach.domain.values import Side
from stretchcoach.errors import InvalidInput, SafetyBlock

if TYPE_CHECKING:
    from rich.console import Console

    from stretchcoach.cli.common import Store
    from stretchcoach.domain.clinical import Verdict
    from stretchcoach.domain.routine import Routine, SessionSettings
    from stretchcoach.domain.session import Hold, Session

FELT_WORDS = {
    Felt.PULL: "a mild pull in the thigh",
    Felt.NOTHING: "nothing much",
    Felt.NERVE: "tingling or shooting below the knee",
}


@dataclass(frozen=True, slots=True)
class Options:
    """The check-in options of `start`, checked."""

    skip: bool
    pain_before: int | None
    pain_after: int | None
    felt: tuple[Felt, ...]
    interactive: bool


def options(
    *,
    skip_checkin: bool,
    pain_before: str | None,
    pain_after: str | None,
    felt: str | None,
    total_holds: int,
) -> Options:
    """Check the check-in options; raises InvalidInput before anything is written."""
    from stretchcoach.domain.journal import parse_score

    scores: dict[str, int | None] = {}
    for name, value in (("--pain-before", pain_before), ("--pain-after", pain_after)):
        try:
            scores[name] = None if value is None else parse_score(value)
        except InvalidInput as error:
            raise InvalidInput(f"{name}: {error}") from None
    return Options(
        skip=skip_checkin,
        pain_before=scores["--pain-before"],
        pain_after=scores["--pain-after"],
        felt=parse_felt(felt, total_holds) if felt is not None else (),
        interactive=sys.stdin.isatty(),
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
    pain_before: int | None = None
    where_before: str = ""


def before_session(
    console: Console,
    store: Store,
    routine: Routine,
    chosen: SessionSettings,
    opts: Options,
    *,
    hold_given: bool,
    practice: bool,
    now: datetime,
    zone_name: str,
) -> Checkin:
    """The safety gate (the clinical core's), the first-run note, the dose and pain before.

    On a terminal a check that is due is asked there and then; a script is refused with one
    line saying how to answer it, as the web refuses a session (the same gate everywhere)."""
    from dataclasses import replace
    from zoneinfo import ZoneInfo

    from stretchcoach.cli.screen import ask_screen, show_outcome
    from stretchcoach.domain.clinical import GateStatus, apply_plan
    from stretchcoach.domain.safety import ANSWER_SCRIPTED, DISCLAIMER
    from stretchcoach.services.clinical import verdict
    from stretchcoach.services.safety import answer_screen, require_screen
    from stretchcoach.services.settings import chosen_hold

    zone = ZoneInfo(zone_name)

    def current() -> Verdict:
        return verdict(
            store.user_id,
            routine,
            uow=store.uow,
            now=now,
            zone=zone,
            reps_per_side=chosen.reps_per_side,
            practice=practice,
        )

    found = current()
    if found.gate.due and opts.interactive:
        recheck = found.gate.status is GateStatus.RECHECK
        if recheck:
            console.print(f"{found.gate.message[:1].upper()}{found.gate.message[1:]}.")
        answers = ask_screen(console, emergency_only=recheck)
        _, outcome = answer_screen(
            answers, user_id=store.user_id, uow=store.uow, now=now, partial=recheck
        )
        found = current()
        show_outcome(console, outcome, found)
        if found.gate.status is GateStatus.BLOCKED:  # said just above, in full
            raise SafetyBlock("no session today: please get the care described above first")
    require_screen(found, answer_where=ANSWER_IN_TERMINAL if opts.interactive else ANSWER_SCRIPTED)
    with store.uow:
        first_run = not store.uow.sessions.list_recent(store.user_id, limit=1)
    if first_run:
        console.print(DISCLAIMER, style="bold", highlight=False)
    for flag in found.flags:
        if flag.severity.value in ("see-doctor", "ease-off", "stop"):
            console.print(flag.message, style="bold yellow", highlight=False)
    saved_hold = None if hold_given else chosen_hold(store.user_id, routine, uow=store.uow)
    if saved_hold is not None:  # the dose saved on the web, as the web would run it
        chosen = replace(chosen, hold_s=saved_hold)
    settings = apply_plan(found.plan, chosen, keep_hold=hold_given or saved_hold is not None)
    if settings.hold_s != chosen.hold_s:
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
    if not first_run:
        console.print(f"Today: {found.plan.reason}", highlight=False)
    checkin = Checkin(opts, settings, pain_before=opts.pain_before)
    if not opts.skip and opts.interactive and opts.pain_before is None:
        checkin.pain_before, checkin.where_before = ask_pain(console, "before")
    return checkin


def ask_pain(console: Console, when: str) -> tuple[int | None, str]:
    """A 0-10 rating and, if given, where; Enter skips either."""
    from stretchcoach.domain.journal import parse_score, parse_sites

    score: int | None = None
    while True:
        text = console.input(f"Pain {when} the stretch, 0 to 10 (Enter to skip): ").strip()
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
) -> None:
    from stretchcoach.services.journal import pain_entry
    from stretchcoach.services.safekeeping import PainKept

    if score is None:
        return
    entry = pain_entry(
        score,
        where=where,
        user_id=store.user_id,
        now=now,
        time_zone=session.time_zone,
        context=context,
        session_id=session.id,
    )
    store.keeper.keep(PainKept(entry))  # saved, or kept safe until the store answers


@dataclass
class FeltRecorder:
    """Keeps what each hold felt like, once the hold itself is saved."""

    store: Store
    session_id: str
    scripted: tuple[Felt, ...] = ()
    hold_ids: dict[int, str] = field(default_factory=dict)
    waiting: dict[int, Felt] = field(default_factory=dict)

    def saved(self, hold: Hold) -> None:
        """Call when a hold is kept; scripted answers are kept right away."""
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
        from stretchcoach.services.safekeeping import FeltKept

        for number in [n for n in self.waiting if n in self.hold_ids]:
            felt = FeltKept(self.session_id, self.hold_ids[number], self.waiting.pop(number))
            self.store.keeper.keep(felt)  # saved, or kept safe until the store answers


def ask_felt(console: Console, hold_number: int) -> Felt | None:
    console.print(
        f"How did hold {hold_number} feel? 1 a mild pull in the thigh · 2 nothing much · "
        "3 tingling or shooting below the knee",
        highlight=False,
    )
    while True:
        text = console.input("1, 2 or 3 (Enter to skip): ").strip()
        if not text:
            return None
        if text in ("1", "2", "3"):
            return (Felt.PULL, Felt.NOTHING, Felt.NERVE)[int(text) - 1]


def after_session(
    console: Console,
    store: Store,
    session: Session,
    checkin: Checkin,
    felt: FeltRecorder,
    *,
    pending_hold: int | None,
    completed_holds: int,
    now: datetime,
) -> None:
    """Ask about the last hold and how the pain is now."""
    opts = checkin.options
    if opts.interactive and pending_hold is not None:
        answer = ask_felt(console, pending_hold)
        if answer is not None:
            felt.answer(pending_hold, answer)
    pain_after, where_after = opts.pain_after, ""
    if not opts.skip and opts.interactive and pain_after is None and completed_holds:
        pain_after, where_after = ask_pain(console, "after")
    keep_pain(store, session, pain_after, where_after, PainContext.AFTER, now=now)


def advise(
    console: Console,
    store: Store,
    routine: Routine,
    session: Session,
    *,
    now: datetime,
    zone_name: str,
) -> None:
    """The dose for next time, with its reason, and any warning that applies now: the same
    verdict the web, the dashboard and the report give."""
    from zoneinfo import ZoneInfo

    from stretchcoach.domain.safety import Severity
    from stretchcoach.services.clinical import verdict

    found = verdict(
        store.user_id,
        routine,
        uow=store.uow,
        now=now,
        zone=ZoneInfo(zone_name),
        reps_per_side=session.settings.reps_per_side,
        practice=session.practice,
    )
    console.print(f"Next time: {found.plan.reason}", highlight=False)
    for flag in found.flags:
        if flag.severity is Severity.INFO:
            continue
        style = "bold yellow" if flag.severity is Severity.EASE_OFF else "bold red"
        console.print(flag.message, style=style, highlight=False)
