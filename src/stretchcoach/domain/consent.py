"""The first visit: what stretchcoach is and is not, and the consent to keep a person's records.

Every surface says the same facts from here: the web app's first visit and the terminal's
first run. Consent is asked once, before the warning-signs check, and kept with the time and
the version of the words it answered; new words (a higher `CONSENT_VERSION`) ask again.
Saying no keeps nothing at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

CONSENT_VERSION = 1


class KeptOn(StrEnum):
    """Where a person's records are kept, which decides the words they agree to."""

    DEVICE = "device"  # local mode: the computer that runs stretchcoach
    SERVER = "server"  # accounts mode: a clinic's server


@dataclass(frozen=True, slots=True)
class Consent:
    """A person's yes to keeping their records, as they were asked it."""

    id: str
    user_id: str
    given_at: datetime  # aware, UTC in storage
    version: int
    kept_on: KeptOn


# What it is and what it is not, in the order a first visit says them.
WHAT_IT_IS = (
    "stretchcoach coaches one gentle stretch for the back of the thigh, every morning: "
    "it times the holds, speaks the steps and keeps a note of how your pain goes."
)
WHAT_IT_IS_NOT = (
    "It is not medical advice: it does not diagnose or treat. It cannot promise the stretch will "
    "ease your pain: no trial has shown that. It watches how you respond and eases off, or "
    "asks you to see someone, when the stretch does not suit you."
)
STOP_WORDS = (
    "Stop the stretch and see your GP or physiotherapist if the pain spreads further down "
    "the leg or keeps getting worse."
)

# What the person agrees to, by where their records go.
KEPT_WORDS = {
    KeptOn.DEVICE: (
        "Your answers, your pain notes and each hold you do are kept in a file on the "
        "computer that runs stretchcoach, and in this browser until they are sent there. "
        "Nothing goes anywhere else."
    ),
    KeptOn.SERVER: (
        "Your answers, your pain notes and each hold you do are kept on your clinic's "
        "server, and on this phone until they are sent there. Your clinician sees them once "
        "you are linked to them."
    ),
}
DECLINED_WORDS = (
    "Nothing has been kept. You can still read about the stretch and the warning signs; "
    "come back here whenever you want to start."
)


def needs_consent(given: Sequence[Consent], *, version: int = CONSENT_VERSION) -> bool:
    """Whether the first visit still has to ask: no yes to the words of this version."""
    return not any(c.version == version for c in given)


def first_run_lines(emergency_number: str = "999") -> tuple[str, ...]:
    """The first run's words in a terminal: the same facts as the web's first visit."""
    from stretchcoach.domain.safety import EMERGENCY_SIGNS

    return (
        WHAT_IT_IS,
        WHAT_IT_IS_NOT,
        f"Go to an emergency department now, or call {emergency_number}, if you notice any "
        f"of these: {'; '.join(EMERGENCY_SIGNS)}.",
        STOP_WORDS,
    )
