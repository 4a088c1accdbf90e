"""Speaking cues: espeak-ng in a subprocess when it is installed, else a bell.

Speech never blocks the timer: each cue starts a process and returns at once; a new cue cuts
off one still speaking, because the newest cue is the one that matters.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import TextIO


class EspeakSpeaker:
    name = "espeak-ng"

    def __init__(self, executable: str, *, words_per_minute: int = 150) -> None:
        self._executable = executable
        self._wpm = words_per_minute
        self._current: subprocess.Popen[bytes] | None = None

    def say(self, text: str) -> None:
        self.stop()
        try:
            self._current = subprocess.Popen(
                [self._executable, "-s", str(self._wpm), "--", text],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._current = None

    def close(self) -> None:
        if self._current is not None:
            try:
                self._current.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.stop()

    def stop(self) -> None:
        """Cut off whatever is being said."""
        if self._current is not None and self._current.poll() is None:
            self._current.terminate()
            try:
                self._current.wait(timeout=1)
            except subprocess.TimeoutExpired:
                self._current.kill()
        self._current = None


class BellSpeaker:
    """No voice: ring the terminal bell; the cue text is on screen."""

    name = "bell"

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def say(self, text: str) -> None:
        if self._stream.isatty():
            self._stream.write("\a")
            self._stream.flush()

    def close(self) -> None:
        return None


class SilentSpeaker:
    """Says nothing at all (`--no-voice`)."""

    name = "off"

    def say(self, text: str) -> None:
        return None

    def close(self) -> None:
        return None


def find_espeak() -> str | None:
    return shutil.which("espeak-ng") or shutil.which("espeak")
