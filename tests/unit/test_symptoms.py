"""Warning signs in free text: recall and false alarms on labelled notes, each rule's ends,
denials, normalisation, and that any text at all is read without an error."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcoach.domain.safety import QUESTIONS, Care
from stretchcoach.domain.symptoms import CODES, Symptom, normalise, recognise
from stretchcoach.domain.symptoms.reading import LONGEST_PLACE
from stretchcoach.domain.symptoms.words import PLACE_RX

HERE = Path(__file__).parent
TUNING = HERE / "symptom_phrases.tsv"  # holds the earlier blind sets, each measured first
HOLDOUT = HERE / "symptom_phrases_holdout.tsv"
BLIND = HERE / "symptom_phrases_blind8.tsv"  # the newest: measured once, never tuned on
MIN_RECALL = 0.95
MIN_BLIND_FOUND = 91  # of its 109 notes with a sign, when first measured: a floor, not a goal
MAX_FALSE_ALARMS = 0.02


def labelled(path: Path) -> list[tuple[str, frozenset[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        phrase, codes = line.split("\t")
        rows.append((phrase, frozenset(c for c in codes.split(",") if c)))
    return rows


def codes(text: str) -> set[str]:
    return {s.code for s in recognise(text)}


@pytest.mark.parametrize("path", [TUNING, HOLDOUT], ids=["tuning", "holdout"])
def test_recall_on_danger_phrases_is_at_least_95_percent(path: Path) -> None:
    danger = [(p, want) for p, want in labelled(path) if want]

    missed = [(p, sorted(want)) for p, want in danger if not want <= codes(p)]

    assert 1 - len(missed) / len(danger) >= MIN_RECALL, missed


def test_recall_on_notes_written_after_tuning_does_not_go_back() -> None:
    danger = [(p, want) for p, want in labelled(BLIND) if want]

    found = sum(want <= codes(p) for p, want in danger)

    assert len(danger) == 109
    assert found >= MIN_BLIND_FOUND


ALL_SETS = pytest.mark.parametrize(
    "path", [TUNING, HOLDOUT, BLIND], ids=["tuning", "holdout", "blind"]
)


@ALL_SETS
def test_quiet_notes_rarely_raise_anything(path: Path) -> None:
    quiet = [p for p, want in labelled(path) if not want]

    alarms = [(p, sorted(codes(p))) for p in quiet if codes(p)]

    assert len(alarms) / len(quiet) <= MAX_FALSE_ALARMS, alarms


@ALL_SETS
def test_no_note_without_an_emergency_sign_is_called_an_emergency(path: Path) -> None:
    calm = [p for p, want in labelled(path) if all(CODES[c] is not Care.EMERGENCY for c in want)]

    false = [p for p in calm if any(s.care is Care.EMERGENCY for s in recognise(p))]

    assert false == []


def test_phrase_sets_cover_every_code_and_hold_back_a_fresh_set() -> None:
    tuning, held = labelled(TUNING), labelled(HOLDOUT) + labelled(BLIND)
    everything = tuning + held
    blind = labelled(BLIND)

    per_code = {code: sum(code in want for _, want in everything) for code in CODES}
    blind_per_code = {code: sum(code in want for _, want in blind) for code in CODES}

    assert min(per_code.values()) >= 10, per_code
    assert min(blind_per_code.values()) >= 7, blind_per_code
    assert sum(bool(want) for _, want in blind) >= 80
    assert sum(not want for _, want in blind) >= 40
    assert len(held) >= 200  # the holdout and the newest blind set, never tuned on
    assert not {p for p, _ in tuning} & {p for p, _ in held}


def test_codes_are_questions_of_the_check_with_their_care() -> None:
    asked = {q.code: q.care for q in QUESTIONS}

    for code, care in CODES.items():
        if code in asked:
            assert asked[code] is care, code
    assert CODES["leg-numbness"] is Care.ROUTINE


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("wet myself on the bus", ("bladder",)),
        ("lost control of my bowels", ("bowel",)),
        ("numb between my legs", ("saddle-numbness",)),
        ("can't get an erection since the flare", ("sexual",)),
        ("both legs weak", ("both-legs",)),
        ("my leg gave way on the stairs", ("leg-weaker",)),
        ("fever and shivery", ("unwell",)),
        ("lost a stone without trying", ("weight-loss",)),
        ("the pain wakes me every night", ("night-pain",)),
        ("pins and needles in my left foot", ("leg-numbness",)),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_each_sign_is_named_with_its_code_and_care(note: str, expected: tuple[str, ...]) -> None:
    found = recognise(note)

    assert tuple(s.code for s in found) == expected
    assert found[0].care is CODES[expected[0]]
    assert found[0].words


def test_several_signs_come_once_each_most_urgent_first() -> None:
    found = recognise("tingling in my foot, fever, and I wet myself. wet myself again later")

    assert [s.code for s in found] == ["bladder", "unwell", "leg-numbness"]
    assert [s.care for s in found] == [Care.EMERGENCY, Care.SAME_DAY, Care.ROUTINE]
    assert isinstance(found[0], Symptom)


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("numb toes on the left", {"leg-numbness"}),
        ("numb toes on both feet", {"both-legs"}),
        ("my legs are numb", {"both-legs"}),
        ("numb bum", {"saddle-numbness"}),
        ("numb around my genitals", {"saddle-numbness", "sexual"}),
        ("pins and needles in my hand", set()),
        ("numbness", {"leg-numbness"}),
        ("feeling numb about it all", set()),
        ("left leg weak", {"leg-weaker"}),
        ("legs weak", {"both-legs"}),
        ("pain down my left leg", set()),
        ("sciatica down both legs", {"both-legs"}),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_the_nearest_place_decides_the_sign(note: str, expected: set[str]) -> None:
    assert codes(note) == expected


@pytest.mark.parametrize(
    "note",
    [
        "no numbness",
        "not numb",
        "no problem with my bladder",
        "bladder fine",
        "without tingling",
        "no fever",
        "never wet myself",
        "haven't had any numbness or tingling",
        "no fever, chills or sweats",
        "the tingling has gone",
        "my dad wet himself",
        "mum has a fever",
        "physio asked if I had numbness between my legs",
        "lost weight on my diet, pleased",
        "bowl of cereal",
        "gave way to a cyclist",
    ],
)
def test_denied_past_asked_or_someone_elses_signs_stay_quiet(note: str) -> None:
    assert recognise(note) == ()


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("no fever but my leg gave way", {"leg-weaker"}),
        ("no appetite, lost weight", {"weight-loss"}),
        ("lost weight, not on a diet", {"weight-loss"}),
        ("didn't realise I'd wet myself", {"bladder"}),
        ("out with the wife, can't get an erection", {"sexual"}),
        ("my wife says I'm dragging my foot", {"leg-weaker"}),
        ("bladder no problems, numb bum yes", {"saddle-numbness"}),
        ("saddle numbness: none. bowels: leaking since tuesday", {"bowel"}),
        ("waterworks okay, tingling in both feet", {"both-legs"}),
        ("numb bum no better today", {"saddle-numbness"}),
        ("my legs went weak walking to the shop", {"both-legs"}),
        ("cant stop peeing myself", {"bladder"}),
        ("lay awake all night with my leg throbbing", {"night-pain"}),
        ("temp 39 this morning and shivery", {"unwell"}),
        ("numb between legs", {"saddle-numbness"}),
        ("cant feel when i need a wee or poo", {"bladder", "bowel"}),
        ("not able to push off", {"leg-weaker"}),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_a_denial_or_another_person_reaches_only_its_own_words(
    note: str, expected: set[str]
) -> None:
    assert codes(note) == expected


@pytest.mark.parametrize(
    ("curly", "straight"),
    [
        ("can’t lift my foot", "can't lift my foot"),
        ("I can‘t pee", "I can't pee"),
        ("couldn´t feel the loo roll", "couldn't feel the loo roll"),
        ("don`t have a fever", "don't have a fever"),
        ("Canâ€™t hold my wee", "Can't hold my wee"),
    ],
)
def test_curly_and_straight_apostrophes_read_the_same(curly: str, straight: str) -> None:
    assert normalise(curly) == normalise(straight)
    assert recognise(curly) == recognise(straight)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PINS & NEEDLES", "pins and needles"),
        ("pins n needles", "pins and needles"),
        ("fever+chills", "fever and chills"),
        ("cant", "can't"),
        ("can t feel", "can't feel"),
        ("cannot", "can't"),
        ("dont", "don't"),
        ("numbess", "numbness"),
        ("numbnes", "numbness"),
        ("bladdder", "bladder"),
        ("bowles", "bowels"),
        ("tinglin", "tingling"),
        ("wek leg", "weak leg"),
        ("weeak", "weak"),
        ("incontinant", "incontinent"),
        ("leg feels week", "leg feels weak"),
        ("a long week", "a long week"),
        ("bowl of porridge", "bowl of porridge"),
        ("bowl movements", "bowel movements"),
        ("Numbbetween my legs", "numb between my legs"),
        ("Zoë’s   café — tired…", "zoe's cafe tired"),
        ("'quoted' words", "quoted words"),
        ("Both legs r numb", "both legs are numb"),
        ("", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_a_long_rambling_note_is_read_to_the_middle() -> None:
    note = (
        "Stretch was fine, 30 s each side, hamstring a bit tight. " * 10
        + "Also cant really feel the toilet paper when I wipe. "
        + "Lunch with friends after, nice to get out. " * 10
    )

    assert codes(note) == {"saddle-numbness"}


def test_a_note_far_longer_than_any_journal_note_is_read_in_under_a_second() -> None:
    note = ("my bum and the tops of my legs are numb, " * 2_500)[:100_000]

    started = time.perf_counter()
    found = codes(note)

    assert time.perf_counter() - started < 1.0
    assert found == {"saddle-numbness", "both-legs"}


def test_a_text_longer_than_any_note_is_read_to_its_first_few_thousand_characters() -> None:
    filler = "walked to the shops, stretched, read a book. " * 200  # 9,000 characters

    assert codes("wet myself. " + filler) == {"bladder"}
    assert codes(filler + "wet myself") == set()


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_is_read_and_normalising_first_changes_nothing(text: str) -> None:
    once = normalise(text)

    assert normalise(once) == once
    assert recognise(once) == recognise(text)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "numb",
                "no",
                "legs",
                "both",
                "can't",
                "wee",
                "n",
                "&",
                "’",
                "t",
                "week",
                "leg",
                "bowl",
                "my",
                "gave",
                "way",
                "fever",
                "mum",
                "😀",
                "\x00",
                "cant",
                "i",
                "m",
            ]
        ),
        max_size=30,
    ).map(" ".join)
)
def test_notes_made_of_the_recognisers_own_words_normalise_stably(text: str) -> None:
    once = normalise(text)

    assert normalise(once) == once
    assert recognise(once) == recognise(text)


@pytest.mark.parametrize(
    "text",
    ["\x00", "😀🦵😀", "a" * 10_000, "wet myself " * 1_000, "’" * 500, " \n\t "],
    ids=["nul", "emoji", "10k-letters", "10k-words", "apostrophes", "blank"],
)
def test_odd_text_is_read_without_an_error(text: str) -> None:
    assert isinstance(recognise(text), tuple)


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("my good leg has started going numb as well", {"both-legs"}),
        ("left and right legs numb now", {"both-legs"}),
        ("legs won't do what I tell them", {"both-legs", "leg-weaker"}),
        ("pee stream really weak and slow", {"bladder"}),
        ("never sure I've emptied when I go for a wee", {"bladder"}),
        ("the urge to poo has gone completely", {"bowel"}),
        ("wee came out when I sneezed", {"bladder"}),
        ("my waterworks have gone funny", {"bladder"}),
        ("didn't make it to the ladies", {"bladder", "bowel"}),
        ("sitting on the loo feels like sitting on nothing", {"saddle-numbness"}),
        ("when I wipe it's like wiping someone else", {"saddle-numbness"}),
        ("my groin feels like when your foot goes to sleep", {"saddle-numbness"}),
        ("manhood won't work", {"sexual"}),
        ("nothing happening downstairs", {"sexual"}),
        ("woke up screaming with the pain", {"night-pain"}),
        ("sole of my foot feels like cardboard", {"leg-numbness"}),
        ("my foot keeps going to sleep", {"leg-numbness"}),
        ("night sweats, the bed was soaked", {"unwell"}),
        ("my back passage won't stay shut", {"bowel"}),
        ("numb around the anus", {"saddle-numbness"}),
        ("cannae pee right", {"bladder"}),
        ("my bum and the tops of my legs are numb", {"saddle-numbness", "both-legs"}),
        ("i didnt feel the poo come out", {"bowel"}),
        ("having to wear pads for my back passage", {"bowel"}),
        ("pins and noodles in my bum", {"saddle-numbness"}),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_families_of_words_and_likenesses_name_their_sign(note: str, expected: set[str]) -> None:
    assert codes(note) == expected


@pytest.mark.parametrize(
    "note",
    [
        "foot fell asleep",
        "hamstring numb for a bit after the ice pack",
        "let the lorry through, gave way at the junction",
        "no saddle numbness, no bladder or bowel problems",
        "physio said to watch for numbness between the legs, bladder changes. None of those.",
        "read that numbness between the legs is serious, glad I don't have it",
        "I've had numbness before but not now",
        "leaked a bit of coffee on my trousers",
        "my husband wet the bed",
        "grandson had an accident on the potty",
        "cant get up the stairs",  # "get up" is not an erection
        "my foot went numb from sitting cross-legged, fine now",
        "legs weak from the flu last month but fine now",
        "the nappy leaked, had to change the baby",
        "no erection problems here",
        "a wee bit numb in my fingers from the cold",
        "legs like rubber after leg day at the gym",
        "bladder: fine, bowels: fine, numbness: none",
        "saddle numbness - no. bladder - fine",
        "numb between legs? no",
        "walked 5k, legs are jelly",
        "knees wobbly after the stairs",
        "little one wet the bed",
        "cant stop peeing at night since the tablets",
        "the loo is leaking",
        "the neighbours party kept me up all night",
        "up all night with the baby",
        "lay awake all night worrying",
        "room temp 39 degrees in the greenhouse",
    ],
)
def test_explained_denied_after_or_past_signs_stay_quiet(note: str) -> None:
    assert recognise(note) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I could not feel it", "i couldn't feel it"),
        ("it will not start", "it won't start"),
        ("I cannot to feel when", "i can't feel when"),
        ("wk legs", "weak legs"),
        ("a wk ago", "a wk ago"),
        ("a wee bit numb", "a small bit numb"),
        ("my wee lad", "my small lad"),
        ("need a wee before bed", "need a wee before bed"),
        ("not able to push off", "can't push off"),
        ("I have not been able to pee", "i can't pee"),
        ("hasnt been able to", "can't"),
        ("unable to to feel", "can't feel"),
        ("is not able to walk", "can't walk"),
        ("wet myslef", "wet myself"),
        ("nunb bum", "numb bum"),
    ],
)
def test_normalise_spells_out_negations_and_short_forms(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_the_words_of_a_sign_are_the_notes_own() -> None:
    found = recognise("Lost weight without trying, and numb toes")

    assert [s.words for s in found] == ["lost weight", "numb toes"]


@pytest.mark.parametrize("path", [TUNING, HOLDOUT, BLIND], ids=["tuning", "holdout", "blind"])
def test_no_place_is_longer_than_the_margin_places_are_looked_for_in(path: Path) -> None:
    for phrase, _ in labelled(path):
        padded = " " + normalise(phrase)
        for m in PLACE_RX.finditer(padded):
            assert len(m.group().split()) <= LONGEST_PLACE, (phrase, m.group())
