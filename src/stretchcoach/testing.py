"""Test doubles that stand in for the outside world: a clock, a speaker, keys, a store.

They live in the package (as rich's MockClock does) so every test uses the same ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self

from stretchcoach.domain.clock import Clock
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.form.metrics import HoldForm
from stretchcoach.domain.journal import PainEntry
from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.runner import Event, Snapshot
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import Hold, Session
from stretchcoach.domain.user import User
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import NotFound


class FakeClock:
    """A clock that moves only when told to, or when someone sleeps on it."""

    def __init__(self, start: datetime | None = None) -> None:
        self._wall = start or datetime(2026, 1, 5, 7, 0, tzinfo=UTC)
        self._mono = 0.0

    def now(self) -> datetime:
        return self._wall

    def monotonic(self) -> float:
        return self._mono

    def real_seconds(self, span_s: float) -> float:
        return span_s

    def sleep_until(self, deadline: float) -> None:
        if deadline > self._mono:
            self.tick(deadline - self._mono)

    def tick(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)


@dataclass
class FakeSpeaker:
    """Remembers what it was asked to say."""

    name: str = "fake"
    said: list[str] = field(default_factory=list)
    closed: bool = False

    def say(self, text: str) -> None:
        self.said.append(text)

    def close(self) -> None:
        self.closed = True


@dataclass
class ScriptedKeys:
    """Presses keys at given session-clock times; sleeps on the clock in between."""

    presses: list[tuple[float, str]] = field(default_factory=list)
    interactive: bool = True

    def wait(self, clock: Clock, deadline: float | None) -> str | None:
        target = deadline if deadline is not None else clock.monotonic() + 0.25
        if self.presses and self.presses[0][0] <= target:
            at, key = self.presses.pop(0)
            clock.sleep_until(at)
            return key
        clock.sleep_until(target)
        return None


@dataclass
class RecordingView:
    """Keeps every frame it was asked to show."""

    frames: list[tuple[Snapshot, list[Event], str | None]] = field(default_factory=list)

    def show(self, snapshot: Snapshot, events: Sequence[Event], notice: str | None) -> None:
        self.frames.append((snapshot, list(events), notice))

    @property
    def events(self) -> list[Event]:
        return [e for _, events, _ in self.frames for e in events]


class FakeSessionRepository:
    def __init__(self) -> None:
        self.sessions: dict[str, Session] = {}

    def add(self, session: Session) -> None:
        self.sessions[session.id] = session

    def get(self, session_id: str) -> Session:
        try:
            return self.sessions[session_id]
        except KeyError:
            raise NotFound(f"no session with id {session_id!r}") from None

    def add_hold(self, hold: Hold) -> None:
        self.get(hold.session_id).holds.append(hold)

    def set_felt(self, hold_id: str, felt: Felt) -> None:
        for session in self.sessions.values():
            for i, hold in enumerate(session.holds):
                if hold.id == hold_id:
                    session.holds[i] = replace(hold, felt=felt)
                    return
        raise NotFound(f"no hold with id {hold_id!r}")

    def set_status(self, session_id: str, status: SessionStatus, ended_at: datetime) -> None:
        session = self.get(session_id)
        session.status, session.ended_at, session.last_seen_at = status, ended_at, ended_at

    def touch(self, session_id: str, seen_at: datetime) -> None:
        self.get(session_id).last_seen_at = seen_at

    def list_recent(
        self, user_id: str, *, limit: int | None = None, since: datetime | None = None
    ) -> list[Session]:
        mine = [
            s
            for s in self.sessions.values()
            if s.user_id == user_id and (since is None or s.started_at >= since)
        ]
        ordered = sorted(mine, key=lambda s: s.started_at, reverse=True)
        return ordered[:limit] if limit is not None else ordered

    def list_open(self) -> list[Session]:
        return [s for s in self.sessions.values() if not s.status.is_final]


class FakeJournalRepository:
    def __init__(self) -> None:
        self.items: dict[str, PainEntry] = {}

    def add(self, entry: PainEntry) -> None:
        self.items[entry.id] = entry

    def get(self, entry_id: str) -> PainEntry:
        try:
            return self.items[entry_id]
        except KeyError:
            raise NotFound(f"no pain entry with id {entry_id!r}") from None

    def entries(self, user_id: str, *, since: datetime | None = None) -> list[PainEntry]:
        mine = [
            e
            for e in self.items.values()
            if e.user_id == user_id and (since is None or e.recorded_at >= since)
        ]
        return sorted(mine, key=lambda e: (e.recorded_at, e.id))


class FakeScreenRepository:
    def __init__(self) -> None:
        self.items: list[ScreenResult] = []

    def add(self, screen: ScreenResult) -> None:
        self.items.append(screen)

    def latest(self, user_id: str) -> ScreenResult | None:
        mine = self.history(user_id)
        return mine[-1] if mine else None

    def history(self, user_id: str) -> list[ScreenResult]:
        mine = [s for s in self.items if s.user_id == user_id]
        return sorted(mine, key=lambda s: (s.answered_at, s.id))


class FakeUserRepository:
    def __init__(self) -> None:
        self.items: dict[str, User] = {}

    def add(self, user: User) -> None:
        self.items[user.id] = user

    def find(self, user_id: str) -> User | None:
        return self.items.get(user_id)


class FakePreferencesRepository:
    def __init__(self) -> None:
        self.items: dict[str, Preferences] = {}

    def get(self, user_id: str) -> Preferences | None:
        return self.items.get(user_id)

    def by_calendar_token(self, token: str) -> Preferences | None:
        return next((p for p in self.items.values() if p.calendar_token == token), None)

    def save(self, prefs: Preferences, *, now: datetime) -> None:
        self.items[prefs.user_id] = prefs


class FakeHoldFormRepository:
    def __init__(self, sessions: FakeSessionRepository) -> None:
        self.items: dict[str, HoldForm] = {}
        self._sessions = sessions

    def add(self, hold_id: str, form: HoldForm) -> None:
        self.items[hold_id] = form

    def max_flexion_by_session(self, session_ids: list[str]) -> dict[str, dict[Side, float]]:
        found: dict[str, dict[Side, float]] = {}
        for session_id in session_ids:
            session = self._sessions.sessions.get(session_id)
            for hold in session.holds if session else []:
                form = self.items.get(hold.id)
                if form is None:
                    continue
                best = found.setdefault(session_id, {})
                if form.max_hip_flexion_deg is not None:
                    best[hold.side] = max(best.get(hold.side, 0.0), form.max_hip_flexion_deg)
        return found


class FakeUnitOfWork:
    """An in-memory unit of work; `commits` counts what was committed."""

    def __init__(self) -> None:
        self.sessions = FakeSessionRepository()
        self.journal = FakeJournalRepository()
        self.screens = FakeScreenRepository()
        self.users = FakeUserRepository()
        self.hold_form = FakeHoldFormRepository(self.sessions)
        self.preferences = FakePreferencesRepository()
        self.commits = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def commit(self) -> None:
        self.commits += 1

    def rollback(self) -> None:
        return None
