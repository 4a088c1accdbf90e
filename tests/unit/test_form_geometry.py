"""Angles from one pose: known answers on synthetic figures, and invariants under hypothesis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcoach.domain.form.geometry import (
    ViewIssue,
    angle_at_deg,
    measure,
    raised_side,
    view_issue,
)
from stretchcoach.domain.form.pose import Joint
from stretchcoach.domain.form.synthetic import Figure, OtherLeg, seated_pose
from stretchcoach.domain.values import Side

FACING_LEFT = Figure(facing=-1, hip_x=380.0)


@pytest.mark.parametrize(
    ("pose_kwargs", "knee", "hip", "lean", "curl"),
    [
        ({}, 180, 90, 0, 10),
        ({"lean_deg": 30}, 180, 120, 30, 10),
        ({"lean_deg": 45, "knee_deg": 150}, 150, 135, 45, 10),
        ({"curl_deg": 45, "lean_deg": 20}, 180, 110, 20, 45),
        ({"lean_deg": -10}, 180, 80, -10, 10),
        ({"thigh_deg": 20, "lean_deg": 10}, 180, 120, 10, 10),
        ({"figure": FACING_LEFT, "lean_deg": 25}, 180, 115, 25, 10),
        ({"other": OtherLeg.FOLDED, "lean_deg": 35}, 180, 125, 35, 10),
        ({"raised": Side.RIGHT, "lean_deg": 30, "knee_deg": 165}, 165, 120, 30, 10),
    ],
    ids=[
        "sitting-tall",
        "leaning-30",
        "knee-bent-deep-lean",
        "rounded-back",
        "reclined",
        "leg-lifted-above-level",
        "facing-left",
        "floor-other-leg-folded",
        "right-leg",
    ],
)
def test_angles_of_a_known_figure(
    pose_kwargs: dict[str, object], knee: float, hip: float, lean: float, curl: float
) -> None:
    pose = seated_pose(**pose_kwargs)
    side = pose_kwargs.get("raised", Side.LEFT)
    assert isinstance(side, Side)

    m = measure(pose)

    assert m.leg(side).knee_deg == pytest.approx(knee, abs=0.5)
    assert m.leg(side).hip_flexion_deg == pytest.approx(hip, abs=0.5)
    assert m.trunk_lean_deg == pytest.approx(lean, abs=0.5)
    assert m.back_curl_deg == pytest.approx(curl, abs=0.5)


def test_angle_at_a_joint() -> None:
    a, b, c = np.array([0.0, 0.0]), np.array([1.0, 0.0]), np.array([1.0, 1.0])

    assert angle_at_deg(a, b, c) == pytest.approx(90.0)
    assert angle_at_deg(a, b, b) == 0.0  # a zero-length limb gives 0, not an error


@pytest.mark.parametrize(
    ("pose_kwargs", "expected"),
    [
        ({"raised": Side.LEFT}, Side.LEFT),
        ({"raised": Side.RIGHT}, Side.RIGHT),
        ({"raised": None}, None),
        ({"raised": Side.RIGHT, "other": OtherLeg.FOLDED}, Side.RIGHT),
        ({"raised": Side.LEFT, "knee_deg": 140}, Side.LEFT),
        ({"raised": Side.LEFT, "figure": FACING_LEFT}, Side.LEFT),
        ({"raised": None, "other": OtherLeg.FOLDED}, None),
    ],
    ids=[
        "left",
        "right",
        "both-hanging",
        "floor-right-out-left-folded",
        "left-with-a-bent-knee",
        "left-facing-left",
        "floor-both-folded",
    ],
)
def test_which_leg_is_raised(pose_kwargs: dict[str, object], expected: Side | None) -> None:
    assert raised_side(measure(seated_pose(**pose_kwargs)), previous=None) is expected


def test_the_raised_leg_keeps_its_title_when_both_legs_are_out() -> None:
    both_out = measure(seated_pose(raised=Side.RIGHT, other=OtherLeg.RAISED))

    assert raised_side(both_out, previous=Side.RIGHT) is Side.RIGHT
    assert raised_side(both_out, previous=Side.LEFT) is Side.LEFT


@pytest.mark.parametrize(
    ("pose", "brightness", "expected"),
    [
        (seated_pose(), 0.5, None),
        (None, 0.5, ViewIssue.NO_PERSON),
        (seated_pose(), 0.05, ViewIssue.TOO_DARK),
        (seated_pose(figure=Figure(spread=0.8)), 0.5, ViewIssue.NOT_SIDE_ON),
        (seated_pose(figure=Figure(hip_y=400.0)), 0.5, ViewIssue.FEET_OUT),
        (seated_pose(figure=Figure(hip_y=150.0)), 0.5, ViewIssue.HEAD_OUT),
        (seated_pose(visibility=0.2), 0.5, ViewIssue.NO_PERSON),
    ],
    ids=["good", "nobody", "dark", "facing-camera", "feet-cut-off", "head-cut-off", "unsure"],
)
def test_the_view_is_checked_before_an_angle_is_trusted(
    pose: object, brightness: float, expected: ViewIssue | None
) -> None:
    assert view_issue(pose, brightness=brightness) is expected


def test_side_on_has_hysteresis() -> None:
    oblique = seated_pose(figure=Figure(spread=0.4))

    assert view_issue(oblique, side_on=True) is None
    assert view_issue(oblique, side_on=False) is ViewIssue.NOT_SIDE_ON


poses = st.builds(
    seated_pose,
    raised=st.sampled_from([Side.LEFT, Side.RIGHT]),
    lean_deg=st.floats(-10, 60),
    knee_deg=st.floats(120, 180),
    curl_deg=st.floats(-10, 60),
    thigh_deg=st.floats(-10, 30),
    other=st.sampled_from([OtherLeg.HANGING, OtherLeg.FOLDED]),
    figure=st.builds(Figure, facing=st.sampled_from([1, -1]), trunk_px=st.floats(60, 200)),
)


def _angles(pose: object) -> np.ndarray:
    m = measure(pose)
    return np.array(
        [
            m.left.knee_deg,
            m.right.knee_deg,
            m.left.hip_flexion_deg,
            m.right.hip_flexion_deg,
            m.trunk_lean_deg,
            m.back_curl_deg,
        ]
    )


@settings(max_examples=150, deadline=None)
@given(pose=poses, scale=st.floats(0.3, 3.0), dx=st.floats(-500, 500), dy=st.floats(-500, 500))
def test_scaling_and_shifting_a_pose_keeps_its_angles(
    pose: object, scale: float, dx: float, dy: float
) -> None:
    moved = pose.transformed(scale=scale, dx=dx, dy=dy)

    np.testing.assert_allclose(_angles(moved), _angles(pose), atol=1e-6)
    assert raised_side(measure(moved), previous=None) is raised_side(measure(pose), previous=None)


@settings(max_examples=150, deadline=None)
@given(pose=poses)
def test_a_mirrored_pose_has_the_same_angles_on_the_other_side(pose: object) -> None:
    mirrored = pose.mirrored()

    m, mm = measure(pose), measure(mirrored)

    assert mm.facing == -m.facing
    assert mm.left.knee_deg == pytest.approx(m.right.knee_deg, abs=1e-6)
    assert mm.right.hip_flexion_deg == pytest.approx(m.left.hip_flexion_deg, abs=1e-6)
    assert mm.trunk_lean_deg == pytest.approx(m.trunk_lean_deg, abs=1e-6)
    assert mm.back_curl_deg == pytest.approx(m.back_curl_deg, abs=1e-6)
    side = raised_side(m, previous=None)
    assert raised_side(mm, previous=None) is (side.other if side else None)


def test_mirroring_swaps_the_joints_of_each_pair() -> None:
    assert Joint.LEFT_KNEE.mirror is Joint.RIGHT_KNEE
    assert Joint.RIGHT_EAR.mirror is Joint.LEFT_EAR
    assert Joint.NOSE.mirror is Joint.NOSE
