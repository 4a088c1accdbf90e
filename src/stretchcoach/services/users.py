"""Use cases around users. The terminal and the local web app share one local user."""

from __future__ import annotations

from datetime import datetime

from stretchcoach.domain.user import LOCAL_USER_ID, Role, User
from stretchcoach.services.uow import ReadUnitOfWork, UnitOfWork

CLINIC_STORE = (
    "This database also holds a clinic's accounts; the terminal reads only this computer's "
    "own records. Each person sees theirs on the web app after logging in, and a clinician "
    "sees their patients' there."
)


def ensure_local_user(*, uow: UnitOfWork, now: datetime) -> str:
    """The id of the single local user, created on first use."""
    with uow:
        if uow.users.find(LOCAL_USER_ID) is not None:
            return LOCAL_USER_ID
        uow.lock_store()  # two first commands at once must not both create the user
        if uow.users.find(LOCAL_USER_ID) is None:
            uow.users.add(User(LOCAL_USER_ID, "You", Role.PATIENT, now))
            uow.commit()
    return LOCAL_USER_ID


def clinic_hint(user_id: str, *, uow: ReadUnitOfWork) -> str | None:
    """What to say when the terminal's user has nothing to show but the store holds other
    people's accounts (a clinic's database): where their records are read. None otherwise."""
    with uow:
        others = uow.users.count_others(user_id)
    return CLINIC_STORE if others else None
