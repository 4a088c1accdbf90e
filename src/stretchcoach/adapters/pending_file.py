"""The pending journal as a file: JSON lines, appended and forced to disk one by one.

One file per database, in the data folder beside the default SQLite file:
`pending-<16 hex digits of the database URL's SHA-256>.jsonl`, so a journal written while one
database was down is replayed into that database only. Each line is one entry:
`{"db": URL (password hidden), "kind": ..., "user_id": ..., "record": {...}}`, the record's
fields being those of the export format (docs/export.md), read back with the same checks.

Processes share the file under an exclusive `flock` on `<name>.lock`, held only for a file
operation, never while the store is written: an append never interleaves with another, a
replay reads whole lines, and a replay waiting on a database that does not answer never
holds up an append. A replayed line is removed by rewriting the file beside it and renaming
it over (atomic), so a crash leaves either the old journal or the new one. A write that fails
half-way (the disk filling up) is cut back to the last whole line.

Lines the store refuses for good, and lines that cannot be read back, are moved to
`<name>.set-aside.jsonl`, one JSON object a line: `{"why": ..., "at": ..., "line": the
original line}`, never dropped.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
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
    SetAside,
    Waiting,
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

    @property
    def aside_path(self) -> Path:
        return self.path.with_name(self.path.stem + ".set-aside.jsonl")

    @property
    def aside_location(self) -> str:
        return str(self.aside_path)

    def append(self, entry: PendingEntry) -> None:
        line = (json.dumps(self._encode(entry), ensure_ascii=False) + "\n").encode("utf-8")
        with self._locked("write"):
            _append_durably(self.path, line, self.location)

    def waiting(self) -> list[PendingEntry]:
        """What waits, oldest first, read without taking it (lines it cannot read left out)."""
        return [line.entry for line in self.lines() if line.entry is not None]

    def lines(self) -> list[Waiting]:
        if not self.path.exists():
            return []  # nothing waits: no lock to take (a line appended now is read next time)
        with self._locked("read"):
            raw = _read_lines(self.path, self.location)
        return [self._parse(text) for text in raw]

    def remove(self, done: Sequence[Waiting]) -> None:
        if not done:
            return
        with self._locked("write"):
            self._drop([line.line for line in done])

    def set_aside(self, line: Waiting, why: str) -> None:
        from datetime import UTC, datetime

        record = {"why": why, "at": datetime.now(UTC).isoformat(), "line": line.line}
        text = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        with self._locked("write"):
            _append_durably(self.aside_path, text, self.aside_location)
            self._drop([line.line])

    def set_aside_entry(self, entry: PendingEntry, why: str) -> None:
        line = json.dumps(self._encode(entry), ensure_ascii=False)
        self.set_aside(Waiting(line, entry), why)

    def aside(self) -> list[SetAside]:
        if not self.aside_path.exists():
            return []
        with self._locked("read"):
            raw = _read_lines(self.aside_path, self.aside_location)
        found: list[SetAside] = []
        for text in raw:
            try:
                record = json.loads(text)
                why, line = str(record["why"]), str(record["line"])
            except (ValueError, KeyError, TypeError):
                why, line = "this line of the set-aside file cannot be read", text
            found.append(SetAside(self._parse(line), why))
        return found

    def take_back(self, lines: Sequence[Waiting]) -> None:
        if not lines:
            return
        with self._locked("write"):
            raw = _read_lines(self.aside_path, self.aside_location)
            gone = Counter(line.line for line in lines)
            kept: list[str] = []
            for text in raw:
                try:
                    original = str(json.loads(text)["line"])
                except (ValueError, KeyError, TypeError):
                    original = text
                if gone[original] > 0:
                    gone[original] -= 1
                else:
                    kept.append(text)
            _rewrite(self.aside_path, kept, self.aside_location)

    # -- the file ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self, doing: str) -> Iterator[None]:
        lock = self.path.with_suffix(".lock")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as error:
            raise PendingUnwritable(f"cannot {doing} {self.location!r}: {error.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _drop(self, raws: Sequence[str]) -> None:
        """Remove one copy of each of `raws` from the journal (under the lock)."""
        gone = Counter(raws)
        current = _read_lines(self.path, self.location)
        kept = []
        for text in current:
            if gone[text] > 0:
                gone[text] -= 1
            else:
                kept.append(text)
        if len(kept) != len(current):
            _rewrite(self.path, kept, self.location)

    def _parse(self, text: str) -> Waiting:
        try:
            return Waiting(text, self._decode(json.loads(text)))
        except (ValueError, KeyError, TypeError, InvalidInput) as error:
            return Waiting(text, None, f"this line cannot be read ({error})")

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


def _append_durably(path: Path, line: bytes, location: str) -> None:
    """Append one whole line and force it to disk; never leave half a line."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as error:
        raise PendingUnwritable(f"cannot write {location!r}: {error.strerror}") from None
    try:
        size = os.fstat(fd).st_size
        try:
            written = 0
            while written < len(line):
                written += os.write(fd, line[written:])
            os.fsync(fd)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)  # never leave half a line
            raise PendingUnwritable(f"cannot write {location!r}: {error.strerror}") from None
        if size == 0:
            _sync_folder(path.parent)
    finally:
        os.close(fd)


def _read_lines(path: Path, location: str) -> list[str]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as error:
        raise PendingUnwritable(f"cannot read {location!r}: {error.strerror}") from None
    return [raw.decode("utf-8", "replace") for raw in data.splitlines() if raw.strip()]


def _rewrite(path: Path, lines: Sequence[str], location: str) -> None:
    """Replace the file by `lines` at once (written beside it, then renamed over)."""
    if not lines:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        _sync_folder(path.parent)
        return
    spare = path.with_name(path.name + ".new")
    try:
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            data = "".join(f"{line}\n" for line in lines).encode("utf-8")
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(spare, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            spare.unlink()
        raise PendingUnwritable(f"cannot write {location!r}: {error.strerror}") from None
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make a new file's name durable too."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
