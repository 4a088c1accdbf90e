"""A session's records travel on a thread of their own, and the store gets a time limit.

The session's loop hands each record to a `Courier` and goes straight back to the countdown:
the courier's thread gives it to the SafeKeeper (services/safekeeping.py), which saves it in
the store or, when the store fails, keeps it in the pending journal. The keeper's store work
runs under a `TimeLimit`: on a helper thread the courier waits for at most `limit_s` real
seconds. A store that has not answered by then (a stalled server, a network that drops every
packet: nothing refuses, nothing answers) is taken as not answering, and the record waits in
the journal. The helper is left to finish on its own; until it does the store is not tried
again, so one hung connection never piles up others. If it commits in the end, its records
are in the store and in the journal both, which replay's idempotence makes harmless: each is
saved once.

The courier says where each record ended up through `news()`, which the session reads when it
wakes anyway; nothing here ever blocks the caller of `keep()`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from stretchcoach.errors import StoreUnavailable
from stretchcoach.services.safekeeping import Kept, PendingEntry, SafeKeeper

T = TypeVar("T")

STORE_LIMIT_S = 3.0  # real seconds the store has to take a record before it waits on disk
WOKEN_GRACE_S = 0.2  # real seconds a hung store's last call gets to finish before a new try
SETTLE_S = 2 * STORE_LIMIT_S + 5.0  # real seconds the end of a session waits for the records


class TimeLimit:
    """Run store work on a helper thread; give up waiting after `limit_s` real seconds."""

    def __init__(self, limit_s: float = STORE_LIMIT_S) -> None:
        self.limit_s = limit_s
        self._stuck: threading.Thread | None = None
        self._stuck_since = 0.0

    def __call__(self, work: Callable[[], T]) -> T:
        if self._stuck is not None:
            self._stuck.join(min(self.limit_s, WOKEN_GRACE_S))  # it may just be finishing
            if self._stuck.is_alive():
                waited = time.monotonic() - self._stuck_since
                raise StoreUnavailable(f"the database has not answered for {waited:.0f} s")
            self._stuck = None
        outcome: list[T] = []
        failure: list[BaseException] = []

        def attempt() -> None:
            try:
                outcome.append(work())
            except BaseException as error:  # handed back to the caller below
                failure.append(error)

        helper = threading.Thread(target=attempt, name="stretchcoach-store", daemon=True)
        started = time.monotonic()
        helper.start()
        helper.join(self.limit_s)
        if helper.is_alive():
            self._stuck, self._stuck_since = helper, started
            raise StoreUnavailable(f"the database did not answer within {self.limit_s:g} s")
        if failure:
            raise failure[0]
        return outcome[0]


class Courier:
    """Keeps records through `keeper` on a thread of its own; `keep` never waits."""

    def __init__(self, keeper: SafeKeeper) -> None:
        self.keeper = keeper
        self._queue: list[PendingEntry | None] = []  # None: settle what waits
        self._news: list[tuple[PendingEntry, Kept]] = []
        self._busy = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._work, name="stretchcoach-courier")
        self._thread.daemon = True  # a store that never answers must not keep the process
        self._thread.start()

    def keep(self, entry: PendingEntry) -> Kept:
        """Send a record on its way; where it ends up comes back through `news()`."""
        with self._cond:
            self._queue.append(entry)
            self._cond.notify_all()
        return Kept.ON_ITS_WAY

    def news(self) -> list[tuple[PendingEntry, Kept]]:
        """Records whose place changed since the last call, in order."""
        with self._cond:
            news, self._news = self._news, []
        return news

    def finish(self, timeout_s: float = SETTLE_S) -> bool:
        """Try the store once more for everything, then wait (at most `timeout_s` real
        seconds) until every record has a place; False if some still had none."""
        with self._cond:
            self._queue.append(None)
            self._cond.notify_all()
            return self._cond.wait_for(lambda: not self._queue and not self._busy, timeout_s)

    def unplaced(self) -> list[PendingEntry]:
        """Records sent but not placed yet (only after `finish` timed out)."""
        with self._cond:
            return [entry for entry in self._queue if entry is not None]

    def _work(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: bool(self._queue))
                entry = self._queue.pop(0)
                self._busy = True
            before = self._places()
            kept = Kept.SAVED
            try:
                if entry is None:
                    self.keeper.settle()
                else:
                    kept = self.keeper.keep(entry)
            except Exception as error:  # anything else the store says: keep it safe on disk
                self.keeper.store_problem = str(error)
                self.keeper.secure()
                kept = Kept.WAITING if entry in self.keeper.waiting else Kept.IN_MEMORY
            after = self._places()
            news = [(e, after.get(id(e), (e, Kept.SAVED))[1]) for e, _ in before.values()]
            news = [(e, k) for e, k in news if k is not before[id(e)][1]]
            if entry is not None:
                news.append((entry, kept))
            with self._cond:
                self._news += news
                self._busy = False
                self._cond.notify_all()

    def _places(self) -> dict[int, tuple[PendingEntry, Kept]]:
        places = {id(e): (e, Kept.WAITING) for e in self.keeper.waiting}
        places |= {id(e): (e, Kept.IN_MEMORY) for e in self.keeper.in_memory}
        return places
