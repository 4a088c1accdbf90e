"""A hold's form has one JSON shape: the API, the camera socket, `analyze` and the pending
journal all write it and read it back the same."""

from __future__ import annotations

import json

import pytest

from stretchcoach.domain.form.metrics import Fault, HoldForm, form_from_json, form_json
from stretchcoach.domain.values import Side

FORMS = [
    HoldForm(Side.LEFT, 1.5, 31.5, 27.25, 71.5, 168.0, {Fault.KNEE_BENT: 2, Fault.BOUNCING: 1}),
    HoldForm(Side.RIGHT, 0.0, 12.0, 0.0, None, None),
]


@pytest.mark.parametrize("form", FORMS)
def test_a_form_comes_back_from_its_json_unchanged(form: HoldForm) -> None:
    data = json.loads(json.dumps(form_json(form)))

    assert form_from_json(data) == form
    assert set(data["faults"]) == {fault.value for fault in Fault}  # every fault, 0 or more


def test_an_older_line_with_only_the_faults_seen_still_reads() -> None:
    data = form_json(FORMS[0]) | {"faults": {"knee_bent": 2, "bouncing": 1}}

    assert form_from_json(data) == FORMS[0]


@pytest.mark.parametrize(
    "broken",
    [
        {"side": "middle"},
        {"faults": {"slouching": 1}},
        {"start_s": "soon"},
        {"faults": None},
    ],
)
def test_a_shape_that_is_not_a_form_is_refused(broken: dict[str, object]) -> None:
    with pytest.raises((KeyError, ValueError, TypeError)):
        form_from_json(form_json(FORMS[0]) | broken)
