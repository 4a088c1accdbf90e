"""Key presses from a real terminal, one at a time, without echo; or none at all."""

from __future__ import annotations

import os
import select
import sys
import termios
import tty
from types import TracebackType
from typing import Any, Self

from stretchcoach.domain.clock import Clock

POLL_S = 0.05


class TerminalKeys:
    """Reads single keys from a terminal in cbreak mode; restores the terminal on exit."""

    interactive = True

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._saved: list[Any] | None = None

    @classmethod
    def for_stdin(cls) -> TerminalKeys | NoKeys:
        if sys.stdin.isatty():
            return cls(sys.stdin.fileno())
        return NoKeys()

    def __enter__(self) -> Self:
        self._saved = termios.tcgetattr(self._fd)
        tty.setcbreak(self._fd)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._saved is not None:
            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
            self._saved = None

    def wait(self, clock: Clock, deadline: float | None) -> str | None:
        while True:
            if deadline is None:
                timeout = POLL_S
            else:
                remaining = deadline - clock.monotonic()
                if remaining <= 0:
                    return None
                timeout = min(POLL_S, clock.real_seconds(remaining))
            ready, _, _ = select.select([self._fd], [], [], timeout)
            if ready:
                data = os.read(self._fd, 32)
                if not data:
                    return None
                return _first_key(data)
            if deadline is None:
                return None


def _first_key(data: bytes) -> str:
    if data.startswith(b"\x1b"):
        return "\x1b"  # an escape sequence (arrow keys and such): one key, ignored by the driver
    return data[:1].decode("ascii", errors="replace")


class NoKeys:
    """No keyboard (stdin is a pipe or a file): the session runs to its end by itself."""

    interactive = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def wait(self, clock: Clock, deadline: float | None) -> str | None:
        clock.sleep_until(deadline if deadline is not None else clock.monotonic() + 0.25)
        return None
