"""What to say once a check is answered: what the answers mean, after what still stands.

A check on its own can be all no while an earlier yes or a stop rule still stands, so the
words come from the verdict, not from the answers alone: "you can stretch today" only when
the gate is open. Every surface (the terminal's `screen`, the web page and its API) says this.
"""

from __future__ import annotations

from dataclasses import dataclass

from stretchcoach.domain.clinical.gate import Gate, GateStatus
from stretchcoach.domain.clinical.words import sentence
from stretchcoach.domain.safety import CARE_MESSAGES, CLEAR_MESSAGE, Care, ScreenOutcome

SEEN_ALREADY = (
    "A clinician has already seen you about what you answered yes to, so you can stretch "
    "today. If anything has changed since, please see them again before you stretch."
)


@dataclass(frozen=True, slots=True)
class AfterCheck:
    """The heading and the words after answering, and the care they call for."""

    heading: str
    message: str
    care: Care | None  # the most urgent care standing (an emergency shows the call button)
    may_start: bool

    @property
    def urgent(self) -> bool:
        return self.care is Care.EMERGENCY


HEADINGS = {
    Care.EMERGENCY: "Please get help now",
    Care.SAME_DAY: "Please get seen today",
    Care.WITHIN_DAYS: "Please get seen",
    Care.ROUTINE: "Worth a review",
}


def after_check(outcome: ScreenOutcome, gate: Gate) -> AfterCheck:
    """The words after answering `outcome`, given the gate the whole history gives now."""
    thanks = "Thank you. No to every question today, but " if outcome.clear else ""
    if gate.status is GateStatus.BLOCKED and gate.care is not None:
        care = gate.care
        standing = [e for e in gate.open if e.question.care is care]
        if {q.code for q in outcome.yes} & {e.question.code for e in standing}:
            return AfterCheck(HEADINGS[care], CARE_MESSAGES[care], care, False)
        if gate.new_leg is not None and not standing:  # new pain in the second leg: its level
            said = f"{gate.message}. {CARE_MESSAGES[care]}"
            return AfterCheck(
                HEADINGS[care], thanks + said if thanks else sentence(said), care, False
            )
        first = min(standing, key=lambda e: e.first_yes.order_key)
        earlier = (
            f"your earlier yes ({first.began_on:%d %b %Y}) still stands until a clinician has "
            f"seen you about it. {CARE_MESSAGES[care]}"
        )
        message = thanks + earlier if thanks else sentence(earlier)
        return AfterCheck(HEADINGS[care], message, care, False)
    if gate.status is GateStatus.BLOCKED:  # a stop rule
        said = f"{gate.message}."
        return AfterCheck(
            "Not today", thanks + said if thanks else sentence(said), outcome.care, False
        )
    if gate.status is not GateStatus.CLEAR:  # the full check is still due (after a recheck)
        message = f"Thank you. {sentence(gate.message)} Please answer every question."
        return AfterCheck("Thank you", message, outcome.care, False)
    if outcome.clear:
        return AfterCheck("All clear", CLEAR_MESSAGE, None, True)
    if any(q.care.blocks for q in outcome.yes):  # each of them settled by a visit
        extra = (
            f" {CARE_MESSAGES[Care.ROUTINE]}"
            if any(q.care is Care.ROUTINE for q in outcome.yes)
            else ""
        )
        return AfterCheck("Thank you", SEEN_ALREADY + extra, outcome.care, True)
    return AfterCheck(HEADINGS[Care.ROUTINE], CARE_MESSAGES[Care.ROUTINE], Care.ROUTINE, True)
