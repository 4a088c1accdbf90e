"""Files the user asked for (a PDF, a picture, a calendar, an export, a video), written whole.

Each is written to a scratch file beside its target and renamed over it once complete, so a
full disk or a crash never leaves half a file where the user looks, and an older file of the
same name stays until the new one is whole. The result has the mode a plain write would give
(the umask's), not the scratch file's private one.

Only regular files are written. A folder, a device (`/dev/null`), a pipe or a socket where
the file should go is refused with one line, never replaced. A symbolic link is followed on
purpose: the file it points to is written (whole, the same way), and the link stays a link.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from stretchcoach.errors import InvalidInput


def resolve_target(target: Path) -> Path:
    """Where writing `target` really goes: through any links, to a regular file or nothing.

    Raises InvalidInput for a folder, a device, a pipe or a socket.
    """
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        return real
    except OSError as error:
        raise InvalidInput(f"cannot write {str(target)!r}: {error.strerror}") from None
    if stat.S_ISDIR(mode):
        what = "a folder"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    elif stat.S_ISFIFO(mode):
        what = "a pipe (FIFO)"
    elif not stat.S_ISREG(mode):
        what = "a socket"
    else:
        return real
    raise InvalidInput(
        f"cannot write {str(target)!r}: it is {what}, not a file; give the name of a file"
    )


def scratch_beside(target: Path) -> Path:
    """An empty scratch file in the target's folder (made if missing), to fill then publish."""
    target = resolve_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    return Path(name)


def publish(scratch: Path, target: Path) -> None:
    """Give the filled scratch file the usual mode and put it in the target's place."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(scratch, 0o666 & ~umask)
    os.replace(scratch, resolve_target(target))


def discard(scratch: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        scratch.unlink()


def write_whole(target: Path, data: bytes) -> Path:
    """Write `data` to `target` whole or not at all; an OSError becomes one clear line."""
    scratch: Path | None = None
    target = resolve_target(target)
    try:
        scratch = scratch_beside(target)
        scratch.write_bytes(data)
        publish(scratch, target)
    except OSError as error:
        if scratch is not None:
            discard(scratch)
        raise InvalidInput(f"cannot write {str(target)!r}: {error.strerror}") from None
    return target
