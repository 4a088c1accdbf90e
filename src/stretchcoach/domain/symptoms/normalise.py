"""A note as the recogniser reads it: lower case, plain letters, straight apostrophes, "and"
for "&"/"+"/"n", no punctuation, common typos and contractions fixed."""

from __future__ import annotations

import re
import unicodedata


def word_set(words: str) -> frozenset[str]:
    """The words of a space-separated list, as a set."""
    return frozenset(words.split())


_MOJIBAKE = {"â€™": "'", "â€˜": "'", "â€œ": " ", "â€\x9d": " ", "â€“": "-", "â€”": "-"}
_APOSTROPHES = dict.fromkeys(map(ord, "’‘‛´`ʼ′＇"), "'")
_AND_SIGNS = dict.fromkeys(map(ord, "&+"), " and ")

# Contractions typed without the apostrophe, or with it lost as a space ("can t").
_CONTRACTIONS = {
    w.replace("'", ""): w
    for w in word_set(
        "can't couldn't don't didn't doesn't isn't aren't wasn't weren't haven't hasn't "
        "hadn't won't wouldn't shouldn't i'm i've"
    )
}
_CONTRACTIONS.update({"cannot": "can't", "cnt": "can't", "cudnt": "couldn't", "cldnt": "couldn't"})

_TYPOS = {
    **dict.fromkeys(
        word_set("numbess numbnes numbnesss numness numbnss nummness numbeness numbbness nubness"),
        "numbness",
    ),
    "numbb": "numb",
    "nunb": "numb",
    "nunbness": "numbness",
    **dict.fromkeys(word_set("myslef mysef myslf mysefl mysel"), "myself"),
    "numbe": "numb",
    **dict.fromkeys(
        word_set("tinglin tingleing tinglng tingeling tinglying tinglling tinglig"), "tingling"
    ),
    "tingley": "tingly",
    "tinglie": "tingly",
    **dict.fromkeys(word_set("bladdder bladdar blader bladdor bladda"), "bladder"),
    **dict.fromkeys(word_set("bowles bowells bowelss"), "bowels"),
    "bowell": "bowel",
    **dict.fromkeys(word_set("wek weeak weka waek weakk weeek"), "weak"),
    **dict.fromkeys(word_set("wekness weakess weakeness weaknes weekness"), "weakness"),
    **dict.fromkeys(word_set("incontinant incontinet incontient incontinnent"), "incontinent"),
    **dict.fromkeys(word_set("incontinance incontinenence incontinense"), "incontinence"),
    **dict.fromkeys(word_set("feaver fevor fevar fver fevre"), "fever"),
    **dict.fromkeys(
        word_set("temprature temperture temperatue tempreture tempriture"), "temperature"
    ),
    **dict.fromkeys(word_set("shivvery shivey shivry"), "shivery"),
    **dict.fromkeys(word_set("wieght weigth wheight"), "weight"),
    **dict.fromkeys(word_set("sciatia siatica sciatca sciactica sciatika sciattica"), "sciatica"),
    **dict.fromkeys(word_set("erction errection erecton erektion"), "erection"),
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
    **dict.fromkeys(word_set("accidnet acident accidant"), "accident"),
    **dict.fromkeys(word_set("sensaton sensasion sensaion sesation"), "sensation"),
    **dict.fromkeys(word_set("controll contol"), "control"),
    **dict.fromkeys(word_set("toliet toilett toilette toilt"), "toilet"),
    **dict.fromkeys(word_set("becuase becasue beacuse bcos bcoz"), "because"),
    **dict.fromkeys(word_set("orgasim orgasum"), "orgasm"),
    "nite": "night",
    "nites": "nights",
    "feelin": "feeling",
    "pooh": "poo",
    "peein": "peeing",
    "weein": "weeing",
    "neva": "never",
    **dict.fromkeys(word_set("cannae canna"), "can't"),
    **dict.fromkeys(word_set("couldnae couldna"), "couldn't"),
    **dict.fromkeys(word_set("dinnae dinna"), "don't"),
    **dict.fromkeys(word_set("wouldnae wouldna"), "wouldn't"),
    **dict.fromkeys(word_set("isnae isna"), "isn't"),
    **dict.fromkeys(word_set("willnae winnae"), "won't"),
    "bladed": "bladder",
    "incont": "incontinence",
    "bilat": "bilateral",
    **dict.fromkeys(word_set("paraes paraesth parasthesia paresthesias"), "paraesthesia"),
    "bm": "bowel movement",
    "bms": "bowel movements",
    "comin": "coming",
    "wen": "when",
    "wiv": "with",
}

# "week" for "weak", as a phone's autocorrect writes it, after these words only ("a long week").
_WEAK_BEFORE = word_set(
    "leg legs foot feet feel feels feeling felt so very really bit is are was went gone go "
    "going getting got quite too"
)
# Scots "wee" for small, before these words only ("a wee bit numb", "my wee lad"): a wee is
# otherwise the bladder.
_SMALL_BEFORE = word_set("bit one ones lad lass boy girl man while walk dram hour")
_NOT_AFTER = {
    "can": "can't",
    "will": "won't",
    **{
        w: w + "n't"
        for w in word_set("could do does did would should is are was were have has had must")
    },
}
_LIMBS = word_set("leg legs foot feet knee knees ankle ankles")
_BOWEL_AFTER = word_set(
    "movement movements control habit habits incontinence accident accidents motion "
    "motions problems issues"
)
# Words a missing space may have glued together ("numbbetween", "bothlegs").
_GLUE_CORE = word_set(
    "numb numbness tingling tingly weak weakness legs leg feet foot toes both bladder bowel "
    "bowels pee wee poo between groin bum butt fever pins needles"
)
_GLUE_ANY = _GLUE_CORE | word_set("my the in and no not can't a i is are so very both left right")
_GLUE_LENGTHS = sorted({len(w) for w in _GLUE_ANY if len(w) >= 2})


def normalise(text: str) -> str:
    """`text` as the recogniser reads it: lower case, plain letters, straight apostrophes kept
    inside words only, "&"/"+"/"n" as "and", other punctuation as spaces, single spaces, and
    common typos and contractions fixed. Normalising twice changes nothing."""
    if text.isascii():
        text = text.lower()
    else:
        for wrong, right in _MOJIBAKE.items():
            text = text.replace(wrong, right)
        text = _plain_letters(text).casefold()
        text = _plain_letters(text).translate(_APOSTROPHES)
    text = _PUNCTUATION.sub(" ", text.translate(_AND_SIGNS))
    text = _LOOSE_APOSTROPHE.sub(" ", text)  # an apostrophe survives only between two letters
    text = " ".join(_fix_words(text.split()))
    if "able to" in text:  # "unable to to feel" is "can't to feel", then "can't feel"
        text = " ".join(_fix_words(_CANT_PHRASE.sub("can't", text).split()))
    return text


# "not able to push off", "haven't been able to pee": each rule then says "can't" only.
_CANT_PHRASE = re.compile(
    r"(?<![^ ])(?:unable to|(?:not|isn't|aren't|wasn't|weren't) able to"
    r"|(?:haven't|hasn't|hadn't|not) been able to)(?![^ ])"
)
_PUNCTUATION = re.compile(r"[^\w']|_")
_LOOSE_APOSTROPHE = re.compile(r"(?<!\w)'|'(?!\w)")


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
        if word == "not" and prev in _NOT_AFTER:
            out[-1] = _NOT_AFTER[prev]
            continue
        if word == "to" and prev in ("can't", "couldn't") and nxt not in ("", "the", "a", "my"):
            continue  # "I cannot to feel": English learnt as a second language
        if word == "noodles" and prev == "and" and len(out) > 1 and out[-2] == "pins":
            word = "needles"  # a phone's guess at "pins and needles"
        elif word == "n" and out and nxt:
            word = "and"
        elif (word == "week" and prev in _WEAK_BEFORE) or (
            word == "wk" and (prev in _WEAK_BEFORE or nxt in _LIMBS)
        ):
            word = "weak"
        elif word == "wee" and nxt in _SMALL_BEFORE:
            word = "small"
        elif word in ("bowl", "bowls") and (nxt in _BOWEL_AFTER or prev == "my"):
            word = "bowels" if word == "bowls" else "bowel"
        else:
            word = _CONTRACTIONS.get(word, _TYPOS.get(word, word))
        out.extend(_unglue(word))
    return out


def _unglue(word: str) -> tuple[str, ...]:
    if word in _GLUE_ANY or len(word) < 5:
        return (word,)
    for cut in _GLUE_LENGTHS:
        if cut > len(word) - 2:
            break
        head, tail = word[:cut], word[cut:]
        if (head in _GLUE_CORE and tail in _GLUE_ANY) or (head in _GLUE_ANY and tail in _GLUE_CORE):
            return head, tail
    return (word,)
