"""The report's fonts: a name in any script prints as itself, shaped, in the right order.

- Latin, Greek, Cyrillic (and Hebrew, Armenian, Georgian...): DejaVu Sans, the font
  matplotlib ships, embedded.
- Devanagari, Thai and Arabic: Noto Sans, shipped in this package (fonts/, SIL Open Font
  License 1.1, the licence beside them; about 1 MB for the three scripts in two weights),
  embedded. They need shaping (conjuncts, vowel signs placed around their consonant,
  Arabic letters joined): reportlab shapes with HarfBuzz (uharfbuzz) when a font is
  registered `shapable`.
- Chinese, Japanese and Korean: reportlab's CID fonts (STSong-Light, HeiseiKakuGo-W5,
  HYGothic-Medium). They are not embedded: every PDF reader carries or fetches fonts for
  these Adobe character collections, and a Noto CJK font is 16 MB a script and a weight,
  too large to ship for one line of a report. Ideographs go to the Japanese font when the
  name has kana, the Korean one when it has hangul, else the Chinese one.
- Right to left (Arabic, Hebrew): HarfBuzz puts the letters of each word in order; the words
  of a name that starts right to left are set right to left too (`visual_words`).

A character none of them can draw (an emoji, a script not listed) is printed as
MISSING_MARK and named under the header (report_pdf), never left as a silent box.

Text taken back out of the PDF: each glyph carries the characters it draws (its ToUnicode
entry), including the glyphs shaping makes that have no character of their own (a
conjunct), which are given the characters of the cluster they stand for
(`_cluster_text`). As in any PDF, Indic text comes out in the order the glyphs stand on the
line (a vowel sign drawn before its consonant comes first).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
DEJAVU_FILES = {
    FONT: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}
MISSING_MARK = "\u25a1"  # □, which DejaVu Sans has

# Bundled fonts by script: (first, last code point) ranges, the regular and bold files.
SCRIPTS: dict[str, tuple[tuple[tuple[int, int], ...], str]] = {
    "Devanagari": (((0x0900, 0x097F), (0xA8E0, 0xA8FF)), "NotoSansDevanagari"),
    "Thai": (((0x0E00, 0x0E7F),), "NotoSansThai"),
    "Arabic": (
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
        "NotoSansArabic",
    ),
}
CJK_FONTS = {"zh": "STSong-Light", "ja": "HeiseiKakuGo-W5", "ko": "HYGothic-Medium"}
KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))
HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))
HAN = (
    (0x2E80, 0x2FDF),
    (0x3000, 0x303F),  # CJK punctuation
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFF65),  # full-width forms
    (0x20000, 0x2FA1F),
)
_PRIVATE = range(0xE000, 0xF900)
FEATURES = {
    "kern": True,
    "liga": True,
    "dlig": False,
}  # OpenType features the shaper uses  # where reportlab puts glyphs that have no character


def _in(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _folder() -> Path:
    return Path(str(resources.files("stretchcoach.adapters").joinpath("fonts")))


@functools.cache
def register_fonts() -> frozenset[int]:
    """Register every font with reportlab (once); the code points the embedded ones draw."""
    import matplotlib
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name, file in DEJAVU_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(dejavu / file), shapable=True))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=BOLD,
        italic="DejaVuSans-Oblique",
        boldItalic="DejaVuSans-BoldOblique",
    )
    covered = set(pdfmetrics.getFont(FONT).face.charToGlyph) & set(
        pdfmetrics.getFont(BOLD).face.charToGlyph
    )
    for _ranges, family in SCRIPTS.values():
        for weight in ("Regular", "Bold"):
            path = _folder() / f"{family}-{weight}.ttf"
            pdfmetrics.registerFont(TTFont(f"{family}-{weight}", str(path), shapable=True))
        pdfmetrics.registerFontFamily(family, normal=f"{family}-Regular", bold=f"{family}-Bold")
        covered |= set(pdfmetrics.getFont(f"{family}-Regular").face.charToGlyph)
    for cid in CJK_FONTS.values():
        pdfmetrics.registerFont(UnicodeCIDFont(cid))
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # conjuncts come out as their characters
    # Discretionary ligatures (DejaVu's "st" joined, Arabic's "Muhammad" as one sign with
    # vowels added) are a typesetter's choice, not the name as typed: reportlab turns them
    # on by default, in the one dict its shaper reads.
    defaults = ttfonts.shapeFragWord.__defaults__
    if defaults and isinstance(defaults[0], dict):  # not without uharfbuzz: nothing is shaped
        defaults[0].update(FEATURES)
    return frozenset(covered)


def font_for(char: str, text: str) -> str | None:
    """The font family that draws `char` of `text`; None for DejaVu Sans (the default)."""
    code = ord(char)
    for ranges, family in SCRIPTS.values():
        if _in(code, ranges):
            return family
    if _in(code, KANA) or _in(code, HANGUL) or _in(code, HAN):
        if _in(code, KANA) or any(_in(ord(c), KANA) for c in text):
            return CJK_FONTS["ja"] if not _in(code, HANGUL) else CJK_FONTS["ko"]
        if _in(code, HANGUL) or any(_in(ord(c), HANGUL) for c in text):
            return CJK_FONTS["ko"]
        return CJK_FONTS["zh"]
    return None


def drawable(char: str, text: str, covered: frozenset[int]) -> bool:
    """Whether some font of the report can draw `char` (CJK: the reader's own fonts do)."""
    return ord(char) in covered or font_for(char, text) in CJK_FONTS.values()


def runs(text: str) -> Iterator[tuple[str | None, str]]:
    """`text` cut where its font changes: (family or None for DejaVu Sans, the run). Marks,
    joiners and spaces stay with the run before them, so a word is shaped whole."""
    current: str | None = None
    run = ""
    for char in text:
        follows = char.isspace() or unicodedata.category(char) in ("Mn", "Mc", "Me", "Cf")
        font = current if follows and run else font_for(char, text)
        if run and font != current:
            yield current, run
            run = ""
        current = font
        run += char
    if run:
        yield current, run


def right_to_left(text: str) -> bool:
    """Whether `text` reads right to left: its first strong character is Arabic or Hebrew."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def visual_words(text: str) -> str:
    """The words of a right-to-left name in the order they stand on the line, left first
    (HarfBuzz orders the letters within each word); any other text as it is."""
    return " ".join(reversed(text.split(" "))) if right_to_left(text) else text


def markup(text: str, *, bold: bool = False) -> str:
    """Paragraph markup for `text`: each run in its font (escaped), words in visual order."""
    parts = []
    for family, run in runs(visual_words(text)):
        escaped = run.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if family is None:
            parts.append(escaped)
        elif family in CJK_FONTS.values():
            parts.append(f'<font name="{family}">{escaped}</font>')
        else:
            parts.append(f'<font name="{family}-{"Bold" if bold else "Regular"}">{escaped}</font>')
    joined = "".join(parts)
    return f"<b>{joined}</b>" if bold else joined


# -- text taken back out: the characters behind each shaped glyph ----------------------------

_CLUSTERS: dict[tuple[bytes, int], str] = {}  # (font face name, glyph id) -> its characters


def learn_clusters(text: str) -> None:
    """Shape each run of `text` in a bundled font as reportlab will, and remember which
    characters each glyph without a character of its own stands for."""
    from importlib.util import find_spec

    from reportlab.pdfbase import pdfmetrics

    if find_spec("uharfbuzz") is None:  # a dependency; without it reportlab shapes nothing
        return
    for family, run in runs(visual_words(text)):
        if family is None or family in CJK_FONTS.values():
            continue
        for weight in ("Regular", "Bold"):
            font = pdfmetrics.getFont(f"{family}-{weight}")
            for word in run.split():
                for gid, chars in _cluster_text(font, word):
                    _CLUSTERS[(font.face.name, gid)] = chars


def _cluster_text(font: Any, word: str) -> Iterator[tuple[int, str]]:
    """(glyph id, characters) for each glyph HarfBuzz makes of `word` that the font's
    character map does not name: a variant of a glyph that has a character (`iMatra.a`)
    stands for that character; any other (a conjunct) for the characters of its cluster
    that the cluster's other glyphs do not show."""
    import uharfbuzz

    hb_font = font.hbFont(10)
    buffer = uharfbuzz.Buffer()
    buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.add_str(word)
    buffer.guess_segment_properties()
    uharfbuzz.shape(hb_font, buffer, FEATURES)
    infos = buffer.glyph_infos
    starts = sorted({info.cluster for info in infos})
    ends = dict(zip(starts, [*starts[1:], len(word)], strict=True))

    def own(gid: int) -> str:
        """The character a glyph shows by itself (through a variant's base): "" if none."""
        codes = [c for c in font.face.glyphToChar.get(gid, []) if c not in _PRIVATE]
        name = hb_font.glyph_to_string(gid).split(".")[0]
        for base_name in (name, re.sub(r"\d+", "", name)):  # `x.alt`, `ivowelsign03deva`
            if codes:
                break
            base = hb_font.glyph_from_string(base_name)
            codes = [c for c in font.face.glyphToChar.get(base, []) if c not in _PRIVATE]
        return chr(codes[0]) if codes else ""

    for cluster in starts:
        glyphs = [info.codepoint for info in infos if info.cluster == cluster]
        left = word[cluster : ends[cluster]]
        for gid in glyphs:
            for char in own(gid):
                left = left.replace(char, "", 1)
        for gid in glyphs:
            if any(c not in _PRIVATE for c in font.face.glyphToChar.get(gid, [])):
                continue  # the font's own character map names it
            chars = own(gid) or left
            if not own(gid):
                left = ""  # a cluster's leftover characters are given once
            if chars:
                yield gid, chars


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map, with each private glyph given its cluster's characters."""
    from reportlab.pdfbase import pdfmetrics

    face_name = fontname.split("+", 1)[-1].encode("pdfdoc") if "+" in fontname else b""
    faces = {
        font.face.name: font.face
        for font in pdfmetrics._fonts.values()
        if hasattr(font, "face") and hasattr(font.face, "charToGlyph")
    }
    face = next((f for name, f in faces.items() if face_name.startswith(name)), None)

    def target(code: int) -> str:
        if face is not None and code in _PRIVATE:
            chars = _CLUSTERS.get((face.name, face.charToGlyph.get(code, -1)))
            if chars:
                return chars.encode("utf-16-be").hex().upper()
        return f"{code:04X}"

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{target(code)}>" for i, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)
