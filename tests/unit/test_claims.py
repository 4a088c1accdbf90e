"""What the product says about itself: no promise the stretch does not keep, and the same
words for the same thing everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stretchcoach
from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "stretchcoach"
# A claim that the stretch does something for sciatica; "no trial has shown that this stretch
# relieves sciatica" is the honest statement, not a claim.
CLAIM = re.compile(r"\b(eases?|reliev(?:es|e)|treats?|helps?|cures?)\s+(?:your\s+)?sciatica", re.I)
DISCLAIMER = re.compile(r"no trial (?:has )?show[ns]? that this stretch relieves sciatica", re.I)


def claims(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [m.group(0) for m in CLAIM.finditer(DISCLAIMER.sub("", flat))]


def surfaces() -> dict[str, str]:
    help_text = CliRunner().invoke(app, ["--help"], terminal_width=200).output
    found = {
        "--help": help_text,
        "docstring": stretchcoach.__doc__ or "",
        "README.md": (ROOT / "README.md").read_text(encoding="utf-8"),
        "docs/cli.md": (ROOT / "docs" / "cli.md").read_text(encoding="utf-8"),
        "routine": (PACKAGE / "routines" / "seated-hamstring.toml").read_text(encoding="utf-8"),
    }
    for page in sorted((PACKAGE / "web" / "templates").rglob("*.html")):
        found[str(page.relative_to(PACKAGE))] = page.read_text(encoding="utf-8")
    return found


@pytest.mark.parametrize("name", sorted(surfaces()))
def test_nothing_says_the_stretch_eases_sciatica(name: str) -> None:
    assert claims(surfaces()[name]) == []


def test_the_claim_check_catches_a_claim_and_lets_the_disclaimer_through() -> None:
    assert claims("a coach for the stretch that eases sciatica") == ["eases sciatica"]
    assert claims("It helps  your\nsciatica.") == ["helps your sciatica"]
    assert claims("No trial has shown that this stretch relieves sciatica.") == []


def test_the_help_and_docstring_say_what_it_is_and_what_no_trial_shows() -> None:
    help_text = " ".join(CliRunner().invoke(app, ["--help"], terminal_width=200).output.split())
    doc = " ".join((stretchcoach.__doc__ or "").split())

    for text in (help_text, doc):
        assert "gentle seated hamstring stretch" in text
        assert DISCLAIMER.search(text), text


def test_the_routine_says_tingling_is_most_likely_the_nerve() -> None:
    cautions = " ".join(load_builtin().cautions)

    assert "most likely the nerve" in cautions
    assert "means the nerve" not in cautions


def test_the_readme_describes_the_knee_as_the_routine_does() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    steps = " ".join(load_builtin().steps)

    assert "knee locked" not in readme
    assert "straight, not forced back" in readme and "straight, not forced back" in steps
