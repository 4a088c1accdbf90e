"""What the coach says for each of the runner's events, and how an answer changes it.

One rule for every surface: the terminal (services.guided) says these, and the phone's
engine (web/static/engine.js) says the same, held to this module by a conformance test.

- A phase says its own cue as it starts; a hold on a leg that reached the nerve earlier in
  the session adds the gentler cue at once.
- The halfway cue and the last five seconds come from the runner's events, and so does the
  apology after the coach was held up (a stall).
- How a hold felt is asked from the moment it is recorded until it is answered or the next
  hold starts; a nerve answer makes the next holds on that leg gentler.
"""

from __future__ import annotations

from collections.abc import Collection

from stretchcoach.domain.clinical import GENTLER_CUE
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.routine import Cues
from stretchcoach.domain.runner import (
    Countdown,
    Event,
    Halfway,
    HoldRecorded,
    PhaseStarted,
    SessionFinished,
    Stalled,
)
from stretchcoach.domain.values import SessionStatus, Side

STOPPED_CUE = "Session stopped."
STALLED_CUE = "Sorry, I was held up. Carry on from here."


def event_cues(event: Event, cues: Cues, gentler: Collection[Side]) -> list[str]:
    """What to say for one event, in order (nothing for most)."""
    if isinstance(event, PhaseStarted):
        said = [event.phase.cue]
        if event.phase.is_hold and event.phase.side in gentler:
            said.append(GENTLER_CUE)
        return said
    if isinstance(event, Stalled):
        return [STALLED_CUE]
    if isinstance(event, Halfway):
        return [cues.halfway]
    if isinstance(event, Countdown):
        return [str(event.n)]
    if isinstance(event, SessionFinished):
        return [cues.finish if event.status is SessionStatus.COMPLETED else STOPPED_CUE]
    return []


def felt_asked(event: Event, asked: int | None) -> int | None:
    """The hold whose feel is asked after this event: a recorded hold is asked about, and
    the question goes when the next hold starts."""
    if isinstance(event, HoldRecorded):
        return event.hold.hold_number
    if isinstance(event, PhaseStarted) and event.phase.is_hold:
        return None
    return asked


def gentler_after(gentler: Collection[Side], side: Side, felt: Felt) -> frozenset[Side]:
    """The legs whose next holds are gentler, once a hold on `side` felt like `felt`."""
    return frozenset(gentler) | {side} if felt is Felt.NERVE else frozenset(gentler)
