"""The terminal interface. Importing it stays light: heavy modules load inside commands."""

from __future__ import annotations

import sys

from stretchcoach.cli.app import app, run

__all__ = ["app", "main"]


def main() -> None:
    sys.exit(run(sys.argv[1:]))
