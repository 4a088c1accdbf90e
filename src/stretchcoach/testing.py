"""Test doubles that stand in for the outside world: a clock, a speaker, keys, a store.

They live in the package (as rich's MockClock does) so every test uses the same ones.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self, TypeVar

from stretchcoach.domain.clock import Clock
from stretchcoach.domain.consent import Consent
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.form.metrics import HoldForm
from stretchcoach.domain.form.pose import Joint, Pose
from stretchcoach.domain.journal import PainEntry
from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.runner import Event, HoldResult, Snapshot
from stretchcoach.domain.screening import Acknowledgement, ScreenResult
from stretchcoach.domain.session import Hold, Session, SessionOutline
from stretchcoach.domain.user import User
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import NotFound, PendingUnwritable, StoreUnavailable
from stretchcoach.services.safekeeping import Kept, PendingEntry, SetAside, Waiting

T = TypeVar("T")


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
    kept: list[tuple[int, Kept]] = field(default_factory=list)  # hold number, where it is

    def show(self, snapshot: Snapshot, events: Sequence[Event], notice: str | None) -> None:
        self.frames.append((snapshot, list(events), notice))

    def hold_kept(self, hold: HoldResult, kept: Kept) -> None:
        self.kept.append((hold.hold_number, kept))

    @property
    def events(self) -> list[Event]:
        return [e for _, events, _ in self.frames for e in events]


class _Repository:
    """A fake repository that tells its unit of work before each write, so the unit of work
    can remember what to go back to if the block ends without a commit."""

    _before_write: Callable[[], None] | None = None

    def _writing(self) -> None:
        if self._before_write is not None:
            self._before_write()


class FakeSessionRepository(_Repository):
    def __init__(self) -> None:
        self.sessions: dict[str, Session] = {}

    def add(self, session: Session) -> None:
        self._writing()
        self.sessions[session.id] = session

    def get(self, session_id: str) -> Session:
        try:
            return self.sessions[session_id]
        except KeyError:
            raise NotFound(f"no session with id {session_id!r}") from None

    def add_hold(self, hold: Hold) -> None:
        self._writing()
        self.get(hold.session_id).holds.append(hold)

    def add_all(self, new: Sequence[Session]) -> None:
        self._writing()
        for session in new:
            self.add(session)

    def add_holds(self, new: Sequence[Hold]) -> None:
        self._writing()
        for hold in new:
            self.add_hold(hold)

    def set_felt(self, hold_id: str, felt: Felt) -> None:
        self._writing()
        for session in self.sessions.values():
            for i, hold in enumerate(session.holds):
                if hold.id == hold_id:
                    session.holds[i] = replace(hold, felt=felt)
                    return
        raise NotFound(f"no hold with id {hold_id!r}")

    def set_status(self, session_id: str, status: SessionStatus, ended_at: datetime) -> None:
        self._writing()
        session = self.get(session_id)
        session.status, session.ended_at, session.last_seen_at = status, ended_at, ended_at

    def touch(self, session_id: str, seen_at: datetime) -> None:
        self._writing()
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

    def recent_of(
        self, user_ids: Collection[str], *, limit: int, since: datetime
    ) -> dict[str, list[Session]]:
        return _of(user_ids, lambda uid: self.list_recent(uid, limit=limit, since=since))

    def outlines(self, user_id: str, *, since: datetime | None = None) -> list[SessionOutline]:
        return [
            SessionOutline(s.id, s.started_at, s.time_zone, s.status, s.practice)
            for s in self.list_recent(user_id, since=since)
        ]

    def list_open(self) -> list[Session]:
        return [s for s in self.sessions.values() if not s.status.is_final]


def _of(users: Collection[str], read: Callable[[str], list[T]]) -> dict[str, list[T]]:
    return {uid: read(uid) for uid in users}


class FakeJournalRepository(_Repository):
    def __init__(self) -> None:
        self.items: dict[str, PainEntry] = {}

    def add(self, entry: PainEntry) -> None:
        self._writing()
        self.items[entry.id] = entry

    def add_all(self, entries: Sequence[PainEntry]) -> None:
        self._writing()
        for entry in entries:
            self.add(entry)

    def get(self, entry_id: str) -> PainEntry:
        try:
            return self.items[entry_id]
        except KeyError:
            raise NotFound(f"no pain entry with id {entry_id!r}") from None

    def entries(self, user_id: str, *, since: datetime | None = None) -> list[PainEntry]:
        return [e for e in self._all(user_id, since) if e.current]

    def corrections(self, user_id: str, *, since: datetime | None = None) -> list[PainEntry]:
        return [e for e in self._all(user_id, since) if not e.current]

    def _all(self, user_id: str, since: datetime | None) -> list[PainEntry]:
        mine = [
            e
            for e in self.items.values()
            if e.user_id == user_id and (since is None or e.recorded_at >= since)
        ]
        return sorted(mine, key=lambda e: (e.recorded_at, e.id))

    def supersede(self, entry_id: str, *, by: str | None, at: datetime) -> bool:
        self._writing()
        entry = self.items.get(entry_id)
        if entry is None or not entry.current:
            return False
        self.items[entry_id] = replace(entry, corrected_at=at, superseded_by=by)
        return True

    def entries_of(
        self, user_ids: Collection[str], *, since: datetime
    ) -> dict[str, list[PainEntry]]:
        return _of(user_ids, lambda uid: self.entries(uid, since=since))


class FakeScreenRepository(_Repository):
    def __init__(self) -> None:
        self.items: list[ScreenResult] = []
        self.acks: list[Acknowledgement] = []

    def add(self, screen: ScreenResult) -> None:
        self._writing()
        self.items.append(screen)

    def add_all(self, new: Sequence[ScreenResult]) -> None:
        self._writing()
        self.items.extend(new)

    def latest(self, user_id: str) -> ScreenResult | None:
        mine = self.history(user_id)
        return mine[-1] if mine else None

    def history(self, user_id: str) -> list[ScreenResult]:
        mine = [s for s in self.items if s.user_id == user_id]
        return sorted(mine, key=lambda s: s.order_key)

    def add_acknowledgement(self, ack: Acknowledgement) -> None:
        self._writing()
        self.acks.append(ack)

    def history_of(self, user_ids: Collection[str]) -> dict[str, list[ScreenResult]]:
        return _of(user_ids, self.history)

    def acknowledgements_of(self, user_ids: Collection[str]) -> dict[str, list[Acknowledgement]]:
        return _of(user_ids, self.acknowledgements)

    def acknowledgements(self, user_id: str) -> list[Acknowledgement]:
        return sorted(
            (a for a in self.acks if a.user_id == user_id), key=lambda a: (a.stored_at, a.id)
        )


class FakeUserRepository(_Repository):
    def __init__(self) -> None:
        self.items: dict[str, User] = {}

    def add(self, user: User) -> None:
        self._writing()
        self.items[user.id] = user

    def find(self, user_id: str) -> User | None:
        return self.items.get(user_id)

    def count_others(self, user_id: str) -> int:
        return sum(1 for other in self.items if other != user_id)


class FakePreferencesRepository(_Repository):
    def __init__(self) -> None:
        self.items: dict[str, Preferences] = {}

    def get(self, user_id: str) -> Preferences | None:
        return self.items.get(user_id)

    def by_calendar_token(self, token: str) -> Preferences | None:
        return next((p for p in self.items.values() if p.calendar_token == token), None)

    def get_many(self, user_ids: Collection[str]) -> dict[str, Preferences]:
        return {uid: self.items[uid] for uid in user_ids if uid in self.items}

    def save(self, prefs: Preferences, *, now: datetime) -> None:
        self._writing()
        self.items[prefs.user_id] = prefs


class FakeConsentRepository(_Repository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.items: list[Consent] = []
        self._uow = uow

    def given(self, user_id: str) -> list[Consent]:
        return sorted((c for c in self.items if c.user_id == user_id), key=lambda c: c.given_at)

    def anything_kept(self, user_id: str) -> bool:
        uow = self._uow
        return bool(
            uow.sessions.outlines(user_id)
            or uow.journal.entries(user_id)
            or uow.journal.corrections(user_id)
            or uow.screens.history(user_id)
        )

    def add(self, consent: Consent) -> None:
        self._writing()
        self.items.append(consent)


class FakeHoldFormRepository(_Repository):
    def __init__(self, sessions: FakeSessionRepository) -> None:
        self.items: dict[str, HoldForm] = {}
        self.waiting: dict[tuple[str, int], HoldForm] = {}  # measured, its hold not yet in
        self._sessions = sessions

    def add(self, hold_id: str, form: HoldForm) -> None:
        self._writing()
        self.items[hold_id] = form

    def measured(self, session_id: str, hold_number: int) -> HoldForm | None:
        return self.waiting.get((session_id, hold_number))

    def keep_measured(self, session_id: str, hold_number: int, form: HoldForm) -> None:
        self._writing()
        self.waiting[(session_id, hold_number)] = form

    def drop_measured(self, session_id: str, hold_number: int) -> None:
        self._writing()
        self.waiting.pop((session_id, hold_number), None)

    def for_holds(self, hold_ids: list[str]) -> dict[str, dict[str, Any]]:
        return {
            i: {"good_form_s": f.good_form_s, "max_hip_flexion_deg": f.max_hip_flexion_deg}
            for i, f in self.items.items()
            if i in hold_ids
        }

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

    def max_flexion_for_user(
        self, user_id: str, *, since: datetime | None = None
    ) -> list[tuple[str, datetime, dict[Side, float]]]:
        mine = self._sessions.list_recent(user_id, since=since)
        found = self.max_flexion_by_session([s.id for s in mine])
        return [
            (s.id, s.started_at, found[s.id])
            for s in sorted(mine, key=lambda s: s.started_at)
            if s.id in found
        ]


class FakeRecordIndex:
    """Looks records up in the other fakes by their ids."""

    def __init__(
        self,
        sessions: FakeSessionRepository,
        journal: FakeJournalRepository,
        screens: FakeScreenRepository,
    ) -> None:
        self._sessions, self._journal, self._screens = sessions, journal, screens

    def owners(self, kind: str, ids: Collection[str]) -> dict[str, str]:
        wanted = set(ids)
        every: list[tuple[str, str]]
        if kind == "session":
            every = [(s.id, s.user_id) for s in self._sessions.sessions.values()]
        elif kind == "hold":
            every = [(h.id, s.user_id) for s in self._sessions.sessions.values() for h in s.holds]
        elif kind == "pain":
            every = [(e.id, e.user_id) for e in self._journal.items.values()]
        elif kind == "seen":
            every = [(a.id, a.user_id) for a in self._screens.acks]
        else:
            every = [(r.id, r.user_id) for r in self._screens.items]
        return {record_id: owner for record_id, owner in every if record_id in wanted}

    def hold_numbers(self, session_ids: Collection[str]) -> set[tuple[str, int]]:
        return {
            (s.id, h.hold_number)
            for s in self._sessions.sessions.values()
            if s.id in set(session_ids)
            for h in s.holds
        }


class FakeUnitOfWork:
    """An in-memory unit of work that keeps only what is committed, as a database does.

    The first write in a block remembers the records; leaving the block without a commit
    (or after an error) puts them back, so a use case that forgets `uow.commit()` loses its
    writes and a test reading them afterwards fails. `committed` and `rolled_back` count
    both endings. Records written outside any block (a test arranging its story) stay.
    """

    def __init__(self) -> None:
        self.sessions = FakeSessionRepository()
        self.journal = FakeJournalRepository()
        self.screens = FakeScreenRepository()
        self.users = FakeUserRepository()
        self.hold_form = FakeHoldFormRepository(self.sessions)
        self.preferences = FakePreferencesRepository()
        self.consents = FakeConsentRepository(self)
        self.records = FakeRecordIndex(self.sessions, self.journal, self.screens)
        self.committed = 0
        self.rolled_back = 0  # blocks left with writes not committed
        self.locks = 0  # how often a use case asked for the store's write lock
        self._before: list[dict[str, Any]] | None = None
        self._in_block = False
        for repository in self._repositories():
            repository._before_write = self._before_write

    def _repositories(self) -> list[Any]:
        return [
            self.sessions,
            self.journal,
            self.screens,
            self.users,
            self.hold_form,
            self.preferences,
            self.consents,
        ]

    def _state(self) -> list[dict[str, Any]]:
        repositories = self._repositories()
        memo: dict[int, Any] = {id(r): r for r in repositories}
        memo[id(self)] = self  # the repositories' hook back to this unit of work stays as is
        return [copy.deepcopy(dict(r.__dict__), memo) for r in repositories]

    def _before_write(self) -> None:
        """The first write of a block (or since its last commit) remembers the records."""
        if self._in_block and self._before is None:
            self._before = self._state()

    def __enter__(self) -> Self:
        self._in_block = True
        self._before = None
        return self

    def lock_store(self) -> None:
        self.locks += 1

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()
        self._in_block = False

    def commit(self) -> None:
        self.committed += 1
        self._before = None  # a later rollback in this block goes back to here

    def rollback(self) -> None:
        before, self._before = self._before, None
        if before is None:
            return  # nothing written since the block began or last committed
        self.rolled_back += 1
        for repository, state in zip(self._repositories(), before, strict=True):
            repository.__dict__.clear()
            repository.__dict__.update(state)


class FailingUnitOfWork(FakeUnitOfWork):
    """A store that stops answering while `down` says why (a full disk, a stopped server).

    A block whose commit fails leaves the records as they were before it, as a real
    database's rollback does.
    """

    def __init__(self) -> None:
        super().__init__()
        self.down: str | None = None

    def __enter__(self) -> Self:
        if self.down and self.down.startswith("connection"):
            raise StoreUnavailable(self.down)
        return super().__enter__()

    def commit(self) -> None:
        if self.down:
            raise StoreUnavailable(self.down)
        super().commit()


class MemoryPendingJournal:
    """The pending journal in memory; `full` makes every append fail as a full disk would.

    `unreadable` lines stand for lines of a file that cannot be read back."""

    def __init__(self) -> None:
        self.entries: list[PendingEntry] = []
        self.unreadable: list[str] = []
        self.set_aside_lines: list[SetAside] = []
        self.full = False
        self.location = "memory://pending"
        self.aside_location = "memory://pending.set-aside"

    def append(self, entry: PendingEntry) -> None:
        if self.full:
            raise PendingUnwritable(f"cannot write {self.location!r}: No space left on device")
        self.entries.append(entry)

    def waiting(self) -> list[PendingEntry]:
        return list(self.entries)

    def lines(self) -> list[Waiting]:
        return [Waiting(str(id(e)), e) for e in self.entries] + [
            Waiting(text, None, "this line cannot be read") for text in self.unreadable
        ]

    def remove(self, done: Sequence[Waiting]) -> None:
        for line in done:
            self._drop(line)

    def set_aside(self, line: Waiting, why: str) -> None:
        self.set_aside_lines.append(SetAside(line, why))
        self._drop(line)

    def set_aside_entry(self, entry: PendingEntry, why: str) -> None:
        if self.full:
            raise PendingUnwritable(f"cannot write {self.location!r}: No space left on device")
        self.set_aside_lines.append(SetAside(Waiting(str(id(entry)), entry), why))

    def aside(self) -> list[SetAside]:
        return list(self.set_aside_lines)

    def take_back(self, lines: Sequence[Waiting]) -> None:
        for line in lines:
            found = next(i for i, a in enumerate(self.set_aside_lines) if a.waiting == line)
            del self.set_aside_lines[found]

    def _drop(self, line: Waiting) -> None:
        if line.entry is None:
            self.unreadable.remove(line.line)
            return
        found = next((i for i, e in enumerate(self.entries) if e is line.entry), None)
        if found is not None:
            del self.entries[found]


# -- the camera form coach ----------------------------------------------------------------

INDEX_BITS = 14  # frames 0..16383
INDEX_BLOCK_PX = 8


def stamp_index(rgb: Any, index: int) -> None:
    """Write a frame number into an image's top row as black and white blocks.

    Coarse enough to survive video compression, so a replaying estimator can tell which
    frame it was given, whichever frames the analysis chose to look at.
    """
    b = INDEX_BLOCK_PX
    for bit in range(INDEX_BITS):
        rgb[0:b, bit * b : (bit + 1) * b] = 255 if index >> bit & 1 else 0


def read_index(rgb: Any) -> int:
    b = INDEX_BLOCK_PX
    return sum(
        1 << bit
        for bit in range(INDEX_BITS)
        if float(rgb[1 : b - 1, bit * b + 1 : (bit + 1) * b - 1].mean()) > 127
    )


class ReplayPoseEstimator:
    """Answers with prepared poses: by the frame number stamped in the image, or in order."""

    name = "replay"

    def __init__(self, poses: Sequence[Pose | None], *, stamped: bool = True) -> None:
        self.poses = list(poses)
        self.stamped = stamped
        self.calls = 0
        self.times: list[float] = []  # each frame's time, as it was given
        self.closed = False

    def estimate(self, rgb: Any, t_s: float) -> Pose | None:
        index = read_index(rgb) if self.stamped else self.calls
        self.calls += 1
        self.times.append(t_s)
        return self.poses[index] if index < len(self.poses) else None

    def close(self) -> None:
        self.closed = True


STICK_BONES = [
    (Joint.LEFT_EAR, Joint.LEFT_SHOULDER),
    (Joint.LEFT_SHOULDER, Joint.LEFT_HIP),
    (Joint.LEFT_HIP, Joint.LEFT_KNEE),
    (Joint.LEFT_KNEE, Joint.LEFT_ANKLE),
    (Joint.RIGHT_HIP, Joint.RIGHT_KNEE),
    (Joint.RIGHT_KNEE, Joint.RIGHT_ANKLE),
]


def write_synthetic_video(path: Any, poses: Sequence[Pose | None], *, fps: float = 30.0) -> None:
    """A video of a stick figure doing what `poses` say, each frame stamped with its number.

    No pose model sees a person in it (it is lines, not a body): pair it with
    `ReplayPoseEstimator`, which reads the stamp and answers with the pose.
    """
    import cv2
    import numpy as np

    first = next(p for p in poses if p is not None)
    size = (first.width, first.height)
    fourcc = cv2.VideoWriter.fourcc(*("MJPG" if str(path).endswith(".avi") else "mp4v"))
    writer = cv2.VideoWriter(str(path), fourcc, fps, size)
    try:
        for index, pose in enumerate(poses):
            frame = np.full((size[1], size[0], 3), 70, np.uint8)
            if pose is not None:
                pts = np.rint(pose.xy).astype(np.int32)
                for a, b in STICK_BONES:
                    cv2.line(frame, tuple(pts[a]), tuple(pts[b]), (230, 230, 230), 6)
                cv2.circle(frame, tuple(pts[Joint.LEFT_EAR]), 18, (230, 230, 230), -1)
            stamp_index(frame, index)
            writer.write(frame)
    finally:
        writer.release()


def write_camera_clip(
    photo: Any,
    path: Any,
    *,
    seconds: float = 2.0,
    fps: float = 24.0,
    width: int = 480,
    dim: float = 0.7,
    noise: float = 4.0,
    seed: int = 0,
) -> None:
    """A short clip of a still photograph as a webcam would film it: mirrored (as a front
    camera shows it), `width` pixels wide, dimmer, and with sensor noise that changes from
    frame to frame (a few noise fields, cycled and shifted: drawing a new one per frame costs
    more than the rest of the clip).

    `photo` is an image file; the clip is written to `path` (.mp4, or .avi for MJPG).
    """
    import cv2
    import numpy as np

    image = cv2.imread(str(photo))
    if image is None:
        raise ValueError(f"{photo!s} is not an image OpenCV can read")
    height = round(image.shape[0] * width / image.shape[1] / 2) * 2
    small = cv2.resize(cv2.flip(image, 1), (width, height), interpolation=cv2.INTER_AREA)
    base = small.astype(np.float32) * dim
    rng = np.random.default_rng(seed)
    fields = [rng.standard_normal(base.shape, dtype=np.float32) * noise for _ in range(4)]
    fourcc = cv2.VideoWriter.fourcc(*("MJPG" if str(path).endswith(".avi") else "mp4v"))
    writer = cv2.VideoWriter(str(path), fourcc, fps, (width, height))
    try:
        for index in range(round(seconds * fps)):
            field = np.roll(fields[index % 4], index // 4, axis=1)
            writer.write(np.clip(base + field, 0, 255).astype(np.uint8))
    finally:
        writer.release()
