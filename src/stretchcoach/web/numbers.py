"""Number types for the web's models, on the one rule of stretchcoach.domain.numbers.

- `JsonFloat`, `JsonInt`: in a JSON body a number is a JSON number; "5", true and 1_0 are
  refused (a JSON client that sends a string has a bug worth hearing about).
- `QueryFloat`, `QueryInt`: in an address or a form everything is text, so the text must be
  plain digits (no `1_0`, `1e20`, `nan`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from stretchcoach.domain.numbers import parse_number
from stretchcoach.errors import InvalidInput


def _plain(whole: bool) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, str):
            try:
                return parse_number(value, field="value", whole=whole)
            except InvalidInput:
                kind = "a whole number" if whole else "a number"
                raise ValueError(f"is not {kind}: write digits only") from None
        return value

    return check


JsonFloat = Annotated[float, Field(strict=True)]
JsonInt = Annotated[int, Field(strict=True)]
QueryFloat = Annotated[float, BeforeValidator(_plain(whole=False))]
QueryInt = Annotated[int, BeforeValidator(_plain(whole=True))]
