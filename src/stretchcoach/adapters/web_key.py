"""The web app's own secret: the key that signs the CSRF tokens its pages hand out.

Kept in a file in the data folder (`web.key`), readable only by its owner (mode 0600),
made the first time it is needed: filled in a private scratch file, then linked into place,
so two workers starting at once agree on one key (the second finds the first's and uses it)
and nobody ever reads half a key. Deleting the file makes a new key at the next start; the
only effect is that pages open before it ask to be reloaded.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from pathlib import Path

from stretchcoach.errors import StoreUnavailable

KEY_BYTES = 32
_KEY_TEXT = re.compile(rb"[0-9a-f]{64}\n?")


def load_or_create(path: Path) -> bytes:
    """The key kept at `path`, made first if there is none; StoreUnavailable in one line."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _create(path)
        return _read(path)
    except OSError as error:
        raise StoreUnavailable(
            f"cannot keep the web app's key in {str(path)!r}: {error.strerror}"
        ) from None


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            text = file.read(2 * KEY_BYTES + 2)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise StoreUnavailable(
            f"cannot read the web app's key {str(path)!r}: {error.strerror}"
        ) from None
    if not _KEY_TEXT.fullmatch(text):
        raise StoreUnavailable(
            f"the web app's key {str(path)!r} is damaged: delete it and start again "
            "(a new key is made; pages open now ask to be reloaded)"
        )
    return bytes.fromhex(text.decode("ascii").strip())


def _create(path: Path) -> None:
    """Publish a new key at `path` unless another process got there first."""
    fd, name = tempfile.mkstemp(prefix=".web.key.", dir=path.parent)  # mode 0600
    scratch = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(secrets.token_hex(KEY_BYTES).encode("ascii") + b"\n")
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another worker made it: theirs stands
            os.link(scratch, path)
        _sync_folder(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            scratch.unlink()


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
