"""The words after answering the check come from what still stands, one message per state."""

from __future__ import annotations

from stretchcoach.domain.clinical.answered import SEEN_ALREADY, after_check
from stretchcoach.domain.routine import Routine
from stretchcoach.domain.safety import CARE_MESSAGES, CLEAR_MESSAGE, EMERGENCY_CODES, Care, evaluate
from stretchcoach.domain.safety import emergency_only as partial
from stretchcoach.services.safety import acknowledge

from .test_clinical import ALL_NO, USER, ZONE, Person, yes_to


def said(p: Person, answers: tuple[bool | None, ...], *, recheck: bool = False):  # type: ignore[no-untyped-def]
    p.answer(answers, partial=recheck)
    return after_check(evaluate(answers), p.verdict().gate)


def seen(p: Person) -> None:
    acknowledge(USER, p.routine, seen_on=p.now.date(), by_user_id="gp", by_name="Dr Gee",
                uow=p.uow, now=p.now, zone=ZONE)  # fmt: skip


def test_all_no_with_nothing_standing_is_the_all_clear(routine: Routine) -> None:
    words = said(Person(routine), ALL_NO)

    assert (words.heading, words.message, words.may_start) == ("All clear", CLEAR_MESSAGE, True)
    assert words.care is None and not words.urgent


def test_a_yes_just_given_says_its_own_level_and_nothing_else(routine: Routine) -> None:
    words = said(Person(routine), yes_to("bowel"))

    assert words.message == CARE_MESSAGES[Care.EMERGENCY]
    assert words.heading == "Please get help now" and words.urgent and not words.may_start


def test_all_no_after_an_earlier_yes_says_the_yes_still_stands_never_you_can_stretch(
    routine: Routine,
) -> None:
    p = Person(routine)
    p.answer(yes_to("unwell"))
    p.next_morning()

    words = said(p, ALL_NO)

    assert words.message.startswith("Thank you. No to every question today, but your earlier")
    assert "still stands until a clinician has seen you" in words.message
    assert words.message.endswith(CARE_MESSAGES[Care.SAME_DAY])
    assert "you can stretch today" not in words.message
    assert (words.heading, words.care, words.may_start) == ("Please get seen today",
                                                           Care.SAME_DAY, False)  # fmt: skip


def test_a_yes_to_another_question_under_an_earlier_one_names_the_earlier(
    routine: Routine,
) -> None:
    p = Person(routine)
    p.answer(yes_to("bladder"))
    p.next_morning()

    words = said(p, yes_to("cancer"))  # a within-days yes under a standing emergency one

    assert words.care is Care.EMERGENCY
    assert words.message.startswith("Your earlier yes (")
    assert not words.message.startswith("Thank you")


def test_under_a_stop_rule_all_no_says_not_today_with_the_stop(routine: Routine) -> None:
    person = Person(routine)
    for score, place in ((4, "left:thigh"), (6, "left:calf"), (7, "left:foot")):
        person.log(score, place)
        person.next_morning()
    person.log(8, "left:foot")

    words = said(person, ALL_NO)

    assert words.heading == "Not today" and not words.may_start
    assert words.message.startswith("Thank you. No to every question today, but ")
    assert "stop this stretch for now and see your GP or physiotherapist" in words.message


def test_after_the_urgent_questions_again_the_whole_check_may_still_be_due(
    routine: Routine,
) -> None:
    p = Person(routine)  # never answered the whole check
    words = said(p, partial(dict.fromkeys(EMERGENCY_CODES, False)), recheck=True)

    assert words.heading == "Thank you" and not words.may_start
    assert words.message.startswith("Thank you. ")
    assert words.message.endswith("Please answer every question.")


def test_a_yes_someone_has_seen_lets_the_stretch_go_on_and_says_so(routine: Routine) -> None:
    p = Person(routine)
    p.answer(yes_to("cancer"))
    seen(p)
    p.next_morning()

    words = said(p, yes_to("cancer"))  # the same lifelong yes, settled

    assert words.may_start and words.message == SEEN_ALREADY
    assert words.heading == "Thank you"


def test_a_seen_yes_and_a_routine_yes_say_both(routine: Routine) -> None:
    p = Person(routine)
    p.answer(yes_to("cancer"))
    seen(p)
    p.next_morning()

    words = said(p, yes_to("cancer", "not-easing"))

    assert words.message == f"{SEEN_ALREADY} {CARE_MESSAGES[Care.ROUTINE]}"
    assert words.may_start


def test_a_routine_yes_alone_advises_a_review_and_the_stretch_goes_on(routine: Routine) -> None:
    words = said(Person(routine), yes_to("not-easing"))

    assert (words.heading, words.message) == ("Worth a review", CARE_MESSAGES[Care.ROUTINE])
    assert words.care is Care.ROUTINE and words.may_start


def test_new_pain_in_the_second_leg_is_said_after_an_all_no_check(routine: Routine) -> None:
    p = Person(routine)
    p.answer(ALL_NO)
    p.log(5, "left:calf")
    p.next_morning()
    p.log(6, "left:calf,right:calf")

    words = said(p, ALL_NO)

    assert words.care is Care.EMERGENCY and words.urgent and not words.may_start
    assert "pain has come on in your right leg as well" in words.message
    assert words.message.endswith(CARE_MESSAGES[Care.EMERGENCY])


def test_the_earliest_of_two_standing_yes_answers_is_named(routine: Routine) -> None:
    p = Person(routine)
    p.answer(yes_to("bladder"))
    first_day = p.now.date()
    p.next_morning()
    p.next_morning()
    p.answer(yes_to("bowel"))
    p.next_morning()

    words = said(p, ALL_NO)

    assert f"your earlier yes ({first_day:%d %b %Y})" in words.message


def test_a_visit_before_pain_came_to_the_second_leg_is_refused_and_one_on_it_settles(
    routine: Routine,
) -> None:
    import pytest

    from stretchcoach.errors import InvalidInput

    p = Person(routine)
    p.answer(ALL_NO)
    p.log(5, "left:calf")
    day_before = p.now.date()
    p.next_morning()
    p.next_morning()
    p.log(6, "left:calf,right:calf")
    p.clock.tick(3600)
    gate = p.verdict().gate

    assert gate.began_on == p.now.date()  # the day the second leg began, the latest standing
    with pytest.raises(InvalidInput, match="before the pain came on in your right leg"):
        acknowledge(USER, routine, seen_on=day_before, by_user_id="gp", by_name="Dr Gee",
                    uow=p.uow, now=p.now, zone=ZONE)  # fmt: skip
    assert p.verdict().gate.new_leg is not None
    seen(p)
    assert p.verdict().gate.new_leg is None


def test_the_latest_start_of_what_stands_is_the_day_a_visit_must_follow(
    routine: Routine,
) -> None:
    p = Person(routine)
    p.answer(yes_to("cancer"))
    p.log(5, "left:calf")
    p.next_morning()
    p.next_morning()
    p.log(6, "left:calf,right:calf")  # both legs, two days after the yes

    gate = p.verdict().gate

    assert {b.code for b in gate.began} == {"cancer", "both-legs"}
    assert gate.began_on == p.now.date() == max(b.on for b in gate.began)


def test_a_lower_yes_and_new_pain_in_the_second_leg_name_the_leg_at_its_level(
    routine: Routine,
) -> None:
    from stretchcoach.services.report import next_session

    p = Person(routine)
    p.answer(yes_to("unwell"))  # same day
    p.log(5, "left:calf")
    p.next_morning()
    p.log(6, "left:calf,right:calf")  # both legs: emergency

    found = p.verdict()

    assert found.gate.care is Care.EMERGENCY
    assert "pain has come on in your right leg as well" in found.gate.message
    assert found.gate.message.count("emergency department") == 1
    words = after_check(evaluate(ALL_NO), found.gate)
    assert words.message.count("Go to an emergency department now") == 1
    paused = next_session(found)
    assert paused.startswith("none while the stretch is paused.")
    assert "second (right) leg" in paused


def test_a_worse_morning_under_a_stop_gives_no_advice_on_how_to_hold(routine: Routine) -> None:
    p = Person(routine)
    p.answer(yes_to("bladder"))
    p.log(3, "left:thigh")
    p.next_morning()
    p.log(6, "left:thigh")

    worse = next(f for f in p.verdict().flags if f.code == "pain-worse")

    assert worse.message == "Your pain today is up on the days before."
