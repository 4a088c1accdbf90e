"""Draw the app's PNG icons (run once; the PNGs are committed). Needs Pillow.

    .venv/bin/python scripts/make_icons.py

The drawing matches web/static/icons/icon.svg: a figure leaning over a straight leg, with
the nerve's path dashed in yellow. The maskable icon keeps the figure in the safe centre.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "src/stretchcoach/web/static/icons"
TEAL, WHITE, YELLOW, GREY = "#1f5f5b", "#ffffff", "#f0b400", "#cfd8dc"


def draw(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    radius = 0 if maskable else size * 14 // 64
    d.rounded_rectangle((0, 0, size - 1, size - 1), radius=radius, fill=TEAL)
    scale = size / 64 * (0.72 if maskable else 1.0)
    offset = (size - 64 * scale) / 2

    def p(x: float, y: float) -> tuple[float, float]:
        return (offset + x * scale, offset + y * scale)

    w = max(2, round(6 * scale))
    d.line((p(8, 46), p(30, 46)), fill=GREY, width=max(2, round(5 * scale)))
    d.line((p(22, 40), p(30, 22)), fill=WHITE, width=w)
    d.line((p(22, 40), p(54, 38)), fill=WHITE, width=w)
    for x in range(24, 52, 7):
        d.line((p(x, 44 - (x - 24) / 14), p(x + 4, 44 - (x - 20) / 14)), fill=YELLOW, width=w // 2)
    cx, cy = p(30, 14)
    r = 6 * scale
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192, maskable=False).save(OUT / "icon-192.png", optimize=True)
    draw(512, maskable=False).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-512-maskable.png", optimize=True)


if __name__ == "__main__":
    main()
