"""What a hold felt like, in the person's words: the muscle, nothing, or the nerve."""

from __future__ import annotations

from enum import StrEnum


class Felt(StrEnum):
    PULL = "pull"  # a mild pull at the back of the thigh: the muscle, the goal
    NOTHING = "nothing"  # nothing much: lean a little further next time
    NERVE = "nerve"  # tingling, burning or shooting below the knee: the nerve, ease off


_WORDS = {
    Felt.PULL: "a mild pull at the back of the thigh",
    Felt.NOTHING: "nothing much",
    Felt.NERVE: "tingling, burning or shooting below the knee",
}


def felt_words(felt: Felt) -> str:
    """What a hold felt like, in words: the one wording the pages and the FHIR export use."""
    return _WORDS[felt]
