"""The one rule for typed text: what is normalised, what is refused, and the message."""

from __future__ import annotations

import pytest

from stretchcoach.domain.text import clean_text
from stretchcoach.errors import InvalidInput


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  sore calf  ", "sore calf"),
        ("ﬁne", "fine"),  # NFKC folds the ligature
        ("Zoë Ünal", "Zoë Ünal"),
        ("Ελένη Иван", "Ελένη Иван"),
    ],
    ids=["trimmed", "nfkc", "latin-accents", "greek-cyrillic"],
)
def test_clean_text_keeps_what_people_type(value: str, expected: str) -> None:
    assert clean_text(value, field="note", max_length=100) == expected


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("a\x00b", "NUL"),
        ("\x1b[31mred", "control character"),
        ("An\u200bna", "invisible"),
        ("\u202eadmin", "direction-changing"),
        ("x\ud800", "no font"),
        ("one\u2028two", "separator"),
        ("two\nlines", "control character"),
    ],
    ids=["nul", "ansi-escape", "zero-width", "rtl-override", "surrogate", "line-sep", "newline"],
)
def test_clean_text_refuses_hidden_characters(value: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=words) as caught:
        clean_text(value, field="name", max_length=100)

    assert caught.value.field == "name"
    assert "printable text only" in str(caught.value)


def test_multiline_allows_newlines_and_tabs_only() -> None:
    assert clean_text("one\r\ntwo\tthree", field="note", max_length=50, multiline=True) == (
        "one\ntwo\tthree"
    )
    with pytest.raises(InvalidInput, match="control character"):
        clean_text("one\x07", field="note", max_length=50, multiline=True)


def test_required_text_refuses_blank_and_length_is_checked_after_trimming() -> None:
    with pytest.raises(InvalidInput, match="name is empty"):
        clean_text("   ", field="name", max_length=10, required=True)
    assert clean_text("  abcdefghij  ", field="name", max_length=10) == "abcdefghij"
    with pytest.raises(InvalidInput, match="11 characters long: at most 10"):
        clean_text("abcdefghijk", field="name", max_length=10)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("👩\u200d⚕\ufe0f", True),  # a joiner between two emoji
        ("میرزا\u200cرضا", True),  # a non-joiner between two letters
        ("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", True),  # a flag
        ("\u200dA", False),  # a joiner with nothing before it
        ("A\u200d", False),  # ... or after it
        ("A\u200d B", False),  # ... or a space beside it
        ("A\u200d\u200dB", False),  # two joiners: neither is between visible characters
        ("A\U000e0067\U000e007f", False),  # tags without the flag they spell out
        ("🏴\U000e0067", False),  # a flag's tags never ended
    ],
)
def test_joiners_are_kept_only_where_they_join(text: str, kept: bool) -> None:
    if kept:
        assert clean_text(text, field="name", max_length=80) == text
    else:
        with pytest.raises(InvalidInput, match="invisible or direction-changing"):
            clean_text(text, field="name", max_length=80)
