"""Drive a timeline against a clock, with pause, resume, skip, stop and a form gate.

The runner never sleeps and never reads a terminal: a driver calls `advance()` whenever it
wakes and acts on the events it gets back. Every phase ends at an absolute deadline on the
session clock and the next phase starts at that same instant, so a late wake-up never makes
the session drift. Time only counts while the runner is neither paused nor gated; the gate is
how the camera form coach stops a hold's countdown while the form is wrong.

Time also counts only while someone is there to coach: a driver that is stopped (a suspended
laptop, a frozen terminal, a process stopped by a signal) cannot show the countdown or say the
cues. When `advance()` comes more than STALL_AFTER_S real seconds after the runner was last
driven, the time in between is not counted: the phase in progress carries on from where it
was last seen, no hold it missed is completed, and a `Stalled` event says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from stretchcoach.domain.clock import Clock
from stretchcoach.domain.timeline import Phase, Timeline
from stretchcoach.domain.values import SessionStatus, Side

COUNTDOWN_FROM = 5
STALL_AFTER_S = 5.0  # real seconds without being driven: the person was not being coached


@dataclass(frozen=True, slots=True)
class HoldResult:
    """A hold as it ended: how long it was planned and how long it was held."""

    hold_number: int
    side: Side
    planned_s: float
    held_s: float
    completed: bool


@dataclass(frozen=True, slots=True)
class PhaseStarted:
    phase: Phase


@dataclass(frozen=True, slots=True)
class SecondTick:
    phase: Phase
    remaining_s: int


@dataclass(frozen=True, slots=True)
class Halfway:
    phase: Phase


@dataclass(frozen=True, slots=True)
class Countdown:
    phase: Phase
    n: int


@dataclass(frozen=True, slots=True)
class PhaseEnded:
    phase: Phase
    elapsed_s: float
    skipped: bool


@dataclass(frozen=True, slots=True)
class HoldRecorded:
    hold: HoldResult


@dataclass(frozen=True, slots=True)
class Paused:
    phase: Phase


@dataclass(frozen=True, slots=True)
class Resumed:
    phase: Phase


@dataclass(frozen=True, slots=True)
class SessionFinished:
    status: SessionStatus


@dataclass(frozen=True, slots=True)
class Stalled:
    """The runner was not driven for `lost_s` seconds (session clock): that time was not
    counted, and `phase` carries on from `elapsed_s`, where it was last seen."""

    phase: Phase
    lost_s: float
    elapsed_s: float


Event = (
    PhaseStarted
    | SecondTick
    | Halfway
    | Countdown
    | PhaseEnded
    | HoldRecorded
    | Paused
    | Resumed
    | SessionFinished
    | Stalled
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a screen needs to draw the session right now."""

    phase: Phase | None
    next_phase: Phase | None
    elapsed_s: float
    remaining_s: float
    progress: float  # 0..1 over the whole session
    paused: bool
    gated: bool
    finished: bool
    status: SessionStatus


class Runner:
    """Runs one timeline. Not thread-safe: one driver owns it."""

    def __init__(
        self, timeline: Timeline, clock: Clock, *, start_at: int = 0, gate_holds: bool = False
    ) -> None:
        """`start_at`: the phase to begin with (a session carried on after a reload).
        `gate_holds`: every hold starts with the gate closed, counting only once the form
        coach opens it (the phone's camera coach: a hold is credited only with time the coach
        saw the stretch, never with the last phase's overrun)."""
        if not 0 <= start_at < len(timeline):
            raise ValueError(f"start_at {start_at!r} is not a phase: use 0 to {len(timeline) - 1}")
        self.timeline = timeline
        self._start_at = start_at
        self._gate_holds = gate_holds
        self._clock = clock
        self._index = -1
        self._accumulated = 0.0
        self._running_since: float | None = None
        self._paused = False
        self._form_ok = True
        self._status = SessionStatus.IN_PROGRESS
        self._last_second: int | None = None
        self._halfway_sent = False
        self._countdown_sent: set[int] = set()
        self._done_before_s = sum(p.duration_s for p in timeline.phases[:start_at])
        self._seen_at: float | None = None  # session-clock time the runner was last driven
        self._unsaid: list[Event] = []  # a stall noticed outside advance(), said by it next

    # -- state -------------------------------------------------------------------------------

    @property
    def phase(self) -> Phase | None:
        return self.timeline[self._index] if 0 <= self._index < len(self.timeline) else None

    @property
    def finished(self) -> bool:
        return self._status.is_final

    @property
    def status(self) -> SessionStatus:
        return self._status

    @property
    def paused(self) -> bool:
        return self._paused

    def elapsed_s(self) -> float:
        """Seconds counted in the current phase."""
        if self._running_since is None:
            return self._accumulated
        return self._accumulated + (self._clock.monotonic() - self._running_since)

    def snapshot(self) -> Snapshot:
        phase = self.phase
        elapsed = min(self.elapsed_s(), phase.duration_s) if phase else 0.0
        total = self.timeline.total_s
        done = self._done_before_s + elapsed
        if self._status is SessionStatus.COMPLETED:
            done = total
        return Snapshot(
            phase=phase,
            next_phase=self.timeline.next_after(self._index) if phase else None,
            elapsed_s=elapsed,
            remaining_s=(phase.duration_s - elapsed) if phase else 0.0,
            progress=done / total if total else 1.0,
            paused=self._paused,
            gated=self._gated(phase),
            finished=self.finished,
            status=self._status,
        )

    # -- driving -----------------------------------------------------------------------------

    def advance(self) -> list[Event]:
        """Catch up with the clock and return what happened since the last call."""
        if self.finished:
            return []
        events: list[Event] = []
        if self._index < 0:
            self._start_phase(self._start_at, self._clock.monotonic(), events)
        self._notice_stall()
        events += self._unsaid
        self._unsaid = []
        while not self.finished:
            phase = self.timeline[self._index]
            elapsed = self.elapsed_s()
            if elapsed >= phase.duration_s:
                # Its deadline, or now for a phase that was paused or gated after its time
                # was all counted but before the runner was driven to see it end.
                end_at = (
                    self._clock.monotonic()
                    if self._running_since is None
                    else self._running_since + (phase.duration_s - self._accumulated)
                )
                self._end_phase(phase, phase.duration_s, skipped=False, at=end_at, events=events)
                continue
            self._progress_events(phase, elapsed, events)
            break
        self._seen_at = self._clock.monotonic()
        return events

    def next_wake(self) -> float | None:
        """The session-clock time of the next event, or None while time is not counting."""
        phase = self.phase
        if self.finished or phase is None or self._running_since is None:
            return None if self._index >= 0 else self._clock.monotonic()
        elapsed = self.elapsed_s()
        targets = [phase.duration_s, math.floor(elapsed) + 1.0]
        if phase.is_hold and not self._halfway_sent:
            targets.append(phase.duration_s / 2)
        target = (
            min(t for t in targets if t > elapsed) if any(t > elapsed for t in targets) else elapsed
        )
        return self._running_since + (target - self._accumulated)

    def pause(self) -> list[Event]:
        phase = self.phase
        if self.finished or self._paused or phase is None:
            return []
        self._notice_stall()  # time nobody watched before the key is not counted either
        self._stop_counting()
        self._paused = True
        events, self._unsaid = [*self._unsaid, Paused(phase)], []
        return events

    def resume(self) -> list[Event]:
        phase = self.phase
        if self.finished or not self._paused or phase is None:
            return []
        self._paused = False
        self._seen_at = self._clock.monotonic()
        self._maybe_count(phase, self._seen_at)
        return [Resumed(phase)]

    def toggle_pause(self) -> list[Event]:
        return self.resume() if self._paused else self.pause()

    def set_form_ok(self, ok: bool) -> None:
        """Open or close the gate: a hold's time only counts while the form is right."""
        if ok == self._form_ok:
            return
        self._form_ok = ok
        phase = self.phase
        if phase is None or self.finished:
            return
        self._notice_stall()
        if ok:
            self._maybe_count(phase, self._clock.monotonic())
        elif phase.is_hold:
            self._stop_counting()

    def ungate(self) -> None:
        """The form coach is gone (the camera failed): holds count on time alone from now."""
        self._gate_holds = False
        self.set_form_ok(True)

    def skip(self) -> list[Event]:
        """End the current phase now; a skipped hold is kept as not completed."""
        phase = self.phase
        if self.finished or phase is None:
            return []
        self._notice_stall()
        events, self._unsaid = self._unsaid, []
        elapsed = min(self.elapsed_s(), phase.duration_s)
        self._end_phase(phase, elapsed, skipped=True, at=self._clock.monotonic(), events=events)
        return events + self.advance()

    def stop(self) -> list[Event]:
        """End the session early; a hold in progress is kept with the time it was held."""
        phase = self.phase
        if self.finished:
            return []
        self._notice_stall()
        events, self._unsaid = self._unsaid, []
        if phase is not None:
            elapsed = min(self.elapsed_s(), phase.duration_s)
            events.append(PhaseEnded(phase, elapsed, skipped=True))
            if phase.is_hold and elapsed > 0:
                events.append(HoldRecorded(_hold(phase, elapsed, completed=False)))
        self._stop_counting()
        self._status = SessionStatus.STOPPED
        events.append(SessionFinished(SessionStatus.STOPPED))
        return events

    # -- internals ---------------------------------------------------------------------------

    def _notice_stall(self) -> None:
        """Count nothing from the last time the runner was driven when that was too long ago:
        the phase in progress resumes from where it was then."""
        now = self._clock.monotonic()
        seen, self._seen_at = self._seen_at, now
        phase = self.phase
        if seen is None or self._running_since is None or phase is None:
            return
        if self._clock.real_seconds(now - seen) <= STALL_AFTER_S:
            return
        self._accumulated += max(0.0, seen - self._running_since)
        self._running_since = now
        self._unsaid.append(Stalled(phase, now - seen, self._accumulated))

    def _gated(self, phase: Phase | None) -> bool:
        return phase is not None and phase.is_hold and not self._form_ok

    def _stop_counting(self) -> None:
        if self._running_since is not None:
            self._accumulated += self._clock.monotonic() - self._running_since
            self._running_since = None

    def _maybe_count(self, phase: Phase, at: float) -> None:
        if self._running_since is None and not self._paused and not self._gated(phase):
            self._running_since = at

    def _start_phase(self, index: int, at: float, events: list[Event]) -> None:
        self._index = index
        self._accumulated = 0.0
        self._running_since = None
        self._last_second = None
        self._halfway_sent = False
        self._countdown_sent = set()
        phase = self.timeline[index]
        if self._gate_holds and phase.is_hold:
            self._form_ok = False
        self._maybe_count(phase, at)
        events.append(PhaseStarted(phase))

    def _end_phase(
        self, phase: Phase, elapsed: float, *, skipped: bool, at: float, events: list[Event]
    ) -> None:
        events.append(PhaseEnded(phase, elapsed, skipped))
        if phase.is_hold:
            completed = not skipped and elapsed >= phase.duration_s
            events.append(HoldRecorded(_hold(phase, elapsed, completed=completed)))
        self._done_before_s += phase.duration_s
        if self._index + 1 < len(self.timeline):
            self._start_phase(self._index + 1, at, events)
        else:
            self._running_since = None
            self._status = SessionStatus.COMPLETED
            events.append(SessionFinished(SessionStatus.COMPLETED))

    def _progress_events(self, phase: Phase, elapsed: float, events: list[Event]) -> None:
        second = math.floor(elapsed)
        if second != self._last_second:
            self._last_second = second
            remaining = math.ceil(phase.duration_s - elapsed)
            events.append(SecondTick(phase, remaining))
            countdown = phase.is_hold and 1 <= remaining <= COUNTDOWN_FROM
            if countdown and remaining not in self._countdown_sent:
                self._countdown_sent.update(range(remaining, COUNTDOWN_FROM + 1))
                events.append(Countdown(phase, remaining))
        if phase.is_hold and not self._halfway_sent and elapsed >= phase.duration_s / 2:
            self._halfway_sent = True
            if phase.duration_s / 2 > COUNTDOWN_FROM:
                events.append(Halfway(phase))


def _hold(phase: Phase, elapsed: float, *, completed: bool) -> HoldResult:
    assert phase.side is not None and phase.hold_number is not None
    return HoldResult(
        hold_number=phase.hold_number,
        side=phase.side,
        planned_s=phase.duration_s,
        held_s=round(elapsed, 3),
        completed=completed,
    )
