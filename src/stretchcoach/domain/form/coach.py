"""What to say about the form, and when: one short correction at a time, never nagging.

The most important problem wins (the view first, because no angle is trusted without it,
then sitting, one leg at a time, the right leg, the knee, the back, bouncing, depth, speed, and
while a session waits for a hold: raising the leg, then leaning in). Something is always
named while the hold waits: what stands in the way is said once it has lasted `wait_say_s`,
so within 3 s. Corrections are spaced at least `correction_gap_s` apart and the same one is
not repeated within `repeat_gap_s`.
"""

from __future__ import annotations

from dataclasses import dataclass

from stretchcoach.domain.form.geometry import ViewIssue
from stretchcoach.domain.form.metrics import Fault
from stretchcoach.domain.form.readings import FormReading, FormState, Posture
from stretchcoach.domain.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds
from stretchcoach.domain.values import Side

VIEW_WORDS = {
    ViewIssue.NO_PERSON: "I can't see you yet. Sit where the camera sees all of you.",
    ViewIssue.TOO_DARK: "It's a bit dark. Turn on a light so I can see you.",
    ViewIssue.HEAD_OUT: "Move back so your head is in view.",
    ViewIssue.FEET_OUT: "Move the camera so your feet are in the picture too.",
    ViewIssue.NOT_SIDE_ON: "Turn a little more side-on to the camera.",
}

FILMING_WORDS = {  # why a recorded video showed no hold, when the view was the problem
    ViewIssue.NO_PERSON: "nobody was clearly in view; film with the whole body in the picture.",
    ViewIssue.TOO_DARK: "it was too dark; film with a light on.",
    ViewIssue.HEAD_OUT: "the head was out of the picture; film from further back.",
    ViewIssue.FEET_OUT: "the feet were out of the picture; film with the feet in it too.",
    ViewIssue.NOT_SIDE_ON: (
        "the camera was too far round from the side; film from the side, up to about 45° off it."
    ),
}

FAULT_WORDS = {
    Fault.KNEE_BENT: "Straighten your {side} knee.",
    Fault.BACK_ROUNDED: "Sit tall, shoulders back.",
    Fault.BOUNCING: "No bouncing, hold still.",
    Fault.TOO_DEEP_TOO_FAST: "Ease off a little.",
    Fault.TOO_FAST: "Slower.",
}

FAULT_LABELS = {
    Fault.KNEE_BENT: "knee bent",
    Fault.BACK_ROUNDED: "back rounded",
    Fault.BOUNCING: "bouncing",
    Fault.TOO_DEEP_TOO_FAST: "too deep too fast",
    Fault.TOO_FAST: "too fast",
}


POSTURE_WORDS = {
    Posture.NOT_SEATED: "Sit down first, on the bed edge or a chair, then stretch one leg out.",
    Posture.BOTH_LEGS: "One leg at a time: bend your {other} knee and rest that foot down.",
}
RAISE_WORDS = "Raise your {side} leg straight out in front of you."
LEAN_WORDS = "Now lean forward slowly from your hips, toward your foot."
LEANING_IN_DEG_S = 5.0  # the fold deepening this fast: already leaning in, nothing to ask
# what stands between the person and a hold: said only once it has lasted `wait_say_s`
WAITING = frozenset({*(p.value for p in Posture), "raise", "lean"})


@dataclass(frozen=True, slots=True)
class Correction:
    key: str  # what it is about (a fault, a view issue, "leg"), for spacing repeats
    text: str
    at_s: float = 0.0  # the time of the frame that called for it


def correction_for(reading: FormReading, *, expected_side: Side | None = None) -> Correction | None:
    """The one thing most worth saying about this reading, if anything."""
    if reading.view is not None:
        return Correction(reading.view.value, VIEW_WORDS[reading.view], reading.t_s)
    if reading.posture is not None:
        other = f"{expected_side.other.value}" if expected_side is not None else "other"
        text = POSTURE_WORDS[reading.posture].format(other=other)
        return Correction(reading.posture.value, text, reading.t_s)
    wrong_leg = expected_side is not None and reading.side not in (None, expected_side)
    if wrong_leg and reading.state in (FormState.LEG_RAISED, FormState.STRETCHING):
        assert expected_side is not None
        text = f"Other leg, please: raise your {expected_side.value} leg."
        return Correction("leg", text, reading.t_s)
    for fault in Fault:
        if fault in reading.faults:
            side = (reading.side or expected_side or Side.LEFT).value
            return Correction(fault.value, FAULT_WORDS[fault].format(side=side), reading.t_s)
    if expected_side is None or reading.form_ok or reading.settling or not reading.measured:
        return None
    if reading.state is FormState.SEATED:
        return Correction("raise", RAISE_WORDS.format(side=expected_side.value), reading.t_s)
    if reading.state is FormState.LEG_RAISED and reading.speed_deg_s < LEANING_IN_DEG_S:
        return Correction("lean", LEAN_WORDS, reading.t_s)
    return None


class Corrector:
    """Spaces corrections out in time (seconds on the caller's clock)."""

    def __init__(self, thresholds: FormThresholds = DEFAULT_THRESHOLDS) -> None:
        self._gap_s = thresholds.correction_gap_s
        self._repeat_s = thresholds.repeat_gap_s
        self._wait_s = thresholds.wait_say_s
        self._last_t: float | None = None
        self._said: dict[str, float] = {}
        self._wanted: tuple[str, float] | None = None  # what is wanted now, and since when

    def next(self, reading: FormReading, *, expected_side: Side | None = None) -> Correction | None:
        """The correction to speak now, or None (nothing wrong, or too soon)."""
        wanted = correction_for(reading, expected_side=expected_side)
        if wanted is None:
            self._wanted = None
            return None
        t = reading.t_s
        if self._wanted is None or self._wanted[0] != wanted.key:
            self._wanted = (wanted.key, t)
        if wanted.key in WAITING and t - self._wanted[1] < self._wait_s:
            return None
        if self._last_t is not None and t - self._last_t < self._gap_s:
            return None
        said = self._said.get(wanted.key)
        if said is not None and t - said < self._repeat_s:
            return None
        self._last_t = t
        self._said[wanted.key] = t
        return wanted
