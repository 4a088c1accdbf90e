"""Files the user asked for (a PDF, a picture, a calendar, an export, a video), written whole.

Each is written to a scratch file beside its target and renamed over it once complete, so a
full disk or a crash never leaves half a file where the user looks, and an older file of the
same name stays until the new one is whole. The result has the mode a plain write would give
(the umask's), not the scratch file's private one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from stretchcoach.errors import InvalidInput


def scratch_beside(target: Path) -> Path:
    """An empty scratch file in the target's folder (made if missing), to fill then publish."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    return Path(name)


def publish(scratch: Path, target: Path) -> None:
    """Give the filled scratch file the usual mode and put it in the target's place."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(scratch, 0o666 & ~umask)
    os.replace(scratch, target)


def discard(scratch: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        scratch.unlink()


def write_whole(target: Path, data: bytes) -> Path:
    """Write `data` to `target` whole or not at all; an OSError becomes one clear line."""
    scratch: Path | None = None
    try:
        scratch = scratch_beside(target)
        scratch.write_bytes(data)
        publish(scratch, target)
    except OSError as error:
        if scratch is not None:
            discard(scratch)
        raise InvalidInput(f"cannot write {str(target)!r}: {error.strerror}") from None
    return target
