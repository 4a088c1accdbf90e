"""stretchcoach: a morning coach for a gentle seated hamstring stretch, for people with sciatica.

It coaches the stretch and keeps a pain journal; no trial shows that this stretch relieves
sciatica (docs/sources.md), so it promises none.
"""

__version__ = "0.1.0"
