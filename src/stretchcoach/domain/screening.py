"""Red-flag screening: the record of one answered screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ScreenResult:
    """One answered red-flag screen: a yes (True) or no per question, in question order."""

    id: str
    user_id: str
    answered_at: datetime
    answers: tuple[bool, ...]
    version: int = 1
