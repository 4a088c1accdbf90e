"""The phone's set-aside log: a record the server refused for good is kept, not dropped.

The phone keeps such a record aside, shows it ("1 hold could not be saved: ..."), and
reports it here (`keep_refused`) with the server's reason; the person's history lists what
was set aside (`set_aside_of`). Each person sees only their own. See domain/refused.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from stretchcoach.domain.refused import RefusedRecord, SetAsideRecord
from stretchcoach.services.uow import ReadUnitOfWork, UnitOfWork


class PhoneAsideReader(Protocol):
    def of(self, user_id: str) -> list[SetAsideRecord]:
        """This person's set-aside records, newest first."""
        ...

    def count_of(self, user_id: str) -> int: ...


class PhoneAsideRepository(PhoneAsideReader, Protocol):
    def add(self, user_id: str, record: RefusedRecord, *, kept_at: datetime) -> bool:
        """Keep the record; False when this person's record with its id is already kept."""
        ...


class PhoneAsideReadUnitOfWork(ReadUnitOfWork, Protocol):
    @property
    def phone_aside(self) -> PhoneAsideReader: ...


class PhoneAsideUnitOfWork(UnitOfWork, Protocol):
    @property
    def phone_aside(self) -> PhoneAsideRepository: ...


def keep_refused(
    user_id: str, record: RefusedRecord, *, uow: PhoneAsideUnitOfWork, now: datetime
) -> bool:
    """Keep a refused record in the person's set-aside log, once by its id.

    True when it is new; False when the phone reported it before (the first report stays).
    """
    with uow:
        new = uow.phone_aside.add(user_id, record, kept_at=now)
        uow.commit()
    return new


def set_aside_of(user_id: str, *, uow: PhoneAsideReadUnitOfWork) -> list[SetAsideRecord]:
    """What the phone set aside for this person, newest first."""
    with uow:
        return uow.phone_aside.of(user_id)


def count_set_aside(user_id: str, *, uow: PhoneAsideReadUnitOfWork) -> int:
    with uow:
        return uow.phone_aside.count_of(user_id)
