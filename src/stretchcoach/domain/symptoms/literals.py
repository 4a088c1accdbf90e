"""Words a pattern cannot match without: a cheap test that skips most rules on most notes.

`required(pattern)` returns strings such that every match of `pattern` contains at least one
of them, or None when no such list is known. A note that contains none of them cannot match,
so the reader need not scan it with that pattern (looking for a few strings in a note is many
times cheaper than a regular-expression scan). It reads the pattern's parse tree:

- a part that can match only a few exact strings ("wakes?" is "wake" or "wakes") is
  required as those strings, joined with its exact neighbours ("can't " then "feel");
- an alternation needs one of its branches' strings; a repeat that must occur at least once
  needs its body's; anything else (a class of characters, an optional part, a look-around)
  requires nothing;
- of the parts of a sequence, the one kept has strings rare enough (four letters or more,
  common words such as "to", "me", "like" counting as none) and, among those, the fewest.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from itertools import product
from typing import Any

from stretchcoach.domain.symptoms.normalise import word_set

# The standard library's own reader of patterns (no public name, so no typed one). Should a
# later Python move it, every rule is simply always tried.
try:
    sre_parse: Any = importlib.import_module("re._parser")
    sre_constants: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - CPython 3.11 to 3.13 have both
    sre_parse = sre_constants = None

_MAX_EXACT = 64  # strings an exact part may stand for before it is treated as open
_RARE = 4  # letters a string needs to be seldom found in a note
_COMMON = word_set(
    "a an and at for from i in is it it's its like me my of off on or out some the to up "
    "with own case down less left right other same nothing"
)
_OPTIONAL = frozenset((sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) if sre_constants else ())


def required(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains; None if none are known."""
    if sre_parse is None:
        return None
    try:
        keys = _sequence(list(sre_parse.parse(pattern)))
    except (re.error, TypeError, ValueError, IndexError, AttributeError):
        return None  # an unfamiliar tree: the rule is always scanned
    if keys is None or _strength(keys) < 2:
        return None
    return keys


def _strength(keys: Iterable[str]) -> int:
    return min(0 if key.strip() in _COMMON else len(key.strip()) for key in keys)


def _sequence(items: Sequence[tuple[Any, Any]]) -> frozenset[str] | None:
    exacts = [_exact(op, av) for op, av in items]
    candidates: list[frozenset[str]] = []
    for i, (op, av) in enumerate(items):
        if exacts[i] is None:
            keys = _node(op, av)
            if keys is not None:
                candidates.append(keys)
            continue
        run: frozenset[str] = frozenset({""})
        for exact in exacts[i:]:  # every stretch of exact parts that starts here
            if exact is None:
                break
            run = frozenset(a + b for a, b in product(run, exact))
            if len(run) > _MAX_EXACT:
                break
            if "" not in run:
                candidates.append(run)
    if not candidates:
        return None
    return max(candidates, key=_worth)


def _worth(keys: frozenset[str]) -> tuple[bool, int, int]:
    """Rare enough first (a note seldom holds them), then the fewest to look for."""
    strength = _strength(keys)
    return strength >= _RARE, -len(keys), strength


def _exact(op: Any, av: Any) -> frozenset[str] | None:
    """The exact strings a part can match, if few; None otherwise."""
    if op is sre_constants.LITERAL:
        return frozenset({chr(av)})
    if op is sre_constants.SUBPATTERN:
        return _exact_sequence(list(av[-1]))
    if op is sre_constants.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            exact = _exact_sequence(list(branch))
            if exact is None:
                return None
            union |= exact
        return frozenset(union) if len(union) <= _MAX_EXACT else None
    if op in _OPTIONAL and av[0] == 0 and av[1] == 1:
        body = _exact_sequence(list(av[2]))
        return None if body is None else body | {""}
    return None


def _exact_sequence(items: Sequence[tuple[Any, Any]]) -> frozenset[str] | None:
    out: frozenset[str] = frozenset({""})
    for op, av in items:
        exact = _exact(op, av)
        if exact is None:
            return None
        out = frozenset(a + b for a, b in product(out, exact))
        if len(out) > _MAX_EXACT:
            return None
    return out


def _node(op: Any, av: Any) -> frozenset[str] | None:
    """Strings one of which every match of an open part contains; None if none are known."""
    if op is sre_constants.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is sre_constants.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            keys = _sequence(list(branch))
            if keys is None:
                return None
            union |= keys
        return frozenset(union)
    if op in _OPTIONAL and av[0] >= 1:
        return _sequence(list(av[2]))
    return None


GRAM = 4  # letters in the pieces a note is cut into for `grams`


def grams(text: str) -> frozenset[str]:
    """Every run of `GRAM` characters in `text`."""
    return frozenset(text[i : i + GRAM] for i in range(len(text) - GRAM + 1))


def signature(pattern: str) -> frozenset[str] | None:
    """Runs of `GRAM` characters one of which is in every text `pattern` can match in (the
    rarest-looking run of each required string); None if the rule must always be tried."""
    keys = required(pattern)
    if keys is None or any(len(key.strip()) < GRAM for key in keys):
        return None
    return frozenset(_rarest_gram(key.strip()) for key in keys)


# English letters from the most to the least used: a run of late letters is seldom in a note;
# a space or an apostrophe, or a run that is part of many common words, is in most notes.
_BY_USE = "etaoinshrdlcumwfgypbvkjxqz"
_COMMON_RUNS = word_set(
    "tion that ther with ment ions this here from ould ting hich whic ctio ence have othe "
    "ight sion ever ical they inte ough ance were tive over ding pres nter comp able heir "
    "thei ally ated ring ture cont ents cons rati thin part form ning ecti some than then "
    "when what will went want just been back well feel left side work time like more very "
    "even down ness less used only into much"
)


def _rarest_gram(key: str) -> str:
    runs = [key[i : i + GRAM] for i in range(len(key) - GRAM + 1)]
    return max(runs, key=_rarity)


def _rarity(run: str) -> int:
    if run in _COMMON_RUNS:
        return -100
    return sum(_BY_USE.find(c) if c.isalpha() else -30 for c in run)
