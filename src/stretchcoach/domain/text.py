"""One rule for free text a person types: notes, names, emails, routine cues.

Text is normalised (NFKC, so look-alike forms become one) and refused when it carries
characters nobody means to type and that do harm downstream:

- NUL and other control characters (PostgreSQL refuses NUL; escape sequences repaint a
  terminal), except a newline or tab where the field allows several lines;
- invisible and direction-changing characters (Unicode category Cf: zero-width spaces, the
  right-to-left override), which can hide a name or make it read as another. Two of them
  are part of how people write, and are kept where they do that work: a zero-width joiner
  or non-joiner between two visible characters (an emoji sequence such as 👩‍⚕️, a Persian
  name, a Devanagari half-form), and the tag characters of a subdivision flag (🏴 then
  tags ending in U+E007F);
- unpaired surrogates and unassigned code points, which no font can show.

Every interface (the terminal, the web pages, the API, import) calls `clean_text`, so the
same note is accepted or refused everywhere, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import unicodedata

from stretchcoach.errors import InvalidInput

_MULTILINE_ALLOWED = frozenset("\n\t")


def clean_text(
    value: str,
    *,
    field: str,
    max_length: int,
    multiline: bool = False,
    required: bool = False,
) -> str:
    """`value` normalised and trimmed, or `InvalidInput` naming the field and what is allowed."""
    text = unicodedata.normalize("NFKC", value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for position, char in enumerate(text, start=1):
        if _joins(text, position - 1):
            continue
        problem = _problem(char, multiline=multiline)
        if problem is not None:
            raise InvalidInput(
                f"{field} has {problem} (U+{ord(char):04X}) at character {position}: "
                "use printable text only",
                field=field,
            )
    text = text.strip()
    if required and not text:
        raise InvalidInput(f"{field} is empty: write at least one letter or digit", field=field)
    if len(text) > max_length:
        raise InvalidInput(
            f"{field} is {len(text)} characters long: at most {max_length} are allowed",
            field=field,
        )
    return text


JOINERS = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner
BLACK_FLAG = "\U0001f3f4"
TAGS = range(0xE0020, 0xE0080)  # tag characters; U+E007F cancels (ends) the sequence


def _joins(text: str, index: int) -> bool:
    """Whether the invisible character at `index` does visible work: a joiner between two
    visible characters, or a tag of a flag sequence (🏴, tags, U+E007F)."""
    char = text[index]
    if char in JOINERS:
        return 0 < index < len(text) - 1 and all(_visible(text[i]) for i in (index - 1, index + 1))
    if ord(char) in TAGS:
        start = index
        while start > 0 and ord(text[start - 1]) in TAGS:
            start -= 1
        end = index
        while end < len(text) - 1 and ord(text[end + 1]) in TAGS:
            end += 1
        return start > 0 and text[start - 1] == BLACK_FLAG and text[end] == "\U000e007f"
    return False


def _visible(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp")


def _problem(char: str, *, multiline: bool) -> str | None:
    if multiline and char in _MULTILINE_ALLOWED:
        return None
    category = unicodedata.category(char)
    if char == "\x00":
        return "a NUL character"
    if category == "Cc":
        return "a control character"
    if category == "Cf":
        return "an invisible or direction-changing character"
    if category in ("Cs", "Cn", "Co"):
        return "a character no font can show"
    if category in ("Zl", "Zp"):
        return "a line or paragraph separator"
    return None
