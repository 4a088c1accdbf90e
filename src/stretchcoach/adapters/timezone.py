"""Finding the machine's time zone as an IANA name."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stretchcoach.errors import InvalidInput


def check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"time zone {name!r} is not known; use an IANA name such as 'Europe/Paris'"
        ) from None
    return name


def system_time_zone() -> str:
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and _known(tz):
        return tz
    try:
        text = Path("/etc/timezone").read_text().strip()
        if text and _known(text):
            return text
    except OSError:
        pass
    link = Path("/etc/localtime")
    if link.is_symlink():
        target = str(link.resolve())
        if "zoneinfo/" in target:
            name = target.split("zoneinfo/", 1)[1]
            if _known(name):
                return name
    return "UTC"


def _known(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
