"""The exceptions stretchcoach raises on purpose.

    StretchcoachError
    ├── InvalidInput (ValueError)   the user gave a value we cannot use
    ├── NotFound                    the thing asked for does not exist
    ├── Conflict                    a record's id or place is taken by another record
    ├── StoreUnavailable            the database cannot be reached or opened
    ├── PendingUnwritable           the local file of records waiting for it cannot be written
    └── SafetyBlock                 a safety rule stops the stretch for now
        └── ScreenDue               the warning-signs check must be answered first

Each edge (CLI, web) translates these once: one line, a clear cause, what is allowed.
"""


class StretchcoachError(Exception):
    """Base of every error stretchcoach raises on purpose."""


class InvalidInput(StretchcoachError, ValueError):
    """A value from the user is outside what is allowed; the message says what is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field  # the form field or option at fault, when there is one


class NotFound(StretchcoachError):
    """The session, hold or record asked for does not exist."""


class Conflict(StretchcoachError):
    """A record cannot be kept as sent: its id (or its hold number) is already another's."""


class StoreUnavailable(StretchcoachError):
    """The database cannot be reached, opened or migrated."""


class PendingUnwritable(StretchcoachError):
    """The pending journal (records waiting for the database) cannot be written or read."""


class SafetyBlock(StretchcoachError):
    """A safety rule (a red flag, a stop rule) means the stretch should not go ahead now."""


class ScreenDue(SafetyBlock):
    """The warning-signs check was never answered, or is over 30 days old: answer it first."""
