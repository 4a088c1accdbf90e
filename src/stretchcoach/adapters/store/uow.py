"""The SQL unit of work: one connection and one transaction per `with` block."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, overload
from urllib.parse import unquote

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, ProgrammingError

from stretchcoach.adapters.store.faults import described
from stretchcoach.adapters.store.lock import StoreLock
from stretchcoach.adapters.store.reads import Record, bound, in_lists
from stretchcoach.adapters.store.summaries import refresh
from stretchcoach.errors import Conflict, StoreUnavailable

if TYPE_CHECKING:
    from stretchcoach.adapters.store.accounts_repository import SqlAccountsRepository
    from stretchcoach.adapters.store.aside_repository import SqlPhoneAsideRepository
    from stretchcoach.adapters.store.clinic_repository import SqlClinicRepository
    from stretchcoach.adapters.store.consents import ConsentStore
    from stretchcoach.adapters.store.push import PushStore
    from stretchcoach.adapters.store.reads import RecordReads
    from stretchcoach.adapters.store.writes import (
        HoldFormStore,
        JournalStore,
        PreferencesStore,
        ScreenStore,
        SessionStore,
        UserStore,
    )

R = TypeVar("R")


class SqlRows:
    """reads.Rows on a SQLAlchemy connection: the repositories' plain SQL, run as text with
    bound parameters, on SQLite or PostgreSQL."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.touched: set[tuple[str, str]] = set()

    def __call__(self, sql: str, params: Mapping[str, Any] | None = None, /) -> list[Record]:
        return list(self._c.execute(text(sql), self._bound(params or {})).mappings().all())

    def run(self, sql: str, params: Mapping[str, Any]) -> int:
        return self._c.execute(text(sql), self._bound(params)).rowcount

    def many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        self._c.execute(text(sql), [self._bound(r) for r in rows])

    def insert_new(self, sql: str, params: Mapping[str, Any]) -> bool:
        try:
            with self._c.begin_nested():
                self._c.execute(text(sql), self._bound(params))
        except IntegrityError:
            return False
        return True

    def among(self, column: str, values: Iterable[str]) -> Iterable[tuple[str, dict[str, Any]]]:
        if not self.postgres:
            return in_lists(column, values)
        wanted = sorted(set(values))  # one array, one index probe per value
        return [(f"{column} = ANY(:among)", {"among": wanted})] if wanted else []

    def _bound(self, params: Mapping[str, Any]) -> dict[str, Any]:
        return bound(params, postgres=self.postgres)


class _Repository(Generic[R]):
    """A repository on the unit of work's Rows (its connection, plain SQL), made (and its
    module imported) when a use case first asks for it: reading the history does not load the
    clinic's queries."""

    def __init__(self, module: str, name: str) -> None:
        self._where = (f"stretchcoach.adapters.store.{module}", name)
        self._attribute = name

    def __set_name__(self, owner: type, attribute: str) -> None:
        self._attribute = attribute

    @overload
    def __get__(self, uow: None, owner: type) -> Self: ...
    @overload
    def __get__(self, uow: SqlUnitOfWork, owner: type) -> R: ...
    def __get__(self, uow: SqlUnitOfWork | None, owner: type) -> Self | R:
        if uow is None:
            return self
        made: dict[str, Any] = uow._repositories
        if self._attribute not in made:
            assert uow._connection is not None, f"{self._attribute} outside the `with` block"
            module, name = self._where
            made_by = getattr(importlib.import_module(module), name)
            made[self._attribute] = made_by(uow._rows)
        found: R = made[self._attribute]
        return found


class SqlUnitOfWork:
    sessions: _Repository[SessionStore] = _Repository("writes", "SessionStore")
    journal: _Repository[JournalStore] = _Repository("writes", "JournalStore")
    screens: _Repository[ScreenStore] = _Repository("writes", "ScreenStore")
    users: _Repository[UserStore] = _Repository("writes", "UserStore")
    hold_form: _Repository[HoldFormStore] = _Repository("writes", "HoldFormStore")
    preferences: _Repository[PreferencesStore] = _Repository("writes", "PreferencesStore")
    consents: _Repository[ConsentStore] = _Repository("consents", "ConsentStore")
    records: _Repository[RecordReads] = _Repository("reads", "RecordReads")
    push: _Repository[PushStore] = _Repository("push", "PushStore")
    accounts: _Repository[SqlAccountsRepository] = _Repository(
        "accounts_repository", "SqlAccountsRepository"
    )
    clinic: _Repository[SqlClinicRepository] = _Repository(
        "clinic_repository", "SqlClinicRepository"
    )
    phone_aside: _Repository[SqlPhoneAsideRepository] = _Repository(
        "aside_repository", "SqlPhoneAsideRepository"
    )

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._lock = StoreLock(engine)
        self._file = sqlite_file(engine)
        self._locked = False
        self._repositories: dict[str, Any] = {}
        self._rows: SqlRows | None = None

    def __enter__(self) -> Self:
        try:
            self._connection = self._engine.connect()
            self._connection.begin()
        except DBAPIError as error:
            raise StoreUnavailable(describe_db_error(error, file=self._file)) from None
        self._repositories = {}  # made anew on this block's connection
        self._rows = SqlRows(self._connection)  # one for all of them: what they touched
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.rollback()  # a no-op after commit
            connection.close()
        except DBAPIError as error:
            if exc is None:
                raise StoreUnavailable(describe_db_error(error, file=self._file)) from None
        finally:
            if self._locked:
                self._locked = False
                self._lock.release()
        if isinstance(exc, IntegrityError):
            raise Conflict("a record with this id or number is already saved") from exc
        if isinstance(exc, DBAPIError) and store_fault(exc):
            raise StoreUnavailable(describe_db_error(exc, file=self._file)) from None

    def lock_store(self) -> None:
        """Hold the store's one write lock until this unit of work ends (see lock.py)."""
        assert self._connection is not None, "lock_store() outside the `with` block"
        if not self._locked:
            try:
                self._lock.acquire(self._connection)
            except DBAPIError as error:
                raise StoreUnavailable(describe_db_error(error, file=self._file)) from None
            self._locked = True

    def commit(self) -> None:
        assert self._connection is not None, "commit() outside the `with` block"
        try:
            if self._rows is not None:
                refresh(self._rows)  # the summaries of whoever's records changed, in this commit
            self._connection.commit()
        except DBAPIError as error:
            raise StoreUnavailable(describe_db_error(error, file=self._file)) from None

    def rollback(self) -> None:
        if self._rows is not None:
            self._rows.touched.clear()
        if self._connection is not None:
            self._connection.rollback()


def rebuild_summaries_at_upgrade(connection: Connection) -> None:
    """Everyone's summary built during a migration (summaries.rebuild_everyone), so the first
    dashboard after the upgrade does not wait. A later schema that today's readers cannot read
    yet (an upgrade of many steps at once) leaves them to be built when first read: the
    building runs in a savepoint that a failure undoes alone."""
    from stretchcoach.adapters.store.summaries import rebuild_everyone

    try:
        with connection.begin_nested():
            rebuild_everyone(SqlRows(connection))
    except Exception:  # any failure here only defers the building to a read
        pass


def store_fault(error: DBAPIError) -> bool:
    """True when the store itself failed (gone, full, read-only, damaged), not our request."""
    if error.connection_invalidated:
        return True
    return not isinstance(error, (IntegrityError, DataError, ProgrammingError))


def describe_db_error(error: DBAPIError, *, file: str = "FILE") -> str:
    """The first line of the driver's message, without SQL or parameters, and what to do
    when the store itself is damaged, read-only or full (`file`: the SQLite file's path)."""
    text = str(error.orig) if error.orig is not None else str(error)
    return described(text if text.strip() else type(error).__name__, file=file)


def sqlite_file(engine: Engine) -> str:
    """The SQLite file behind an engine, for messages; FILE when there is none."""
    database = engine.url.database or ""
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return "FILE"
    return unquote(database.removeprefix("file:").split("?")[0])
