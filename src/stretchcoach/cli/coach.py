"""Coach one session in this terminal: the screen, the keys, the voice, the camera's form
coach, and the signals that end it. Every record goes through the session use case
(services/session_case.py) to the courier (adapters/courier.py), which keeps it on a thread of
its own, so nothing recorded is lost when the database fails mid-session and the countdown
never waits on the database.
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import TYPE_CHECKING

import typer

from stretchcoach.domain.values import SessionStatus

if TYPE_CHECKING:
    from rich.console import Console

    from stretchcoach.bootstrap import Store
    from stretchcoach.domain.clock import Clock
    from stretchcoach.domain.feel import Felt
    from stretchcoach.domain.routine import Routine
    from stretchcoach.domain.session import Session
    from stretchcoach.services.form import LiveFormCoach
    from stretchcoach.services.ports import Courier, Speaker


class _Terminated(Exception):
    """The process was asked to end (SIGTERM, SIGHUP)."""


def coach(
    console: Console,
    store: Store,
    routine: Routine,
    session: Session,
    *,
    clock: Clock,
    speaker: Speaker,
    form: LiveFormCoach | None,
    scripted_felt: tuple[Felt, ...],
    courier: Courier,
    today: str = "",
) -> tuple[SessionStatus, int]:
    """Run the session to its end and keep how it ended; returns that and the holds kept.

    `form`: the camera's form coach, already watching, when the session is coached by it;
    `today`: the plan's reason, which the full-screen view keeps in sight while getting ready
    (printed before it, it would be covered at once)."""
    from stretchcoach.cli.keys import TerminalKeys
    from stretchcoach.cli.view import LiveView, PlainView
    from stretchcoach.domain.runner import HoldResult, Runner
    from stretchcoach.domain.session import Hold
    from stretchcoach.domain.timeline import build_timeline
    from stretchcoach.services import session_case
    from stretchcoach.services.guided import GuidedSession
    from stretchcoach.services.safekeeping import HoldKept, Kept

    keep = courier.keep
    timeline = build_timeline(routine, session.settings)
    answers = session_case.FeltAnswers(session.id, keep, scripted=scripted_felt)
    keys = TerminalKeys.for_stdin()
    view: LiveView | PlainView
    if console.is_terminal:
        practice = session.speed if session.practice else None
        view = LiveView(
            console, timeline, practice_speed=practice, interactive=keys.interactive, today=today
        )
    else:
        view = PlainView(console, timeline)
        console.print(f"Session {session.id} · {routine.name}", highlight=False)

    def save_hold(result: HoldResult) -> Kept:
        """Saved once committed; else kept safe in the pending journal (or in memory)."""
        hold = Hold.from_result(session.id, result, ended_at=clock.now())
        measured = form.hold_form(result.hold_number) if form is not None else None
        kept = session_case.record_hold(hold, keep=keep, form=measured)
        answers.hold_kept(hold)
        return kept

    def hold_news() -> list[tuple[int, Kept]]:
        """Where this session's holds ended up since last asked."""
        return [
            (entry.hold.hold_number, kept)
            for entry, kept in courier.news()
            if isinstance(entry, HoldKept) and entry.hold.session_id == session.id
        ]

    guided = GuidedSession(
        runner=Runner(timeline, clock),
        clock=clock,
        speaker=speaker,
        view=view,
        keys=keys,
        save_hold=save_hold,
        hold_news=hold_news,
        form=form,
        on_felt=answers.answer if keys.interactive and not scripted_felt else None,
    )
    status = SessionStatus.INTERRUPTED
    terminated = ended = False
    previous = _on_termination()
    try:
        with keys, view:
            try:
                status = guided.run()
            except KeyboardInterrupt:  # Ctrl-C: stopped, unless it had already ended
                guided.stop()
                status = guided.runner.status
            except _Terminated:
                terminated = True
                status = guided.runner.status if guided.runner.finished else status
                guided.stop()
            session_case.finish(session.id, status, now=clock.now(), keep=keep)  # never raises
            ended = True
            courier.finish()  # the last holds' places, while the screen is still up
            guided.settle_news()
    finally:
        _restore(previous)
        if not ended:
            session_case.finish(session.id, status, now=clock.now(), keep=keep)
        speaker.close()
    if terminated and status is not SessionStatus.INTERRUPTED:
        raise typer.Exit(143)  # ended while the last hold's question waited: asked to go now
    return status, len(answers.hold_ids)


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
