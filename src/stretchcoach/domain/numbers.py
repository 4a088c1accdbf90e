"""One rule for numbers a person types: plain ASCII digits, an optional sign and decimal point.

Python's own `int()` and `float()` also take `1_0` (as 10), `1e20`, `nan`, `inf` and digits
from other scripts; none of those is what someone means by a pain score or a hold time, so
they are refused with the field and what is allowed, wherever the number is typed.
"""

from __future__ import annotations

import re

from stretchcoach.errors import InvalidInput

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_WHOLE = re.compile(r"[+-]?[0-9]+")
MAX_DIGITS = 15  # more than any dose, score or day count needs, and below float's precision


def parse_number(raw: str, *, field: str, whole: bool = False) -> float:
    """`raw` as a number (an int when `whole`), or InvalidInput naming the field."""
    text = raw.strip()
    pattern = _WHOLE if whole else _DECIMAL
    if not pattern.fullmatch(text) or len(text) > MAX_DIGITS:
        kind = "a whole number" if whole else "a number"
        example = "3" if whole else "30 or 30.5"
        raise InvalidInput(
            f"{field} {raw!r} is not {kind}: write digits only, like {example}", field=field
        )
    return int(text) if whole else float(text)
