"""The one rule for typed numbers: plain ASCII digits, a sign, a decimal point; nothing else."""

from __future__ import annotations

import pytest

from stretchcoach.domain.numbers import parse_number
from stretchcoach.errors import InvalidInput


@pytest.mark.parametrize(
    ("raw", "whole", "expected"),
    [
        ("30", False, 30.0),
        (" 30.5 ", False, 30.5),
        (".5", False, 0.5),
        ("-2", True, -2),
        ("+7", True, 7),
        ("1_0", True, None),
        ("1_0", False, None),
        ("1e20", False, None),
        ("nan", False, None),
        ("inf", False, None),
        ("", True, None),
        ("3.0", True, None),
        ("٣", True, None),  # an Arabic-Indic three: int() takes it, a person did not mean it
        ("３", True, None),  # a full-width three
        ("9" * 16, True, None),
    ],
    ids=lambda value: repr(value) if isinstance(value, str) else str(value),
)
def test_only_plain_digits_make_a_number(raw: str, whole: bool, expected: float | None) -> None:
    if expected is None:
        with pytest.raises(InvalidInput, match="write digits only") as refused:
            parse_number(raw, field="hold_s", whole=whole)
        assert refused.value.field == "hold_s"
    else:
        assert parse_number(raw, field="hold_s", whole=whole) == expected
