"""The rules that keep the coach steady on real people: sitting read from both thighs, one leg
at a time, the knee against the hold's own straight, still landmarks, and saying what stands
between the person and the hold."""

from __future__ import annotations

import numpy as np
import pytest

from stretchcoach.domain.form.coach import Corrector
from stretchcoach.domain.form.faults import KneeBaseline
from stretchcoach.domain.form.filters import PointsFilter
from stretchcoach.domain.form.geometry import LegMeasure, Measures, both_legs_out, seated
from stretchcoach.domain.form.readings import FormReading, FormState, HoldFormBuilder
from stretchcoach.domain.form.thresholds import DEFAULT_THRESHOLDS
from stretchcoach.domain.values import Side


def measures(
    drops: tuple[float, float] = (0.0, 0.0),
    *,
    reach: tuple[float, float] = (1.0, 0.5),
    knees: tuple[float, float] = (175.0, 100.0),
) -> Measures:
    def leg(i: int) -> LegMeasure:
        return LegMeasure(knees[i], 110.0, reach[i], drops[i])

    return Measures(1, leg(0), leg(1), 20.0, 10.0, 0.1, 150.0)


@pytest.mark.parametrize(
    ("drops", "was_seated", "expected"),
    [
        ((0.0, 0.0), False, True),
        ((5.0, 50.0), False, True),  # a folded thigh the tracker reads 50° below level
        ((50.0, 5.0), False, True),  # ... whichever leg it is
        ((-10.0, 42.0), False, True),
        ((10.0, 85.0), False, False),  # standing on one leg, the other out in front
        ((13.0, 60.0), False, False),  # a standing calf stretch, as the model read one
        ((5.0, 88.0), False, False),  # half-kneeling
        ((80.0, 85.0), False, False),  # a standing fold
        ((40.0, 54.0), False, False),  # each thigh passes, but the hips sit well above
        ((5.0, 58.0), False, False),  # a misread thigh past the limit to sit down ...
        ((5.0, 58.0), True, True),  # ... does not make a sitting person stand up
        ((5.0, 70.0), True, False),
    ],
    ids=[
        "both-level",
        "folded-thigh-read-50",
        "mirrored",
        "thigh-up",
        "standing-leg-raised",
        "calf-stretch",
        "half-kneeling",
        "standing-fold",
        "hips-high",
        "not-yet-seated",
        "stays-seated",
        "stood-up",
    ],
)
def test_sitting_is_read_from_both_thighs_and_the_hips_with_hysteresis(
    drops: tuple[float, float], was_seated: bool, expected: bool
) -> None:
    assert seated(measures(drops), was_seated=was_seated) is expected


@pytest.mark.parametrize(
    ("reach", "knees", "was_out", "expected"),
    [
        ((1.0, 0.5), (175.0, 100.0), False, False),  # one leg out, the other hanging
        ((1.0, 0.95), (175.0, 172.0), False, True),  # a two-leg fold
        ((1.0, 0.95), (175.0, 140.0), False, False),  # the other knee bent: one leg
        ((1.0, 0.7), (175.0, 170.0), False, False),  # the other foot not forward enough
        ((1.0, 0.7), (175.0, 170.0), True, True),  # ... but enough to stay a two-leg fold
        ((1.0, 0.95), (175.0, 150.0), True, True),
    ],
    ids=["one-leg", "two-leg-fold", "other-knee-bent", "other-foot-back", "stays", "stays-bent"],
)
def test_both_legs_out_straight_is_a_two_leg_fold(
    reach: tuple[float, float], knees: tuple[float, float], was_out: bool, expected: bool
) -> None:
    m = measures(reach=reach, knees=knees)

    found = both_legs_out(m, was_out=was_out, knee_straight_deg=DEFAULT_THRESHOLDS.knee_bent_deg)

    assert found is expected


@pytest.mark.parametrize(
    ("straight", "bent", "again", "start"),
    [
        (None, 145.0, 152.0, 155.0),  # still learning: only a clearly bent knee is bent
        (157.0, 147.0, 154.0, 147.0),  # a straight knee read at 157°
        (175.0, 155.0, 162.0, 155.0),  # a straight knee read straight: the fixed values
        (150.0, 155.0, 162.0, 155.0),  # raised bent: it teaches nothing
    ],
    ids=["learning", "reads-157", "reads-175", "raised-bent"],
)
def test_the_knee_is_judged_against_the_holds_own_straight(
    straight: float | None, bent: float, again: float, start: float
) -> None:
    baseline = KneeBaseline(DEFAULT_THRESHOLDS)
    if straight is not None:
        for i in range(30):
            baseline.add(i / 24, straight)

    assert baseline.bent_deg == pytest.approx(bent)
    assert baseline.straight_again_deg == pytest.approx(again)
    assert baseline.start_deg == pytest.approx(start)


def test_filtered_landmarks_hold_a_still_body_still_and_follow_a_movement() -> None:
    rng = np.random.default_rng(5)
    still = np.zeros((15, 3))
    points = PointsFilter(
        min_cutoff_hz=DEFAULT_THRESHOLDS.landmark_min_cutoff_hz,
        beta=DEFAULT_THRESHOLDS.landmark_beta,
    )

    shaken = [points(i / 24, still + rng.normal(0, 0.01, still.shape)) for i in range(240)]
    step = np.array([0.3, 0.0, 0.0])
    moved = [points(10 + i / 24, still + step * i / 24) for i in range(24)]

    assert np.std(np.array(shaken[48:])) < 0.005  # at least halves 1 cm of shake
    assert moved[-1][0, 0] == pytest.approx(0.3, abs=0.08)  # a 30 cm/s lean, little lag


def waiting(
    t_s: float, *, state: FormState = FormState.LEG_RAISED, speed: float = 0.0
) -> FormReading:
    return FormReading(
        t_s=t_s,
        state=state,
        side=Side.LEFT if state is not FormState.SEATED else None,
        form_ok=False,
        faults=frozenset(),
        new_faults=frozenset(),
        view=None,
        knee_deg=172.0,
        hip_flexion_deg=92.0,
        trunk_lean_deg=2.0,
        back_curl_deg=10.0,
        speed_deg_s=speed,
        measured=True,
    )


def test_what_stands_between_the_person_and_the_hold_is_said_once_it_has_lasted() -> None:
    corrector = Corrector()
    times = [i / 10 for i in range(0, 260)]

    said = [
        (t, c.text)
        for t in times
        if (c := corrector.next(waiting(t), expected_side=Side.LEFT)) is not None
    ]

    lean = "Now lean forward slowly from your hips, toward your foot."
    assert said == [(1.5, lean), (11.5, lean), (21.5, lean)]


def test_nobody_is_asked_to_lean_while_leaning_in_or_outside_a_session() -> None:
    corrector = Corrector()

    leaning_in = [
        corrector.next(waiting(i / 10, speed=15.0), expected_side=Side.LEFT) for i in range(40)
    ]
    no_session = [corrector.next(waiting(10 + i / 10)) for i in range(40)]

    assert leaning_in == [None] * 40
    assert no_session == [None] * 40


def reading(t_s: float, *, ok: bool = False, settling: bool = False) -> FormReading:
    return FormReading(
        t_s=t_s,
        state=FormState.STRETCHING,
        side=Side.LEFT,
        form_ok=ok,
        faults=frozenset(),
        new_faults=frozenset(),
        view=None,
        knee_deg=172.0,
        hip_flexion_deg=115.0,
        trunk_lean_deg=25.0,
        back_curl_deg=10.0,
        speed_deg_s=0.0,
        measured=True,
        settling=settling,
    )


@pytest.mark.parametrize(
    ("then_ok", "expected"), [(True, 3.0), (False, 0.0)], ids=["counted", "never-counted"]
)
def test_settling_counts_as_good_form_only_once_the_hold_counts(
    then_ok: bool, expected: float
) -> None:
    builder = HoldFormBuilder(Side.LEFT, 0.0)

    for i in range(21):  # 2 s settling
        builder.add(reading(i / 10, settling=True))
    for i in range(21, 31):  # then 1 s in good form, or not
        builder.add(reading(i / 10, ok=then_ok))

    assert builder.build().good_form_s == pytest.approx(expected, abs=0.01)


def test_a_leg_still_straightening_as_it_went_up_raises_its_own_straight() -> None:
    baseline = KneeBaseline(DEFAULT_THRESHOLDS)

    for i in range(25):  # the first second: the knee straightens from 150° to 162°
        baseline.add(i / 24, 150.0 + 12.0 * i / 24)
    first = baseline.straight_deg
    for i in range(25, 75):  # then it stays at 175°
        baseline.add(i / 24, 175.0)

    assert first == pytest.approx(156.0, abs=0.5)
    assert baseline.straight_deg == pytest.approx(175.0)
    assert baseline.bent_deg == pytest.approx(155.0)  # a real bend to 150° is still a bend
