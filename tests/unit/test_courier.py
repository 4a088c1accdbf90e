"""The courier keeps a session's records off the timer's thread: a store that hangs is given a
time limit, what it does not take in time waits in the journal, and nothing is doubled."""

from __future__ import annotations

import threading

import pytest
from tests.unit.test_safekeeping import session_records, stored_holds

from stretchcoach.adapters.courier import Courier, TimeLimit
from stretchcoach.domain.routine import Routine
from stretchcoach.errors import StoreUnavailable
from stretchcoach.services.safekeeping import Kept, SafeKeeper
from stretchcoach.testing import FailingUnitOfWork, MemoryPendingJournal

LIMIT_S = 0.05  # real seconds: how long a hung store is waited for here
ANSWERS_S = 5.0  # ... where a store that answers must not be taken for a hung one


class HungUnitOfWork(FailingUnitOfWork):
    """A store whose commits stop answering (no error, no answer) until `wake` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.wake = threading.Event()
        self.wake.set()

    def commit(self) -> None:
        self.wake.wait(timeout=60)
        super().commit()


def test_a_store_that_does_not_answer_in_time_is_not_waited_for() -> None:
    limit = TimeLimit(LIMIT_S)
    answer = threading.Event()

    with pytest.raises(StoreUnavailable, match=r"did not answer within 0.05 s"):
        limit(lambda: answer.wait(timeout=60))
    with pytest.raises(StoreUnavailable, match=r"has not answered for \d+ s"):
        limit(lambda: "never run while the first one hangs")
    answer.set()
    limit._stuck.join(timeout=60)  # type: ignore[union-attr]

    assert limit(lambda: "answered") == "answered"


def test_errors_of_the_work_itself_come_back_as_they_are() -> None:
    def refuses() -> None:
        raise StoreUnavailable("connection refused")

    with pytest.raises(StoreUnavailable, match="connection refused"):
        TimeLimit(LIMIT_S)(refuses)


def test_records_for_a_hung_store_wait_in_the_journal_and_are_saved_once_after(
    routine: Routine,
) -> None:
    uow, journal = HungUnitOfWork(), MemoryPendingJournal()
    limit = TimeLimit(ANSWERS_S)
    courier = Courier(SafeKeeper(uow, journal, run=limit))
    begun, holds = session_records(routine)
    courier.keep(begun)
    courier.finish()
    uow.wake.clear()  # the server freezes
    limit.limit_s = LIMIT_S

    sent = [courier.keep(hold) for hold in holds[:2]]
    placed = courier.finish()
    news = courier.news()

    assert sent == [Kept.ON_ITS_WAY] * 2
    assert placed
    assert (begun, Kept.SAVED) in news
    assert [(n.hold.hold_number, k) for n, k in news if n in holds] == [
        (1, Kept.WAITING),
        (2, Kept.WAITING),
    ]
    assert journal.waiting() == holds[:2]

    commits = uow.committed
    uow.wake.set()  # the server wakes: the hung commit goes through, then the journal
    while uow.committed == commits:  # the hung commit of hold 1 ends
        threading.Event().wait(0.01)
    limit.limit_s = ANSWERS_S
    courier.keep(holds[2])
    courier.finish()
    news = courier.news()

    assert [(n.hold.hold_number, k) for n, k in news if n in holds] == [
        (1, Kept.SAVED),
        (2, Kept.SAVED),
        (3, Kept.SAVED),
    ]
    assert journal.waiting() == []
    assert stored_holds(uow, begun.session.id) == [1, 2, 3]  # each once


def test_keep_returns_at_once_while_the_store_hangs(routine: Routine) -> None:
    uow, journal = HungUnitOfWork(), MemoryPendingJournal()
    courier = Courier(SafeKeeper(uow, journal, run=TimeLimit(60.0)))
    uow.wake.clear()
    begun, holds = session_records(routine)

    kept = [courier.keep(entry) for entry in (begun, *holds)]  # the store holds the first

    assert kept == [Kept.ON_ITS_WAY] * 5
    assert courier.finish(timeout_s=LIMIT_S) is False
    assert courier.unplaced() == holds  # not placed yet: the first still waits on the store
    uow.wake.set()
    assert courier.finish()
    assert stored_holds(uow, begun.session.id) == [1, 2, 3, 4]
