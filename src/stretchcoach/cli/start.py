"""`stretchcoach start`: coach one guided session and save every hold as it ends."""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

import typer

from stretchcoach.cli.common import (
    CHANGED_OPTION,
    DB_OPTION,
    NUMB_OPTION,
    WEAKER_OPTION,
    open_store,
    settings,
    whole_number,
)
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import StoreUnavailable

MAX_REPS = 50  # digits only, up to what any record holds; the routine then says its own range

NOT_KEPT = 1  # exit code when a record could be kept neither in the database nor on disk


def start(
    hold: float | None = typer.Option(
        None,
        "--hold",
        metavar="S",
        help="Seconds per hold (if unset: the hold suggested after last time).",
    ),
    reps: str | None = typer.Option(None, "--reps", metavar="N", help="Holds per leg."),
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
        False,
        "--skip-checkin",
        help="Do not ask the morning check-in (pain, where, three questions) or pain after.",
    ),
    pain_before: str | None = typer.Option(
        None, "--pain-before", metavar="N", help="Pain now, 0-10, without being asked."
    ),
    where_before: str = typer.Option(
        "",
        "--where-before",
        metavar="SPEC",
        help="Where the pain reaches now, with --pain-before (left:thigh,left:calf).",
    ),
    numb: str | None = NUMB_OPTION,
    weaker: str | None = WEAKER_OPTION,
    changed: str | None = CHANGED_OPTION,
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
    from stretchcoach.cli import checkin
    from stretchcoach.cli.coach import coach
    from stretchcoach.cli.render import kept_report, session_summary
    from stretchcoach.domain.routine import choose_settings
    from stretchcoach.domain.session import Owner
    from stretchcoach.services import session_case
    from stretchcoach.services.flexibility import usual_form
    from stretchcoach.services.sessions import get_session, new_session

    session_case.check_speed(speed, option="--speed")
    routine = bootstrap.routine(routine_file)
    requested = choose_settings(
        routine,
        hold_s=hold,
        reps_per_side=None if reps is None else whole_number(reps, "--reps", 0, MAX_REPS),
        first_side=first_leg,
        rest_s=rest,
    )
    opts = checkin.options(
        skip_checkin=skip_checkin,
        pain_before=pain_before,
        pain_after=pain_after,
        felt=felt,
        total_holds=requested.total_holds,
        where_before=where_before,
        numb=numb,
        weaker=weaker,
        changed=changed,
    )
    current = settings(db)
    time_zone = bootstrap.local_time_zone(current)
    store = open_store(current)
    console = Console()
    clock = bootstrap.clock(speed)
    asked = checkin.before_session(
        console,
        store,
        routine,
        requested,
        opts,
        hold_given=hold is not None,
        practice=speed != 1.0,
        now=clock.now(),
        zone_name=time_zone,
        emergency_number=current.emergency_number,
    )
    with contextlib.ExitStack() as camera_on:  # the camera opens before the session begins
        form = None
        if camera is not None:
            usual = usual_form(uow=store.uow, user_id=store.user_id)
            form = camera_on.enter_context(bootstrap.camera_coach(camera, usual=usual))
        session = new_session(
            routine,
            asked.settings,
            user_id=store.user_id,
            now=clock.now(),
            time_zone=time_zone,
            speed=speed,
            owner=Owner(socket.gethostname(), os.getpid()),
        )
        courier = bootstrap.courier(store)  # from here on, nothing waits on the database
        session_case.begin(session, keep=courier.keep, pain=asked.pain)
        status, kept_holds = coach(
            console,
            store,
            routine,
            session,
            clock=clock,
            speaker=bootstrap.speaker(current, voice=not no_voice),
            form=form,
            scripted_felt=opts.felt,
            courier=courier,
            today=asked.today,
        )
    if status is not SessionStatus.INTERRUPTED:
        checkin.pain_after(
            console,
            store,
            session,
            asked,
            completed_holds=kept_holds,
            now=clock.now(),
            keep=courier.keep,
        )
    if not courier.finish():  # the store and the disk both hung: say what is only in memory
        courier.keeper.store_problem = courier.keeper.store_problem or "no answer in time"
        courier.keeper.in_memory.extend(courier.unplaced())
    store.keeper = courier.keeper
    if not store.keeper.store_problem:
        with contextlib.suppress(StoreUnavailable):  # gone again: the report below says so
            console.print(session_summary(get_session(session.id, uow=store.uow)), highlight=False)
    for line, style in kept_report(store.keeper):
        console.print(line, style=style, highlight=False)
    if asked.settings.reps_per_side < routine.dose.recommended_min_reps:
        console.print(
            f"Tip: {routine.dose.recommended_min_reps} or more holds per leg work best.",
            style="dim",
        )
    if status is SessionStatus.INTERRUPTED:
        raise typer.Exit(143)
    if store.keeper.in_memory:
        raise typer.Exit(NOT_KEPT)  # something recorded could not be kept anywhere
    if not store.keeper.store_problem:
        checkin.advise(console, store, routine, session, now=clock.now())
