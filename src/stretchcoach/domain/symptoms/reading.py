"""Reading a note: which signs it names, and when a named sign stays quiet (denied, asked
about, someone else's, or over)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from stretchcoach.domain.safety import Care
from stretchcoach.domain.symptoms.normalise import normalise, word_set
from stretchcoach.domain.symptoms.words import (
    NEAR,
    PELVIS,
    PHRASES,
    PLACE_RX,
    PLACES,
    Near,
    Phrase,
    Place,
)

CODES: dict[str, Care] = {
    "saddle-numbness": Care.EMERGENCY,
    "bladder": Care.EMERGENCY,
    "bowel": Care.EMERGENCY,
    "sexual": Care.EMERGENCY,
    "both-legs": Care.EMERGENCY,
    "leg-weaker": Care.SAME_DAY,
    "unwell": Care.SAME_DAY,
    "weight-loss": Care.WITHIN_DAYS,
    "night-pain": Care.WITHIN_DAYS,
    "leg-numbness": Care.ROUTINE,
}


@dataclass(frozen=True, slots=True)
class Symptom:
    """A warning sign named in a note: the question it is a yes to, its care, and the words."""

    code: str
    care: Care
    words: str  # the normalised words that named it


# A journal note holds at most 500 characters; anything longer is read this far only.
MAX_CHARS = 4000


def recognise(text: str) -> tuple[Symptom, ...]:
    """The warning signs `text` names, one per question code, most urgent first; of a text
    longer than any note, its first `MAX_CHARS` characters once normalised."""
    read = normalise(text)
    if len(read) > MAX_CHARS:
        cut = read.rfind(" ", 0, MAX_CHARS + 1)
        read = read[: cut if cut > 0 else MAX_CHARS]
    note = _Note(read)
    found: dict[str, tuple[int, str]] = {}
    for code, start, words in note.hits():
        if code not in found or start < found[code][0]:
            found[code] = (start, words)
    ordered = sorted(found.items(), key=lambda item: (CODES[item[0]].rank, item[1][0]))
    return tuple(Symptom(code, CODES[code], words) for code, (_, words) in ordered)


# -- when a sign stays quiet ------------------------------------------------------------------

_NEGATORS = word_set(
    "no not never without nothing none nor neither don't didn't doesn't isn't aren't wasn't "
    "weren't haven't hasn't hadn't zero free denies denied nope"
)
# Words a denial reaches across: "haven't had any", "no signs of", "no fever or chills".
_LIGHT = word_set(
    "a an the any anymore my your really much more longer feel feels feeling felt have had has "
    "got get getting been be being experienced noticed seen at all in of on sign signs real "
    "properly even too so very such actually i i've i'm think believe or nor numbness tingling "
    "weakness fever fevers chills sweats pins needles pain problems issues changes numb weak "
    "bladder bowel bowels saddle waterworks urinary trouble change control incontinence"
)
_DETERMINERS = word_set("the my a an his her our their your")
_PREPOSITIONS = word_set("with to for at from by about than like after of on and")
_ASKED = word_set("if whether unless asked asks asking watch read heard warned leaflet")
_BREAKS = word_set(
    "but though although however except yet whereas still apart besides just then so because "
    "cos coz"
)
_NEW_CLAUSE_AFTER_AND = word_set("i i'm i've my it it's its the now then this that also")
_OTHERS = word_set(
    "mum mom mother dad father partner wife husband hubby boyfriend girlfriend bf gf son "
    "daughter baby kid kids child children friend friends brother sister nan nanna gran granny "
    "grandson granddaughter grandchild grandchildren grandkids grandkid toddler nephew niece "
    "grandma grandad grandpa grandmother grandfather colleague boss neighbour neighbor he she "
    "they his him dog cat patient aunt uncle cousin someone somebody lad lass boy girl puppy "
    "pup kitten"
)
# "the small man wet the bed" (Scots "wee man"), "the old man", "the little one": someone
# who is not the writer.
_SOMEONE_AFTER = {
    "man": word_set("small little old young"),
    "one": word_set("small little"),
    "ones": word_set("small little"),
}
_ME = word_set("i i'm i've i'd me my myself mine")
_DENIED_AFTER = re.compile(
    r"(?<![^ ])(?:none of (?:those|these|them|that|it)|(?:glad|lucky|luckily|thankfully|thank god)"
    r" (?:i |that i )?(?:don't|haven't|do not|have not|didn't) (?:have|got|get) (?:it|them|that"
    r"|those|any)|(?:don't|haven't) (?:got|had) any of (?:those|these|them|that))(?![^ ])"
)
# "numbness before but not now", "in the past, not any more"
_PAST_NOT_NOW = re.compile(
    r"(?:before|in the past|previously|years ago|last year|once|as a child)(?: [^ ]+){0,2}?"
    r" (?:but )?not (?:now|anymore|any more|these days|since|today)(?![^ ])"
)
# "...from sitting cross-legged, fine now", "weak from the flu last month but fine now"
_FINE_NOW = re.compile(
    r"(?:(?!back |neck |head |arms? |hands? |shoulders? |stomach |tummy )[^ ]+ ){0,6}?"
    r"(?:but |and )?(?:it's |its |it is |all |they're |now )?(?:fine|gone|better|ok|okay|normal"
    r"|settled|back to normal) now(?![^ ])"
)
_PERCEIVE = word_set(
    "feel felt feeling notice noticed noticing know knew realise realised realize realized "
    "sense sensed tell"
)
LONGEST_PLACE = 8  # words: no place is longer, so a window this much wider finds it whole
_LISTING = word_set("and or the my of tops top backs back insides inside both also plus a")
_LIST_GAP = 12  # words: no list of places is longer between two of them
_ORGANS = frozenset({Place.BLADDER, Place.BOWEL})
_OVER = word_set("gone stopped cleared resolved disappeared vanished settled")
# A checklist's answer just after what it names: "bowels fine, numbness: none", "bladder - ok".
_ANSWERED = word_set("fine ok okay normal none nope nil")
# ... and "no" when it ends the note or another item follows: "numb bum? no. bladder - fine".
_ITEMS = word_set(
    "bladder bowel bowels numbness numb tingling tingly weakness weak saddle leg legs foot feet "
    "fever temperature sex erection erections waterworks bum groin pins wee pee poo peeing "
    "weeing sensation feeling control"
)
_AFFIRMED = word_set("yes yeah yep")  # "bladder no problems, numb bum yes"


class _Note:
    def __init__(self, text: str) -> None:
        self.text = text
        self.padded = " " + text  # what the rules are searched in (see `words.rx`)
        self.words = text.split(" ") if text else []
        self._starts: list[int] = []
        position = 0
        for word in self.words:
            self._starts.append(position)
            position += len(word) + 1

    def span(self, match: re.Match[str]) -> tuple[int, int]:
        """The words [start, end) a match in `padded` covers."""
        start = self._index(match.start())  # its leading space stands where its word starts
        return start, self._index(match.end() - 2) + 1

    def _index(self, char: int) -> int:
        lo, hi = 0, len(self._starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._starts[mid] <= char:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def hits(self) -> Iterator[tuple[str, int, str]]:
        """(code, first word, words) for every sign named and not quietened."""
        if not self.words:
            return
        triggers = [
            (near, self.span(m)) for near in NEAR for m in near.trigger.finditer(self.padded)
        ]
        if triggers:
            places = self._places_around(triggers)
            for near, span in triggers:
                yield from self._near(near, span, places)
        for phrase in PHRASES:
            for m in phrase.rx.finditer(self.padded):
                start, end = self.span(m)
                if not self._quiet(start, end) and self._context_agrees(phrase, start, end):
                    yield phrase.code, start, m.group()[1:]

    def _places_around(
        self, triggers: list[tuple[Near, tuple[int, int]]]
    ) -> list[tuple[tuple[int, int], Place]]:
        """The places named within reach of the symptom words (and a place's length beyond),
        found only there: most of a long note is far from any symptom word."""
        last = len(self.words)
        windows = sorted(
            (
                max(0, start - near.before - LONGEST_PLACE),
                min(last, end + near.after + LONGEST_PLACE),
            )
            for near, (start, end) in triggers
        )
        merged: list[list[int]] = []
        for lo, hi in windows:
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        places: list[tuple[tuple[int, int], Place]] = []
        for lo, hi in merged:
            # In `padded` the space before word `lo` stands at that word's own offset in `text`.
            pos, endpos = self._starts[lo], self._starts[hi - 1] + len(self.words[hi - 1]) + 1
            places += [
                (self.span(p), PLACES[int((p.lastgroup or "p0")[1:])][0])
                for p in PLACE_RX.finditer(self.padded, pos, endpos)
            ]
        return places

    def _near(
        self,
        near: Near,
        span: tuple[int, int],
        places: list[tuple[tuple[int, int], Place]],
    ) -> Iterator[tuple[str, int, str]]:
        start, end = span
        reachable: list[tuple[int, tuple[int, int], Place]] = []
        for (p_start, p_end), place in places:
            if p_end <= start and self._answered_no(p_end):  # "waterworks okay, tingling"
                continue
            if p_end <= start:
                gap = start - p_end
                if gap > near.before:
                    continue
            elif p_start >= end:
                gap = p_start - end
                if gap > near.after:
                    continue
            elif near.own_places:
                gap = 0
            else:
                continue
            reachable.append((gap, (p_start, p_end), place))
        if not reachable:
            codes, first, last = near.alone, start, end
        else:
            nearest = min(gap for gap, _, _ in reachable)
            chosen = [(s, p) for gap, s, p in reachable if gap == nearest]
            if any(p in PELVIS for _, p in chosen):  # "my bottom and privates": all of them
                chosen = [(s, p) for _, s, p in reachable if p in PELVIS]
            elif all(p is Place.LEG for _, p in chosen):  # "numb toes on both feet"
                both = [(s, p) for _, s, p in reachable if self._says_both(s, p)]
                chosen = both or chosen
            for group in (PELVIS, _ORGANS):  # "my bum and the tops of my legs", "wee or poo"
                if any(p in near.codes for p in group):
                    chosen += [
                        (s, p)
                        for s, p in places
                        if p in group
                        and (s, p) not in chosen
                        and any(self._listed(s, c) for c, _ in chosen)
                    ]
            codes = tuple(code for _, p in chosen for code in near.codes.get(p, ()))
            first = min(start, *(s[0] for s, _ in chosen))
            last = max(end, *(s[1] for s, _ in chosen))
        if not codes:
            return
        affirmed = self._affirmed(last)
        if self._quiet(first, last, near.perceived, affirmed) or self._quiet(
            start, end, near.perceived, affirmed
        ):
            return
        if near.unless is not None and self._around(start, end, 6, near.unless):
            return
        for code in codes:
            yield code, first, " ".join(self.words[first:last])

    def _listed(self, a: tuple[int, int], b: tuple[int, int]) -> bool:
        """Whether two places are named in one list: "my bum and the tops of my legs", "a wee
        or a poo"."""
        lo, hi = min(a[1], b[1]), max(a[0], b[0])
        if hi - lo > _LIST_GAP:
            return False
        between = self.words[lo:hi]
        return ("and" in between or "or" in between) and all(w in _LISTING for w in between)

    def _says_both(self, span: tuple[int, int], place: Place) -> bool:
        return place is Place.BOTH and self.words[span[0]] in (
            "both",
            "either",
            "each",
            "on",
            "in",
            "left",
        )

    def _affirmed(self, end: int) -> bool:
        return end < len(self.words) and self.words[end] in _AFFIRMED

    def _quiet(
        self, start: int, end: int, perceived: bool = False, affirmed: bool | None = None
    ) -> bool:
        """Whether the words [start, end) are denied, asked about, someone else's, or over;
        `perceived`: not feeling or noticing it ("didn't feel it come out") denies nothing;
        `affirmed`: a checklist's "yes" after it ("numb bum yes") undoes a denial before."""
        if affirmed is None:
            affirmed = self._affirmed(end)
        return (
            (not affirmed and self._denied(start, perceived))
            or self._someone_else(start)
            or self._over(end)
            or self._denied_after(end)
        )

    def _before(self, start: int, reach: int) -> list[str]:
        """Up to `reach` words before `start`, nearest first, stopping at a new clause."""
        out: list[str] = []
        for i in range(start - 1, max(-1, start - 1 - reach), -1):
            word = self.words[i]
            if word in _BREAKS or (word == "and" and self._opens_clause(i + 1)):
                break
            out.append(word)
        return out

    def _opens_clause(self, i: int) -> bool:
        return i < len(self.words) and self.words[i] in _NEW_CLAUSE_AFTER_AND

    def _denied(self, start: int, perceived: bool = False) -> bool:
        """A denial reaches the sign across light words only: "haven't had any numbness",
        "no fever or chills", but not "a ring that isn't there, numb bum"."""
        reaches = True
        before = self._before(start, 5)
        for k, word in enumerate(before):
            if perceived and word in _PERCEIVE:
                return False
            if word in _ASKED or (word == "used" and k and before[k - 1] == "to"):
                return True
            if word in _NEGATORS and reaches and not (k == 0 and word in _ANSWERED):
                return True  # "saddle numbness: none. bowels leaking": "none" answers the first
            reaches = reaches and (word in _LIGHT or word in _NEGATORS)
        return False

    def _someone_else(self, start: int) -> bool:
        """Whether the sign is said of another person ("mum has a fever"), who is not merely
        named as company ("with the wife") nor followed by the writer ("wife says I keep")."""
        if start < len(self.words) and self.words[start] in _ME:
            return False
        before = self._before(start, 6)
        for k, word in enumerate(before):
            if word in _ME:
                return False
            if word.removesuffix("'s") in _OTHERS or (
                word in _SOMEONE_AFTER
                and k + 1 < len(before)
                and before[k + 1] in _SOMEONE_AFTER[word]
            ):
                earlier = [w for w in before[k + 1 : k + 3] if w not in _DETERMINERS]
                if not earlier or earlier[0] not in _PREPOSITIONS:
                    return True
        return False

    def _denied_after(self, end: int) -> bool:
        """Whether the words after a sign deny having it: "numbness between the legs, bladder
        changes. None of those", "read that numb legs are serious, glad I don't have it"."""
        after = " ".join(self.words[end : end + 10])
        return _DENIED_AFTER.search(after) is not None

    def _answered_no(self, end: int) -> bool:
        """Whether a checklist's answer right after the words ending at `end` says no."""
        if end >= len(self.words):
            return False
        word = self.words[end]
        if word in _ANSWERED:
            return True
        return word == "no" and (end + 1 == len(self.words) or self.words[end + 1] in _ITEMS)

    def _over(self, end: int) -> bool:
        if self._answered_no(end):
            return True
        if _PAST_NOT_NOW.match(" ".join(self.words[end : end + 6])):
            return True
        if _FINE_NOW.match(" ".join(self.words[end : end + 8])):
            return True
        after = self.words[end : end + 3]
        for k, word in enumerate(after):
            if word in _BREAKS or word == "and":
                return False
            if word in _OVER or (word == "went" and after[k + 1 : k + 2] == ["away"]):
                return True
            if word == "no" and after[k + 1 : k + 2] == ["longer"]:
                return True
        return False

    def _around(self, start: int, end: int, reach: int, rx: re.Pattern[str]) -> bool:
        """Whether `rx` is found, and not denied, within `reach` words of [start, end)."""
        lo = max(0, start - reach)
        around = " ".join(self.words[lo : min(len(self.words), end + reach)])
        for m in rx.finditer(" " + around):
            if not self._denied(lo + around.count(" ", 0, m.start())):
                return True
        return False

    def _context_agrees(self, phrase: Phrase, start: int, end: int) -> bool:
        lo, hi = max(0, start - phrase.reach), min(len(self.words), end + phrase.reach)
        around = " ".join(self.words[lo:hi])
        if phrase.needs is not None and not phrase.needs.search(" " + around):
            return False
        return phrase.unless is None or not self._around(start, end, phrase.reach, phrase.unless)
