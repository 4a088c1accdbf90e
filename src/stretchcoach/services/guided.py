"""Run a guided session: the runner's events become cues, screens and saved holds.

The driver owns the loop: wake at the runner's next deadline or at a key press, act, repeat.
Each hold is sent to be saved the moment it ends and shown saved only once committed; if the
store fails or does not answer in time, the hold waits safely in the pending journal
(services/safekeeping.py) and the person is told so, and it is saved at the next chance, so a
hiccup never loses finished work. The loop never waits on the store: `save_hold` may only
send the hold on its way (Kept.ON_ITS_WAY), and where it ended up comes back through
`hold_news`, read at each wake.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from stretchcoach.domain.clinical import GENTLER_CUE
from stretchcoach.domain.clock import Clock
from stretchcoach.domain.cues import event_cues, felt_asked, gentler_after
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.runner import (
    Event,
    HoldRecorded,
    HoldResult,
    PhaseStarted,
    Runner,
    Stalled,
)
from stretchcoach.domain.timeline import PhaseKind
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services.ports import KeySource, SessionView, Speaker
from stretchcoach.services.safekeeping import Kept

if TYPE_CHECKING:
    from stretchcoach.services.form import LiveFormCoach

PAUSE_KEYS = frozenset({" ", "p"})
SKIP_KEYS = frozenset({"n"})
STOP_KEYS = frozenset({"q", "Q"})
YES_KEYS = frozenset({"y", "Y"})
IDLE_WAIT_S = 0.25
FORM_POLL_S = 0.03  # real seconds between looks at the camera's verdict, when there is one

STOP_QUESTION = "Stop the session now? Press y to stop, any other key to carry on."
FELT_KEYS = {"1": Felt.PULL, "2": Felt.NOTHING, "3": Felt.NERVE}
LAST_ANSWER_WAIT_S = 120.0  # real seconds the last hold's question waits after the session


def felt_question(hold_number: int) -> str:
    """The question after a hold, one short line (fits 80 columns)."""
    return f"How did hold {hold_number} feel? 1 mild pull · 2 nothing much · 3 tingling below knee"


@dataclass
class GuidedSession:
    """One session in motion: the runner plus where its events go."""

    runner: Runner
    clock: Clock
    speaker: Speaker
    view: SessionView
    keys: KeySource
    save_hold: Callable[[HoldResult], Kept]
    kept: dict[int, Kept] = field(default_factory=dict)  # where each hold is, by number
    hold_news: Callable[[], Sequence[tuple[int, Kept]]] | None = None  # holds that moved
    form: LiveFormCoach | None = None  # the camera form coach gates holds when present
    on_felt: Callable[[int, Felt], None] | None = None  # asks after each hold when present
    felt_pending: int | None = None  # the hold number whose feel is being asked
    gentler: set[Side] = field(default_factory=set)  # legs that reached the nerve this session
    _asking_stop: bool = False
    _paused_before_question: bool = False
    _notice: str | None = None
    _form_notice: str | None = None
    _ended: dict[int, HoldResult] = field(default_factory=dict)

    def run(self) -> SessionStatus:
        """Drive the session to its end and return how it ended."""
        self._handle(self.runner.advance())
        while not self.runner.finished:
            wake = self.runner.next_wake()
            if wake is None:
                wake = self.clock.monotonic() + IDLE_WAIT_S
            if self.form is not None:
                wake = min(wake, self.clock.monotonic() + FORM_POLL_S / self.clock.real_seconds(1))
            key = self.keys.wait(self.clock, wake)
            events: list[Event] = self._on_key(key) if key is not None else []
            form_changed = self._check_form()
            events += self.runner.advance()
            moved = self._read_news()
            self._handle(events, redraw=key is not None or form_changed or moved)
        if self.runner.status is SessionStatus.COMPLETED:
            self._wait_for_last_answer()
        return self.runner.status

    def _wait_for_last_answer(self) -> None:
        """The last hold's question stays on the screen until it is answered (1, 2, 3),
        passed over (any other key), or a couple of minutes have gone by."""
        deadline = self.clock.monotonic() + LAST_ANSWER_WAIT_S / self.clock.real_seconds(1)
        while self.felt_pending is not None and self.clock.monotonic() < deadline:
            wake = deadline
            if self.hold_news is not None:  # keep saying where the holds are meanwhile
                idle = IDLE_WAIT_S / self.clock.real_seconds(1)
                wake = min(deadline, self.clock.monotonic() + idle)
            key = self.keys.wait(self.clock, wake)
            if key is None:
                if self._read_news():
                    self._handle([], redraw=True)
                continue
            if key not in FELT_KEYS:
                self.felt_pending = None
            self._handle(self._on_key(key) if key in FELT_KEYS else [], redraw=True)
        self.felt_pending = None

    def stop(self) -> None:
        """End the session from outside (a signal, Ctrl-C); the hold in progress is kept."""
        self._handle(self.runner.stop())

    def settle_news(self) -> None:
        """Show where the holds are now (after the session, once records have settled)."""
        if self._read_news():
            self._handle([], redraw=True)

    # -- the camera ------------------------------------------------------------------------

    def _check_form(self) -> bool:
        """Gate the hold on the camera's verdict and speak its correction; True if the
        screen should change."""
        if self.form is None:
            return False
        from stretchcoach.services.form import worth_saying

        update = self.form.poll(self.runner.phase)
        gated_before = self.runner.snapshot().gated
        self.runner.set_form_ok(update.form_ok)
        notice = update.failed
        if update.correction is not None:
            if worth_saying(self.runner.phase, self.runner.elapsed_s()):
                self.speaker.say(update.correction.text)
            notice = update.correction.text
        elif notice is None and (not update.form_ok or (update.reading and update.reading.view)):
            notice = self._form_notice  # keep showing the last correction until it is fixed
        changed = notice != self._form_notice or gated_before != self.runner.snapshot().gated
        self._form_notice = notice
        return changed

    # -- keys --------------------------------------------------------------------------------

    def _on_key(self, key: str) -> list[Event]:
        if self._asking_stop:
            self._asking_stop = False
            self._notice = None
            if key in YES_KEYS:
                return self.runner.stop()
            return [] if self._paused_before_question else self.runner.resume()
        if key in FELT_KEYS and self.felt_pending is not None and self.on_felt is not None:
            felt = FELT_KEYS[key]
            self.on_felt(self.felt_pending, felt)
            side = self.runner.timeline.holds[self.felt_pending - 1].side
            if side is not None and felt is Felt.NERVE:
                self.gentler = set(gentler_after(self.gentler, side, felt))  # at once
                self._notice = f"{side.value.capitalize()} leg: {GENTLER_CUE}"
            self.felt_pending = None
            return []
        if key in PAUSE_KEYS:
            return self.runner.toggle_pause()
        if key in SKIP_KEYS:
            return self.runner.skip()
        if key in STOP_KEYS:
            self._asking_stop = True
            self._paused_before_question = self.runner.paused
            self._notice = STOP_QUESTION
            return self.runner.pause()
        return []

    # -- events ------------------------------------------------------------------------------

    def _handle(self, events: Sequence[Event], *, redraw: bool = False) -> None:
        if not events and not redraw:
            return
        for event in events:
            if isinstance(event, Stalled):
                self._notice = stalled_notice(event, self.clock.real_seconds(event.lost_s))
            if isinstance(event, HoldRecorded):
                self._keep(event.hold)
            elif (
                isinstance(event, PhaseStarted)
                and event.phase.is_hold
                and self._notice
                and GENTLER_CUE in self._notice
            ):
                self._notice = None
            if self.on_felt is not None:  # asked until answered or the next hold starts
                self.felt_pending = felt_asked(event, self.felt_pending)
            for cue in event_cues(event, self.runner.timeline.routine.cues, self.gentler):
                self.speaker.say(cue)
                if cue == GENTLER_CUE:
                    self._notice = GENTLER_CUE
        self.view.show(self.runner.snapshot(), events, self._notices())

    def _notices(self) -> str | None:
        """The lines under the timer: the question about the last hold stays there, above
        any other notice, until it is answered or the next hold starts."""
        question = felt_question(self.felt_pending) if self.felt_pending is not None else None
        lines = [line for line in (question, self._notice or self._form_notice) if line]
        return "\n".join(lines) or None

    def _keep(self, hold: HoldResult) -> None:
        self._ended[hold.hold_number] = hold
        kept = self.save_hold(hold)
        if kept is Kept.ON_ITS_WAY:
            self.kept[hold.hold_number] = kept  # where it ends up comes back as news
        else:
            self._placed(hold, kept)

    def _read_news(self) -> bool:
        """Take in where sent holds ended up; True if any moved."""
        if self.hold_news is None:
            return False
        moved = False
        saved_now: list[int] = []
        for number, kept in self.hold_news():
            hold = self._ended.get(number)
            if hold is None or self.kept.get(number) is kept:
                continue
            moved = True
            if self.kept.get(number) in (Kept.WAITING, Kept.IN_MEMORY) and kept is Kept.SAVED:
                self.kept[number] = kept  # it waited and is saved now
                saved_now.append(number)
            else:
                saved_now += self._placed(hold, kept)
        if saved_now:
            self._notice = answers_again(sorted(set(saved_now)))
        return moved

    def _placed(self, hold: HoldResult, kept: Kept) -> list[int]:
        """Show where a hold is; returns the holds that waited and are saved now."""
        self.view.hold_kept(hold, kept)
        waited = [
            n
            for n, where in self.kept.items()
            if where in (Kept.WAITING, Kept.IN_MEMORY) and n != hold.hold_number
        ]
        self.kept[hold.hold_number] = kept
        if kept is Kept.SAVED and waited:
            # saved only after everything kept before it: those are in the store now too
            self.kept.update(dict.fromkeys(waited, Kept.SAVED))
            self._notice = answers_again(waited)
            return waited
        if kept is Kept.SAVED:
            self._notice = None
        elif kept is Kept.WAITING:
            self._notice = (
                f"Hold {hold.hold_number} is safe on this computer: the database is not "
                "answering, so it waits and is saved as soon as it answers."
            )
        elif kept is Kept.SET_ASIDE:
            self._notice = (
                f"Hold {hold.hold_number} was refused by the database, so it is set aside on "
                "this computer, not lost: the end of the session says where."
            )
        else:
            self._notice = (
                f"Hold {hold.hold_number} could not be saved, not even on this computer "
                "(is the disk full?): it is only in memory for now."
            )
        return []


def answers_again(numbers: Sequence[int]) -> str:
    held = ", ".join(str(n) for n in numbers)
    return (
        f"The database answers again: {'holds' if len(numbers) > 1 else 'hold'} "
        f"{held}, which waited, saved now."
    )


def stalled_notice(event: Stalled, real_s: float) -> str:
    """What to say after the coach was stopped: how long, that it did not count, where now."""
    phase = event.phase
    what = f"hold {phase.hold_number}" if phase.is_hold else "the rest"
    if phase.kind is PhaseKind.GET_READY:
        what = "getting ready"
    where = f"{what} carries on from {event.elapsed_s:.0f} s"
    return (
        f"The coach was stopped for {real_s:.0f} s (this computer or terminal paused it): "
        f"that time is not counted, and {where}."
    )
