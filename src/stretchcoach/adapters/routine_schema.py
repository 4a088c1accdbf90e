"""The rules a routine file must follow, as pydantic models (loaded only to check a file)."""

from __future__ import annotations

import string
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from stretchcoach.adapters.routine_file import routine_from
from stretchcoach.domain.routine import Routine
from stretchcoach.domain.text import clean_text

TEXT_MAX = 400
PLACEHOLDERS = ("side", "Side", "other")  # what a cue may name: see domain.routine.fill_cue


def _printable(value: str) -> str:
    """The one rule for typed text: no control or invisible characters, not only spaces."""
    return clean_text(value, field="the text", max_length=TEXT_MAX, required=True)


Text = Annotated[str, Field(min_length=1, max_length=TEXT_MAX), AfterValidator(_printable)]
Seconds = Annotated[float, Field(gt=0, le=600)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DoseModel(_Strict):
    hold_s: Seconds
    hold_min_s: Seconds
    hold_max_s: Seconds
    reps_per_side: Annotated[int, Field(ge=1, le=50)]
    reps_min: Annotated[int, Field(ge=1, le=50)] = 1
    reps_max: Annotated[int, Field(ge=1, le=50)] = 10
    recommended_min_reps: Annotated[int, Field(ge=1, le=50)] = 1
    rest_s: Seconds
    rest_min_s: Seconds = 1
    rest_max_s: Seconds = 300
    get_ready_s: Seconds = 10
    first_side: Literal["left", "right"] = "left"
    order: Literal["alternate", "blocked"] = "alternate"

    @model_validator(mode="after")
    def _defaults_inside_ranges(self) -> DoseModel:
        for name, low, value, high in (
            ("hold_s", self.hold_min_s, self.hold_s, self.hold_max_s),
            ("reps_per_side", self.reps_min, self.reps_per_side, self.reps_max),
            ("rest_s", self.rest_min_s, self.rest_s, self.rest_max_s),
        ):
            if not low <= value <= high:
                raise ValueError(f"{name} = {value:g} is outside its range {low:g} to {high:g}")
        return self


class CuesModel(_Strict):
    get_ready: Text
    hold_start: Text
    hold_instruction: Text
    halfway: Text
    release_switch: Text
    release_same: Text
    rest_instruction: Text
    finish: Text

    @field_validator("*")
    @classmethod
    def _known_placeholders(cls, cue: str) -> str:
        allowed = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        try:
            fields = [
                (name, spec, conversion)
                for _, name, spec, conversion in string.Formatter().parse(cue)
                if name is not None
            ]
        except ValueError:
            raise ValueError(
                f"{cue!r} has a lone {{ or }}: write {{{{ or }}}} for a brace, or use {allowed}"
            ) from None
        for name, spec, conversion in fields:
            if name not in PLACEHOLDERS or spec or conversion:
                shown = "{" + name + (f"!{conversion}" if conversion else "")
                shown += (f":{spec}" if spec else "") + "}"
                raise ValueError(f"{cue!r} has {shown}: a cue may use only {allowed}")
        return cue


class RoutineModel(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
    name: Text
    summary: Text
    steps: Annotated[list[Text], Field(min_length=1)]
    cautions: list[Text] = []
    dose: DoseModel
    cues: CuesModel

    def to_domain(self) -> Routine:
        return routine_from(self.model_dump())
