"""Files the user asked for (a PDF, a picture, a calendar, an export, a video), written whole.

Each is written to a scratch file beside its target and renamed over it once complete, so a
full disk or a crash never leaves half a file where the user looks, and an older file of the
same name stays until the new one is whole. The result has the mode a plain write would give
(the umask's), not the scratch file's private one.

Files the user gives to read (an import, a routine, answers) are read the same careful way
(`read_limited`): regular files only, and never more than a stated size.

Only regular files are written. A folder, a device (`/dev/null`), a pipe or a socket where
the file should go is refused with one line, never replaced. A symbolic link where the file
should go is replaced by the new file, like any old file of that name: what it points to is
never written (a link planted in a shared folder cannot make an export overwrite another
file).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from stretchcoach.errors import InvalidInput


def resolve_target(target: Path) -> Path:
    """Where writing `target` goes: a regular file, a link (replaced, not followed) or nothing.

    Raises InvalidInput for a folder, a device, a pipe or a socket.
    """
    if target.is_symlink():
        return target
    real = target
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        return real
    except OSError as error:
        raise InvalidInput(f"cannot write {str(target)!r}: {error.strerror}") from None
    if stat.S_ISREG(mode):
        return real
    raise InvalidInput(
        f"cannot write {str(target)!r}: it is {_kind(mode)}, not a file; give the name of a file"
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


def read_limited(path: Path, *, what: str, limit: int) -> bytes:
    """The bytes of the regular file at `path`, refused in one line (InvalidInput) when it is
    missing, not a regular file (a folder, a device like /dev/zero, a pipe: opening a pipe
    never waits for a writer), or larger than `limit` bytes (never read past it).

    `what` names the file in messages: "the import file", "the routine file"."""
    shown = f"{what} {str(path)!r}"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InvalidInput(f"{shown} does not exist") from None
    except OSError as error:
        raise InvalidInput(f"cannot read {shown}: {error.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InvalidInput(
                f"cannot read {shown}: it is {_kind(mode)}, not a file; give the name of a file"
            )
        with os.fdopen(os.dup(fd), "rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise InvalidInput(f"cannot read {shown}: {error.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InvalidInput(
            f"cannot read {shown}: it is larger than {_size(limit)}, the most allowed"
        )
    return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    return "a socket"


def _size(limit: int) -> str:
    for unit, size in (("MiB", 2**20), ("KiB", 2**10)):
        if limit >= size:
            return f"{limit / size:g} {unit}"
    return f"{limit} bytes"
