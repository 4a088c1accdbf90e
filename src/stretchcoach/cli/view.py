"""How a guided session looks: a full Rich screen on a terminal, plain lines elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Self

from rich.align import Align
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from stretchcoach.cli.bigdigits import big, clock_text
from stretchcoach.domain.cues import STOPPED_CUE
from stretchcoach.domain.runner import (
    Event,
    HoldResult,
    Paused,
    PhaseStarted,
    Resumed,
    SessionFinished,
    Snapshot,
)
from stretchcoach.domain.timeline import Phase, PhaseKind, Timeline
from stretchcoach.domain.values import SessionStatus
from stretchcoach.services.safekeeping import Kept

KIND_STYLE = {
    PhaseKind.GET_READY: "bold cyan",
    PhaseKind.HOLD: "bold green",
    PhaseKind.REST: "bold yellow",
}
KEYS_HELP = "space pause/resume   n skip   q stop"


def render_screen(
    snapshot: Snapshot,
    timeline: Timeline,
    *,
    notice: str | None = None,
    practice_speed: float | None = None,
    interactive: bool = True,
    today: str = "",
) -> RenderableType:
    """The whole session screen for one moment; fits 80x24. `today`: the plan's reason, shown
    while getting ready."""
    phase = snapshot.phase
    title = Text.assemble(("stretchcoach", "bold"), " · ", timeline.routine.name)
    holds = timeline.holds
    done = sum(1 for h in holds if phase is not None and h.index < phase.index)
    subtitle = f"hold {min(done + 1, len(holds))} of {len(holds)}"
    if phase is not None and phase.is_hold:
        subtitle = f"hold {phase.hold_number} of {len(holds)}"
    if practice_speed:
        subtitle += f" · practice ×{practice_speed:g}"

    body: list[RenderableType] = []
    if snapshot.finished:  # the screen stays while the last hold's question waits
        completed = snapshot.status is SessionStatus.COMPLETED
        body.append(Text("ALL DONE" if completed else "STOPPED", style="bold green"))
        body.append(Text(""))
        body.append(Text(timeline.routine.cues.finish if completed else STOPPED_CUE))
    elif phase is None:
        body.append(Text("Starting…"))
    else:
        style = KIND_STYLE[phase.kind]
        heading = Text(phase.title.upper(), style=style)
        if snapshot.paused:
            heading.append("   PAUSED", style="bold reverse red")
        elif snapshot.gated:
            heading.append("   WAITING FOR GOOD FORM", style="bold reverse yellow")
        reason = today if phase.kind is PhaseKind.GET_READY else ""
        if reason:  # the plan's reason in the big digits' place, so the screen still fits
            heading.append(f"   {clock_text(snapshot.remaining_s)} s", style=style)
        body.append(heading)
        body.append(Text(""))
        if not reason:
            digits = "\n".join(big(clock_text(snapshot.remaining_s)))
            body.append(Align.center(Text(digits, style=style)))
            body.append(Text(""))
        body.append(Text(phase.instruction))
        if reason:
            body.append(Text(""))
            body.append(Text(reason, style="bold"))
        body.append(Text(""))
        body.append(_next_line(snapshot.next_phase))

    screen: list[RenderableType] = [
        Panel(Group(*body), title=title, subtitle=subtitle, padding=(1, 2)),
        _progress_line(snapshot, timeline),
    ]
    if notice:
        screen.append(Text(notice, style="bold reverse yellow"))
    elif interactive:
        screen.append(Text(KEYS_HELP, style="dim"))
    return Group(*screen)


def _next_line(next_phase: Phase | None) -> Text:
    if next_phase is None:
        return Text.assemble(("Next: ", "dim"), "finish")
    what = next_phase.title
    if next_phase.kind is PhaseKind.REST:
        what = f"release and rest {clock_text(next_phase.duration_s)} s"
    return Text.assemble(("Next: ", "dim"), what)


def _progress_line(snapshot: Snapshot, timeline: Timeline) -> RenderableType:
    left = timeline.total_s * (1 - snapshot.progress)
    grid = Table.grid(expand=True, padding=(0, 1))
    grid.add_column(ratio=1)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(
        ProgressBar(total=1.0, completed=snapshot.progress, complete_style="green"),
        f"{snapshot.progress:4.0%}  {clock_text(left)}{'' if left >= 60 else ' s'} left",
    )
    return grid


class LiveView:
    """A full-screen Rich display, redrawn whenever something happens."""

    def __init__(
        self,
        console: Console,
        timeline: Timeline,
        *,
        practice_speed: float | None,
        interactive: bool,
        today: str = "",
    ) -> None:
        self._console = console
        self._timeline = timeline
        self._speed = practice_speed
        self._interactive = interactive
        self._today = today
        self._live = Live(console=console, auto_refresh=False, screen=True, transient=True)

    def __enter__(self) -> Self:
        self._live.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._live.__exit__(exc_type, exc, tb)

    def show(self, snapshot: Snapshot, events: Sequence[Event], notice: str | None) -> None:
        screen = render_screen(
            snapshot,
            self._timeline,
            notice=notice,
            practice_speed=self._speed,
            interactive=self._interactive,
            today=self._today,
        )
        self._live.update(screen, refresh=True)

    def hold_kept(self, hold: HoldResult, kept: Kept) -> None:
        return None  # the notice under the timer says when a hold is not saved


class PlainView:
    """One line per change, for logs, pipes and screen readers."""

    def __init__(self, console: Console, timeline: Timeline) -> None:
        self._console = console
        self._timeline = timeline
        self._notice: str | None = None  # the last notice shown: each is shown once

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def show(self, snapshot: Snapshot, events: Sequence[Event], notice: str | None) -> None:
        for event in events:
            line = self._line(event)
            if line:
                self._console.print(line, highlight=False)
        if notice and notice != self._notice:
            self._console.print(notice, highlight=False)
        self._notice = notice

    def hold_kept(self, hold: HoldResult, kept: Kept) -> None:
        state = "done" if hold.completed else "ended early"
        where = {
            Kept.SAVED: "saved",
            Kept.WAITING: "kept safe on this computer, not saved yet",
            Kept.IN_MEMORY: "NOT saved, in memory only",
            Kept.SET_ASIDE: "NOT saved, refused by the database and set aside",
            Kept.ON_ITS_WAY: "on its way to the database",
        }[kept]
        self._console.print(
            f"  {where}: {hold.side.value} leg, {hold.held_s:.0f} of {hold.planned_s:.0f} s "
            f"({state})",
            highlight=False,
        )

    def _line(self, event: Event) -> str | None:
        if isinstance(event, PhaseStarted):
            p = event.phase
            return f"{p.title} ({clock_text(p.duration_s)} s): {p.cue}"
        if isinstance(event, Paused):
            return "Paused."
        if isinstance(event, Resumed):
            return "Resumed."
        if isinstance(event, SessionFinished):
            return f"Session {event.status.value}."
        return None
