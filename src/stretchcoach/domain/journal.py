"""The pain journal's values: a 0-10 rating and where along the sciatic nerve it is felt."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from stretchcoach.domain.text import clean_text
from stretchcoach.domain.values import Side
from stretchcoach.errors import InvalidInput

PAIN_MIN = 0
PAIN_MAX = 10
NOTE_MAX = 500


class Region(StrEnum):
    """Where pain is felt along the nerve's path, from the spine down to the big toe."""

    LOWER_BACK = "lower-back"
    BUTTOCK = "buttock"
    THIGH = "thigh"
    CALF = "calf"
    FOOT = "foot"
    BIG_TOE = "big-toe"

    @property
    def depth(self) -> int:
        """0 at the lower back, growing down the leg: how far from the spine the pain reaches."""
        return _ORDER.index(self)


_ORDER = list(Region)


class PainContext(StrEnum):
    """When a rating was given."""

    BEFORE = "before"  # just before a guided session
    AFTER = "after"  # just after one
    STANDALONE = "standalone"  # any other time (`stretchcoach log`)


@dataclass(frozen=True, slots=True, order=True)
class PainSite:
    side: Side
    region: Region

    def __str__(self) -> str:
        return f"{self.side.value}:{self.region.value}"


@dataclass(frozen=True, slots=True)
class PainEntry:
    """One rating on the Numeric Pain Rating Scale (0 no pain, 10 worst imaginable).

    A rating its owner corrects stays in the record: `corrected_at` says when, and
    `superseded_by` names the rating that replaced it (none: it was withdrawn). Only current
    ratings (never corrected) describe the person: the clinical core reads those alone."""

    id: str
    user_id: str
    recorded_at: datetime  # aware; UTC in storage
    time_zone: str
    score: int
    sites: frozenset[PainSite]
    context: PainContext = PainContext.STANDALONE
    session_id: str | None = None
    note: str = ""
    corrected_at: datetime | None = None  # aware; when its owner replaced or withdrew it
    superseded_by: str | None = None  # the rating that replaced it; None if withdrawn

    @property
    def current(self) -> bool:
        """Never corrected: it stands as said."""
        return self.corrected_at is None

    @property
    def withdrawn(self) -> bool:
        """Taken back by its owner, with nothing in its place."""
        return self.corrected_at is not None and self.superseded_by is None

    def says_the_same(self, other: PainEntry) -> bool:
        """The same score, places and note: a correction to it would change nothing."""
        return (self.score, self.sites, self.note) == (other.score, other.sites, other.note)

    @property
    def local_time(self) -> datetime:
        """When it was given, on the clock of the zone it was given in."""
        return self.recorded_at.astimezone(ZoneInfo(self.time_zone))


def check_score(score: int) -> int:
    if isinstance(score, bool) or not isinstance(score, int) or not PAIN_MIN <= score <= PAIN_MAX:
        raise _off_scale(score)
    return score


_WHOLE = re.compile(r"[+-]?[0-9]+")


def parse_score(text: str) -> int:
    """A rating typed as text (an option, a prompt): a whole number from 0 to 10."""
    written = text.strip()
    if not _WHOLE.fullmatch(written):  # int() also takes "1_0" and "٥"
        raise _off_scale(text)
    return check_score(int(written))


def _off_scale(given: object) -> InvalidInput:
    return InvalidInput(
        f"pain {given!r} is not on the scale: use a whole number from {PAIN_MIN} "
        f"(no pain) to {PAIN_MAX} (worst pain imaginable)"
    )


_SIDES = frozenset(s.value for s in Side)
_PLACES = frozenset(r.value for r in Region)
_PLACES_TEXT = ", ".join(r.value for r in Region)


@functools.lru_cache(maxsize=512)  # a journal repeats a handful of specs thousands of times
def parse_sites(spec: str) -> frozenset[PainSite]:
    """`left:thigh,left:calf,right:buttock` -> sites. Empty means nowhere in particular."""
    sites: set[PainSite] = set()
    for raw in (part.strip() for part in spec.split(",")):
        if not raw:
            continue
        side_text, sep, region_text = (part.strip().lower() for part in raw.partition(":"))
        if not sep:
            raise InvalidInput(
                f"pain site {raw!r} is not SIDE:PLACE (like left:thigh); SIDE is left or right, "
                f"PLACE is one of {_PLACES_TEXT}"
            )
        if side_text not in _SIDES:
            raise InvalidInput(
                f"unknown side {side_text!r} in pain site {raw!r}: SIDE is left or right"
            )
        if region_text not in _PLACES:
            raise InvalidInput(
                f"unknown place {region_text!r} in pain site {raw!r}: PLACE is one of "
                f"{_PLACES_TEXT}"
            )
        sites.add(PainSite(Side(side_text), Region(region_text)))
    return frozenset(sites)


def leg_sides(sites: frozenset[PainSite]) -> frozenset[Side]:
    """The legs the pain reaches into: the thigh or further down (not the back or buttock)."""
    return frozenset(s.side for s in sites if s.region.depth >= Region.THIGH.depth)


def format_sites(sites: frozenset[PainSite]) -> str:
    """The sites as the store, export and `--where` write them: `left:calf,left:thigh`."""
    return ",".join(str(site) for site in sorted(sites))


_REGION_WORDS = {
    Region.LOWER_BACK: "lower back",
    Region.BUTTOCK: "buttock",
    Region.THIGH: "thigh",
    Region.CALF: "calf",
    Region.FOOT: "foot",
    Region.BIG_TOE: "big toe",
}


def region_words(region: Region) -> str:
    """A place in words (`lower back`): the one naming every page, the terminal and the PDF
    use, so a person and their clinician read the same words for the same place."""
    return _REGION_WORDS[region]


def site_words(site: PainSite) -> str:
    """`left calf`."""
    return f"{site.side.value} {region_words(site.region)}"


def places_words(sites: frozenset[PainSite]) -> str:
    """`left thigh, left calf, right buttock`: left leg first, each from the back down (the
    nerve's path), easier to read than A-Z. Empty when no place was given."""
    ordered = sorted(sites, key=lambda site: (site.side.value, site.region.depth))
    return ", ".join(site_words(site) for site in ordered)


@dataclass(frozen=True, slots=True)
class AroundSession:
    """The pain given just before a session and just after it (the latest of each)."""

    before: PainEntry | None = None
    after: PainEntry | None = None

    @property
    def change(self) -> int | None:
        """After minus before; None unless both were given."""
        if self.before is None or self.after is None:
            return None
        return self.after.score - self.before.score


def around_sessions(entries: Iterable[PainEntry]) -> dict[str, AroundSession]:
    """Per session id, the ratings given just before and just after it: the latest of each
    (a second rating replaces the first, as on the phone's retry)."""
    found: dict[str, AroundSession] = {}
    for e in sorted(entries, key=lambda e: e.recorded_at):
        if e.session_id is None or e.context is PainContext.STANDALONE:
            continue
        was = found.get(e.session_id, AroundSession())
        if e.context is PainContext.BEFORE:
            found[e.session_id] = AroundSession(e, was.after)
        else:
            found[e.session_id] = AroundSession(was.before, e)
    return found


def check_note(note: str) -> str:
    """The note normalised; no control characters (a terminal escape), at most NOTE_MAX: the one
    text rule, so the terminal and the web say the same."""
    return clean_text(note, field="note", max_length=NOTE_MAX, multiline=True)


def pain_fields(e: PainEntry) -> dict[str, Any]:
    """A rating's values, flat, without its owner's id: one record as the export, the pending
    journal and the store each write it (the time left as a datetime)."""
    return {
        "id": e.id,
        "session_id": e.session_id,
        "recorded_at": e.recorded_at,
        "time_zone": e.time_zone,
        "score": e.score,
        "sites": format_sites(e.sites),
        "context": e.context.value,
        "note": e.note,
    }
