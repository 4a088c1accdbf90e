"""Routines as TOML files, checked (adapters/routine_schema.py) before they become domain values."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from stretchcoach.adapters.files import read_limited
from stretchcoach.domain.routine import Cues, Dose, Range, Routine
from stretchcoach.domain.values import Order, Side
from stretchcoach.errors import InvalidInput

BUILTIN = "seated-hamstring"
ROUTINE_MAX_BYTES = 64 * 2**10  # the built-in routine is about 2 KiB


def load_builtin(name: str = BUILTIN) -> Routine:
    """A routine that ships with the app. It states every field, and a test checks that it
    reads the same here as through every rule; so it is read without loading them."""
    text = resources.files("stretchcoach.routines").joinpath(f"{name}.toml").read_text("utf-8")
    try:
        return routine_from(tomllib.loads(text))
    except (KeyError, TypeError, ValueError):  # not whole: let the rules say what is wrong
        return parse_routine(text, source=f"built-in routine {name!r}")


def load_routine_file(path: Path) -> Routine:
    """Read and check a routine file; InvalidInput names the file and the field at fault."""
    data = read_limited(path, what="the routine file", limit=ROUTINE_MAX_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"routine file {str(path)!r} cannot be read: it is not UTF-8") from None
    return parse_routine(text, source=f"routine file {str(path)!r}")


def parse_routine(text: str, *, source: str) -> Routine:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{source} is not valid TOML: {error}") from None
    from pydantic import ValidationError

    from stretchcoach.adapters.routine_schema import RoutineModel

    try:
        return RoutineModel.model_validate(data).to_domain()
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(top level)"
        message = first["msg"].removeprefix("Value error, ")
        raise InvalidInput(f"{source}, field {field!r}: {message}") from None


def routine_from(data: Mapping[str, Any]) -> Routine:
    """The domain routine from a routine's fields, each present (checked, defaults filled)."""
    d = data["dose"]
    return Routine(
        id=data["id"],
        name=data["name"],
        summary=data["summary"],
        steps=tuple(data["steps"]),
        cautions=tuple(data["cautions"]),
        dose=Dose(
            hold_s=float(d["hold_s"]),
            hold_range=Range(float(d["hold_min_s"]), float(d["hold_max_s"])),
            reps_per_side=d["reps_per_side"],
            reps_range=Range(d["reps_min"], d["reps_max"]),
            rest_s=float(d["rest_s"]),
            rest_range=Range(float(d["rest_min_s"]), float(d["rest_max_s"])),
            get_ready_s=float(d["get_ready_s"]),
            first_side=Side(d["first_side"]),
            order=Order(d["order"]),
            recommended_min_reps=d["recommended_min_reps"],
        ),
        cues=Cues(**data["cues"]),
    )
