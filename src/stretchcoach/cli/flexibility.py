"""The flexibility figure over the weeks, as `stats` shows it (text and JSON)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stretchcoach.domain.values import Side, signed

if TYPE_CHECKING:
    from stretchcoach.services.flexibility import FlexibilityTrend

HONEST_NOTE = "From one camera: a trend for you and your set-up, not a clinical measurement."


def flexibility_json(trend: FlexibilityTrend) -> dict[str, Any]:
    """Per session and leg, the deepest hip flexion held in good form; the slope per week."""
    return {
        "sessions": [
            {
                "session_id": p.session_id,
                "started_at": p.started_at.isoformat(),
                "left": p.left_deg,
                "right": p.right_deg,
            }
            for p in trend.points
        ],
        "slope_deg_per_week": {
            Side.LEFT.value: trend.left_slope_deg_per_week,
            Side.RIGHT.value: trend.right_slope_deg_per_week,
        },
    }


def flexibility_lines(trend: FlexibilityTrend) -> list[str]:
    """A short section for the text report; empty when no camera has watched a session."""
    if not trend.points:
        return []
    lines = ["", "Flexibility (hip flexion in good form, from the camera)"]
    for side in Side:
        figures = trend.figures(side)
        if not figures:
            lines.append(f"  {side.value.capitalize()} leg: no figure yet")
            continue
        slope = trend.slope(side)
        change = f", {signed(slope)}° a week" if slope is not None else ""
        lines.append(
            f"  {side.value.capitalize()} leg: latest {figures[-1]:.0f}°, best {max(figures):.0f}° "
            f"over {len(figures)} session{'s' if len(figures) != 1 else ''}{change}"
        )
    lines.append(f"  {HONEST_NOTE}")
    return lines
