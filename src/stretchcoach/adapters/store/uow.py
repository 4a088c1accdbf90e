"""The SQL unit of work: one connection and one transaction per `with` block."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from stretchcoach.adapters.store.accounts_repository import SqlAccountsRepository
from stretchcoach.adapters.store.clinic_repository import SqlClinicRepository
from stretchcoach.adapters.store.form_repository import SqlHoldFormRepository
from stretchcoach.adapters.store.journal_repository import (
    SqlJournalRepository,
    SqlScreenRepository,
    SqlUserRepository,
)
from stretchcoach.adapters.store.repository import SqlSessionRepository
from stretchcoach.adapters.store.settings_repository import SqlPreferencesRepository
from stretchcoach.adapters.store.transfer_repository import SqlRecordIndex
from stretchcoach.errors import StoreUnavailable


class SqlUnitOfWork:
    sessions: SqlSessionRepository
    journal: SqlJournalRepository
    screens: SqlScreenRepository
    users: SqlUserRepository
    hold_form: SqlHoldFormRepository
    preferences: SqlPreferencesRepository
    accounts: SqlAccountsRepository
    clinic: SqlClinicRepository
    records: SqlRecordIndex

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None

    def __enter__(self) -> Self:
        try:
            self._connection = self._engine.connect()
            self._connection.begin()
        except DBAPIError as error:
            raise StoreUnavailable(describe_db_error(error)) from None
        self.sessions = SqlSessionRepository(self._connection)
        self.journal = SqlJournalRepository(self._connection)
        self.screens = SqlScreenRepository(self._connection)
        self.users = SqlUserRepository(self._connection)
        self.hold_form = SqlHoldFormRepository(self._connection)
        self.preferences = SqlPreferencesRepository(self._connection)
        self.accounts = SqlAccountsRepository(self._connection)
        self.clinic = SqlClinicRepository(self._connection)
        self.records = SqlRecordIndex(self._connection)
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
        finally:
            connection.close()
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            raise StoreUnavailable(describe_db_error(exc)) from None

    def commit(self) -> None:
        assert self._connection is not None, "commit() outside the `with` block"
        try:
            self._connection.commit()
        except DBAPIError as error:
            raise StoreUnavailable(describe_db_error(error)) from None

    def rollback(self) -> None:
        if self._connection is not None:
            self._connection.rollback()


def describe_db_error(error: DBAPIError) -> str:
    """The first line of the driver's message, without SQL or parameters."""
    text = str(error.orig) if error.orig is not None else str(error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__
