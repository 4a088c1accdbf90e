"""What the form coach makes of the cases misjudged on real people, rebuilt as landmark
sequences (domain/form/people.py): a Markdown table for docs/form.md.

For each case and seed: whether it holds a correct one-leg hold, the holds `analyze` would
report (side, good-form seconds, faults), and what the coach says during a guided hold on the
leg it shows (the first thing after the first second, and how often). Last, the totals:
correct holds found in good form with no fault, holds counted where there is none, and the
faults on the still photograph's minute.

Usage: python bench/real_people.py [SEEDS]   (default 3 seeds: 0, 1, 2)
"""

from __future__ import annotations

import sys

from stretchcoach.domain.form.coach import FAULT_LABELS, Corrector
from stretchcoach.domain.form.people import PeopleCase, all_cases
from stretchcoach.domain.form.state import FormTracker
from stretchcoach.domain.values import Side


def judge(case: PeopleCase) -> tuple[FormTracker, list[str]]:
    """Run the tracker over the case; the holds, and what a session on its leg would hear."""
    tracker, corrector = FormTracker(), Corrector()
    side = case.side or Side.LEFT
    tracker.expected_side = side
    said = []
    for i, pose in enumerate(case.poses):
        reading = tracker.update(i / case.fps, pose, brightness=0.5)
        correction = corrector.next(reading, expected_side=side)
        if correction is not None and (reading.t_s >= 1.0 or reading.view is not None):
            said.append(correction.text)
    tracker.finish(len(case.poses) / case.fps)
    return tracker, said


def main() -> None:
    seeds = range(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
    print("| case | seed | correct hold | holds found (good form s, faults) | the coach says |")
    print("|---|---|---|---|---|")
    found = correct = false_holds = still_faults = 0
    for seed in seeds:
        for case in all_cases(seed):
            tracker, said = judge(case)
            holds = "; ".join(
                f"{h.side.value} {h.good_form_s:.1f} s"
                + "".join(f", {FAULT_LABELS[f]} ×{n}" for f, n in h.faults.items())
                for h in tracker.holds
            )
            clean = [h for h in tracker.holds if h.good_form_s > 0 and not h.faults]
            if case.correct_hold:
                correct += 1
                found += bool(clean)
            else:
                false_holds += sum(h.good_form_s > 0 for h in tracker.holds)
            if case.name.startswith("still"):
                still_faults += sum(n for h in tracker.holds for n in h.faults.values())
            words = sorted(set(said), key=said.index)
            print(
                f"| {case.name} | {seed} | {'yes' if case.correct_hold else 'no'} | "
                f"{holds or 'none'} | {' / '.join(f'“{w}”' for w in words) or 'nothing'} |"
            )
    print(
        f"\ncorrect holds found in good form with no fault: {found} of {correct}; "
        f"good-form holds counted where there is none: {false_holds}; "
        f"faults on the still minute: {still_faults}"
    )


if __name__ == "__main__":
    main()
