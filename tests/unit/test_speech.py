"""Speaking never blocks the timer, and a new cue cuts off one still being spoken."""

from __future__ import annotations

import io
import time
from pathlib import Path

from stretchcoach.adapters.speech import BellSpeaker, EspeakSpeaker, SilentSpeaker


def slow_voice(tmp_path: Path) -> Path:
    script = tmp_path / "slow-voice"
    log = tmp_path / "spoken.log"
    script.write_text(f'#!/bin/sh\necho "$@" >> {log}\nsleep 5\n')
    script.chmod(0o755)
    return script


def test_saying_a_cue_returns_at_once_while_the_voice_is_still_speaking(tmp_path: Path) -> None:
    speaker = EspeakSpeaker(str(slow_voice(tmp_path)))

    started = time.perf_counter()
    speaker.say("Left leg. Lean forward slowly.")
    took = time.perf_counter() - started

    assert took < 0.5
    speaker.say("Halfway")  # cuts the first one off
    speaker.stop()


def test_each_cue_reaches_the_voice_with_its_words(tmp_path: Path) -> None:
    speaker = EspeakSpeaker(str(slow_voice(tmp_path)))

    speaker.say("5")
    time.sleep(0.3)
    speaker.say("4")
    time.sleep(0.3)
    speaker.stop()

    spoken = (tmp_path / "spoken.log").read_text().splitlines()
    assert [line.split()[-1] for line in spoken] == ["5", "4"]


def test_a_missing_voice_program_never_raises(tmp_path: Path) -> None:
    speaker = EspeakSpeaker(str(tmp_path / "no-such-program"))

    speaker.say("hello")
    speaker.close()


def test_the_bell_rings_only_on_a_terminal() -> None:
    stream = io.StringIO()

    BellSpeaker(stream).say("Halfway")
    SilentSpeaker().say("Halfway")

    assert stream.getvalue() == ""
