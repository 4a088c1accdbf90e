"""The first visit's consent: whether to ask it, and keeping a yes.

A person is asked once, before the warning-signs check. Someone who has already kept records
here (in the terminal, or before the first visit asked) is not on a first visit. Saying no is
never written down: nothing is kept, and the first visit asks again next time.
"""

from __future__ import annotations

from datetime import datetime

from stretchcoach.domain.consent import CONSENT_VERSION, Consent, KeptOn, needs_consent
from stretchcoach.domain.session import new_id
from stretchcoach.services.uow import ReadUnitOfWork, UnitOfWork


def first_visit(user_id: str, *, uow: ReadUnitOfWork) -> bool:
    """Whether this person still has to see the first visit: no yes to its words, and
    nothing kept yet."""
    with uow:
        if not needs_consent(uow.consents.given(user_id)):
            return False
        return not uow.consents.anything_kept(user_id)


def consent_given(user_id: str, *, uow: ReadUnitOfWork) -> Consent | None:
    """The person's latest yes, if any."""
    with uow:
        given = uow.consents.given(user_id)
    return given[-1] if given else None


def give_consent(user_id: str, kept_on: KeptOn, *, uow: UnitOfWork, now: datetime) -> Consent:
    """Keep a yes to the current words; a second yes to the same words keeps the first."""
    with uow:
        given = uow.consents.given(user_id)
        same = [c for c in given if c.version == CONSENT_VERSION]
        if same:
            return same[0]
        consent = Consent(new_id(), user_id, now, CONSENT_VERSION, kept_on)
        uow.consents.add(consent)
        uow.commit()
    return consent
