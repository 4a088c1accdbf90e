"""The flags: what to tell the person, most urgent first, each also worded for a clinician."""

from __future__ import annotations

from stretchcoach.domain.clinical.dose import Plan
from stretchcoach.domain.clinical.gate import Gate, GateStatus
from stretchcoach.domain.clinical.signals import SEVERE_PAIN, Signals
from stretchcoach.domain.clinical.words import (
    both_legs_message,
    pain_on,
    sentence,
    stop_message,
    worse_on,
)
from stretchcoach.domain.safety import CARE_MESSAGES, PAIN_RISE_STOP, Care, Flag, Severity


def flags(the_gate: Gate, found: Signals, next_plan: Plan) -> list[Flag]:
    flags: list[Flag] = []
    for e in the_gate.open:
        q = e.question
        severity = {
            Care.EMERGENCY: Severity.URGENT,
            Care.SAME_DAY: Severity.SEE_DOCTOR,
            Care.WITHIN_DAYS: Severity.SEE_DOCTOR,
            Care.ROUTINE: Severity.INFO,
        }[q.care]
        flags.append(
            Flag(
                f"red-flag-{q.code}",
                severity,
                f"You said yes to “{q.text}” {CARE_MESSAGES[q.care]}",
                f"Warning sign, not yet seen ({q.care.value}): {q.clinical}, "
                f"first reported {e.first_yes.counts_from:%d %b %Y}"
                + ("" if e.still_yes else "; later answered no, not acknowledged"),
            )
        )
    for e in the_gate.settled:
        ack = e.settled_by
        assert ack is not None
        who = ack.by_name if ack.by_clinician else "the patient"
        flags.append(
            Flag(
                f"seen-{e.question.code}",
                Severity.INFO,
                f"Seen by a clinician on {ack.seen_on:%d %b %Y} about: {e.question.text} "
                "If anything about it changes, answer the check again.",
                f"{e.question.clinical}: acknowledged as seen on {ack.seen_on:%d %b %Y} "
                f"(recorded by {who})" + (f": {ack.note}" if ack.note else ""),
            )
        )
    if the_gate.stops:
        flags.append(
            Flag(
                "stop",
                Severity.STOP,
                sentence(stop_message(the_gate.stops)),
                "Stretch paused by the stop rules: "
                + stop_message(the_gate.stops).replace("your ", "the patient's ").split(":")[0],
            )
        )
    if the_gate.status is GateStatus.RECHECK and found.recheck_why:
        flags.append(
            Flag(
                "recheck",
                Severity.SEE_DOCTOR,
                sentence(
                    f"{found.recheck_why}: please answer the urgent questions again "
                    "before you stretch"
                ),
                "Emergency questions due again: "
                + found.recheck_why.replace("your", "the patient's"),
            )
        )
    if the_gate.status is GateStatus.MISSING:
        flags.append(
            Flag(
                "screen-missing",
                Severity.INFO,
                "You have not answered the warning-signs check yet.",
                "Warning-signs check never answered",
            )
        )
    if the_gate.status is GateStatus.OVERDUE:
        flags.append(
            Flag(
                "screen-overdue",
                Severity.INFO,
                "Your warning-signs check is over 30 days old: please answer it again.",
                "Warning-signs check over 30 days old",
            )
        )
    stopping = set(the_gate.stops)
    if found.worsening_now and "stop-worsening" not in stopping:
        flags.append(
            Flag(
                "pain-worse",
                Severity.EASE_OFF,
                sentence(worse_on(found.worse_days[-1], today=found.today))
                if the_gate.status is GateStatus.BLOCKED  # no session today: no how-to-hold
                else sentence(worse_on(found.worse_days[-1], today=found.today))[:-1]
                + ": no longer holds today, stop at a mild pull. If it is up again on another "
                "morning, stop the stretch and see your GP or physiotherapist.",
                "Morning pain up on the previous days by a change most patients notice",
            )
        )
    if found.high_pain is not None and found.high_pain[1] >= SEVERE_PAIN:
        day, score = found.high_pain
        said = f"{pain_on(day, score, today=found.today)}, near the top of the scale"
        if the_gate.status is not GateStatus.BLOCKED:  # a session may follow; a stop speaks
            said += (
                ": go gently, stop each hold at a mild pull, or rest from the stretch until it "
                "eases"
            )
        flags.append(
            Flag(
                "pain-severe",
                Severity.EASE_OFF,
                sentence(said) + " If it stays this high, or you are struggling to cope, please "
                "see your GP.",
                f"Morning pain {score}/10 on {day:%d %b %Y} (top of the scale, whatever the "
                "trend): holds not lengthened; advised to see their GP if it stays this high",
            )
        )
    if found.pain_rose_after:
        flags.append(
            Flag(
                "pain-rose",
                Severity.EASE_OFF,
                f"Your pain was {PAIN_RISE_STOP} or more points higher after the last session "
                "than before: ease off next time, with a gentler lean.",
                f"Pain up {PAIN_RISE_STOP}+ points straight after the last session",
            )
        )
    for side in found.spreading:
        if f"stop-spread-{side.value}" in stopping:
            continue
        flags.append(
            Flag(
                f"peripheralising-{side.value}",
                Severity.EASE_OFF,
                f"The pain has been reaching further down your {side.value} leg: ease off, and "
                "if it reaches below the knee and stays, stop and see your GP or physiotherapist.",
                f"Peripheralising on the {side.value} (pain reaching further down the leg)",
            )
        )
    if the_gate.new_leg is not None:
        flags.append(
            Flag(
                "second-leg",
                Severity.URGENT,
                f"{sentence(both_legs_message(the_gate.new_leg))} {CARE_MESSAGES[Care.EMERGENCY]}",
                f"New pain in the second ({the_gate.new_leg.value}) leg, not yet seen: "
                "bilateral sciatica",
            )
        )
    for side in next_plan.rested:
        if "stop-nerve" in stopping:
            break
        flags.append(
            Flag(
                f"nerve-rest-{side.value}",
                Severity.STOP,
                f"The stretch keeps reaching the nerve in your {side.value} leg: rest that leg "
                "from this stretch and have it assessed by your GP or physiotherapist.",
                f"Nerve symptoms recurring at the shortest hold: {side.value} leg rested",
            )
        )
    if found.nerve_repeated and not next_plan.rested:
        flags.append(
            Flag(
                "nerve-repeated",
                Severity.EASE_OFF,
                "Tingling or shooting below the knee came back in several recent sessions: lean "
                "less, and if it goes on, see your GP or physiotherapist.",
                "Neural symptoms (below the knee) in repeated sessions",
            )
        )
    return flags
