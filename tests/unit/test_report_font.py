"""The report's font: names in Greek and Cyrillic come out of the PDF as themselves, and a
character the font cannot draw is marked and named, never a silent black box."""

from __future__ import annotations

import io

import pytest

from stretchcoach.adapters.report_pdf import MISSING_MARK, register_fonts, render, showable
from stretchcoach.testing import FakeUnitOfWork

from .test_report import report


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _fonts_of_text(pdf: bytes) -> set[str]:
    """The fonts every piece of visible text is drawn in, checked to be embedded TrueType."""
    from pypdf import PdfReader

    names: set[str] = set()

    def visit(text: str, cm: object, tm: object, font: object, size: object) -> None:
        if text.strip() and isinstance(font, dict):
            names.add(str(font["/BaseFont"]))
            assert "/FontFile2" in font["/FontDescriptor"].get_object()  # the TrueType inside

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return names


@pytest.mark.parametrize(
    "name",
    ["Ζωή Παπαδοπούλου", "Жанна Смирнова", "Zoë Łukasiewicz-Müller", "Ana Ñúñez Ørsted"],
    ids=["greek", "cyrillic", "latin-extended", "latin-more"],
)
def test_a_name_in_any_european_script_comes_out_as_itself(name: str) -> None:
    pdf = render(report(FakeUnitOfWork()), patient=name)

    text = _text(pdf)

    assert f"Patient: {name}" in text
    assert MISSING_MARK not in text
    fonts = _fonts_of_text(pdf)
    assert fonts and all("DejaVuSans" in font for font in fonts)  # embedded, never Helvetica


def test_a_character_the_font_lacks_is_marked_and_named() -> None:
    pdf = render(report(FakeUnitOfWork()), patient="Ming 明")

    text = _text(pdf)

    assert f"Patient: Ming {MISSING_MARK}" in text
    assert "cannot show (U+660E)" in text


def test_showable_keeps_what_the_font_has_and_lists_the_rest_once() -> None:
    covered = register_fonts()

    shown, missing = showable("Aλ 明明 Я", covered)

    assert shown == f"Aλ {MISSING_MARK}{MISSING_MARK} Я"
    assert missing == ["明"]
