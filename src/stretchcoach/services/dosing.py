"""What the holds felt like, read back. Keeping an answer is services/session_case.py; the
next dose is the clinical core's (services/clinical.py)."""

from __future__ import annotations

from collections.abc import Sequence

from stretchcoach.domain.feel import Felt
from stretchcoach.domain.session import Session


def recent_felts(sessions: Sequence[Session]) -> list[list[Felt]]:
    """Each session's answers in hold order, newest session first (as the sessions come)."""
    return [
        [hold.felt for hold in sorted(s.holds, key=lambda h: h.hold_number) if hold.felt]
        for s in sessions
    ]
