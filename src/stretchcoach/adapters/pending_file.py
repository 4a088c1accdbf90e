"""The pending journal as a file: JSON lines, appended and forced to disk one by one.

One file per database, in the data folder beside the default SQLite file:
`pending-<16 hex digits of the database URL's SHA-256>.jsonl`, so a journal written while one
database was down is replayed into that database only. Each line is one entry:
`{"db": URL (password hidden), "kind": ..., "user_id": ..., "record": {...}}`, the record's
fields being those of the export format (docs/export.md), read back with the same checks.

Processes share the file under an exclusive `flock`: an append never interleaves with
another, and a replay sees every entry appended before it. A write that fails half-way (the
disk filling up) is cut back to the last whole line, so the file always holds whole entries.
A line that cannot be read back is moved to `<name>.unreadable` rather than dropped.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from stretchcoach.domain.feel import Felt
from stretchcoach.domain.form.metrics import form_from_json, form_json
from stretchcoach.domain.values import SessionStatus
from stretchcoach.errors import InvalidInput, PendingUnwritable
from stretchcoach.services.safekeeping import (
    FeltKept,
    HoldKept,
    PainKept,
    PendingEntry,
    SessionBegun,
    SessionEnded,
)


def pending_path(shown_url: str, folder: Path) -> Path:
    """Where the records waiting for the database at `shown_url` (as display_url shows it,
    without a password) are kept: one file per database."""
    digest = hashlib.sha256(shown_url.encode("utf-8")).hexdigest()[:16]
    return folder / f"pending-{digest}.jsonl"


class PendingFile:
    """A `PendingJournal` in one file."""

    def __init__(self, path: Path, database: str) -> None:
        self.path = path
        self._database = database

    @classmethod
    def for_database(cls, raw_url: str, folder: Path) -> PendingFile:
        from stretchcoach.adapters.store.light import plain_sqlite_path

        if plain_sqlite_path(raw_url) is not None:
            shown = raw_url  # shown as written (light.py): no need to load SQLAlchemy
        else:
            from stretchcoach.adapters.store.engine import display_url, parse_url

            shown = display_url(parse_url(raw_url))
        return cls(pending_path(shown, folder), shown)

    @property
    def location(self) -> str:
        return str(self.path)

    def append(self, entry: PendingEntry) -> None:
        line = (json.dumps(self._encode(entry), ensure_ascii=False) + "\n").encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as error:
            raise PendingUnwritable(f"cannot write {self.location!r}: {error.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            try:
                written = 0
                while written < len(line):
                    written += os.write(fd, line[written:])
                os.fsync(fd)
            except OSError as error:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)  # never leave half a line
                raise PendingUnwritable(
                    f"cannot write {self.location!r}: {error.strerror}"
                ) from None
            if size == 0:
                _sync_folder(self.path.parent)
        finally:
            os.close(fd)

    def waiting(self) -> list[PendingEntry]:
        """What waits, oldest first, read without taking it (lines it cannot read left out)."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return []
        except OSError as error:
            raise PendingUnwritable(f"cannot read {self.location!r}: {error.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)  # no half-written line from an append under way
            with os.fdopen(os.dup(fd), "rb") as stream:
                lines = stream.read().splitlines()
        finally:
            os.close(fd)
        entries: list[PendingEntry] = []
        for raw in lines:
            with contextlib.suppress(ValueError, KeyError, TypeError, InvalidInput):
                entries.append(self._decode(json.loads(raw)))
        return entries

    @contextlib.contextmanager
    def claim(self) -> Iterator[list[PendingEntry]]:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CLOEXEC)
        except FileNotFoundError:
            yield []
            return
        except OSError as error:
            raise PendingUnwritable(f"cannot read {self.location!r}: {error.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with os.fdopen(os.dup(fd), "rb") as stream:
                lines = stream.read().splitlines()
            entries: list[PendingEntry] = []
            unreadable: list[bytes] = []
            for raw in lines:
                try:
                    entries.append(self._decode(json.loads(raw)))
                except (ValueError, KeyError, TypeError, InvalidInput):
                    unreadable.append(raw)
            yield entries
            if unreadable:
                with open(self.path.with_suffix(".unreadable"), "ab") as aside:
                    aside.write(b"\n".join(unreadable) + b"\n")
                    os.fsync(aside.fileno())
            if lines:
                os.ftruncate(fd, 0)
                os.fsync(fd)
        finally:
            os.close(fd)

    # -- lines ------------------------------------------------------------------------------

    def _encode(self, entry: PendingEntry) -> dict[str, Any]:
        from stretchcoach.domain.journal import pain_fields
        from stretchcoach.domain.session import hold_fields, session_fields

        line: dict[str, Any] = {"db": self._database}
        if isinstance(entry, SessionBegun):
            line |= {
                "kind": "session",
                "user_id": entry.session.user_id,
                "record": session_fields(entry.session),
            }
        elif isinstance(entry, HoldKept):
            line |= {"kind": "hold", "record": hold_fields(entry.hold)}
            if entry.form is not None:
                line["form"] = form_json(entry.form)
        elif isinstance(entry, FeltKept):
            line |= {
                "kind": "felt",
                "record": {
                    "session_id": entry.session_id,
                    "hold_id": entry.hold_id,
                    "felt": entry.felt.value,
                },
            }
        elif isinstance(entry, PainKept):
            line |= {
                "kind": "pain",
                "user_id": entry.entry.user_id,
                "record": pain_fields(entry.entry),
            }
        else:
            line |= {
                "kind": "end",
                "record": {
                    "session_id": entry.session_id,
                    "status": entry.status.value,
                    "ended_at": entry.ended_at,
                },
            }
        line["record"] = {k: _plain(v) for k, v in line["record"].items()}
        return line

    def _decode(self, line: dict[str, Any]) -> PendingEntry:
        from stretchcoach.adapters.transfer import _Fields, _hold, _pain, _session

        kind, record = line["kind"], line["record"]
        fields = _Fields(record, f"{self.location} ({kind})", typed=True)
        if kind == "session":
            return SessionBegun(_session(fields, line["user_id"]))
        if kind == "hold":
            form = line.get("form")
            return HoldKept(_hold(fields), None if form is None else form_from_json(form))
        if kind == "felt":
            return FeltKept(fields.uuid("session_id"), fields.uuid("hold_id"), Felt(record["felt"]))
        if kind == "pain":
            return PainKept(_pain(fields, line["user_id"]))
        if kind == "end":
            return SessionEnded(
                fields.uuid("session_id"),
                SessionStatus(record["status"]),
                fields.moment("ended_at"),
            )
        raise ValueError(f"unknown kind {kind!r}")


def _plain(value: Any) -> Any:
    from datetime import datetime

    return value.isoformat() if isinstance(value, datetime) else value


def _sync_folder(folder: Path) -> None:
    """Make a new file's name durable too."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
