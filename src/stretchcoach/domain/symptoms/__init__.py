"""Warning signs written in free text: which questions of the check a note answers yes to.

A person in pain writes "cant feel the loo roll when i wipe" or "Both legs r numb n weak" in
a journal note, on a phone, at 7 a.m. `recognise` reads such a note and returns the warning
signs it names, each as the code of the question in `domain/safety.py` it is a yes to, with
that question's level of care, most urgent first. It reads the note's `normalise`d form, so
case, curly apostrophes, "&"/"n"/"+", accents, punctuation and common typos do not matter.

How a note is read (`words.py` holds the places and words, `reading.py` the reading):

- phrases that name a sign on their own ("wet myself", "foot drop", "fever", "lost weight
  without trying", "nothing happening downstairs");
- a symptom word beside a place, the nearest place deciding the sign: numbness between the
  legs or round the back passage is saddle numbness, in both legs, "legs" or the good leg
  both legs, in one foot one leg, in a hand nothing; weakness of "legs" is both legs, of one
  leg a weakening leg; "can't control", "leaking", "a trickle" or "can't feel when I need"
  beside wee, poo, the waterworks or the back passage is the bladder or the bowel; a
  likeness counts as the feeling it stands for ("like wiping someone else", "like sitting on
  nothing", "my groin feels like when your foot goes to sleep");
- a sign stays quiet when it is denied just before ("no numbness", "no bladder or bowel
  problems") or just after ("none of those"), said to be over ("the tingling has gone",
  "before but not now", "fine now"), explained ("after the ice pack", "leaked a bit of
  coffee", "after leg day"), said of someone else ("mum has a fever") or asked about ("if I
  get numb between my legs"); losing weight stays quiet when the note says it was meant.

It errs toward asking: a yes sends the person to the check's questions, which decide. It
never decides that someone is well, and a note it does not understand says nothing.
docs/benchmarks.md gives its recall and false alarms on a labelled set of notes.
"""

from stretchcoach.domain.symptoms.normalise import normalise
from stretchcoach.domain.symptoms.reading import CODES, Symptom, recognise

__all__ = ["CODES", "Symptom", "normalise", "recognise"]
