"""The places and words that name a warning sign: where a symptom is (between the legs, both
legs, one foot, the bladder), the symptom words whose sign depends on the nearest place, and
the phrases that name a sign on their own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


def rx(*alternatives: str) -> re.Pattern[str]:
    """Alternatives matched as whole words of a normalised note, searched in the note with a
    space before it: a match starts with that space (a literal space to look for is much
    quicker to scan for than a test at every letter of whether a word starts there)."""
    return re.compile(r" (?:" + "|".join(alternatives) + r")(?![^ ])")


class Place(Enum):
    SADDLE = "saddle"
    PASSAGE = "back passage"  # numb there: saddle; leaking or an accident: the bowel
    GENITAL = "genital"
    SEX = "sex"
    BOTH = "both legs"
    OTHER_LEG = "the other leg"  # "my good leg": both legs when it goes numb or weak
    LEG = "one leg"
    OTHER = "elsewhere"
    BLADDER = "bladder"
    BOWEL = "bowel"
    TOILET = "the toilet"


PELVIS = frozenset({Place.SADDLE, Place.PASSAGE, Place.GENITAL, Place.SEX})
_LIMB = r"(?:foot|feet|legs?|calf|calves|thighs?|heels?|knees?|shins?|ankles?)"
_BACK = r"(?:lower |low |upper |middle |mid )?back"

# Checked in this order at each position, so a longer phrase wins ("back passage" over "back").
PLACES: tuple[tuple[Place, str], ...] = (
    (
        Place.LEG,
        rf"(?:bottom|sole|top|side|outside|inside|back|front|balls?|arch|edge) "
        rf"of (?:my |the |your )?(?:left |right )?{_LIMB}",
    ),
    (Place.OTHER, rf"both sides of (?:my |the )?{_BACK}"),
    (Place.SADDLE, r"between (?:(?:my|the|your|ur|both) )?(?:legs|thighs)"),
    (Place.SADDLE, r"inner (?:thighs?|legs?)|insides? of (?:my |the )?(?:thighs?|legs)"),
    (Place.PASSAGE, r"back passage|anus|anal|rect(?:um|al)|bum ?hole|arse ?hole"),
    (Place.SADDLE, r"(?:bum|butt|buttock|bottom) cheeks?|down below|down there"),
    (
        Place.SADDLE,
        r"saddle(?: area| region)?|nether regions?|undercarriage"
        r"|(?:toilet|loo) (?:paper|roll|tissue)",
    ),
    (Place.SADDLE, r"wip(?:e|es|ed|ing)|groin|crotch|perine(?:um|al)|perinium|peri ?anal"),
    (Place.SADDLE, r"(?:the |toilet |loo |bike |car )?seat"),
    (
        Place.SADDLE,
        r"(?:where|the (?:bit|part|area)) (?:you|i|one|that) sits?(?: on(?: a bike)?)?"
        r"|sit(?:ting)? ?bones?|nappy|nappies|diaper"
        r"|(?:underwear|knicker|pants|bikini) (?:area|line)",
    ),
    (Place.PASSAGE, r"from behind(?! (?:my|the|your|his|her))|back end|rear end"),
    (Place.SADDLE, r"bum|bums|butt|butts|buttocks?|backside|bottom|arse|ass"),
    (
        Place.GENITAL,
        r"private (?:parts?|area|bits)|privates|genital(?:s|ia)?(?: area)?|penis|vagina|vaginal",
    ),
    (Place.GENITAL, r"vulva|labia|clit(?:oris)?|testicles?|scrotum|willy|manhood|todger|dick"),
    (Place.GENITAL, r"(?:my |the )?(?:wedding )?tackle|old fella|john thomas|lady garden"),
    (Place.GENITAL, r"fanny|front bottom|balls|lady (?:bits|parts|garden)|down ?stairs department"),
    (Place.GENITAL, r"(?:my|his|her|your|the|lady|man|private|girly) (?:bits|parts)"),
    (Place.SEX, r"sex|intercourse|orgasms?|climax|(?:making|make|made) love|love ?making"),
    (Place.SEX, r"intimacy|intimate|ejaculat[^ ]*|erections?|(?:in )?the bedroom|libido"),
    (
        Place.GENITAL,
        r"(?:my )?(?:partner|wife|husband|girlfriend|boyfriend) touch(?:es|ed|ing)? me"
        r"(?: there| down there| down below)?",
    ),
    (Place.SADDLE, r"where (?:my )?(?:underwear|pants|knickers|bikini|swimsuit) (?:goes|go|sits?)"),
    (
        Place.BOTH,
        r"both (?:of )?(?:my |the )?(?:legs?|feet|foot|calf|calves|thighs?|shins?|knees?|ankles?"
        r"|hamstrings?|sides?|heels?|soles?|lower limbs?|limbs?)",
    ),
    (Place.BOTH, r"either (?:leg|foot|side)|other (?:leg|foot|side) (?:too|as well|also|now)"),
    (Place.BOTH, r"left and right(?: (?:legs?|feet|foot|sides?|calf|calves|thighs?))?"),
    (Place.BOTH, r"(?:on |in )?each (?:leg|foot|side|calf|thigh)|on each"),
    (Place.OTHER_LEG, r"(?:good|other|better|healthy|unaffected|normal|opposite) (?:leg|foot)"),
    (Place.BOTH, r"legs|feet|calves|thighs|shins|knees|ankles|hamstrings"),
    (Place.BOTH, r"(?:from |below )?(?:the |my )?waist(?: down)?"),
    (Place.BOTH, r"from (?:the |my )?(?:bum|bottom|buttocks?|hips?) down"),
    (Place.LEG, r"(?:big|little|small|middle) toes?|leg|foot|toes?|calf|shin|heel|thigh|knee"),
    (Place.LEG, r"ankle|sole|instep|hamstring|hip|arch"),
    (Place.OTHER, rf"{_BACK}|hands?|arms?|fingers?|thumbs?|face|lips?|tongue|cheeks?|neck"),
    (Place.OTHER, r"shoulders?|head|chest|stomach|tummy|belly|wrists?|elbows?|jaw|mouth"),
    (Place.BLADDER, r"bladder|urine|urinat[^ ]*|urinary|wee|wees|weeing|wee'd|weed|pee|pees"),
    (Place.BLADDER, r"peeing|pee'd|peed|piss(?:ing)?|pass(?:ing)? water|water ?works|my water"),
    (Place.BLADDER, r"number (?:ones?|1s?)|tinkle|piddle|widdle|stream|(?:urine|pee|wee) flow"),
    (
        Place.BOWEL,
        r"bowels?|poo|poos|pooing|poop|pooping|pooed|pooped|stools?|number (?:twos?|2s?)|faeces"
        r"|feces",
    ),
    (Place.BOWEL, r"diarrh(?:o)?ea|the runs|loose stools?"),
    (
        Place.BOWEL,
        r"faecal|fecal|motions?|constipat[^ ]*|(?:break|breaking|broke|pass|passing) wind"
        r"|fart[^ ]*",
    ),
    (
        Place.TOILET,
        r"(?:need|needed|needing|have|had|want|wanted|must|got|gotta) to go"
        r"(?! (?:out|for|to|and|home|back|shopping))|must go",
    ),
    (Place.TOILET, r"myself go(?:ing)?|go for a (?:wee|pee|poo|number)|urge to go"),
    (Place.TOILET, r"(?:after|before|when) i (?:go|went|have been|finish|get there)"),
    (Place.BLADDER, r"spend(?:ing)? a penny|(?:the|my) flow|tena(?: pads?)?"),
    (
        Place.TOILET,
        r"(?:the )?(?:toilets?|loos?|bathroom|ladies|gents|lav|lavatory|wc|restroom|washroom"
        r"|commode|potty)(?! (?:paper|roll|tissue|seat))",
    ),
)
PLACE_RX = re.compile(  # searched like `rx`, in the note with a space before it
    r" (?:"
    + "|".join(f"(?P<p{i}>{rx})" for i, (_, rx) in enumerate(PLACES))
    + r")(?:'s)?(?![^ ])"  # "my bum's numb"
)

Codes = tuple[str, ...]
NUMB_CODES: dict[Place, Codes] = {
    Place.SADDLE: ("saddle-numbness",),
    Place.PASSAGE: ("saddle-numbness",),
    Place.GENITAL: ("saddle-numbness", "sexual"),
    Place.SEX: ("sexual",),
    Place.BOTH: ("both-legs",),
    Place.OTHER_LEG: ("both-legs",),
    Place.LEG: ("leg-numbness",),
    Place.BLADDER: ("bladder",),
    Place.BOWEL: ("bowel",),
    Place.TOILET: ("bladder", "bowel"),
}
# A change of feeling that does not say both legs ("my bum's not there", "feels odd").
NUMB_NOT_BOTH: dict[Place, Codes] = {
    p: c for p, c in NUMB_CODES.items() if p not in (Place.BOTH, Place.OTHER_LEG)
}
ORGAN_CODES: dict[Place, Codes] = {
    Place.BLADDER: ("bladder",),
    Place.BOWEL: ("bowel",),
    Place.PASSAGE: ("bowel",),
    Place.TOILET: ("bladder", "bowel"),
}


@dataclass(frozen=True, slots=True)
class Near:
    """A symptom word whose sign depends on the nearest place named around it."""

    trigger: re.Pattern[str]
    codes: dict[Place, Codes]
    before: int  # how many words before the symptom word a place may be
    after: int
    alone: Codes = ()  # the signs when no place is named
    unless: re.Pattern[str] | None = None  # words near it that explain it away ("ice pack")
    own_places: bool = True  # whether places inside the symptom words count ("numb foot")
    perceived: bool = False  # "didn't feel the poo come out": not feeling it is no denial


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words that name a sign on their own; `needs` must also be near, `unless` must not."""

    code: str
    rx: re.Pattern[str]
    needs: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    reach: int = 10  # words either side searched for `needs` and `unless`


# "Can't do it", as a note says it once normalised ("unable to", "not able to", "haven't been
# able to" are "can't" by then).
_CANT = (
    r"(?:can't|couldn't|no longer|struggl[^ ]*(?: to)?|hard to|trouble|difficulty|difficult to"
    r"|problems?|hardly)"
)
_FEEL = r"(?:can't|couldn't|no longer|barely|hardly) (?:really |properly |even )?"

_GARMENT = (
    r"(?:pants|knickers|trousers|jeans|underwear|pyjamas|pjs|bed|shorts|sheets|pad|chair|sofa"
    r"|settee|mattress|armchair|nightie|nightdress|clothes|bottoms|pyjama bottoms|leggings"
    r"|tights|nappy|nappies|boxers|briefs|undies|panties|y fronts)"
)
# What else wets or leaks: "leaked a bit of coffee on my trousers", "the roof leaks", "night
# sweats, the bed was soaked".
_SPILT_WORDS = (
    r"coffee|tea|drink|milk|juice|wine|beer|soup|oil|pen|ink|paint|rain|roof|tap|pipe|radiator"
    r"|boiler|mud|cup|mug|glass|bottle|sweat[^ ]*|perspir[^ ]*|hot water bottle"
)
_SPILT = rx(_SPILT_WORDS)
# Words that say the bladder, bowel or sex is as it should be.
_NORMAL = rx(
    r"fine|normal|normally|ok|okay|good|usual|as usual|clear|all clear|all good|sorted|better"
    r"|improved|healthy|no problems?|no issues?|nothing wrong|weight"
)
# ... or someone small's nappy.
_SPILT_OR_LITTLE = rx(
    _SPILT_WORDS,
    r"baby|toddler|puppy|dog|cat|kid|kids|child|grandson|granddaughter",
    # ... or the plumbing: "the loo is leaking", "the toilet cistern is leaking again"
    r"cisterns?|(?:the|our|my|a) (?:loo|toilet|tap|roof)s? (?:is |was |has |have |been |keeps"
    r" |started |still |always |cistern )*leak[^ ]*",
)
_EXPLAINED_NUMB = rx(
    r"ice packs?|icing|iced|frozen peas|cold packs?|(?:after|from|with) (?:the |an |some )?ice"
    r"|cross legged|(?:sitting|sat|sleeping|slept|lying|lay|kneeling|knelt) on (?:it|them)"
    r"|leg day|after (?:the |a |my )?(?:gym|workout|run|race|marathon|training)"
    r"|in the cold|from the cold|cold weather"
)

NEAR: tuple[Near, ...] = (
    Near(  # numbness named as a thing: alone it is taken to be in the leg
        rx(r"numbness|tingling|tingles|pins (?:and )?needles|paraesthesia|paresthesia"),
        NUMB_CODES,
        5,
        5,
        ("leg-numbness",),
    ),
    Near(
        rx(
            r"dentist|injected|anaesthetic|anaesthetised|anesthetized|novocaine|cotton wool"
            r"|rubbery",
            r"(?:feel|feeling|felt|feels) nothing",
            r"numb|numbed|tingly|prickl[^ ]*|(?:no|lost|losing|loss of|lack of|reduced|altered|less"
            r"|lost all|lost the|lost some|lost any|without any) (?:the |all |any )?(?:feeling"
            r"|sensation)",
            r"(?:reduced|altered|less|lost|no|loss of) (?:perianal|peri anal|saddle|genital"
            r"|perineal|skin) (?:feeling|sensation)",
            _FEEL
            + r"(?:anything|feel(?! (?:the |a |any |much )?(?:stretch|pull|difference|benefit)))",
            r"feel anything",
            _FEEL + r"(?:sense|notice)(?: it| anything| a thing)?",
            r"like (?:cardboard|rubber|wood|a block of wood|leather|plastic|cotton wool|a glove)",
            r"(?:like|as if|as though)(?: [^ ]+){0,4}? (?:someone|somebody) else(?:'s)?",
            r"(?:isn't|is not|not|doesn't feel like|don't feel like|doesn't feel) (?:mine|my own"
            r"|part of me)",
        ),
        NUMB_CODES,
        5,
        5,
        unless=_EXPLAINED_NUMB,
    ),
    Near(  # walking on pins, on cotton wool: alone it is taken to be the feet
        rx(
            r"(?:walking|walk|standing|stand|stepping) on (?:pins|needles|glass|cotton wool|sponge"
            r"|marshmallows?|pillows|cushions|air)"
        ),
        NUMB_CODES,
        3,
        4,
        ("leg-numbness",),
    ),
    Near(  # "dead", "fizzy" only right beside a place ("leg went dead"); asleep only if it stays
        rx(
            r"(?:feels?|felt|gone|went|goes|is|keeps going|going) dead|dead|fizzy|fuzzy",
            r"buzz(?:ing|y)|fizzing",
            r"(?:keeps?|kept|keeping) (?:going|falling) (?:to sleep|asleep)",
        ),
        NUMB_CODES,
        2,
        1,
        unless=_EXPLAINED_NUMB,
    ),
    Near(  # asleep and staying so: numbness wherever it is
        rx(r"(?:asleep|to sleep) (?:all|for|since|constantly|again|every|and won't|and doesn't)"),
        NUMB_CODES,
        5,
        2,
        unless=_EXPLAINED_NUMB,
    ),
    Near(  # "like the seat wasn't there", "my bum's not there"
        rx(r"(?:wasn't|isn't|is not|was not|not|aren't|weren't) (?:really |even )?there"),
        NUMB_NOT_BOTH,
        5,
        0,
    ),
    Near(
        rx(
            r"weak|weakness|weaker|weakening|weakened|wobbly|jelly|floppy|flops?|flopping",
            r"(?:no|lost|losing|loss of|lack of) (?:strength|power)",
            r"(?:not|isn't|aren't|wasn't) strong(?: enough)?",
            r"(?:like|as heavy as) lead|leaden",
        ),
        {
            Place.BOTH: ("both-legs",),
            Place.OTHER_LEG: ("both-legs",),
            Place.LEG: ("leg-weaker",),
            Place.BLADDER: ("bladder",),
        },
        5,
        5,
        unless=rx(
            r"leg day|after (?:the |a |my )?(?:gym|workout|run|race|marathon|training|class"
            r"|exercise|spin)",
            r"heights|ladder|nerves|nervous|adrenaline|in love|stage fright|crush|watching"
            r"|when i saw",
            # a long walk, a hike, a hill, the stairs climbed: "walked 5k, legs are jelly"
            r"walked|hiked|hiking|hill ?walk(?:ing)?|(?:a|the|long|big|hill|my|our) (?:walk|hike)"
            r"|[0-9]+ ?(?:k|km|miles?)|miles|after (?:the |a |all the |those )?(?:stairs|hills?"
            r"|climb)",
        ),
    ),
    Near(  # a leg that gives way is weakening, whichever leg
        rx(
            r"(?:won't|wouldn't|doesn't|didn't|can't|couldn't) (?:hold|support|take) (?:me|my"
            r" weight)",
            r"buckl[^ ]*|collaps[^ ]*|(?:went|go|goes|going|gone) from under me",
            r"(?:gave|gives|give|giving|gone|went|going) (?:way(?! to)|out)|let go",
            r"(?:won't|wont|don't|wouldn't|doesn't|didn't) (?:do what i (?:tell|want|ask)|listen"
            r"|obey|cooperate|co operate)",
        ),
        {
            Place.BOTH: ("both-legs", "leg-weaker"),
            Place.OTHER_LEG: ("both-legs",),
            Place.LEG: ("leg-weaker",),
            Place.BLADDER: ("bladder",),
            Place.BOWEL: ("bowel",),
        },
        5,
        5,
    ),
    Near(  # a place that feels strange: a change of feeling, but not in both legs
        rx(
            r"(?:feels?|felt|feeling) (?:really |very |a bit |all )?(?:strange|odd|weird|funny"
            r"|different|wrong)|(?:strange|odd|weird|funny) (?:feeling|sensation)",
            r"(?:doesn't|does not|don't|do not) feel (?:like )?(?:mine|my own|right|normal)",
        ),
        NUMB_NOT_BOTH,
        3,
        3,
    ),
    Near(
        rx(r"pain|pains|painful|sciatica|sciatic|shooting|burning|nerve pain"),
        {Place.BOTH: ("both-legs",)},
        5,
        5,
    ),
    Near(
        rx(
            r"(?:can't|couldn't|no|lost|losing|loss of|poor|struggl[^ ]* to"
            r"|doesn't|don't|won't|didn't|isn't|wouldn't"
            r"|hard to|trouble|without) (?:[^ ]+ ){0,2}?(?:control|controlling|hold|holding"
            r"|(?:stop|stopping)(?! (?:peeing|weeing|urinating))"
            r"|clench|clenching|squeeze|tighten)"
            r"(?! (?:the |a |my )?(?:stretch|pose|position|hold|leg|breath))",
            r"(?:won't|doesn't|can't|couldn't|not|isn't) (?:stay|keep|remain)"
            r" (?:shut|closed|tight)",
        ),
        {**ORGAN_CODES, Place.SADDLE: ("bowel",)},
        8,
        3,
    ),
    Near(
        rx(
            r"(?:can't|couldn't|no longer|don't|didn't|hard to|barely|hardly)"
            r"(?: (?:really|even|always|anymore|any more|now|properly|exactly))*"
            r" (?:feel|tell|sense|know|notice|realise|realize)(?: it)?"
            r"(?: (?:anymore|any more|now|properly))? (?:when|if|that|whether)"
            r"|no idea (?:when|if|whether)|(?:not|never) sure (?:when|if|whether)",
            r"(?:didn't|don't|can't|couldn't|never) (?:know|realise|realize|feel|notice|sense"
            r"|tell) (?:that )?(?:i|i'm|i've|i'd) (?:need|needed|had to|have to|was going to"
            r"|wanted|weeing|peeing|pooing|going|wet|done|gone|pooed|weed|peed|wee'd|soiled"
            r"|messed|had an accident)",
        ),
        ORGAN_CODES,
        0,
        6,
    ),
    Near(  # the warning that one needs to go, lost
        rx(
            r"(?:don't|didn't|no longer|never|can't|couldn't|lost|losing|no) (?:get |have |feel )?"
            r"(?:the |a |any |my )?(?:feeling|sensation|sense|urge|warning|signal|need)",
            r"(?:urge|warning|signal)(?: [^ ]+){0,3}? (?:has |have |is |just )?(?:gone|vanished"
            r"|disappeared|stopped)",
        ),
        ORGAN_CODES,
        6,
        6,
    ),
    Near(
        rx(
            r"before anything (?:happens|comes|came|happened)",
            r"nothing (?:much |would |will |wants to |seems to )?(?:come|comes|came|coming"
            r"|happens|happened|happening)"
            r"(?: out)?",
            r"(?:won't|wont|will not|doesn't|does not|didn't|did not|not|isn't) (?:come|coming"
            r"|start|starting|flow|flowing)(?: out| good| properly)?",
            r"(?:hardly|barely) anything(?: (?:comes|came|coming|out))?",
        ),
        {**ORGAN_CODES, Place.SEX: ("sexual",)},
        8,
        6,
    ),
    Near(  # wee or poo coming out by itself
        rx(
            r"(?:came|comes|coming|come|slip|slips|slipped|slipping|falls?|fell|falling|drops?"
            r"|dropped|dropping|pops?|popped) (?:out|through)"
        ),
        {**ORGAN_CODES, Place.SADDLE: ("bowel",)},
        4,
        4,
        unless=rx(r"fine|ok|okay|normal|normally|easily|properly|no problem|all good"),
        perceived=True,
    ),
    Near(  # a part that stopped working
        rx(
            r"(?:won't|wont|doesn't|does not|didn't|isn't|is not|not|stopped|no longer|never)"
            r" (?:work|working|respond|responding|function|functioning)"
        ),
        {Place.GENITAL: ("sexual",), Place.BLADDER: ("bladder",), Place.BOWEL: ("bowel",)},
        4,
        4,
    ),
    Near(  # going by itself, or not at all
        rx(
            r"on (?:its|it's|their) own|by (?:itself|themselves)|a mind of (?:its|their) own"
            r"|(?:emptied|opened|went|emptying|opening) (?:themselves|itself)"
            r"|of (?:its|their) own accord",
            r"(?:couldn't|can't) go(?! (?:out|to work|for a walk|to the gym"
            r"|shopping|back))",
        ),
        {**ORGAN_CODES, Place.TOILET: ("bladder",)},
        5,
        4,
    ),
    Near(  # wetting or soiling: which, by what is named nearby
        rx(
            r"(?:didn't|did not|couldn't|could not|never|not) (?:quite )?(?:reach|get to|got to)",
            r"(?:before|until|till) i (?:get|got|can get|could get) (?:there|to [^ ]+)|too late",
            r"drip(?:s|ped|ping)?",
            r"dribs and drabs",
            r"(?:didn't|did not|couldn't|could not|never|not) (?:quite )?(?:make|made) it"
            r"(?: to the (?:loo|toilet|bathroom)| in time)?",
            r"(?:didn't|couldn't|never|not|wasn't) (?:get|got|reach|be) (?:there|to [^ ]+"
            r"(?: [^ ]+)?) in time|caught short",
            r"accidents?|trickl[^ ]*|dribbl[^ ]*|everywhere",
            r"without (?:me )?(?:knowing|realising|realizing|noticing|feeling it|any warning"
            r"|warning)",
        ),
        ORGAN_CODES,
        8,
        6,
    ),
    Near(  # leaking: from the bottom, the bowel
        rx(r"leak|leaks|leaked|leaking|leakage|escap(?:e|es|ed|ing)|seep[^ ]*"),
        {**ORGAN_CODES, Place.SADDLE: ("bowel",)},
        8,
        6,
        unless=_SPILT_OR_LITTLE,
    ),
    Near(  # asleep: between the legs it is numbness, even once
        rx(r"asleep|(?:goes|gone|went|going) to sleep"),
        {
            Place.SADDLE: ("saddle-numbness",),
            Place.PASSAGE: ("saddle-numbness",),
            Place.GENITAL: ("saddle-numbness", "sexual"),
        },
        5,
        3,
    ),
    Near(  # "like when your foot goes to sleep": the place of the likeness does not count
        rx(
            r"like (?:when )?(?:your|a|my|you've got a) (?:foot|leg|arm|hand)(?: has)? (?:goes|gone"
            r"|went|is|falls|fallen|going) (?:to sleep|asleep|dead|numb)|like a dead (?:leg|arm)"
        ),
        {**NUMB_NOT_BOTH, Place.OTHER_LEG: NUMB_CODES[Place.OTHER_LEG]},
        4,
        3,
        own_places=False,
    ),
    Near(  # the bladder or bowel named near other words for its trouble
        rx(
            r"trickl[^ ]*|dribbl[^ ]*|strain[^ ]*|haywire|stops? and starts?|stop start"
            r"|(?:gone|going|went|acting|playing) (?:wrong|funny|strange|weird|odd|haywire|up)"
            r"|packed (?:in|up)|given up|gave up|stopped working|stops? halfway|stops? mid ?way"
            r"|not right|catheter[^ ]*|(?:can't|couldn't) (?:seem to )?(?:start|finish"
            r"|stop(?! (?:peeing|weeing|urinating)))"
        ),
        {Place.BLADDER: ("bladder",), Place.BOWEL: ("bowel",)},
        6,
        6,
        unless=_NORMAL,
    ),
    Near(  # changing clothes for it: "had to change my pants because of poo"
        rx(rf"(?:change|changing|changed) (?:my |the )?{_GARMENT}"),
        ORGAN_CODES,
        6,
        6,
        unless=_SPILT,
    ),
    Near(  # pads for it: "having to wear pads for my back passage"
        rx(r"(?:wear|wearing|wore|need|needing|use|using) (?:a |incontinence )?pads?"),
        ORGAN_CODES,
        6,
        6,
        unless=_NORMAL,
    ),
    Near(  # the waterworks only: slow to pass
        rx(
            r"forever|ages|an age|an eternity|so long|wait and wait|drop by drop|in drops"
            r"|drops only|took (?:[^ ]+ ){0,2}(?:minutes|mins|ages|forever) to (?:start|come|get"
            r" going)"
        ),
        {Place.BLADDER: ("bladder",)},
        6,
        6,
        unless=_NORMAL,
    ),
    Near(  # "lost my bladder", "weak erections", "my bum doesn't hold"
        rx(r"lost|losing|lose|weak|weaker|feeble"),
        {
            Place.BLADDER: ("bladder",),
            Place.BOWEL: ("bowel",),
            Place.SEX: ("sexual",),
            Place.GENITAL: ("sexual",),
        },
        3,
        2,
        unless=_NORMAL,
    ),
    Near(  # pressing on the belly to pass urine: the belly pressed does not count as the place
        rx(
            r"(?:(?:have|had|having|need|must) to )?press(?:ing)? (?:on|down on) (?:my |the )?"
            r"(?:lower |low )?(?:tummy|stomach|belly|bladder|abdomen)"
        ),
        {Place.BLADDER: ("bladder",)},
        6,
        8,
        own_places=False,
    ),
    Near(  # straining to pass urine
        rx(
            r"(?:have|had|having|need|must) to (?:push|strain|force|press)|push(?:ing)? to"
            r" (?:get|start)|must (?:push|strain|press)",
        ),
        {Place.BLADDER: ("bladder",)},
        6,
        8,
    ),
)

_BLADDER_VERB = (
    r"(?:pee|wee|peeing|weeing|urinat[^ ]*|pass(?:ing)? (?:urine|water)"
    r"|empty(?:ing)? (?:my |the )?bladder)"
)
_FILL = (
    r"(?: (?:really|properly|fully|even|start|stop|starting|stopping|to|a|go|going|get|getting"
    r"|for|seem|seems|quite|always|ever|actually|in|with|right)){0,3}"
)
_ODD = (
    r"(?:different|weird|strange|funny|odd|wrong|numb|off|a mess|a struggle|a battle|an effort"
    r"|hard work|difficult|slow|weak"
    r"|(?:not|isn't|aren't|doesn't feel|don't feel) (?:right|working|normal))"
)
_BE = (
    r"(?:(?:is|are|has|have|had|feels?|felt|gone|went|seems?|been|keeps?|got|getting|become"
    r"|became|all|a bit|really|very|gone all|acting) )*"
)
_NIGHT = rx(r"night|nights|bed|sleep|asleep|sleeping|[0-9]+ ?am|lying|lie|lay|overnight")
_DIET = rx(
    r"diet|dieting|diets|slimming|on purpose|deliberately|intentionally|trying|tried|meant to"
    r"|meaning to|weight watchers|calories|fasting|keto|ozempic|wegovy|mounjaro"
)
_UNEASED = rx(
    r"nothing|no position|whatever|doesn't|does not|won't|no matter|can't|constant|every night"
    r"|all night|unbearable|agony|no relief"
)

PHRASES: tuple[Phrase, ...] = (
    Phrase(  # not stopping once started, unless it is passing more, from tablets or drink
        "bladder",
        rx(rf"(?:can't|couldn't) stop {_BLADDER_VERB}"),
        unless=rx(
            r"tablets?|pills?|medication|meds|diuretics?|drinking|drank|drink|tea|coffee|beer"
            r"|pints?|lager|cider|wine|water"
        ),
        reach=8,
    ),
    Phrase(
        "bladder",
        rx(
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
            r"(?:pee|wee|urine)(?: just| still)? (?:won't|wont|will not|doesn't|does not|didn't)"
            r" (?:come|start|flow)",
            r"(?:i keep|i'm|i am|i've been|keep|still) (?:dripping|dribbling)",
            r"(?:i keep|i'm|i am|i've been|keep|still) leak(?:ing)?(?=$| (?:when|if|a bit|a little"
            r"|again|all|every|today|now|urine|wee|pee)(?![^ ]))",
            r"(?:retention|retaining) (?:of )?urine",
            rf"(?!(?:can't|couldn't) stop ){_CANT}{_FILL} {_BLADDER_VERB}",
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
        unless=_SPILT,
        reach=6,
    ),
    Phrase(
        "bowel",
        rx(
            rf"(?:pooed|pooped|poo'd|pood|poo'ed|shat|shit|soiled|messed|crapped|pooing|pooping"
            rf"|soiling) (?:myself|my self|my {_GARMENT}|the bed|in bed)",
            r"soiled (?:my |the )?(?:pants|underwear|knickers|trousers|clothes|sheets|bed)",
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
    Phrase("saddle-numbness", rx(r"saddle (?:numbness|anaesthesia|anesthesia|paraesthesia)")),
    Phrase(  # "like sitting on nothing", "like I'm sat on cotton wool"
        "saddle-numbness",
        rx(r"(?:like|as if|as though) (?:i'm |im |i am |i was |i were |i )?(?:sitting|sat|sit) on"),
        unless=rx(r"cloud|clouds|comfy|comfortable|throne|pins"),
        reach=4,
    ),
    Phrase(
        "sexual",
        rx(
            rf"(?:{_CANT}|difficulties|issues?) (?:get|getting|keep|keeping|maintain"
            r"|maintaining|stay|staying|have|having|achieve|achieving)(?: an?)? (?:erections?|hard"
            r"|it up|stiffy|boner|hard on|erect)",
            r"(?:no|new|lost|losing|loss of|weak|fewer|lose|lose my|lost my|losing my)"
            r" (?:morning |night |nighttime |proper |real |decent |the )?(?:erections?"
            r"|stiff(?:y|ies)|boners?|hard ?ons?|morning glory)"
            r"(?! (?:problems?|issues?|trouble|worries|difficult[^ ]*))",
            r"erections? (?:goes|go|going|went|gone|is going|keeps going|keep going) (?:soft"
            r"|floppy|down)|erections? (?:won't|doesn't|don't) (?:last|stay)",
            r"erections? (?:fades?|fading|dies|dying|disappears|wilts|droops|goes away|won't"
            r" come|doesn't come)",
            r"(?:ejaculation|orgasms?|climax|erections?) (?:is |are )?(?:not|isn't|aren't|never"
            r"|won't|doesn't|don't) (?:happening|happen|coming|come)",
            r"it (?:won't|doesn't|will not|can't) (?:stand up|get up|rise)(?= (?:anymore|any more"
            r"|for me|properly|now))",
            r"sexual (?:function|response|feeling|sensation|performance)(?: [^ ]+){0,2}? (?:gone"
            r"|lost|changed|different|stopped|problems?|issues?|not right)",
            r"(?:lost|no|loss of|changed|reduced|lack of) (?:my |all )?sexual (?:function|response"
            r"|feeling|sensation)",
            r"erections? (?:have |has )?(?:stopped|gone|disappeared)",
            r"erections? (?:is |are |has been |have been )?(?:impossible|difficult|hard|a problem"
            r"|a struggle|not happening|rare)",
            r"erect(?:ion|ions|ile) (?:problems?|issues?|trouble|dysfunction|difficult[^ ]*"
            r"|failure)",
            r"impoten[^ ]*",
            rf"{_CANT} (?:ejaculat[^ ]*|climax[^ ]*|orgasm[^ ]*|cum)",
            rf"(?:sex|intercourse) {_BE}(?:different|numb|strange|weird|not the same)",
        ),
    ),
    Phrase(
        "both-legs",
        rx(
            r"bilateral",
            r"same (?:pain|thing|symptoms|feeling|numbness|tingling|sciatica) (?:as|in) (?:the|my)"
            r" (?:left|right|other)(?: (?:leg|one|foot))?(?! (?:side|arm|hand|shoulder|back|hip"
            r"|knee"
            r"|eye|ear|elbow))",
            r"(?:it's|its|it is|it|pain|sciatica|spread[^ ]*|moved|gone|going|started|now|numbness"
            r"|tingling)(?: [^ ]+){0,2} (?:in|into|to|down) (?:my |the )?(?:right|left|other)"
            r" (?:leg|side|foot) (?:as well|too|also|now)",
            r"(?:spread[^ ]*|moved|gone|going|started|travel[^ ]*|jumped) (?:in|into|to|down"
            r"|across) (?:my |the )?(?:other (?:leg|side)|both (?:legs|sides|feet)"
            r"|each (?:leg|side))",
        ),
    ),
    Phrase(
        "leg-weaker",
        rx(
            r"(?:foot|feet|toes?) (?:is |are |keeps |keep |kept |has been |started |just"
            r" )?(?:slap[^ ]*"
            r"|drop(?:s|ped|ping)?|flop[^ ]*|flap[^ ]*|catch[^ ]*|scuff[^ ]*|drag[^ ]*)",
            r"(?:flapp?ing|slapp?ing|floppy|dropping|dragging) (?:my |the )?(?:left |right )?"
            r"(?:foot|feet)",
            r"slap[^ ]* (?:down|on the (?:ground|floor|pavement))|drop(?:ped)? foot|floppy foot",
            rf"{_CANT}"
            r" (?:lift|raise|lifting|raising|pull up|pulling up|bend up|point|flex|move|wiggle"
            r"|bend)"
            r" (?:up )?(?:the )?(?:(?:front|top|tip|ball|end|toes) of )?(?:my |the )?(?:left"
            r" |right )?(?:foot|feet|toes?|ankle|big toe)",
            r"drag[^ ]* (?:my |the )?(?:left |right )?(?:foot|leg|toes)",
            r"trip[^ ]* (?:over|on) (?:my )?(?:own )?(?:left |right )?(?:foot|feet|toes?)",
            r"trip[^ ]* (?:over|on) nothing",
            r"(?:toes?|foot|feet) (?:don't|doesn't|won't|can't|do not|does not) clear (?:the )?"
            r"(?:ground|floor|kerb|curb|step|steps|carpet)",
            r"scuff[^ ]*|catch[^ ]* (?:my |the )?(?:left |right )?(?:toes?|foot|feet)",
            rf"{_CANT}"
            r" (?:stand|standing|walk|walking|go|going|get|getting|rise|rising|balance|balancing"
            r"|push)"
            r" (?:up )?on (?:my |the )?(?:left |right )?(?:tip ?toes?|tiptoes?|toes|heels?)",
            rf"{_CANT} (?:tip ?toe"
            r"|tiptoe)",
            rf"{_CANT} push off",
            r"slap[^ ]* (?:my |the )?(?:left |right )?(?:foot|feet)",
            r"(?:foot|feet|toes?|ankle) (?:won't|wont|doesn't|can't|will not|does not) (?:lift|go"
            r" up"
            r"|come up|move|bend|pull up|point up|point|flex|rise|raise)",
            r"(?:buckl|collaps)[^ ]* under me|(?:went|go|goes|going|gone) from under me",
        ),
    ),
    Phrase(
        "leg-weaker",
        rx(r"(?:gave|gives|give|giving|gone|went|going) way(?! to)"),
        needs=rx(
            r"legs?|knees?|foot|ankles?|hips?|under me|fell|fall|falling|stairs|steps|floor"
            r"|ground|nearly|collaps[^ ]*|down"
        ),
        reach=6,
    ),
    Phrase(
        "unwell",
        rx(
            r"fever[^ ]*|high (?:temp|temperature)|unwell|chills?|shivery|shivers|rigou?rs"
            r"|(?:night )?sweats",
            r"shivering(?! (?:at (?!night)|on|outside|waiting|in the (?:rain|cold|wind|snow)))",
            r"(?:a|got a|have a|had a|running a|with a|spiked a) (?:high |slight |bit of a |little"
            r" )?"
            r"(?:temp|temperature)",
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
            r"hot and cold(?! (?:water|tap|taps|shower|drinks?|weather|food|packs?))",
            r"(?:boiling|roasting|burning up)(?: hot)? (?:and|then) (?:freezing|cold|shivering)",
            r"burning up",
        ),
    ),
    Phrase(
        "weight-loss",
        rx(
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
        unless=_DIET,
    ),
    Phrase(
        "night-pain",
        rx(
            r"(?:pain|it|sciatica|leg|back|ache|aching|throbbing|burning|this)(?: [^ ]+){0,5}?"
            r" (?:keeps |kept |still |always |is )?(?:wakes?|woke|waking|wakening) me(?: up)?",
            r"(?:wakes?|woke|waking|woken) me(?: up)? (?:at|in the|every|during the|through the"
            r"|all)"
            r" night",
            r"(?:woken|woke|waking|awoken)(?: up)?(?: [^ ]+){0,2}? (?:by|because of|due to) (?:the"
            r" |my )?"
            r"(?:pain|sciatica)",
            r"awake(?: [^ ]+){0,3}? with (?:the |my )?(?:pain|sciatica|it)",
            rf"{_CANT} (?:get to |go"
            r" to "
            r"|get back to )?sleep (?:for|because of|with|from|due to|through|cos of|because)"
            r" (?:the |my )?"
            r"(?:pain|it|sciatica|leg|back)",
            r"(?:night|nighttime|night time) (?:pain|pains|sciatica)",
            rf"{_CANT} (?:lie|lay|stay|sleep) (?:down "
            r"|flat "
            r"|still )?(?:in bed )?(?:for|because of|with|from|due to) (?:the |my )?(?:pain"
            r"|sciatica)",
            r"(?:pain|agony|aching|throbbing)(?: [^ ]+){0,2}? (?:at|from|since|until|till|around"
            r"|about|by) (?:1[12]|[1-5]) ?am",
            r"(?:pain|agony)(?: [^ ]+){0,2}? (?:in the )?(?:middle of the night|small hours"
            r"|early hours)",
        ),
    ),
    Phrase(  # awake at night: for the pain, not a party, coffee or a baby
        "night-pain",
        rx(
            r"(?:kept|keeping|keeps|keep) me (?:up|awake)",
            r"(?:up|awake|lay awake|lie awake|lying awake) (?:all|most of the|half the|much of the"
            r"|every) night",
            r"(?:awake|up|woke|woken)(?: [^ ]+){0,2}? (?:in the )?(?:middle of the night"
            r"|small hours|early hours)",
        ),
        needs=rx(
            r"pain|pains|painful|agony|sciatica|ache|aches|aching|throbbing|burning|hurt[^ ]*"
            r"|sore|leg|legs|back|hip|it"
        ),
        unless=rx(r"baby|storm|noise|noisy|neighbours?|party|coffee|caffeine"),
        reach=8,
    ),
    Phrase(
        "night-pain",
        rx(
            r"(?:no|whatever|any|every|which ?ever|no matter what|no comfortable) position",
            r"no matter (?:how|which way|what way) i (?:lie|lay|sit|turn|sleep)",
            r"turning over (?:doesn't|does not|didn't|won't) help|(?:can't|couldn't) get"
            r" comfortable",
        ),
        needs=_NIGHT,
    ),
    Phrase(
        "night-pain",
        rx(
            r"(?:night|nights|night time|nighttime|bedtime) (?:is |are )?(?:the )?(?:worst|awful"
            r"|unbearable|agony|hell)",
            r"(?:worst|worse|bad|unbearable|agony|pain|there|awful|constant) (?:at|in the|during"
            r" the|through the|all|every) night",
        ),
        needs=_UNEASED,
        reach=8,
    ),
    Phrase(
        "night-pain",
        rx(
            r"(?:up|awake|woke|woken|waking|wake)(?: up)? (?:at|from|since|till|until|by|around"
            r"|about)"
            r" [0-9]+ ?(?:am)?",
        ),
        needs=rx(r"every night|each night|nightly|with (?:the )?pain|with it|in pain"),
        reach=6,
    ),
    Phrase(
        "bladder",
        rx(rf"(?:wet|soaked|damp|soggy|sodden) (?:the |my )?{_GARMENT}"),
        unless=rx(
            r"sweat[^ ]*|rain[^ ]*|shower|bath|swim[^ ]*|wash[^ ]*|spil[^ ]*|tea|coffee|drink"
            r"|dog|cat|baby|puppy"
        ),
        reach=8,
    ),
    Phrase(
        "bladder",
        rx(
            r"(?:weak|slow|poor|feeble|thin|stop start|stop and start|interrupted) (?:stream"
            r"|flow)",
            r"(?:stream|flow) (?:is |was |has been |very |really |so |quite )*(?:weak|slow|poor"
            r"|feeble|a trickle|stops|stopping|stop start|dribbl[^ ]*|pathetic|rubbish|useless"
            r"|terrible|awful|hopeless|not what it was)",
            r"(?:haven't|hasn't|not|didn't|did not|can't|couldn't)"
            r" (?:had |passed |done |have |pass |do |been for )?(?:a |any )?(?:wee|pee|urine"
            r"|water|wees) (?:since|for [0-9a-z]+ hours|all day|in [0-9]+)",
            r"(?:not|no|haven't|hasn't) (?:peed|weed|urinated|been for a (?:wee|pee)) (?:since"
            r"|for|all day|in)",
        ),
    ),
    Phrase(
        "bladder",
        rx(
            r"bladder (?:feels |is |always |still |constantly )*(?:full|like a balloon|bursting"
            r"|never empty|heavy|stretched)",
        ),
        needs=rx(
            r"all the time|always|constantly|still|but|never|hardly|barely|only|even after"
            r"|woke|since|wet|weak|slow|poor|feeble|stops|stop|trickle|dribbl[^ ]*|start"
            r"|hours|all day|not|haven't|didn't|couldn't|no"
        ),
        reach=8,
    ),
    Phrase(  # not emptying, a dribble only: when it is about passing water
        "bladder",
        rx(
            r"(?:can't|couldn't|not|never|don't|doesn't|didn't) (?:really |properly"
            r" |fully |completely |quite )?(?:empty|emptied|emptying)(?! (?:the|a|my (?!bladder)"
            r"|his|her|bins?|dishwasher))",
            r"(?:(?:not|never|don't|can't|couldn't) )?(?:sure|tell|know|certain|feel|feels|felt)"
            r" (?:if |whether |that |when |like )?"
            r"(?:i've|i have|i|it's|it has|it|i'm) (?:not |haven't |hasn't |never |fully |properly"
            r" |completely )*(?:emptied"
            r"|empty|finished|done)",
            r"(?:only|hardly|barely|just) (?:get |gets |got |manage |managed |comes |came |a )*"
            r"(?:a )?(?:dribble|trickle|drops?|few drops|tiny bit|little bit|tiny amount|dribbles"
            r"|bit|little|drip|splash)(?: (?:comes|came|coming|out))?",
        ),
        needs=rx(
            r"wee|pee|peeing|weeing|bladder|urine|urinate|water|waterworks|toilet|loo|go|going"
            r"|been|stream|flow"
        ),
        reach=8,
    ),
    Phrase(
        "bowel",
        rx(
            rf"(?:poo|poop|stool|faeces|feces|mess|number two|number 2|skid marks?) (?:in|on)"
            rf" (?:my |the )?{_GARMENT}",
            r"(?:leak[^ ]*|mess[^ ]*|accidents?|soil[^ ]*|poo[^ ]*) from (?:my |the )?(?:behind"
            r"|bum|bottom|back passage|back end|rear|backside|anus)",
            rf"{_CANT} (?:open|move|empty) (?:my )?bowels?",
            r"bowels? (?:opened|open|went|moved|emptied|go|going|moving) (?:on their own"
            r"|by themselves|without (?:me|warning|any warning))",
            r"skid marks?(?! on the)",
        ),
    ),
    Phrase(
        "sexual",
        rx(
            r"(?:nothing|not|no action) (?:is )?(?:happening|happens|working|works|stirring|stirs"
            r"|responding|responds|doing anything) (?:down ?stairs|down there|down below|in the"
            r" bedroom|in bed|in that department)",
            r"(?:nothing (?:happening |doing |going on )?(?:in|from) the )?(?:down ?stairs|bedroom"
            r"|trousers?) department",
            r"(?:sex|intercourse|making love|orgasms?) (?:doesn't|does not|don't|didn't) feel"
            r" (?:like )?(?:anything|much|the same|right|normal)",
            rf"{_CANT} (?:stay|get|keep) (?:hard|stiff)",
        ),
    ),
    Phrase(
        "sexual",
        rx(
            rf"(?:{_CANT}|never)"
            r" (?:come|coming|finish|finishing|cum|climax|orgasm|ejaculate)"
        ),
        needs=rx(
            r"sex|bed|wife|husband|partner|girlfriend|boyfriend|last night|love|bedroom"
            r"|intimate|intimacy|orgasm|masturbat[^ ]*|erection|hard"
        ),
        reach=8,
    ),
    Phrase(  # the sign moved across to the other leg
        "both-legs",
        rx(r"(?:across |over )?(?:to|into|down|in) (?:my |the )?other (?:leg|foot|calf|thigh)"),
        needs=rx(
            r"pain|sciatica|numb[^ ]*|tingl[^ ]*|weak[^ ]*|spread[^ ]*|jump[^ ]*|moved|travel[^ ]*"
            r"|started|it's|its|now|pins"
        ),
        unless=rx(r"stretch[^ ]*|holds?|switch[^ ]*|swap[^ ]*|changed|change over|then did"),
        reach=6,
    ),
    Phrase(
        "unwell",
        rx(
            r"(?:thermometer|temp|temperature|fever)(?: [^ ]+){0,3}? (?:3[89]|4[0-2])(?![0-9])",
            r"(?:temp|temperature) (?:is |was |very |really |quite |so |running |gone |still )*"
            r"(?:high|raised|up|through the roof|sky high)",
            r"temp(?:erature)? (?:of |is |was |at |up to |reached |hit )?(?:3[89]|4[0-2])(?![0-9])",
            r"(?:3[89]|4[0-2])(?: [0-9])? ?(?:c |degrees )?(?:temp|temperature|fever)",
            r"(?:3[89]|4[01]) (?:point )?[0-9](?: c| degrees)?",
            r"(?:10[0-4])(?: [0-9])? ?(?:f|degrees|fahrenheit)",
        ),
        # the temperature of a room, a bath or the weather: "room temp 39 in the greenhouse"
        unless=rx(
            r"rooms?|greenhouse|bath|bathwater|oven|outside|outdoors|weather|forecast|car|house"
            r"|kitchen|fridge|freezer|pool|shower|sun|sunny|heat ?wave|garden|office|sauna"
            r"|hot tub|thermostat|heating"
        ),
        reach=6,
    ),
    Phrase(
        "weight-loss",
        rx(
            r"(?:[0-9]+ ?|a few |a couple of |some |several )?(?:kg|kgs|kilos?|kilograms?|lbs?"
            r"|pounds|stones?) (?:lighter|less|down|off)",
            r"(?:lighter|thinner|skinnier) than (?:last|a|before|i was|usual|ever|i've)",
            r"(?:weigh|weighing|weight is) (?:much |a lot |far )?less than",
        ),
        unless=_DIET,
    ),
    Phrase(
        "night-pain",
        rx(
            r"(?:woke|woken|waking|wake|wakes|awoke|awake)(?: [^ ]+){0,5}? (?:pain|pains|agony"
            r"|sciatica|aching|throbbing|burning|screaming|killing|on fire)",
            r"(?:haven't|not|hardly|barely|couldn't|can't|didn't|no) (?:really |properly"
            r" |had any |got any |any )?(?:slept|sleep|sleeping)(?: [^ ]+){0,5}? (?:because of"
            r"|because|for|from|with|due to|cos of|cos|thanks to) (?:the |my |this )?(?:pain"
            r"|agony|sciatica|leg|back|ache|aching|throbbing|it)",
            r"(?:lying|lie|lay|laying)(?: down| flat| in bed)?(?: at night| in bed)? (?:makes|made"
            r"|make) (?:it|the pain"
            r"|my pain|the sciatica|things|everything|my leg)(?: so| much| far| even| a lot)*"
            r" (?:worse"
            r"|unbearable|agony)",
            r"(?:worse|unbearable|agony|excruciating) (?:when |if |whenever )?(?:i )?(?:lie"
            r"|lying|lay) (?:down|flat)",
            r"(?:pain|it|ache|sciatica|throbbing)(?: [^ ]+){0,2}? (?:doesn't|does not|won't|never"
            r"|didn't) (?:let up|ease|settle|stop|calm down|go away)(?: [^ ]+){0,2}? (?:at night"
            r"|all night|in bed|overnight|through the night)",
            r"(?:pain|ache|sciatica|throbbing) (?:at night|in the night|overnight|in bed)(?: [^ ]+)"
            r"{0,2}? (?:doesn't|does not|won't|never|didn't) (?:let up|ease|settle|stop|go)",
            r"(?:up|awake|get up|got up|getting up) (?:in|during) the night (?:because|with|from"
            r"|due to|cos)(?: [^ ]+){0,3}? (?:pain|sciatica|ache|agony|leg|it)",
        ),
        unless=rx(r"no pain|pain free|without pain|less pain|no sciatica|cramp"),
        reach=6,
    ),
    Phrase(  # leaking when coughing or standing: the bladder, unless the bowel is named
        "bladder",
        rx(
            r"(?:leak[^ ]*|dribbl[^ ]*|wet myself|trickl[^ ]*)(?: [^ ]+){0,3}? (?:when|every time"
            r"|whenever|if|as) (?:i )?(?:stand|cough|sneeze|laugh|move|bend|lift|walk|get up"
            r"|coughed|sneezed|laughed|stood)[^ ]*"
        ),
        unless=rx(r"poo|bowels?|stool|behind|bottom|back passage|roof|tap|pipe|radiator|boiler"),
        reach=8,
    ),
    Phrase("bladder", rx(r"catheter[^ ]*"), unless=rx(r"heart|cardiac|angio[^ ]*|stent"), reach=8),
    Phrase(
        "sexual",
        rx(rf"(?:{_CANT}|no|not) (?:get |getting |be |feel |feeling |any )?(?:aroused|arousal)"),
    ),
    Phrase(
        "leg-weaker",
        rx(
            r"(?:knees?|legs?|ankles?) (?:keeps |kept |keep )?(?:giving|gives)"
            r"(?! (?:me|up|it|a|the))"
        ),
    ),
    Phrase(
        "night-pain",
        rx(r"sleepless nights?|no sleep|not slept|didn't sleep|hardly slept|barely slept"),
        needs=rx(r"pain|agony|sciatica|ache|aching|throbbing|burning|leg|back|hurt[^ ]*"),
        unless=rx(r"baby|storm|noise|noisy|neighbours|party|excited|worried|worry|stress[^ ]*"),
        reach=6,
    ),
    Phrase("bladder", rx(r"(?:it was|it's|it is|must have been|think it was) (?:wee|pee|urine)")),
    Phrase(
        "bladder",
        rx(r"(?:in case|incase) i (?:leak|wet|have an accident|pee|wee|dribble)"),
    ),
    Phrase(
        "bladder",
        rx(rf"(?:accidents?|leak[^ ]*|wet) (?:in|into|on|onto|through) (?:my |the )?{_GARMENT}"),
        unless=_SPILT,
        reach=6,
    ),
    Phrase(
        "bowel",
        rx(
            rf"(?:accidents?|mess|messed) (?:in|into) (?:my |the )?{_GARMENT}",
            rf"(?:streaks?|skid ?marks?|brown (?:marks?|stains?)|soiling|poo marks?) (?:in|on)"
            rf" (?:my |the )?{_GARMENT}",
        ),
        unless=_SPILT,
        reach=6,
    ),
    Phrase(
        "both-legs",
        rx(
            r"(?:doing|does|did|feels?|feeling|felt|is|now) (?:just )?(?:the same(?: thing)?"
            r"|exactly the same"
            r"|like) (?:as )?(?:my |the )?(?:left|right|other)(?: (?:one|leg|foot|side))?"
        ),
        needs=rx(r"numb[^ ]*|tingl[^ ]*|weak[^ ]*|pain|sciatica|dead|heavy|pins"),
        reach=6,
    ),
    Phrase(
        "night-pain",
        rx(
            r"(?:haven't|not|hardly|barely|couldn't|can't|didn't|no)(?: [^ ]+){0,4}?"
            r" (?:slept|sleep|sleeping)(?: [^ ]+){0,5}? (?:because of|because|for|from|with"
            r"|due to|cos of|cos|thanks to) (?:the |my |this )?(?:pain|agony|sciatica|ache"
            r"|aching|throbbing)",
            rf"{_CANT} (?:sleep|settle|get comfy|get"
            r" comfortable|lie|lay)(?: (?:down|flat|still))? (?:at night|in bed|overnight"
            r"|all night)",
        ),
        needs=rx(r"pain|agony|sciatica|ache|aching|throbbing|hurt[^ ]*|too bad|it"),
        unless=rx(r"no trouble|no problem|despite|even with|in spite|cramp|fine|well"),
        reach=8,
    ),
    Phrase(
        "night-pain",
        rx(
            r"(?:worst|unbearable|agony|excruciating|awful|terrible|torture|hell)(?: [^ ]+){0,2}?"
            r" (?:at|in the|during the|through the|all|every) night",
            r"(?:lying|lie|lay|laying) (?:in bed|down|flat)(?: at night)? (?:is |was |are )?"
            r"(?:agony|unbearable|excruciating|hell|torture|impossible|so painful)",
        ),
        unless=rx(r"better|easier|improv[^ ]*|no longer|not as|less"),
        reach=6,
    ),
    Phrase(
        "bladder",
        rx(
            r"(?:keep|kept|keeps|been|i'm|am|started) wetting(?! (?:the |my )?(?:hair|face|flannel"
            r"|cloth|towel|sponge|plants?|lips))",
            r"tena(?: pads?| lady| men)?|incontinence pads?",
            r"(?:damp|wet|soaked|soggy)(?: [^ ]+)? (?:down there|down below|between my legs)",
        ),
        unless=_SPILT,
        reach=6,
    ),
    Phrase(  # "the right leg has started too", "only the left before"
        "both-legs",
        rx(
            r"(?:right|left|other|good) (?:leg|foot|side|one)(?: [^ ]+){0,3}? (?:too|as well|also)"
            r"(?: now)?",
            r"(?:it was|was) only (?:in )?(?:the|my) (?:left|right)(?: [^ ]+)? (?:before|until)",
        ),
        needs=rx(r"numb[^ ]*|tingl[^ ]*|weak[^ ]*|pain|sciatica|dead|heavy|pins|started|spread"),
        unless=rx(r"stretch[^ ]*|holds?|switch[^ ]*|swap[^ ]*|fine|ok|okay|normal|good"),
        reach=6,
    ),
    Phrase(
        "bladder",
        rx(
            r"wet (?:patch|patches|spot|mark)(?:es)? (?:on|in) (?:the |my )?(?:sofa|chair|seat"
            r"|settee|bed|mattress|sheets|car seat|trousers|jeans|pants|skirt|armchair)"
        ),
        unless=_SPILT,
        reach=6,
    ),
    Phrase(  # "numb from the bum down": the seat and both legs
        "saddle-numbness",
        rx(r"from (?:the |my )?(?:bum|bottom|buttocks?|backside) down"),
        needs=rx(r"numb[^ ]*|tingl[^ ]*|no feeling|dead|pins"),
        reach=6,
    ),
    Phrase(
        "sexual",
        rx(rf"{_CANT} perform(?! (?:my|the|a|any))"),
        needs=rx(r"bed|sex|wife|husband|partner|bedroom|intimate|intimacy|love|girlfriend"),
        reach=8,
    ),
    Phrase(  # not getting it all out: when it is about passing water
        "bladder",
        rx(r"(?:can't|couldn't|never|not) (?:seem to )?get (?:it |everything )?all out"),
        needs=rx(r"wee|pee|peeing|weeing|bladder|urine|water|toilet|loo|waterworks"),
        reach=8,
    ),
)
