"""The clinical core's words: how a stop, a dose and a count are said."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from stretchcoach.domain.values import Side

GENTLER_CUE = (
    "Gentler this time: lean less, let the knee soften a little, keep the foot relaxed and "
    "the chin level."
)


def stop_message(codes: Sequence[str]) -> str:
    why = []
    if "stop-worsening" in codes:
        why.append("your pain has been worse on two recent mornings")
    for side in Side:
        if f"stop-spread-{side.value}" in codes:
            why.append(f"the pain in your {side.value} leg has spread below the knee and stayed")
    if "stop-nerve" in codes:
        why.append("the stretch keeps reaching the nerve in both legs")
    return f"{' and '.join(why)}: stop this stretch for now and see your GP or physiotherapist"


def both_legs_message(side: Side | None) -> str:
    """Pain newly in the second leg: the both-legs warning sign, said once, at its level."""
    leg = f"your {side.value} leg" if side else "your other leg"
    return (
        f"pain has come on in {leg} as well, and pain in both legs can mean a nerve needs "
        "help within hours"
    )


def sentence(text: str) -> str:
    """A clause as a sentence: its first letter up, the rest untouched (GP stays GP)."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def secs(seconds: float) -> str:
    return f"{seconds:g} s"


def holds_words(n: int) -> str:
    return "1 hold" if n == 1 else f"{n} holds"


def reps_words(side: Side, now: int, before: int) -> str:
    if now == 0:
        return f"rest the {side.value} leg for now"
    return f"{now} hold{'s' if now != 1 else ''} on the {side.value} leg instead of {before}"


def worse_on(day: date, *, today: date) -> str:
    """'your pain today is up on the days before', or yesterday's, or a named day's."""
    if day == today:
        return "your pain today is up on the days before"
    when = "yesterday" if (today - day).days == 1 else f"on {day:%A}"
    return f"your pain {when} was up on the days before"


def pain_on(day: date, score: int, *, today: date) -> str:
    """'your pain today is 9 out of 10', or yesterday's, or a named day's: never 'this
    morning' for a rating from another day."""
    if day == today:
        return f"your pain today is {score} out of 10"
    when = "yesterday" if (today - day).days == 1 else f"on {day:%A}"
    return f"your pain {when} was {score} out of 10"
