"""The morning check-in: what a person reports before today's session, and what it answers.

Before the plan is made the person says how much it hurts now (0-10) and where it reaches on
each leg, and answers three plain questions:

- numbness or pins and needles: nowhere new, in the left or right leg or foot, or between the
  legs (the saddle area);
- a leg or foot getting weaker: no, left, right, or both;
- any change in peeing, the bowels, the feeling between the legs or in sex: no, or which.

The answers to the three questions are yes or no to questions of the warning-signs check
(domain/safety.py), so they are kept as a check that asked only those questions, and the
clinical core reads them as it reads any other answer: a yes the person has not been seen
about stands until they have been, at its own level of care. The pain is a rating like any
other; the core reads it with the history to decide today's gate and dose.

The same three questions are offered with the pain journal (`log`, the phone's journal), so a
warning sign never depends on how the person words a note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from stretchcoach.domain.journal import PainSite, leg_sides
from stretchcoach.domain.safety import (
    BOTH_LEGS,
    LEG_NUMBNESS,
    LEG_WEAKER,
    SADDLE_NUMBNESS,
    SCREEN_VERSION,
    by_code,
    check_answers,
)
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.values import Side
from stretchcoach.errors import InvalidInput


class Numb(StrEnum):
    """Where new numbness or pins and needles is felt."""

    LEFT = "left"  # the left leg or foot
    RIGHT = "right"  # the right leg or foot
    SADDLE = "saddle"  # between the legs: genitals, inner thighs, back passage


class Change(StrEnum):
    """What changed, of the signs that a nerve at the base of the spine needs help at once."""

    PEEING = "peeing"
    BOWELS = "bowels"
    FEELING = "feeling"  # the feeling between the legs
    SEX = "sex"


# The warning-sign question each answer is a yes to.
CHANGE_CODES: Mapping[Change, str] = {
    Change.PEEING: "bladder",
    Change.BOWELS: "bowel",
    Change.FEELING: SADDLE_NUMBNESS,
    Change.SEX: "sexual",
}

# In a few words, for the terminal's prompts.
CHANGE_WORDS = {
    Change.PEEING: "peeing",
    Change.BOWELS: "bowels",
    Change.FEELING: "feeling between the legs",
    Change.SEX: "sex",
}
SKIPPED = "No check-in today: the plan comes from your last mornings."


@dataclass(frozen=True, slots=True)
class Symptoms:
    """The three questions' answers; `None` where a question was not answered."""

    numb: frozenset[Numb] | None = None  # empty: no new numbness
    weaker: frozenset[Side] | None = None  # empty: no leg getting weaker
    changed: frozenset[Change] | None = None  # empty: nothing changed

    @property
    def asked(self) -> bool:
        return any(a is not None for a in (self.numb, self.weaker, self.changed))

    @property
    def complete(self) -> bool:
        return all(a is not None for a in (self.numb, self.weaker, self.changed))

    def answers(self, sites: Iterable[PainSite] = ()) -> dict[str, bool]:
        """Yes or no to each warning-sign question these answers settle, by its code.

        "Has pain, numbness or weakness come on in both legs": yes when numbness and weakness
        between them reach both legs (numb in one, weaker in the other is both legs); no only
        when numbness, weakness and the pain now (`sites`, the thigh or further down: the back
        and buttocks are not the legs) stay in one leg; otherwise left to the core, which
        knows whether pain in the other leg is new."""
        found: dict[str, bool] = {}
        nerve_legs: set[Side] = set()  # legs numb or weaker
        if self.numb is not None:
            numb_legs = {Side(n.value) for n in self.numb if n is not Numb.SADDLE}
            nerve_legs |= numb_legs
            found[LEG_NUMBNESS] = len(numb_legs) == 1
            found[SADDLE_NUMBNESS] = Numb.SADDLE in self.numb
        if self.weaker is not None:
            nerve_legs |= self.weaker
            found[LEG_WEAKER] = bool(self.weaker)
        if self.changed is not None:
            for change, code in CHANGE_CODES.items():
                found[code] = found.get(code, False) or change in self.changed
        if len(nerve_legs) == 2:
            found[BOTH_LEGS] = True
        elif (
            self.numb is not None
            and self.weaker is not None
            and len(nerve_legs | leg_sides(frozenset(sites))) < 2
        ):
            found[BOTH_LEGS] = False
        return found


def reported_check(
    found: Mapping[str, bool], *, check_id: str, user_id: str, at: datetime
) -> ScreenResult | None:
    """Answers given by question code (the three questions, a note's signs), as a check that
    asked only those questions, in the current version; None when it asks none of them."""
    answers = by_code(found)
    if all(a is None for a in answers):
        return None
    return ScreenResult(
        id=check_id,
        user_id=user_id,
        answered_at=at,
        answers=check_answers(answers, reported=True),
        version=SCREEN_VERSION,
        stored_at=at,
    )


NO_SYMPTOMS = Symptoms(frozenset(), frozenset(), frozenset())  # no to each question
NOT_ASKED = Symptoms()


# -- typed answers (the terminal's prompts and options) ----------------------------------------

T = TypeVar("T")
_NO = frozenset({"n", "no", "none", "nothing", "nowhere", "0"})
_SIDE_WORDS = {"l": Side.LEFT, "left": Side.LEFT, "r": Side.RIGHT, "right": Side.RIGHT}


def _parts(text: str) -> list[str]:
    return [p for p in (part.strip().lower() for part in text.replace(" ", ",").split(",")) if p]


def parse_numb(text: str) -> frozenset[Numb]:
    """`no`, or where: `left`, `right`, `both`, `saddle` (or l, r, b, s), several with commas."""
    parts = _parts(text)
    if not parts:
        raise InvalidInput(_numb_help(text))
    if set(parts) <= _NO:
        return frozenset()
    found: set[Numb] = set()
    for part in parts:
        if part in _SIDE_WORDS:
            found.add(Numb(_SIDE_WORDS[part].value))
        elif part in ("b", "both"):
            found |= {Numb.LEFT, Numb.RIGHT}
        elif part in ("s", "saddle", "between"):
            found.add(Numb.SADDLE)
        else:
            raise InvalidInput(_numb_help(text))
    return frozenset(found)


def _numb_help(text: str) -> str:
    return (
        f"numbness {text!r} is not an answer: use no, or where: left, right, both (legs) or "
        "saddle (between the legs), several with commas"
    )


def parse_weaker(text: str) -> frozenset[Side]:
    """`no`, `left`, `right` or `both` (or n, l, r, b)."""
    parts = _parts(text)
    if not parts:
        raise InvalidInput(_weaker_help(text))
    if set(parts) <= _NO:
        return frozenset()
    found: set[Side] = set()
    for part in parts:
        if part in _SIDE_WORDS:
            found.add(_SIDE_WORDS[part])
        elif part in ("b", "both"):
            found |= {Side.LEFT, Side.RIGHT}
        else:
            raise InvalidInput(_weaker_help(text))
    return frozenset(found)


def _weaker_help(text: str) -> str:
    return f"weaker {text!r} is not an answer: use no, left, right or both"


_CHANGE_WORDS = {
    "1": Change.PEEING,
    "peeing": Change.PEEING,
    "pee": Change.PEEING,
    "bladder": Change.PEEING,
    "2": Change.BOWELS,
    "bowels": Change.BOWELS,
    "bowel": Change.BOWELS,
    "3": Change.FEELING,
    "feeling": Change.FEELING,
    "saddle": Change.FEELING,
    "4": Change.SEX,
    "sex": Change.SEX,
}


def parse_changed(text: str) -> frozenset[Change]:
    """`no`, or which changed: `peeing`, `bowels`, `feeling`, `sex` (or 1-4), with commas."""
    parts = _parts(text)
    if not parts:
        raise InvalidInput(_changed_help(text))
    if set(parts) <= _NO:
        return frozenset()
    found: set[Change] = set()
    for part in parts:
        if part not in _CHANGE_WORDS:
            raise InvalidInput(_changed_help(text))
        found.add(_CHANGE_WORDS[part])
    return frozenset(found)


def _changed_help(text: str) -> str:
    return (
        f"changed {text!r} is not an answer: use no, or which changed: peeing, bowels, "
        "feeling (between the legs) or sex, several with commas"
    )


def symptoms_from_options(numb: str | None, weaker: str | None, changed: str | None) -> Symptoms:
    """The three answers given as options (`--numb`, `--weaker`, `--changed`); each is
    checked, with the option's name in the message."""
    return Symptoms(
        None if numb is None else _named("--numb", parse_numb, numb),
        None if weaker is None else _named("--weaker", parse_weaker, weaker),
        None if changed is None else _named("--changed", parse_changed, changed),
    )


def _named(name: str, parse: Callable[[str], T], text: str) -> T:
    try:
        return parse(text)
    except InvalidInput as error:
        raise InvalidInput(f"{name}: {error}") from None


SYMPTOM_FIELDS = ("numb", "weaker", "changed")  # the three questions' names, in order


def symptoms_from_choices(numb: list[str], weaker: list[str], changed: list[str]) -> Symptoms:
    """The three questions as a form sends them (the ticked values, "no" among them): a
    question with nothing ticked was not answered."""

    def choice(name: str, ticked: list[str], parse: Callable[[str], T]) -> T | None:
        if not ticked:
            return None
        if "no" in ticked and len(ticked) > 1:
            raise InvalidInput(
                f"{name}: 'No' and a yes were both ticked: tick No, or what changed",
                field=name,
            )
        try:
            return parse(",".join(ticked))
        except InvalidInput as error:
            raise InvalidInput(str(error), field=name) from None

    return Symptoms(
        choice("numb", numb, parse_numb),
        choice("weaker", weaker, parse_weaker),
        choice("changed", changed, parse_changed),
    )
