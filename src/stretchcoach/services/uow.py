"""The unit of work and repositories the use cases need, as protocols.

`with uow: ...; uow.commit()` — leaving the block without a commit rolls back.

Each repository has a reading half (`...Reader`) and the whole (`...Repository`). A use case
that only reads asks for a `ReadUnitOfWork`, which every `UnitOfWork` is: its signature then
says, and the type checker holds it to, that it writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self, TypeVar

from stretchcoach.errors import Conflict

if TYPE_CHECKING:  # protocols: the types are for the checker, not needed at run time
    from stretchcoach.domain.consent import Consent
    from stretchcoach.domain.feel import Felt
    from stretchcoach.domain.form.metrics import HoldForm
    from stretchcoach.domain.journal import PainEntry
    from stretchcoach.domain.preferences import Preferences
    from stretchcoach.domain.screening import Acknowledgement, ScreenResult
    from stretchcoach.domain.session import Hold, Session, SessionOutline
    from stretchcoach.domain.user import User
    from stretchcoach.domain.values import SessionStatus, Side

T = TypeVar("T")


class SessionReader(Protocol):
    def get(self, session_id: str) -> Session:
        """The session with its holds; raises NotFound."""
        ...

    def list_recent(
        self, user_id: str, *, limit: int | None = None, since: datetime | None = None
    ) -> list[Session]:
        """A user's sessions with their holds, newest first."""
        ...

    def outlines(self, user_id: str, *, since: datetime | None = None) -> list[SessionOutline]:
        """A user's sessions without their holds, newest first."""
        ...

    def recent_of(
        self, user_ids: Collection[str], *, limit: int, since: datetime
    ) -> dict[str, list[Session]]:
        """Each user's latest `limit` sessions since `since`, with their holds, newest first."""
        ...

    def list_open(self) -> list[Session]:
        """Sessions still marked in progress."""
        ...


class SessionRepository(SessionReader, Protocol):
    def add(self, session: Session) -> None: ...

    def add_hold(self, hold: Hold) -> None: ...

    def add_all(self, new: Sequence[Session]) -> None:
        """Many sessions, without their holds, at once (an import)."""
        ...

    def add_holds(self, new: Sequence[Hold]) -> None: ...

    def set_felt(self, hold_id: str, felt: Felt) -> None:
        """Record what a hold felt like; raises NotFound."""
        ...

    def set_status(self, session_id: str, status: SessionStatus, ended_at: datetime) -> None: ...

    def touch(self, session_id: str, seen_at: datetime) -> None: ...


class JournalReader(Protocol):
    def get(self, entry_id: str) -> PainEntry:
        """Raises NotFound."""
        ...

    def entries(self, user_id: str, *, since: datetime | None = None) -> list[PainEntry]:
        """A user's current pain entries (never corrected), oldest first."""
        ...

    def corrections(self, user_id: str, *, since: datetime | None = None) -> list[PainEntry]:
        """A user's entries they replaced or withdrew, oldest first."""
        ...

    def entries_of(
        self, user_ids: Collection[str], *, since: datetime
    ) -> dict[str, list[PainEntry]]:
        """Each user's pain entries since `since`, oldest first."""
        ...


class JournalRepository(JournalReader, Protocol):
    def add(self, entry: PainEntry) -> None: ...

    def add_all(self, entries: Sequence[PainEntry]) -> None: ...

    def supersede(self, entry_id: str, *, by: str | None, at: datetime) -> bool:
        """Mark a current entry corrected (replaced by `by`, or withdrawn when None); False
        when it was corrected already."""
        ...


class ScreenReader(Protocol):
    def latest(self, user_id: str) -> ScreenResult | None: ...

    def history(self, user_id: str) -> list[ScreenResult]:
        """A user's screens, in the order they were stored."""
        ...

    def acknowledgements(self, user_id: str) -> list[Acknowledgement]:
        """A user's acknowledgements, in the order they were stored."""
        ...

    def history_of(self, user_ids: Collection[str]) -> dict[str, list[ScreenResult]]: ...

    def acknowledgements_of(
        self, user_ids: Collection[str]
    ) -> dict[str, list[Acknowledgement]]: ...


class ScreenRepository(ScreenReader, Protocol):
    def add(self, screen: ScreenResult) -> None: ...

    def add_all(self, new: Sequence[ScreenResult]) -> None: ...

    def add_acknowledgement(self, ack: Acknowledgement) -> None: ...


class UserReader(Protocol):
    def find(self, user_id: str) -> User | None: ...

    def count_others(self, user_id: str) -> int:
        """How many users besides this one the store holds (a clinic's accounts)."""
        ...


class UserRepository(UserReader, Protocol):
    def add(self, user: User) -> None: ...


class PreferencesReader(Protocol):
    def get(self, user_id: str) -> Preferences | None: ...

    def by_calendar_token(self, token: str) -> Preferences | None: ...

    def get_many(self, user_ids: Collection[str]) -> dict[str, Preferences]:
        """The preferences of each user who saved some."""
        ...


class PreferencesRepository(PreferencesReader, Protocol):
    def save(self, prefs: Preferences, *, now: datetime) -> None:
        """Insert or replace the user's preferences."""
        ...


class ConsentReader(Protocol):
    def given(self, user_id: str) -> list[Consent]:
        """A user's consents to keep their records, oldest first."""
        ...

    def anything_kept(self, user_id: str) -> bool:
        """Whether the store holds any session, pain rating or check of this user's."""
        ...


class ConsentRepository(ConsentReader, Protocol):
    def add(self, consent: Consent) -> None: ...


class HoldFormReader(Protocol):
    def for_holds(self, hold_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The stored metrics of the given holds, by hold id (holds without are absent)."""
        ...

    def measured(self, session_id: str, hold_number: int) -> HoldForm | None:
        """What the camera measured of a hold of this session not yet joined to it."""
        ...

    def max_flexion_by_session(self, session_ids: list[str]) -> dict[str, dict[Side, float]]:
        """Each camera-watched session's deepest good-form fold per leg."""
        ...

    def max_flexion_for_user(
        self, user_id: str, *, since: datetime | None = None
    ) -> list[tuple[str, datetime, dict[Side, float]]]:
        """A user's camera-watched sessions, oldest first: id, start, deepest fold per leg."""
        ...


class HoldFormRepository(HoldFormReader, Protocol):
    def add(self, hold_id: str, form: HoldForm) -> None: ...

    def keep_measured(self, session_id: str, hold_number: int, form: HoldForm) -> None:
        """Keep what the camera measured of a hold not yet arrived; the latest stands."""
        ...

    def drop_measured(self, session_id: str, hold_number: int) -> None: ...


RecordKind = Literal["session", "hold", "pain", "screen", "seen"]


class RecordIndex(Protocol):
    """Which records already exist, by their stable ids, whoever they belong to (import)."""

    def owners(self, kind: RecordKind, ids: Collection[str]) -> dict[str, str]:
        """For each id that exists, the id of the user it belongs to."""
        ...

    def hold_numbers(self, session_ids: Collection[str]) -> set[tuple[str, int]]:
        """The (session id, hold number) pairs already taken in these sessions."""
        ...


class ReadUnitOfWork(Protocol):
    """What a use case that only reads needs: the readers, used inside a `with` block."""

    @property
    def sessions(self) -> SessionReader: ...

    @property
    def journal(self) -> JournalReader: ...

    @property
    def screens(self) -> ScreenReader: ...

    @property
    def users(self) -> UserReader: ...

    @property
    def hold_form(self) -> HoldFormReader: ...

    @property
    def preferences(self) -> PreferencesReader: ...

    @property
    def consents(self) -> ConsentReader: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class UnitOfWork(ReadUnitOfWork, Protocol):
    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def journal(self) -> JournalRepository: ...

    @property
    def screens(self) -> ScreenRepository: ...

    @property
    def users(self) -> UserRepository: ...

    @property
    def hold_form(self) -> HoldFormRepository: ...

    @property
    def preferences(self) -> PreferencesRepository: ...

    @property
    def consents(self) -> ConsentRepository: ...

    @property
    def records(self) -> RecordIndex: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def lock_store(self) -> None:
        """Wait for the store's one write lock, held until the unit of work ends: for a
        check-then-write that two processes must not do at once (first use, import)."""
        ...


def kept_once(keep: Callable[[], T], *, taken: str) -> T:
    """Run `keep`, a check-then-write by a record's own id; when the store says Conflict (the
    same record arrived twice at once and the other copy won) run it once more, which finds
    the saved copy. Still a Conflict: the id is another record's, and `taken` says so."""
    try:
        return keep()
    except Conflict:
        try:
            return keep()
        except Conflict:
            raise Conflict(taken) from None
