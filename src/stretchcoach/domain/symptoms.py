"""Warning signs written in free text: which questions of the check a note answers yes to.

A person in pain writes "cant feel the loo roll when i wipe" or "Both legs r numb n weak" in
a journal note, on a phone, at 7 a.m. `recognise` reads such a note and returns the warning
signs it names, each as the code of the question in `domain/safety.py` it is a yes to, with
that question's level of care, most urgent first. It reads the note's `normalise`d form, so
case, curly apostrophes, "&"/"n"/"+", accents, punctuation and common typos do not matter.

How a note is read:

- phrases that name a sign on their own ("wet myself", "foot drop", "fever", "lost weight
  without trying");
- a symptom word beside a place, the nearest place deciding the sign: numbness between the
  legs is saddle numbness, in both legs (or "legs") both legs, in one foot one leg, in a hand
  nothing; weakness of "legs" is both legs, of one leg a weakening leg; "can't control" or
  "can't feel when I need" beside wee or poo is the bladder or the bowel;
- a sign stays quiet when it is denied just before ("no numbness", "never wet myself",
  "without tingling"), said to be over just after ("the tingling has gone"), said of someone
  else ("mum has a fever") or asked about ("if I get numb between my legs"); losing weight
  stays quiet when the note says it was meant (a diet), unless that is denied too.

It errs toward asking: a yes sends the person to the check's questions, which decide. It
never decides that someone is well, and a note it does not understand says nothing.
docs/benchmarks.md gives its recall and false alarms on a labelled set of notes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from stretchcoach.domain.safety import Care

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


# -- normalising ------------------------------------------------------------------------------


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_MOJIBAKE = {"â€™": "'", "â€˜": "'", "â€œ": " ", "â€\x9d": " ", "â€“": "-", "â€”": "-"}
_APOSTROPHES = dict.fromkeys(map(ord, "’‘‛´`ʼ′＇"), "'")
_AND_SIGNS = dict.fromkeys(map(ord, "&+"), " and ")

# Contractions typed without the apostrophe, or with it lost as a space ("can t").
_CONTRACTIONS = {
    w.replace("'", ""): w
    for w in _set(
        "can't couldn't don't didn't doesn't isn't aren't wasn't weren't haven't hasn't "
        "hadn't won't wouldn't shouldn't i'm i've"
    )
}
_CONTRACTIONS.update({"cannot": "can't", "cnt": "can't", "cudnt": "couldn't", "cldnt": "couldn't"})

_TYPOS = {
    **dict.fromkeys(
        _set("numbess numbnes numbnesss numness numbnss nummness numbeness numbbness nubness"),
        "numbness",
    ),
    "numbb": "numb",
    "numbe": "numb",
    **dict.fromkeys(
        _set("tinglin tingleing tinglng tingeling tinglying tinglling tinglig"), "tingling"
    ),
    "tingley": "tingly",
    "tinglie": "tingly",
    **dict.fromkeys(_set("bladdder bladdar blader bladdor bladda"), "bladder"),
    **dict.fromkeys(_set("bowles bowells bowelss"), "bowels"),
    "bowell": "bowel",
    **dict.fromkeys(_set("wek weeak weka waek weakk weeek"), "weak"),
    **dict.fromkeys(_set("wekness weakess weakeness weaknes weekness"), "weakness"),
    **dict.fromkeys(_set("incontinant incontinet incontient incontinnent"), "incontinent"),
    **dict.fromkeys(_set("incontinance incontinenence incontinense"), "incontinence"),
    **dict.fromkeys(_set("feaver fevor fevar fver fevre"), "fever"),
    **dict.fromkeys(_set("temprature temperture temperatue tempreture tempriture"), "temperature"),
    **dict.fromkeys(_set("shivvery shivey shivry"), "shivery"),
    **dict.fromkeys(_set("wieght weigth wheight"), "weight"),
    **dict.fromkeys(_set("sciatia siatica sciatca sciactica sciatika sciattica"), "sciatica"),
    **dict.fromkeys(_set("erction errection erecton erektion"), "erection"),
    "ejaculte": "ejaculate",
    "peing": "peeing",
    "weing": "weeing",
    "tippytoes": "tiptoes",
    "tippy": "tip",
    "r": "are",
    "u": "you",
    "ur": "your",
    "urin": "urine",
    "numbish": "numb",
}

# "week" for "weak", as a phone's autocorrect writes it, after these words only ("a long week").
_WEAK_BEFORE = _set(
    "leg legs foot feet feel feels feeling felt so very really bit is are was went gone go "
    "going getting got quite too"
)
_BOWEL_AFTER = _set(
    "movement movements control habit habits incontinence accident accidents motion "
    "motions problems issues"
)
# Words a missing space may have glued together ("numbbetween", "bothlegs").
_GLUE_CORE = _set(
    "numb numbness tingling tingly weak weakness legs leg feet foot toes both bladder bowel "
    "bowels pee wee poo between groin bum butt fever pins needles"
)
_GLUE_ANY = _GLUE_CORE | _set("my the in and no not can't a i is are so very both left right")


def normalise(text: str) -> str:
    """`text` as the recogniser reads it: lower case, plain letters, straight apostrophes kept
    inside words only, "&"/"+"/"n" as "and", other punctuation as spaces, single spaces, and
    common typos and contractions fixed. Normalising twice changes nothing."""
    for wrong, right in _MOJIBAKE.items():
        text = text.replace(wrong, right)
    text = _plain_letters(text).casefold()
    text = _plain_letters(text).translate(_APOSTROPHES).translate(_AND_SIGNS)
    chars = [c if c.isalnum() or c == "'" else " " for c in text]
    for i, c in enumerate(chars):  # an apostrophe survives only between two letters
        if c == "'" and not (
            0 < i < len(chars) - 1 and chars[i - 1].isalnum() and chars[i + 1].isalnum()
        ):
            chars[i] = " "
    return " ".join(_fix_words("".join(chars).split()))


def _plain_letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fix_words(words: list[str]) -> list[str]:
    out: list[str] = []
    for i, word in enumerate(words):
        prev = out[-1] if out else ""
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word == "t" and prev + "'t" in _CONTRACTIONS.values():
            out[-1] = prev + "'t"
            continue
        if word == "m" and prev == "i":
            out[-1] = "i'm"
            continue
        if word == "not" and prev == "can":
            out[-1] = "can't"
            continue
        if word == "n" and out and nxt:
            word = "and"
        elif word == "week" and prev in _WEAK_BEFORE:
            word = "weak"
        elif word in ("bowl", "bowls") and (nxt in _BOWEL_AFTER or prev == "my"):
            word = "bowels" if word == "bowls" else "bowel"
        else:
            word = _CONTRACTIONS.get(word, _TYPOS.get(word, word))
        out.extend(_unglue(word))
    return out


def _unglue(word: str) -> tuple[str, ...]:
    if word in _GLUE_ANY or len(word) < 5:
        return (word,)
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if (head in _GLUE_CORE and tail in _GLUE_ANY) or (head in _GLUE_ANY and tail in _GLUE_CORE):
            return head, tail
    return (word,)


# -- reading ----------------------------------------------------------------------------------


def recognise(text: str) -> tuple[Symptom, ...]:
    """The warning signs `text` names, one per question code, most urgent first."""
    note = _Note(normalise(text))
    found: dict[str, tuple[int, str]] = {}
    for code, start, words in note.hits():
        if code not in found or start < found[code][0]:
            found[code] = (start, words)
    ordered = sorted(found.items(), key=lambda item: (CODES[item[0]].rank, item[1][0]))
    return tuple(Symptom(code, CODES[code], words) for code, (_, words) in ordered)


def _rx(*alternatives: str) -> re.Pattern[str]:
    """Alternatives matched as whole words of a normalised note (words are split by spaces)."""
    return re.compile(r"(?<![^ ])(?:" + "|".join(alternatives) + r")(?![^ ])")


class _Place(Enum):
    SADDLE = "saddle"
    GENITAL = "genital"
    SEX = "sex"
    BOTH = "both legs"
    LEG = "one leg"
    OTHER = "elsewhere"
    BLADDER = "bladder"
    BOWEL = "bowel"
    TOILET = "the toilet"


_PELVIS = frozenset({_Place.SADDLE, _Place.GENITAL, _Place.SEX})
_LIMB = r"(?:foot|feet|legs?|calf|calves|thighs?|heels?|knees?|shins?|ankles?)"
_BACK = r"(?:lower |low |upper |middle |mid )?back"

# Checked in this order at each position, so a longer phrase wins ("back passage" over "back").
_PLACES: tuple[tuple[_Place, str], ...] = (
    (
        _Place.LEG,
        rf"(?:bottom|sole|top|side|outside|inside|back|front|balls?|arch|edge) "
        rf"of (?:my |the |your )?(?:left |right )?{_LIMB}",
    ),
    (_Place.OTHER, rf"both sides of (?:my |the )?{_BACK}"),
    (_Place.SADDLE, r"between (?:my|the|your|ur|both) (?:legs|thighs)"),
    (_Place.SADDLE, r"inner (?:thighs?|legs?)|insides? of (?:my |the )?(?:thighs?|legs)"),
    (_Place.SADDLE, r"back passage|(?:bum|butt|buttock|bottom) cheeks?|down below|down there"),
    (
        _Place.SADDLE,
        r"saddle(?: area| region)?|nether regions?|(?:toilet|loo) (?:paper|roll|tissue)",
    ),
    (_Place.SADDLE, r"wip(?:e|es|ed|ing)|groin|crotch|perine(?:um|al)|perinium|anus|anal"),
    (_Place.SADDLE, r"(?:the |toilet |loo |bike |car )?seat"),
    (_Place.SADDLE, r"rect(?:um|al)|bum|bums|butt|butts|buttocks?|backside|bottom|arse|ass"),
    (
        _Place.GENITAL,
        r"private (?:parts?|area|bits)|privates|genital(?:s|ia)?(?: area)?|penis|vagina|vaginal",
    ),
    (_Place.GENITAL, r"vulva|labia|clit(?:oris)?|testicles?|scrotum|willy|manhood"),
    (_Place.GENITAL, r"(?:my|his|her|your|the|lady|man|private|girly) (?:bits|parts)"),
    (_Place.SEX, r"sex|intercourse|orgasms?|climax|making love"),
    (
        _Place.BOTH,
        r"both (?:of )?(?:my |the )?(?:legs|feet|calves|thighs|shins|knees|ankles"
        r"|hamstrings|sides|heels|soles)",
    ),
    (_Place.BOTH, r"either (?:leg|foot|side)|other (?:leg|foot|side) (?:too|as well|also|now)"),
    (_Place.BOTH, r"legs|feet|calves|thighs|shins|knees|ankles|hamstrings"),
    (_Place.BOTH, r"(?:from |below )?(?:the |my )?waist(?: down)?"),
    (_Place.LEG, r"(?:big|little|small|middle) toes?|leg|foot|toes?|calf|shin|heel|thigh|knee"),
    (_Place.LEG, r"ankle|sole|instep|hamstring|hip|arch"),
    (_Place.SADDLE, r"back passage"),
    (_Place.OTHER, rf"{_BACK}|hands?|arms?|fingers?|thumbs?|face|lips?|tongue|cheeks?|neck"),
    (_Place.OTHER, r"shoulders?|head|chest|stomach|tummy|belly|wrists?|elbows?|jaw|mouth"),
    (_Place.BLADDER, r"bladder|urine|urinat[^ ]*|urinary|wee|wees|weeing|wee'd|weed|pee|pees"),
    (_Place.BLADDER, r"peeing|pee'd|peed|piss(?:ing)?|pass(?:ing)? water"),
    (
        _Place.BOWEL,
        r"bowels?|poo|poos|pooing|poop|pooping|stools?|number (?:twos?|2s?)|faeces|feces",
    ),
    (_Place.BOWEL, r"faecal|fecal"),
    (
        _Place.TOILET,
        r"(?:need|needed|needing|have|had|want|wanted) to go(?! (?:out|for|to|and|home))",
    ),
    (_Place.TOILET, r"myself go(?:ing)?|go for a (?:wee|pee|poo|number)"),
    (_Place.TOILET, r"(?:the )?(?:toilet|loo|bathroom)(?! (?:paper|roll|tissue))"),
)
_PLACE_RX = re.compile(
    r"(?<![^ ])(?:"
    + "|".join(f"(?P<p{i}>{rx})" for i, (_, rx) in enumerate(_PLACES))
    + r")(?![^ ])"
)

_Codes = tuple[str, ...]
_NUMB_CODES: dict[_Place, _Codes] = {
    _Place.SADDLE: ("saddle-numbness",),
    _Place.GENITAL: ("saddle-numbness", "sexual"),
    _Place.SEX: ("sexual",),
    _Place.BOTH: ("both-legs",),
    _Place.LEG: ("leg-numbness",),
    _Place.BLADDER: ("bladder",),
    _Place.BOWEL: ("bowel",),
    _Place.TOILET: ("bladder", "bowel"),
}
_ORGAN_CODES: dict[_Place, _Codes] = {
    _Place.BLADDER: ("bladder",),
    _Place.BOWEL: ("bowel",),
    _Place.TOILET: ("bladder", "bowel"),
}


@dataclass(frozen=True, slots=True)
class _Near:
    """A symptom word whose sign depends on the nearest place named around it."""

    trigger: re.Pattern[str]
    codes: dict[_Place, _Codes]
    before: int  # how many words before the symptom word a place may be
    after: int
    alone: _Codes = ()  # the signs when no place is named


@dataclass(frozen=True, slots=True)
class _Phrase:
    """Words that name a sign on their own; `needs` must also be near, `unless` must not."""

    code: str
    rx: re.Pattern[str]
    needs: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    reach: int = 10  # words either side searched for `needs` and `unless`


_CANT = (
    r"(?:can't|couldn't|unable to|not able to|(?:haven't|hasn't|hadn't) been able to|no longer"
    r"|struggl[^ ]*(?: to)?|hard to|trouble|difficulty|difficult to|problems?|hardly)"
)
_FEEL = (
    r"(?:can't|couldn't|unable to|not able to|no longer|barely|hardly) (?:really |properly |even )?"
)

_NEAR: tuple[_Near, ...] = (
    _Near(  # numbness named as a thing: alone it is taken to be in the leg
        _rx(r"numbness|tingling|tingles|pins (?:and )?needles|paraesthesia|paresthesia"),
        _NUMB_CODES,
        5,
        5,
        ("leg-numbness",),
    ),
    _Near(
        _rx(
            r"dentist|injected|anaesthetic|anaesthetised|anesthetized|novocaine|cotton wool"
            r"|rubbery",
            r"(?:feel|feeling|felt|feels) nothing",
            r"numb|numbed|tingly|prickl[^ ]*|(?:no|lost|losing|loss of|lack of|reduced|altered|less"
            r"|lost all|lost the|lost some|lost any|without any) (?:the |all |any )?(?:feeling"
            r"|sensation)",
            _FEEL
            + r"(?:anything|feel(?! (?:the |a |any |much )?(?:stretch|pull|difference|benefit)))",
            r"feel anything",
        ),
        _NUMB_CODES,
        5,
        5,
    ),
    _Near(  # "dead", "asleep", "fizzy" only right beside a place ("leg went dead")
        _rx(
            r"(?:feels?|felt|gone|went|goes|is|keeps going|going|fell|falls) (?:dead|asleep)"
            r"|dead|asleep|fizzy"
        ),
        _NUMB_CODES,
        2,
        1,
    ),
    _Near(
        _rx(
            r"weak|weakness|weaker|weakening|weakened|wobbly|jelly|floppy|flops?|flopping",
            r"(?:no|lost|losing|loss of|lack of) (?:strength|power)|not strong(?: enough)?",
            r"(?:like|as heavy as) lead|leaden",
        ),
        {_Place.BOTH: ("both-legs",), _Place.LEG: ("leg-weaker",)},
        5,
        5,
    ),
    _Near(  # a leg that gives way is weakening, whichever leg
        _rx(
            r"(?:won't|wouldn't|doesn't|didn't|can't|couldn't) (?:hold|support|take) (?:me|my"
            r" weight)",
            r"buckl[^ ]*|collaps[^ ]*|(?:went|go|goes|going|gone) from under me",
            r"(?:gave|gives|give|giving|gone|went|going) (?:way(?! to)|out)",
        ),
        {_Place.BOTH: ("both-legs", "leg-weaker"), _Place.LEG: ("leg-weaker",)},
        5,
        5,
    ),
    _Near(  # a place that feels strange: a change of feeling, but not in both legs
        _rx(
            r"(?:feels?|felt|feeling) (?:really |very |a bit |all )?(?:strange|odd|weird|funny"
            r"|different|wrong)|(?:strange|odd|weird|funny) (?:feeling|sensation)"
        ),
        {p: c for p, c in _NUMB_CODES.items() if p is not _Place.BOTH},
        3,
        3,
    ),
    _Near(
        _rx(r"pain|pains|painful|sciatica|sciatic|shooting|burning|nerve pain"),
        {_Place.BOTH: ("both-legs",)},
        5,
        5,
    ),
    _Near(
        _rx(
            r"(?:can't|couldn't|unable to|not able to|no|lost|losing|loss of|poor|struggl[^ ]* to"
            r"|hard to|trouble) (?:[^ ]+ )?(?:control|controlling|hold|holding|stop|stopping)"
            r"(?! (?:the |a |my )?(?:stretch|pose|position|hold|leg|breath))"
        ),
        {**_ORGAN_CODES, _Place.SADDLE: ("bowel",)},
        4,
        3,
    ),
    _Near(
        _rx(
            r"(?:can't|couldn't|unable to|not able to|no longer|don't|didn't|hard to|barely|hardly)"
            r" (?:really |even |always )?(?:feel|tell|sense|know|notice|realise|realize)(?: it)?"
            r" (?:when|if|that|whether)|no idea (?:when|if|whether)",
            r"(?:don't|didn't|no longer|never|can't|couldn't) (?:get|have|feel) (?:the|a|any)"
            r" (?:feeling|sensation|urge)",
        ),
        _ORGAN_CODES,
        0,
        6,
    ),
    _Near(_rx(r"nothing (?:comes|came|will come|coming) out"), _ORGAN_CODES, 6, 6),
    _Near(  # going by itself, or not at all
        _rx(
            r"on its own|by itself|a mind of its own|of its own accord",
            r"(?:couldn't|can't|unable to|not able to) go(?! (?:out|to work|for a walk|to the gym"
            r"|shopping|back))",
        ),
        {**_ORGAN_CODES, _Place.TOILET: ("bladder",)},
        5,
        4,
    ),
    _Near(  # wetting or soiling: which, by what is named nearby
        _rx(
            r"(?:didn't|did not|couldn't|could not|never|not) (?:quite )?(?:make|made) it"
            r"(?: to the (?:loo|toilet|bathroom)| in time)?",
            r"accidents?|leak|leaks|leaked|leaking|leakage|trickl[^ ]*|dribbl[^ ]*|everywhere",
            r"without (?:me )?(?:knowing|realising|realizing|noticing|feeling it|any warning"
            r"|warning)",
        ),
        _ORGAN_CODES,
        6,
        6,
    ),
    _Near(  # straining to pass urine
        _rx(r"(?:have|had|having|need) to (?:push|strain|force)|push(?:ing)? to (?:get|start)"),
        {_Place.BLADDER: ("bladder",)},
        0,
        6,
    ),
)

_BLADDER_VERB = (
    r"(?:pee|wee|peeing|weeing|urinat[^ ]*|pass(?:ing)? (?:urine|water)"
    r"|empty(?:ing)? (?:my |the )?bladder)"
)
_FILL = (
    r"(?: (?:really|properly|fully|even|start|stop|starting|stopping|to|a|go|going|get|getting"
    r"|for)){0,3}"
)
_GARMENT = r"(?:pants|knickers|trousers|jeans|underwear|pyjamas|pjs|bed|shorts|sheets)"
_ODD = r"(?:different|weird|strange|funny|odd|not right|wrong|numb|off|a mess|not working)"
_BE = r"(?:is |are |feels? |felt |has been |have been |gone |went |seems? |been |keeps? )?"
_NIGHT = _rx(r"night|nights|bed|sleep|asleep|sleeping|[0-9]+ ?am|lying|lie|lay|overnight")
_UNEASED = _rx(
    r"nothing|no position|whatever|doesn't|does not|won't|no matter|can't|constant|every night"
    r"|all night|unbearable|agony|no relief"
)

_PHRASES: tuple[_Phrase, ...] = (
    _Phrase(
        "bladder",
        _rx(
            rf"(?:wet|wetted|wetting|weed|wee'd|peed|pee'd|peeing|weeing|pissed|pissing|wee|pee"
            rf"|sprinkled|soaked|dampened)"
            rf" (?:myself|my self|my {_GARMENT}|the bed|in bed|in my sleep)",
            r"(?:leak[^ ]*|dribbl[^ ]*|drip[^ ]*) (?:of |some |a bit of |a little )?(?:urine|wee"
            r"|pee)",
            r"(?:urine|wee|pee) (?:is |keeps )?(?:leak[^ ]*|dribbl[^ ]*)",
            r"leak[^ ]* (?:in|into) my (?:pants|knickers|underwear|trousers)",
            r"(?<!faecal )(?<!fecal )(?<!bowel )(?<!anal )(?<!stool )incontinen[^ ]*"
            r"(?! of (?:stool|faeces|feces|bowels?))",
            r"(?:urinary|urine|bladder) (?:retention|incontinence|problems?|issues?|trouble"
            r"|changes?|weakness)",
            r"(?:wee|pee|urine|poo) everywhere",
            r"(?:peed|weed|wee'd|pee'd|wet|leaked|dribbled) (?:a little|a bit|slightly|a tiny bit"
            r"|some)",
            rf"{_GARMENT} (?:were|was|are|is|got|felt|feel) (?:wet|damp|soaked)",
            r"(?:pee|wee|urine|it) (?:won't|wont|will not|doesn't|does not|didn't) (?:come|start"
            r"|flow)",
            r"(?:i keep|i'm|i am|i've been|keep|still) leak(?:ing)?(?=$| (?:when|if|a bit|a little"
            r"|again|all|every|today|now|urine|wee|pee)(?![^ ]))",
            r"(?:retention|retaining) (?:of )?urine",
            rf"{_CANT}{_FILL} {_BLADDER_VERB}",
            r"(?:have|had|having) to strain(?: [^ ]+){0,2} to (?:go|pee|wee)|strain[^ ]* to (?:pee"
            r"|wee)",
            rf"(?:peeing|weeing|urinating|my wee|my pee|bladder|my water|waterworks) {_BE}{_ODD}",
            r"bladder (?:not|isn't|is not|doesn't|won't) (?:working|right|emptying|empty)",
            rf"(?:peeing|weeing|urinating|my wee|my pee) {_BE}(?:really |very |so )?(?:hard"
            rf"|difficult)"
            r" to (?:start|stop|get going)",
            r"no (?:urge|need|sensation|feeling) to (?:pee|wee|urinate)",
            r"bladder control(?! (?:is |are )?(?:fine|good|ok|okay|normal))(?: (?:has |is"
            r" )?(?:gone|lost))?",
            r"(?:tell|feel|know|sense) (?:if|when|whether) (?:it's|its|it is|my bladder is|i'm)"
            r" full",
        ),
    ),
    _Phrase(
        "bowel",
        _rx(
            rf"(?:pooed|pooped|poo'd|pood|poo'ed|shat|shit|soiled|messed|crapped|pooing|pooping"
            rf"|soiling) (?:myself|my self|my {_GARMENT}|the bed|in bed)",
            r"soiled (?:my )?(?:pants|underwear|knickers|trousers|clothes|sheets|bed)",
            r"(?:bowel|bowels|faecal|fecal|stool|anal|poo) (?:incontinence|leak[^ ]*|accidents?)",
            r"(?:accidents?|incontinence|leak[^ ]*) (?:with|of|in|from) (?:my )?(?:bowels?|stool"
            r"|poo)",
            r"leak[^ ]* (?:of )?(?:stool|poo|faeces|feces)",
            rf"bowels?(?: movements?)? {_BE}{_ODD}",
            r"bowels? (?:problems?|issues?|trouble|changes?)",
            r"bowel control(?! (?:is |are )?(?:fine|good|ok|okay|normal))(?: (?:has |is )?(?:gone"
            r"|lost))?",
            r"(?:problems?|issues?|trouble|changes?) with (?:my )?bowels?",
        ),
    ),
    _Phrase("saddle-numbness", _rx(r"saddle (?:numbness|anaesthesia|anesthesia|paraesthesia)")),
    _Phrase(
        "sexual",
        _rx(
            r"(?:can't|couldn't|unable to|not able to|problems?|trouble|difficulty|difficulties"
            r"|struggl[^ ]*(?: to)?|hard to|issues?) (?:get|getting|keep|keeping|maintain"
            r"|maintaining|stay|staying|have|having|achieve|achieving)(?: an?)? (?:erections?|hard"
            r"|it up|stiffy|boner|hard on)",
            r"(?:no|new|lost|losing|loss of|weak|fewer) erections?",
            r"erections? (?:have |has )?(?:stopped|gone|disappeared)",
            r"erections? (?:is |are |has been |have been )?(?:impossible|difficult|hard|a problem"
            r"|a struggle|not happening|rare)",
            r"erect(?:ion|ions|ile) (?:problems?|issues?|trouble|dysfunction|difficult[^ ]*"
            r"|failure)",
            r"impoten[^ ]*",
            r"(?:can't|couldn't|unable to|not able to|trouble|problems?|difficulty|struggl[^ ]*"
            r"(?: to)?) (?:ejaculat[^ ]*|climax[^ ]*|orgasm[^ ]*|cum)",
            rf"(?:sex|intercourse) {_BE}(?:different|numb|strange|weird|not the same)",
        ),
    ),
    _Phrase(
        "both-legs",
        _rx(
            r"bilateral",
            r"same (?:pain|thing|symptoms|feeling|numbness|tingling|sciatica) (?:as|in) (?:the|my)"
            r" (?:left|right|other)(?: (?:leg|one|foot))?(?! (?:side|arm|hand|shoulder|back|hip"
            r"|knee"
            r"|eye|ear|elbow))",
            r"(?:it's|its|it is|it|pain|sciatica|spread[^ ]*|moved|gone|going|started|now|numbness"
            r"|tingling)(?: [^ ]+){0,2} (?:in|into|to|down) (?:my |the )?(?:right|left|other)"
            r" (?:leg|side|foot) (?:as well|too|also|now)",
            r"(?:spread[^ ]*|moved|gone|going|started|travel[^ ]*) (?:in|into|to|down) (?:my |the"
            r" )?"
            r"other (?:leg|side)",
        ),
    ),
    _Phrase(
        "leg-weaker",
        _rx(
            r"(?:foot|feet|toes?) (?:is |are |keeps |keep |kept |has been |started |just"
            r" )?(?:slap[^ ]*"
            r"|drop(?:s|ped|ping)?|flop[^ ]*|catch[^ ]*|scuff[^ ]*|drag[^ ]*)",
            r"slap[^ ]* (?:down|on the (?:ground|floor|pavement))|drop(?:ped)? foot|floppy foot",
            r"(?:can't|couldn't|unable to|not able to|struggl[^ ]*(?: to)?|hard to|trouble"
            r"|difficulty)"
            r" (?:lift|raise|lifting|raising|pull up|pulling up|bend up|point|flex|move|wiggle"
            r"|bend)"
            r" (?:up )?(?:my |the )?(?:left |right )?(?:foot|feet|toes?|ankle|big toe)",
            r"drag[^ ]* (?:my |the )?(?:left |right )?(?:foot|leg|toes)",
            r"trip[^ ]* (?:over|on) (?:my )?(?:own )?(?:left |right )?(?:foot|feet|toes?)",
            r"scuff[^ ]*|catch[^ ]* (?:my |the )?(?:left |right )?(?:toes?|foot|feet)",
            r"(?:can't|couldn't|unable to|not able to|struggl[^ ]*(?: to)?|hard to|trouble"
            r"|difficulty)"
            r" (?:stand|standing|walk|walking|go|going|get|getting|rise|rising|balance|balancing"
            r"|push)"
            r" (?:up )?on (?:my |the )?(?:left |right )?(?:tip ?toes?|tiptoes?|toes|heels?)",
            r"(?:can't|couldn't|unable to|not able to|struggl[^ ]*(?: to)?|hard to) (?:tip ?toe"
            r"|tiptoe)",
            r"(?:can't|couldn't|unable to) push off",
            r"slap[^ ]* (?:my |the )?(?:left |right )?(?:foot|feet)",
            r"(?:foot|feet|toes?|ankle) (?:won't|wont|doesn't|can't|will not|does not) (?:lift|go"
            r" up"
            r"|come up|move|bend|pull up)",
            r"(?:gave|gives|give|giving|gone|went|going) way(?! to)",
            r"(?:buckl|collaps)[^ ]* under me|(?:went|go|goes|going|gone) from under me",
        ),
    ),
    _Phrase(
        "unwell",
        _rx(
            r"fever[^ ]*|high (?:temp|temperature)|unwell|chills?|shivery|shivers|rigou?rs"
            r"|(?:night )?sweats",
            r"shivering(?! (?:at (?!night)|on|outside|waiting|in the (?:rain|cold|wind|snow)))",
            r"(?:a|got a|have a|had a|running a|with a|spiked a) (?:high |slight |bit of a |little"
            r" )?"
            r"(?:temp|temperature)",
            r"temp(?:erature)? (?:of |is |was |at |up to |reached |hit )?(?:3[89]|4[0-2])(?![0-9])",
            r"(?:3[89]|4[0-2])(?: [0-9])? ?(?:c |degrees )?(?:temp|temperature|fever)",
            r"(?:shaking|shivering|trembling) (?:with|from) (?:the )?cold",
            r"sweat[^ ]*(?: buckets| a lot| loads)?"
            r" (?:at night|all night|in bed|through the night)",
            r"(?:feel|feels|feeling|felt|going|gone|been) hot and cold|hot and cold (?:sweats"
            r"|shivers)",
            r"hot and sweaty (?:all night|at night|in bed)",
            r"(?:feel|feels|feeling|felt|am|i'm|been|being|getting)(?: [^ ]+){0,2} (?:unwell|ill"
            r"|poorly"
            r"|rough|rotten|grotty|sick(?! of| and tired))",
            r"under the weather|flu ?like|fluey|flu symptoms|(?:got|have|with|caught) (?:the )?flu",
            r"(?:boiling|roasting|burning up)(?: hot)? (?:and|then) (?:freezing|cold|shivering)",
            r"burning up|(?:3[89]|4[01]) (?:point )?[0-9](?: c| degrees)?",
            r"(?:10[0-4])(?: [0-9])? ?(?:f|degrees|fahrenheit)",
        ),
    ),
    _Phrase(
        "weight-loss",
        _rx(
            r"(?:lost|losing|loosing|dropped|dropping|shed|shedding|down)(?: [^ ]+){0,3}? (?:weight"
            r"|(?:[0-9]+ ?|a few |a couple of |some |several |loads of |lots of )?(?:kg|kgs|kilos?"
            r"|kilograms?|lbs?|pounds|stones?)|(?:half )?a stone|(?:a |two |2 )?(?:dress |clothes"
            r" )?"
            r"sizes?)",
            r"weight (?:loss|is dropping|dropping|falling|coming|going down|has dropped|dropped|has"
            r" fallen|fell|keeps dropping)",
            r"(?:weight|pounds|kilos|it) (?:is |just |keeps )?(?:dropping|falling|melting|coming)"
            r" off",
            r"(?:clothes|jeans|trousers|belt|waistband|rings?|skirt|dress|shirt)(?: [^ ]+){0,2}?"
            r" (?:loose|looser|baggy|baggier|falling off|falling down|too big|hanging off)",
            r"(?:tighter|extra|new) (?:notch|hole)",
            r"(?:look|looking|looks|getting|got|gone|much|so|really) (?:thinner|skinnier|gaunt"
            r"|skinny|thin)",
        ),
        unless=_rx(
            r"diet|dieting|diets|slimming|on purpose|deliberately|intentionally|trying|tried|meant"
            r" to"
            r"|meaning to|weight watchers|calories|fasting|keto|ozempic|wegovy|mounjaro"
        ),
    ),
    _Phrase(
        "night-pain",
        _rx(
            r"(?:pain|it|sciatica|leg|back|ache|aching|throbbing|burning|this) (?:keeps |kept "
            r"|still "
            r"|always |is )?(?:wakes?|woke|waking|wakening) me(?: up)?",
            r"(?:wakes?|woke|waking|woken) me(?: up)? (?:at|in the|every|during the|through the"
            r"|all)"
            r" night",
            r"(?:woken|woke|waking|awoken)(?: up)?(?: [^ ]+){0,2}? (?:by|because of|due to) (?:the"
            r" |my )?"
            r"(?:pain|sciatica)",
            r"awake(?: [^ ]+){0,3}? with (?:the |my )?(?:pain|sciatica|it)",
            r"(?:can't|couldn't|unable to|not able to|hard to|struggl[^ ]*(?: to)?) (?:get to |go"
            r" to "
            r"|get back to )?sleep (?:for|because of|with|from|due to|through|cos of|because)"
            r" (?:the |my )?"
            r"(?:pain|it|sciatica|leg|back)",
            r"(?:kept|keeping|keeps|keep) me (?:up|awake)",
            r"(?:up|awake|lay awake|lie awake|lying awake) (?:all|most of the|half the|much of the"
            r"|every) night",
            r"(?:night|nighttime|night time) (?:pain|pains|sciatica)",
            r"(?:can't|couldn't|unable to|not able to|hard to) (?:lie|lay|stay|sleep) (?:down "
            r"|flat "
            r"|still )?(?:in bed )?(?:for|because of|with|from|due to) (?:the |my )?(?:pain"
            r"|sciatica)",
            r"(?:pain|agony|aching|throbbing)(?: [^ ]+){0,2}? (?:at|from|since|until|till|around"
            r"|about|by) (?:1[12]|[1-5]) ?am",
            r"(?:pain|awake|up|woke|woken|agony)(?: [^ ]+){0,2}? (?:in the )?(?:middle of the night"
            r"|small hours|early hours)",
        ),
    ),
    _Phrase(
        "night-pain",
        _rx(
            r"(?:no|whatever|any|every|which ?ever|no matter what|no comfortable) position",
            r"no matter (?:how|which way|what way) i (?:lie|lay|sit|turn|sleep)",
            r"turning over (?:doesn't|does not|didn't|won't) help|(?:can't|couldn't) get"
            r" comfortable",
        ),
        needs=_NIGHT,
    ),
    _Phrase(
        "night-pain",
        _rx(
            r"(?:night|nights|night time|nighttime|bedtime) (?:is |are )?(?:the )?(?:worst|awful"
            r"|unbearable|agony|hell)",
            r"(?:worst|worse|bad|unbearable|agony|pain|there|awful|constant) (?:at|in the|during"
            r" the|through the|all|every) night",
        ),
        needs=_UNEASED,
        reach=8,
    ),
    _Phrase(
        "night-pain",
        _rx(
            r"(?:up|awake|woke|woken|waking|wake)(?: up)? (?:at|from|since|till|until|by|around"
            r"|about)"
            r" [0-9]+ ?(?:am)?",
        ),
        needs=_rx(r"every night|each night|nightly|with (?:the )?pain|with it|in pain"),
        reach=6,
    ),
)

# -- when a sign stays quiet ------------------------------------------------------------------

_NEGATORS = _set(
    "no not never without nothing none nor neither don't didn't doesn't isn't aren't wasn't "
    "weren't haven't hasn't hadn't zero free denies denied nope"
)
# Words a denial reaches across: "haven't had any", "no signs of", "no fever or chills".
_LIGHT = _set(
    "a an the any anymore my your really much more longer feel feels feeling felt have had has "
    "got get getting been be being experienced noticed seen at all in of on sign signs real "
    "properly even too so very such actually i i've i'm think believe or nor numbness tingling "
    "weakness fever fevers chills sweats pins needles pain problems issues changes numb weak"
)
_DETERMINERS = _set("the my a an his her our their your")
_PREPOSITIONS = _set("with to for at from by about than like after of on and")
_ASKED = _set("if whether unless asked asks asking watch")
_BREAKS = _set(
    "but though although however except yet whereas still apart besides just then so because "
    "cos coz"
)
_NEW_CLAUSE_AFTER_AND = _set("i i'm i've my it it's its the now then this that also")
_OTHERS = _set(
    "mum mom mother dad father partner wife husband hubby boyfriend girlfriend bf gf son "
    "daughter baby kid kids child children friend friends brother sister nan nanna gran granny "
    "grandma grandad grandpa grandmother grandfather colleague boss neighbour neighbor he she "
    "they his him dog cat patient aunt uncle cousin someone somebody"
)
_ME = _set("i i'm i've i'd me my myself mine")
_OVER = _set("gone stopped cleared resolved disappeared vanished settled")


class _Note:
    def __init__(self, text: str) -> None:
        self.text = text
        self.words = text.split(" ") if text else []
        self._starts: list[int] = []
        position = 0
        for word in self.words:
            self._starts.append(position)
            position += len(word) + 1

    def span(self, match: re.Match[str]) -> tuple[int, int]:
        """The words [start, end) a match covers."""
        start = self._index(match.start())
        return start, self._index(match.end() - 1) + 1

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
        places = [
            (self.span(m), _PLACES[int((m.lastgroup or "p0")[1:])][0])
            for m in _PLACE_RX.finditer(self.text)
        ]
        for near in _NEAR:
            for m in near.trigger.finditer(self.text):
                yield from self._near(near, self.span(m), places)
        for phrase in _PHRASES:
            for m in phrase.rx.finditer(self.text):
                start, end = self.span(m)
                if not self._quiet(start, end) and self._context_agrees(phrase, start, end):
                    yield phrase.code, start, m.group()

    def _near(
        self,
        near: _Near,
        span: tuple[int, int],
        places: list[tuple[tuple[int, int], _Place]],
    ) -> Iterator[tuple[str, int, str]]:
        start, end = span
        reachable: list[tuple[int, tuple[int, int], _Place]] = []
        for (p_start, p_end), place in places:
            if p_end <= start:
                gap = start - p_end
                if gap > near.before:
                    continue
            elif p_start >= end:
                gap = p_start - end
                if gap > near.after:
                    continue
            else:
                gap = 0
            reachable.append((gap, (p_start, p_end), place))
        if not reachable:
            codes, first, last = near.alone, start, end
        else:
            nearest = min(gap for gap, _, _ in reachable)
            chosen = [(s, p) for gap, s, p in reachable if gap == nearest]
            if any(p in _PELVIS for _, p in chosen):  # "my bottom and privates": all of them
                chosen = [(s, p) for _, s, p in reachable if p in _PELVIS]
            elif all(p is _Place.LEG for _, p in chosen):  # "numb toes on both feet"
                both = [(s, p) for _, s, p in reachable if self._says_both(s, p)]
                chosen = both or chosen
            codes = tuple(code for _, p in chosen for code in near.codes.get(p, ()))
            first = min(start, *(s[0] for s, _ in chosen))
            last = max(end, *(s[1] for s, _ in chosen))
        if not codes or self._quiet(first, last) or self._quiet(start, end):
            return
        for code in codes:
            yield code, first, " ".join(self.words[first:last])

    def _says_both(self, span: tuple[int, int], place: _Place) -> bool:
        return place is _Place.BOTH and self.words[span[0]] in ("both", "either")

    def _quiet(self, start: int, end: int) -> bool:
        """Whether the words [start, end) are denied, asked about, someone else's, or over."""
        return self._denied(start) or self._someone_else(start) or self._over(end)

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

    def _denied(self, start: int) -> bool:
        """A denial reaches the sign across light words only: "haven't had any numbness",
        "no fever or chills", but not "a ring that isn't there, numb bum"."""
        reaches = True
        before = self._before(start, 5)
        for k, word in enumerate(before):
            if word in _ASKED or (word == "used" and k and before[k - 1] == "to"):
                return True
            if word in _NEGATORS and reaches:
                return True
            reaches = reaches and (word in _LIGHT or word in _NEGATORS)
        return False

    def _someone_else(self, start: int) -> bool:
        """Whether the sign is said of another person ("mum has a fever"), who is not merely
        named as company ("with the wife")."""
        before = self._before(start, 6)
        for k, word in enumerate(before):
            if word in _ME:
                return False
            if word.removesuffix("'s") in _OTHERS:
                earlier = [w for w in before[k + 1 : k + 3] if w not in _DETERMINERS]
                if not earlier or earlier[0] not in _PREPOSITIONS:
                    return True
        return False

    def _over(self, end: int) -> bool:
        after = self.words[end : end + 3]
        for k, word in enumerate(after):
            if word in _BREAKS or word == "and":
                return False
            if word in _OVER or (word == "went" and after[k + 1 : k + 2] == ["away"]):
                return True
            if word == "no" and after[k + 1 : k + 2] == ["longer"]:
                return True
        return False

    def _context_agrees(self, phrase: _Phrase, start: int, end: int) -> bool:
        lo, hi = max(0, start - phrase.reach), min(len(self.words), end + phrase.reach)
        around = " ".join(self.words[lo:hi])
        if phrase.needs is not None and not phrase.needs.search(around):
            return False
        if phrase.unless is not None:
            offset = lo
            for m in phrase.unless.finditer(around):
                u_start = offset + around.count(" ", 0, m.start())
                if not self._denied(u_start):
                    return False
        return True
