"""Routines load from TOML; a broken file is refused naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from stretchcoach.adapters.routine_file import load_builtin, load_routine_file, parse_routine
from stretchcoach.domain.values import Order, Side
from stretchcoach.errors import InvalidInput

BUILTIN_TOML = (
    Path(__file__).parents[2] / "src/stretchcoach/routines/seated-hamstring.toml"
).read_text()


def test_the_builtin_routine_is_the_seated_hamstring_stretch_with_its_defaults() -> None:
    routine = load_builtin()

    dose = routine.dose
    assert routine.id == "seated-hamstring"
    assert (dose.hold_s, dose.hold_range.low, dose.hold_range.high) == (30, 30, 60)
    assert dose.reps_per_side == 3
    assert dose.first_side is Side.LEFT
    assert dose.order is Order.ALTERNATE
    assert 3 <= dose.rest_s <= 30
    assert len(routine.steps) >= 4


def test_the_builtin_routine_reads_the_same_as_through_every_rule() -> None:
    checked = parse_routine(BUILTIN_TOML, source="the built-in routine")

    read = load_builtin()  # without loading the rules: the CLI's start-up

    assert read == checked
    assert repr(read) == repr(checked)  # 30.0 stays 30.0, not 30


def test_a_routine_file_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "gentle.toml"
    path.write_text(
        BUILTIN_TOML.replace('id = "seated-hamstring"', 'id = "gentle"').replace(
            "hold_s = 30", "hold_s = 40"
        )
    )

    routine = load_routine_file(path)

    assert routine.id == "gentle"
    assert routine.dose.hold_s == 40


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("hold_s = 30", "hold_s = 90"), "dose"),
        (("hold_s = 30", 'hold_s = "long"'), "dose.hold_s"),
        (('first_side = "left"', 'first_side = "middle"'), "dose.first_side"),
        (('halfway = "Halfway. Keep breathing."', 'halfway = ""'), "cues.halfway"),
        (('id = "seated-hamstring"', 'id = "Has Spaces"'), "id"),
        (("[cues]", "surprise = 1\n[cues]"), "dose.surprise"),
    ],
    ids=["default-outside-range", "not-a-number", "unknown-side", "empty-cue", "bad-id", "extra"],
)
def test_an_invalid_routine_names_the_file_and_the_field(
    tmp_path: Path, change: tuple[str, str], field: str
) -> None:
    path = tmp_path / "broken.toml"
    old, new = change
    assert old in BUILTIN_TOML
    path.write_text(BUILTIN_TOML.replace(old, new, 1))

    with pytest.raises(InvalidInput) as raised:
        load_routine_file(path)

    message = str(raised.value)
    assert "broken.toml" in message
    assert repr(field) in message


def test_a_missing_routine_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        load_routine_file(tmp_path / "nope.toml")


def test_a_file_that_is_not_toml_says_so(tmp_path: Path) -> None:
    path = tmp_path / "notes.toml"
    path.write_text("this is [not toml")

    with pytest.raises(InvalidInput, match="not valid TOML"):
        load_routine_file(path)
