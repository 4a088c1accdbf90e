"""The report's fonts: a name in any script comes out of the PDF as itself (shaped where the
script needs it), and a character no font can draw is marked and named, never a silent box.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

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


def test_a_character_no_font_has_is_marked_and_named() -> None:
    pdf = render(report(FakeUnitOfWork()), patient="Ming 🐉")

    text = _text(pdf)

    assert f"Patient: Ming {MISSING_MARK}" in text
    assert "cannot show (U+1F409)" in text


def test_showable_keeps_what_a_font_has_and_lists_the_rest_once() -> None:
    covered = register_fonts()

    shown, missing = showable("Aλ 明 🐉🐉 Я", covered)

    assert shown == f"Aλ 明 {MISSING_MARK}{MISSING_MARK} Я"
    assert missing == ["🐉"]


def test_an_emoji_sequence_marks_the_emoji_and_drops_its_joiner() -> None:
    covered = register_fonts()

    shown, missing = showable("Ana 👩\u200d⚕\ufe0f", covered)

    assert shown == f"Ana {MISSING_MARK}⚕\ufe0f"  # the selector stays with what it selects
    assert missing == ["👩"]


def _name_in(text: str) -> str:
    found = re.search(r"Patient: (.*?) \d\d [A-Z][a-z]{2} \d{4} to", text)
    assert found, text
    return found.group(1)


def _plain(text: str) -> str:
    """As a reader compares text: compatibility forms folded (an Arabic letter's joined form
    is that letter), spaces left out."""
    return "".join(unicodedata.normalize("NFKC", text).split())


NAMES = {
    "chinese": ("王秀英", "STSong-Light"),
    "japanese": ("さくら 山田", "HeiseiKakuGo-W5"),
    "korean": ("김민지", "HYGothic-Medium"),
    "thai": ("สมชาย ใจดี", "NotoSansThai-Bold"),
    "arabic": ("محمد علي", "NotoSansArabic-Bold"),
    "hebrew": ("דוד לוי", "DejaVuSans-Bold"),
    "devanagari": ("राम कुमार", "NotoSansDevanagari-Bold"),
}


@pytest.mark.parametrize(("name", "font"), NAMES.values(), ids=NAMES.keys())
def test_a_name_in_any_script_comes_out_as_itself_in_its_font(name: str, font: str) -> None:
    pdf = render(report(FakeUnitOfWork()), patient=name)

    shown = _name_in(_text(pdf))

    assert _plain(shown) == _plain(name)
    assert MISSING_MARK not in shown and not re.search("[\ue000-\uf8ff]", shown)
    assert any(font in used for used in _fonts_of(pdf))


def test_a_shaped_name_keeps_every_character_and_invents_none() -> None:
    # Conjuncts (प्र), a vowel sign drawn before its consonant (ि) and a reph (र्): glyphs
    # that stand for several characters, or out of their typed order. Each glyph carries its
    # characters, so the text taken out holds them all, in the order they are drawn.
    name = "प्रिया शर्मा"

    shown = _name_in(_text(render(report(FakeUnitOfWork()), patient=name)))

    assert sorted(_plain(shown)) == sorted(_plain(name))


def _fonts_of(pdf: bytes) -> set[str]:
    """Every font the pages draw text in, embedded or not (the CJK fonts are not)."""
    from pypdf import PdfReader

    names: set[str] = set()

    def visit(text: str, cm: object, tm: object, font: object, size: object) -> None:
        if text.strip() and isinstance(font, dict):
            names.add(str(font["/BaseFont"]))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return names


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="no pdftoppm")
def test_an_arabic_name_is_drawn_joined(tmp_path: Path) -> None:
    # Shaping joins Arabic letters: محمد drawn by the report differs from its four letters in
    # their standing-alone forms (U+FEE1 U+FEA1 U+FEE1 U+FEA9), which is how it looks when
    # nothing shapes it.
    from PIL import Image

    def name_line(name: str) -> bytes:
        pdf = tmp_path / "r.pdf"
        pdf.write_bytes(render(report(FakeUnitOfWork()), patient=name))
        subprocess.run(
            ["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")],
            check=True,
            timeout=60,
        )
        (png,) = tmp_path.glob("p*.png")
        page = Image.open(png).convert("L")
        png.unlink()
        line = page.crop((0, 95, page.width, 123))  # the "Patient:" line at 100 dpi
        assert line.getextrema()[0] < 128  # the line is there: ink, not blank paper
        return line.tobytes()

    assert name_line("محمد") != name_line("\ufee1\ufea1\ufee1\ufea9")
