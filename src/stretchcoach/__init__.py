"""stretchcoach: a morning coach for the seated hamstring stretch that eases sciatica."""

__version__ = "0.1.0"
