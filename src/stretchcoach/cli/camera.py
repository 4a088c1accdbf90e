"""`start --camera` with or without a number: the camera to watch (bootstrap.camera_coach
opens it and the pose model before the session begins)."""

from __future__ import annotations

CAMERA_OPTION = "--camera"
DEFAULT_INDEX = "0"


def with_default_index(argv: list[str]) -> list[str]:
    """Let `--camera` stand alone: `start --camera` means `start --camera 0`.

    Typer has no option with an optional value, so a bare `--camera` (last, or followed by
    another option) gets the first camera's number before parsing.
    """
    if "start" not in argv or CAMERA_OPTION not in argv:
        return argv
    result: list[str] = []
    for i, arg in enumerate(argv):
        result.append(arg)
        following = argv[i + 1] if i + 1 < len(argv) else None
        if arg == CAMERA_OPTION and (following is None or following.startswith("-")):
            result.append(DEFAULT_INDEX)
    return result
