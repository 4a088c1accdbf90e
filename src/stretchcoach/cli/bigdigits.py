"""Large digits for the countdown, five rows tall, readable from across the bed."""

from __future__ import annotations

_GLYPHS = {
    "0": ["█████", "█   █", "█   █", "█   █", "█████"],
    "1": ["  ██ ", "   █ ", "   █ ", "   █ ", "  ███"],
    "2": ["█████", "    █", "█████", "█    ", "█████"],
    "3": ["█████", "    █", " ████", "    █", "█████"],
    "4": ["█   █", "█   █", "█████", "    █", "    █"],
    "5": ["█████", "█    ", "█████", "    █", "█████"],
    "6": ["█████", "█    ", "█████", "█   █", "█████"],
    "7": ["█████", "    █", "   █ ", "  █  ", "  █  "],
    "8": ["█████", "█   █", "█████", "█   █", "█████"],
    "9": ["█████", "█   █", "█████", "    █", "█████"],
    ":": ["     ", "  █  ", "     ", "  █  ", "     "],
}
HEIGHT = 5


def big(text: str) -> list[str]:
    """The rows of `text` (digits and colons) in large glyphs, one space between them."""
    rows = [""] * HEIGHT
    for char in text:
        glyph = _GLYPHS[char]
        for i in range(HEIGHT):
            rows[i] += glyph[i] + " "
    return [row.rstrip() for row in rows]


def clock_text(seconds: float) -> str:
    """`45` under a minute, `1:30` from a minute up."""
    whole = max(0, int(seconds + 0.999))
    minutes, secs = divmod(whole, 60)
    return f"{minutes}:{secs:02d}" if minutes else str(secs)
