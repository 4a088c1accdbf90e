"""`stretchcoach start`: coach one guided session and save every hold as it ends."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import typer

from stretchcoach.cli.common import DB_OPTION, open_store, settings
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import InvalidInput, StoreUnavailable

if TYPE_CHECKING:
    from stretchcoach.services.safekeeping import SafeKeeper

MAX_SPEED = 1000.0
NOT_KEPT = 1  # exit code when a record could be kept neither in the database nor on disk


class _Terminated(Exception):
    """The process was asked to end (SIGTERM, SIGHUP)."""


def start(
    hold: float | None = typer.Option(
        None,
        "--hold",
        metavar="S",
        help="Seconds per hold (if unset: the hold suggested after last time).",
    ),
    reps: int | None = typer.Option(None, "--reps", metavar="N", help="Holds per leg."),
    first_leg: Side | None = typer.Option(
        None, "--first-leg", case_sensitive=False, help="Which leg goes first."
    ),
    rest: float | None = typer.Option(
        None, "--rest", metavar="S", help="Seconds to release and switch between holds."
    ),
    speed: float = typer.Option(
        1.0,
        "--speed",
        metavar="F",
        help="Run the clock F times faster, for a demo or a test. Recorded as a practice run.",
    ),
    no_voice: bool = typer.Option(False, "--no-voice", help="Do not speak the cues."),
    routine_file: Path | None = typer.Option(
        None, "--routine", metavar="FILE", help="Use a routine from a TOML file."
    ),
    camera: int | None = typer.Option(
        None,
        "--camera",
        metavar="[INDEX]",
        help="Watch your form through a camera (the first one if no INDEX): a hold counts "
        "only while the form is right. Needs the vision extra.",
    ),
    skip_checkin: bool = typer.Option(
        False, "--skip-checkin", help="Do not ask about pain before and after."
    ),
    pain_before: str | None = typer.Option(
        None, "--pain-before", metavar="N", help="Pain before, 0-10, without being asked."
    ),
    pain_after: str | None = typer.Option(
        None, "--pain-after", metavar="N", help="Pain after, 0-10, without being asked."
    ),
    felt: str | None = typer.Option(
        None,
        "--felt",
        metavar="LIST",
        help="What the holds felt like, without being asked: pull, nothing or nerve, "
        "once for all holds or once per hold (pull,pull,nerve,...).",
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Start a guided morning session."""
    from rich.console import Console

    from stretchcoach import bootstrap
    from stretchcoach.adapters.clock import SystemClock
    from stretchcoach.adapters.routine_file import load_builtin, load_routine_file
    from stretchcoach.cli import checkin
    from stretchcoach.cli.keys import TerminalKeys
    from stretchcoach.cli.render import session_summary
    from stretchcoach.cli.view import LiveView, PlainView
    from stretchcoach.domain.journal import PainContext
    from stretchcoach.domain.routine import choose_settings
    from stretchcoach.domain.runner import HoldResult, Runner
    from stretchcoach.domain.session import Hold, Owner
    from stretchcoach.domain.timeline import build_timeline
    from stretchcoach.services.guided import GuidedSession
    from stretchcoach.services.safekeeping import HoldKept, Kept, SessionBegun, SessionEnded
    from stretchcoach.services.sessions import get_session, new_session

    if not 0 < speed <= MAX_SPEED:
        raise InvalidInput(f"--speed {speed:g} is not allowed: use a number above 0, up to 1000")
    routine = load_routine_file(routine_file) if routine_file else load_builtin()
    chosen = choose_settings(
        routine, hold_s=hold, reps_per_side=reps, first_side=first_leg, rest_s=rest
    )
    checkin_options = checkin.options(
        skip_checkin=skip_checkin,
        pain_before=pain_before,
        pain_after=pain_after,
        felt=felt,
        total_holds=chosen.total_holds,
    )
    current = settings(db)
    time_zone = bootstrap.local_time_zone(current)
    store = open_store(current)
    console = Console()
    clock = SystemClock(speed)
    asked = checkin.before_session(
        console,
        store,
        routine,
        chosen,
        checkin_options,
        hold_given=hold is not None,
        practice=speed != 1.0,
        now=clock.now(),
        zone_name=time_zone,
    )
    chosen = asked.settings
    camera_stack = contextlib.ExitStack()
    coach = None
    if camera is not None:
        from stretchcoach.cli.camera import camera_coach
        from stretchcoach.services.flexibility import usual_form

        usual = usual_form(uow=store.uow, user_id=store.user_id)
        coach = camera_stack.enter_context(camera_coach(camera, usual=usual))

    timeline = build_timeline(routine, chosen)
    session = new_session(
        routine,
        chosen,
        user_id=store.user_id,
        now=clock.now(),
        time_zone=time_zone,
        speed=speed,
        owner=Owner(socket.gethostname(), os.getpid()),
    )
    store.keeper.keep(SessionBegun(session))
    checkin.keep_pain(
        store, session, asked.pain_before, asked.where_before, PainContext.BEFORE, now=clock.now()
    )
    felt_recorder = checkin.FeltRecorder(store, session.id, scripted=checkin_options.felt)
    speaker = bootstrap.speaker(current, voice=not no_voice)
    runner = Runner(timeline, clock)
    keys = TerminalKeys.for_stdin()
    practice = speed if speed != 1.0 else None
    view: LiveView | PlainView
    if console.is_terminal:
        view = LiveView(console, timeline, practice_speed=practice, interactive=keys.interactive)
    else:
        view = PlainView(console, timeline)
        console.print(f"Session {session.id} · {routine.name}", highlight=False)

    def save_hold(result: HoldResult) -> Kept:
        """Saved once committed; else kept safe in the pending journal (or in memory)."""
        form = coach.hold_form(result.hold_number) if coach is not None else None
        hold = Hold.from_result(session.id, result, ended_at=clock.now())
        kept = store.keeper.keep(HoldKept(hold, form))
        felt_recorder.saved(hold)
        return kept

    guided = GuidedSession(
        runner=runner,
        clock=clock,
        speaker=speaker,
        view=view,
        keys=keys,
        save_hold=save_hold,
        form=coach,
        on_felt=felt_recorder.answer if keys.interactive and not checkin_options.felt else None,
    )

    status = SessionStatus.INTERRUPTED
    previous = _on_termination()
    try:
        with keys, view:
            try:
                status = guided.run()
            except KeyboardInterrupt:
                guided.stop()
                status = SessionStatus.STOPPED
            except _Terminated:
                guided.stop()
                status = SessionStatus.INTERRUPTED
    finally:
        _restore(previous)
        camera_stack.close()
        store.keeper.keep(SessionEnded(session.id, status, clock.now()))  # never raises
        speaker.close()

    if status is not SessionStatus.INTERRUPTED:
        checkin.after_session(
            console,
            store,
            session,
            asked,
            felt_recorder,
            pending_hold=guided.felt_pending if status is SessionStatus.COMPLETED else None,
            completed_holds=len(felt_recorder.hold_ids),
            now=clock.now(),
        )
    store.keeper.settle()
    if not store.keeper.store_problem:
        with contextlib.suppress(StoreUnavailable):  # gone again: the report below says so
            console.print(session_summary(get_session(session.id, uow=store.uow)), highlight=False)
    for line, style in kept_report(store.keeper):
        console.print(line, style=style, highlight=False)
    if chosen.reps_per_side < routine.dose.recommended_min_reps:
        console.print(
            f"Tip: {routine.dose.recommended_min_reps} or more holds per leg work best.",
            style="dim",
        )
    if status is SessionStatus.INTERRUPTED:
        raise typer.Exit(143)
    if store.keeper.in_memory:
        raise typer.Exit(NOT_KEPT)  # something recorded could not be kept anywhere
    if store.keeper.store_problem:
        return
    checkin.advise(console, store, routine, session, now=clock.now(), zone_name=time_zone)


def kept_report(keeper: SafeKeeper) -> list[tuple[str, str]]:
    """What is not in the database yet, and where it is, in plain words."""
    from stretchcoach.services.safekeeping import describe

    lines: list[tuple[str, str]] = []
    if keeper.waiting:
        lines.append(
            (
                f"The database is not answering ({keeper.store_problem}). "
                f"Waiting, and safe on this computer: {describe(keeper.waiting, numbers=True)}, in "
                f"{keeper.journal.location}. They are saved the next time the database "
                "answers (any stretchcoach command).",
                "bold yellow",
            )
        )
    if keeper.in_memory:
        lines.append(
            (
                f"Not saved: {describe(keeper.in_memory, numbers=True)}. Neither the database "
                f"nor this computer's disk would take them ({keeper.journal_problem}).",
                "bold red",
            )
        )
    return lines


def _on_termination() -> dict[int, object]:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Terminated()

    previous: dict[int, object] = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        previous[sig] = signal.signal(sig, handler)
    return previous


def _restore(previous: dict[int, object]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)  # type: ignore[arg-type]
