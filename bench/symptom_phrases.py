"""How well the recogniser finds warning signs in journal notes, and how long a note takes.

Reads the labelled notes in tests/unit (phrase, tab, expected question codes; no codes for a
note that must stay quiet) and prints, for each file:

- recall per code and overall (a note counts as found when every expected code is named);
- false alarms: quiet notes that raised any sign;
- false emergencies: notes with no emergency sign that were called an emergency.

The files: `symptom_phrases.tsv` (the rules were tuned on it; it holds the earlier blind sets,
each measured once before it joined), `symptom_phrases_holdout.tsv` (written with the first
tuning notes, never tuned on) and `symptom_phrases_blind8.tsv` (written after the last round of
rules, measured once, never tuned on: the nearest to wordings no one has seen).
Then the time to read one note (median of `--runs` rounds), for a short note, the longest
labelled note and a 500-character one.

Usage: python bench/symptom_phrases.py [--runs 2000] [--show-misses]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from pathlib import Path

from stretchcoach.domain.safety import Care
from stretchcoach.domain.symptoms import CODES, recognise

TESTS = Path(__file__).resolve().parent.parent / "tests" / "unit"
FILES = (
    "symptom_phrases.tsv",
    "symptom_phrases_holdout.tsv",
    "symptom_phrases_blind8.tsv",
)
LONG_NOTE = (
    "Morning 5/10, did the stretch at 7, three holds each side, pulled a bit more than usual on "
    "the left. Walked the dog after, about 40 minutes, then sat at my desk most of the day which "
    "never helps. Since yesterday I cant really feel the loo roll when I wipe, which is odd. "
    "Physio on Thursday, will mention it. Evening 4/10 after a hot bath, slept ok-ish. Tried "
    "the standing desk at work for an hour, which was better than the chair. Kids home for "
    "tea, early night with a book and the heat pad on my back."
)


def labelled(path: Path) -> list[tuple[str, frozenset[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            phrase, codes = line.split("\t")
            rows.append((phrase, frozenset(c for c in codes.split(",") if c)))
    return rows


def measure(name: str, rows: list[tuple[str, frozenset[str]]], show: bool) -> None:
    wanted: Counter[str] = Counter()
    found: Counter[str] = Counter()
    notes = missed = quiet = alarms = calm = emergencies = 0
    for phrase, want in rows:
        got = {s.code for s in recognise(phrase)}
        for code in want:
            wanted[code] += 1
            found[code] += code in got
        if want:
            notes += 1
            if not want <= got:
                missed += 1
                if show:
                    print(f"  missed {phrase!r}: want {sorted(want)}, got {sorted(got)}")
        else:
            quiet += 1
            alarms += bool(got)
            if got and show:
                print(f"  alarm  {phrase!r}: got {sorted(got)}")
        if all(CODES[c] is not Care.EMERGENCY for c in want):
            calm += 1
            emergencies += any(CODES[c] is Care.EMERGENCY for c in got)
    print(f"{name}: {notes} notes with a sign, {quiet} quiet")
    for code in CODES:
        print(f"  {code:<16} {found[code]:>3}/{wanted[code]:<3} {found[code] / wanted[code]:6.1%}")
    print(f"  {'recall':<16} {notes - missed:>3}/{notes:<3} {(notes - missed) / notes:6.1%}")
    print(f"  {'false alarms':<16} {alarms:>3}/{quiet:<3} {alarms / quiet:6.1%}")
    print(f"  {'false emergency':<16} {emergencies:>3}/{calm:<3} {emergencies / calm:6.1%}")


def per_note_us(text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        recognise(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--tiny", action="store_true", help="a tiny run (the tests run it)")
    args = parser.parse_args()
    if args.tiny:
        args.runs = 5
    everything: list[tuple[str, frozenset[str]]] = []
    for name in FILES:
        rows = labelled(TESTS / name)
        everything += rows
        measure(name, rows, args.show_misses)
    longest = max((p for p, _ in everything), key=len)
    print(f"time per note, median of {args.runs}")
    for label, text in (
        ("short note", "pins n needles in my left foot"),
        (f"longest labelled ({len(longest)} chars)", longest),
        (f"long note ({len(LONG_NOTE)} chars)", LONG_NOTE),
    ):
        print(f"  {label:<30} {per_note_us(text, args.runs):8.0f} µs")


if __name__ == "__main__":
    main()
