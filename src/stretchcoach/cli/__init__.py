"""The terminal interface. Importing it stays light: heavy modules load inside commands."""

from __future__ import annotations

import gc
import sys

from stretchcoach.cli.app import app, run

__all__ = ["app", "main"]


def main() -> None:
    # Starting up builds some 100,000 objects (SQLAlchemy, Typer, the domain) and frees
    # almost none: the collector would walk them again and again for nothing, a tenth of a
    # database command's CPU. A command that runs long turns it back on (cli/app.py).
    gc.disable()
    code = run(sys.argv[1:])  # closes the databases it opened
    # On the way out, spare the interpreter's shutdown a collection over every object still
    # alive (another tenth): nothing left needs the collector to close.
    gc.freeze()
    sys.exit(code)
