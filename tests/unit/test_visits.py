"""A visit settles only what came before it, and a clinician's "seen" for a stop rule stands
until something changes: the rule in the domain, then stories across days on a fake clock
through the services every surface calls."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from stretchcoach.domain.clinical import GateStatus
from stretchcoach.domain.clinical.answered import after_check
from stretchcoach.domain.journal import parse_sites
from stretchcoach.domain.routine import Routine
from stretchcoach.domain.safety import (
    CARE_MESSAGES,
    CLEAR_MESSAGE,
    QUESTIONS,
    SCREEN_VERSION,
    Care,
    evaluate,
)
from stretchcoach.domain.screening import (
    Acknowledgement,
    Began,
    ScreenResult,
    check_visit,
    episodes,
    misdated,
)
from stretchcoach.domain.session import new_id
from stretchcoach.errors import InvalidInput
from stretchcoach.services.clinical import verdict
from stretchcoach.services.pain import log_pain
from stretchcoach.services.safety import acknowledge, answer_screen
from stretchcoach.testing import FakeClock, FakeUnitOfWork

USER = "person"
LONDON = ZoneInfo("Europe/London")
ALL_NO: tuple[bool | None, ...] = (False,) * len(QUESTIONS)


def yes_to(*codes: str) -> tuple[bool | None, ...]:
    return tuple(q.code in codes for q in QUESTIONS)


def check(at: datetime, answers: tuple[bool | None, ...]) -> ScreenResult:
    return ScreenResult(new_id(), USER, at, answers, SCREEN_VERSION, stored_at=at)


def ack(seen_on: date, stored: datetime, *codes: str, by: str = "dr") -> Acknowledgement:
    return Acknowledgement(new_id(), USER, codes, seen_on, by, "Dr", "", stored)


# -- the rule, in the domain ------------------------------------------------------------------

YES_AT = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
STORED_AFTER = YES_AT + timedelta(hours=2)


@pytest.mark.parametrize(
    ("seen_on", "settled"),
    [(date(2022, 1, 10), False), (date(2026, 12, 6), False), (date(2026, 12, 7), True)],
    ids=["years-before", "the-day-before", "the-day-of-the-first-yes"],
)
def test_a_visit_settles_a_yes_only_on_or_after_its_first_day(seen_on: date, settled: bool) -> None:
    (episode,) = episodes(
        [check(YES_AT, yes_to("saddle-numbness"))],
        [ack(seen_on, STORED_AFTER, "saddle-numbness")],
        zone=LONDON,
    )

    assert episode.began_on == date(2026, 12, 7)
    assert (episode.settled_by is not None) is settled


def test_a_visit_after_the_first_yes_settles_the_whole_episode_and_not_the_next() -> None:
    first, again = YES_AT, YES_AT + timedelta(days=3)
    checks = [
        check(first, yes_to("cancer")),
        check(first + timedelta(days=1), yes_to("cancer")),  # the same episode
        check(first + timedelta(days=2), ALL_NO),
        check(again, yes_to("cancer")),  # a new episode, after a no
    ]
    old_visit = ack(date(2026, 12, 8), again + timedelta(hours=1), "cancer")  # stored later

    found = episodes(checks, [old_visit], zone=LONDON)

    assert [e.settled_by is not None for e in found] == [True, False]


@pytest.mark.parametrize(
    ("zone", "moment", "day"),
    [
        ("Pacific/Auckland", datetime(2026, 12, 6, 12, 30, tzinfo=UTC), date(2026, 12, 7)),
        ("America/New_York", datetime(2026, 12, 7, 3, 30, tzinfo=UTC), date(2026, 12, 6)),
        ("Europe/London", datetime(2026, 12, 6, 23, 59, tzinfo=UTC), date(2026, 12, 6)),
    ],
    ids=["ahead-of-utc-past-midnight", "behind-utc-before-midnight", "a-minute-to-midnight"],
)
def test_the_first_day_is_the_persons_own_local_day(zone: str, moment: datetime, day: date) -> None:
    here = ZoneInfo(zone)
    answered = [check(moment, yes_to("bladder"))]
    later = moment + timedelta(hours=1)

    (episode,) = episodes(answered, [], zone=here)
    (on_the_day,) = episodes(answered, [ack(day, later, "bladder")], zone=here)
    (day_before,) = episodes(answered, [ack(day - timedelta(days=1), later, "bladder")], zone=here)

    assert episode.began_on == day
    assert on_the_day.settled_by is not None
    assert day_before.settled_by is None


def test_check_visit_says_what_is_wrong_and_what_is_allowed_in_one_line() -> None:
    today = date(2026, 12, 7)
    began = [
        Began("cancer", date(2026, 11, 2), "the first yes"),
        Began("stop-spread-left", date(2026, 12, 5), "the pain in your left leg spread"),
    ]

    check_visit(date(2026, 12, 5), today=today, began=began)  # on the latest start: fine
    with pytest.raises(InvalidInput) as before:
        check_visit(date(2026, 11, 20), today=today, began=began)
    with pytest.raises(InvalidInput, match="in the future: give the date you were seen, today"):
        check_visit(date(2026, 12, 8), today=today)
    with pytest.raises(InvalidInput, match="over five years ago"):
        check_visit(date(2021, 12, 1), today=today)

    assert str(before.value) == (
        "the visit on 20 Nov 2026 is before the pain in your left leg spread (05 Dec 2026): "
        "give the date you were seen about it, on or after 05 Dec 2026"
    )
    assert before.value.field == "seen_on" and "\n" not in str(before.value)
    check_visit(date(2021, 12, 8), today=today)  # five years back is still allowed


def test_misdated_names_visits_that_claim_a_yes_they_cannot_settle() -> None:
    checks = [check(YES_AT, yes_to("bowel"))]
    early = ack(date(2024, 5, 1), STORED_AFTER, "bowel")
    good = ack(date(2026, 12, 7), STORED_AFTER + timedelta(hours=1), "bowel")
    stored_before = ack(date(2024, 5, 1), YES_AT - timedelta(days=1), "bowel")

    claims = misdated(checks, [early, good, stored_before], zone=LONDON)

    good_first = ack(date(2026, 12, 7), STORED_AFTER - timedelta(minutes=1), "bowel")

    assert [(a.id, b.on) for a, b in claims] == [(early.id, date(2026, 12, 7))]
    assert misdated(checks, [good_first, early], zone=LONDON) == []  # settled before it came


# -- the words after answering come from the verdict -------------------------------------------


class Person:
    def __init__(self, routine: Routine, *, start: datetime = YES_AT) -> None:
        self.routine = routine
        self.clock = FakeClock(start)
        self.uow = FakeUnitOfWork()

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def days(self, n: float) -> None:
        self.clock.tick(n * 24 * 3600)

    def answer(self, answers: tuple[bool | None, ...]):  # type: ignore[no-untyped-def]
        self.clock.tick(60)  # checks a minute apart, so the store keeps their order
        answer_screen(answers, user_id=USER, uow=self.uow, now=self.now)
        return evaluate(answers)

    def log(self, score: int, where: str = "") -> None:
        log_pain(score, parse_sites(where), user_id=USER, uow=self.uow, now=self.now,
                 time_zone=LONDON.key)  # fmt: skip

    def verdict(self):  # type: ignore[no-untyped-def]
        return verdict(USER, self.routine, uow=self.uow, now=self.now, zone=LONDON)

    def seen(self, on: date, by: str = "clinician-1") -> Acknowledgement:
        return acknowledge(USER, self.routine, seen_on=on, by_user_id=by, by_name="Dr Okafor",
                           uow=self.uow, now=self.now, zone=LONDON)  # fmt: skip

    @property
    def today(self) -> date:
        return self.now.astimezone(LONDON).date()


def test_all_no_after_an_emergency_yes_never_says_you_can_stretch(routine: Routine) -> None:
    p = Person(routine)
    first = p.answer(yes_to("saddle-numbness"))
    said_first = after_check(first, p.verdict().gate)
    said = after_check(p.answer(ALL_NO), p.verdict().gate)

    assert said_first.message == CARE_MESSAGES[Care.EMERGENCY] and said_first.urgent
    assert "you can stretch today" not in said.message
    assert said.message.startswith("Thank you. No to every question today, but your earlier yes")
    assert "(07 Dec 2026)" in said.message and CARE_MESSAGES[Care.EMERGENCY] in said.message
    assert (said.care, said.may_start, said.heading) == (
        Care.EMERGENCY,
        False,
        "Please get help now",
    )


def test_the_words_follow_what_stands_a_stop_a_settled_yes_a_review_all_clear(
    routine: Routine,
) -> None:
    p = Person(routine)
    p.answer(yes_to("cancer"))
    p.seen(p.today)
    p.days(1)
    settled = after_check(p.answer(yes_to("cancer")), p.verdict().gate)
    review = after_check(p.answer(yes_to("cancer", "not-easing")), p.verdict().gate)
    clear = after_check(p.answer(ALL_NO), p.verdict().gate)
    for score, where in ((3, "right:buttock"), (3, "right:thigh"), (4, "right:calf")):
        p.days(1)
        p.log(score, where)
    p.days(1)
    p.log(4, "right:foot")
    stopped = after_check(p.answer(ALL_NO), p.verdict().gate)

    assert settled.may_start and "already seen you" in settled.message
    assert review.may_start and CARE_MESSAGES[Care.ROUTINE] in review.message
    assert clear.message == CLEAR_MESSAGE and clear.heading == "All clear"
    assert not stopped.may_start and "you can stretch today" not in stopped.message
    assert "spread below the knee and stayed: stop this stretch" in stopped.message


# -- stories across days: yes answers -----------------------------------------------------


def test_a_yes_today_is_settled_only_by_a_visit_dated_today_or_later(routine: Routine) -> None:
    p = Person(routine)
    p.answer(yes_to("saddle-numbness"))

    with pytest.raises(InvalidInput) as refused:
        p.seen(date(2022, 1, 10))
    with p.uow:
        nothing = p.uow.screens.acknowledgements(USER)
    blocked = p.verdict().gate
    ok = p.seen(p.today)

    assert str(refused.value) == (
        "the visit on 10 Jan 2022 is before the first yes (07 Dec 2026): give the date you "
        "were seen about it, on or after 07 Dec 2026"
    )
    assert nothing == []  # nothing written
    assert blocked.status is GateStatus.BLOCKED and blocked.began_on == date(2026, 12, 7)
    assert ok.codes == ("saddle-numbness",)
    assert p.verdict().gate.may_start


def test_an_old_visit_stored_by_hand_later_does_not_settle_a_newer_yes(routine: Routine) -> None:
    p = Person(routine)
    p.answer(yes_to("bladder"))
    with p.uow:  # as an older version, or a store written by hand, would have kept it
        p.uow.screens.add_acknowledgement(ack(date(2024, 3, 1), p.now + timedelta(hours=1),
                                              "bladder"))  # fmt: skip
        p.uow.commit()
    p.clock.tick(7200)

    found = p.verdict().gate

    assert found.status is GateStatus.BLOCKED and found.care is Care.EMERGENCY
    assert [e.question.code for e in found.open] == ["bladder"]


# -- stories across days: stop rules --------------------------------------------------------


def spread_right(p: Person) -> None:
    """Four mornings, the pain spreading down the right leg to below the knee and staying."""
    p.answer(ALL_NO)
    places = ("right:buttock", "right:buttock,right:thigh", "right:thigh,right:calf")
    for n, where in enumerate((*places, "right:calf,right:foot")):
        if n:
            p.days(1)
        p.log(4, where)


@pytest.mark.parametrize("daily", [None, "right:calf,right:foot"], ids=["no-logs", "same-place"])
def test_a_seen_spread_stop_stays_settled_until_the_pain_spreads_again(
    routine: Routine, daily: str | None
) -> None:
    p = Person(routine)
    spread_right(p)
    stop = p.verdict().gate
    with pytest.raises(InvalidInput) as early:
        p.seen(p.today - timedelta(days=2))  # before the first day below the knee
    p.seen(p.today - timedelta(days=1))  # the day it first reached the calf

    settled_each_day = []
    for _ in range(10):  # ten days on, nothing new: no rating, or the same places
        p.days(1)
        if daily:
            p.log(4, daily)
        settled_each_day.append(p.verdict().gate.may_start)
    p.log(5, "right:big-toe")  # further down than ever: new spread
    again = p.verdict().gate

    assert stop.stops == ("stop-spread-right",) and stop.began_on == date(2026, 12, 9)
    assert "before the pain in your right leg spread below the knee (09 Dec 2026)" in str(
        early.value
    )
    assert settled_each_day == [True] * 10
    assert again.status is GateStatus.BLOCKED and again.stops == ("stop-spread-right",)
    assert again.began_on == p.today
    with pytest.raises(InvalidInput, match="on or after"):
        p.seen(p.today - timedelta(days=1))
    p.seen(p.today)
    assert p.verdict().gate.may_start


def test_a_seen_spread_stop_comes_back_with_a_new_run_below_the_knee(routine: Routine) -> None:
    p = Person(routine)
    spread_right(p)
    p.seen(p.today)
    p.days(1)
    p.log(3, "right:thigh")  # back above the knee: the run ends
    between = p.verdict().gate
    for where in ("right:calf", "right:calf,right:foot"):
        p.days(1)
        p.log(4, where)

    again = p.verdict().gate

    assert between.may_start
    assert again.status is GateStatus.BLOCKED and again.stops == ("stop-spread-right",)
    assert again.began_on == p.today - timedelta(days=1)


def worsening(p: Person) -> None:
    p.answer(ALL_NO)
    for n, score in enumerate((3, 3, 3, 6, 8)):
        if n:
            p.days(1)
        p.log(score, "left:thigh")


def test_a_seen_worsening_stop_stays_until_a_new_worse_morning(routine: Routine) -> None:
    p = Person(routine)
    worsening(p)
    stop = p.verdict().gate
    p.seen(p.today - timedelta(days=1))  # seen on the first worse morning, recorded today
    p.days(1)
    quiet = p.verdict().gate  # no rating today: nothing new
    p.days(1)
    p.log(10, "left:thigh")  # worse again after the visit
    p.answer(ALL_NO)  # the urgent questions a jump to 10 asks again
    again = p.verdict().gate

    assert "stop-worsening" in stop.stops and stop.began_on == p.today - timedelta(days=3)
    assert quiet.may_start
    assert again.status is GateStatus.BLOCKED and "stop-worsening" in again.stops
    assert again.began_on == p.today


# -- import: the whole file refused, naming the record --------------------------------------


def export_of(*records: ScreenResult | Acknowledgement) -> str:
    from stretchcoach.adapters.transfer import to_json
    from stretchcoach.services.transfer import export_bundle

    source = FakeUnitOfWork()
    with source:
        for record in records:
            if isinstance(record, ScreenResult):
                source.screens.add(record)
            else:
                source.screens.add_acknowledgement(record)
        source.commit()
    return to_json(export_bundle(USER, uow=source), now=YES_AT + timedelta(hours=2))


def import_into(p: Person, text: str):  # type: ignore[no-untyped-def]
    from stretchcoach.adapters.transfer import read_export
    from stretchcoach.services.transfer import import_bundle

    bundle = read_export(text, user_id=USER)
    return import_bundle(bundle, user_id=USER, uow=p.uow, now=p.now, zone=LONDON)


def visits(p: Person) -> list[Acknowledgement]:
    with p.uow:
        return p.uow.screens.acknowledgements(USER)


@pytest.mark.parametrize(
    ("seen_on", "stored", "message"),
    [
        (
            date(2020, 6, 1),
            datetime(2020, 6, 1, 12, 0, tzinfo=UTC),
            "acknowledgements record 1, field 'seen_on': seen on 2020-06-01 is over five years "
            "ago: give a recent visit; nothing was imported",
        ),
        (
            date(2024, 5, 1),
            YES_AT + timedelta(hours=1),  # claims to be recorded after today's yes
            "acknowledgements record 1, field 'seen_on': the visit on 01 May 2024 is before the "
            "first yes (07 Dec 2026): give the date you were seen about it, on or after 07 Dec "
            "2026; nothing was imported",
        ),
    ],
    ids=["older-than-five-years", "dated-before-the-yes-it-claims"],
)
def test_an_import_with_a_visit_before_the_yes_it_settles_is_refused_whole(
    routine: Routine, seen_on: date, stored: datetime, message: str
) -> None:
    p = Person(routine)
    p.answer(yes_to("saddle-numbness"))
    p.clock.tick(3 * 3600)
    text = export_of(
        check(datetime(2026, 11, 1, 8, 0, tzinfo=UTC), ALL_NO),
        ack(seen_on, stored, "saddle-numbness", by="dr-1"),
    )

    with pytest.raises(InvalidInput) as refused:
        import_into(p, text)

    assert str(refused.value) == message
    assert visits(p) == []
    with p.uow:
        assert len(p.uow.screens.history(USER)) == 1  # the old check was not imported either
    assert p.verdict().gate.care is Care.EMERGENCY


def test_an_old_backup_imports_but_its_old_visit_never_settles_todays_yes(
    routine: Routine,
) -> None:
    p = Person(routine)
    p.answer(yes_to("saddle-numbness"))
    p.clock.tick(3 * 3600)
    old = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)
    text = export_of(
        check(old, yes_to("saddle-numbness")),
        check(old + timedelta(days=1), ALL_NO),
        ack(date(2025, 1, 12), old + timedelta(days=2), "saddle-numbness", by="dr-1"),
    )

    result = import_into(p, text)
    gate = p.verdict().gate

    assert result.added["seen"] == 1 and result.added["screen"] == 2
    assert gate.status is GateStatus.BLOCKED and gate.care is Care.EMERGENCY
    assert [e.began_on for e in gate.open] == [date(2026, 12, 7)]
    assert [e.began_on for e in gate.settled] == [date(2025, 1, 10)]


def test_an_import_with_a_visit_before_a_stop_rule_in_force_is_refused(routine: Routine) -> None:
    p = Person(routine)
    spread_right(p)
    p.clock.tick(3600)
    assert p.verdict().gate.stops == ("stop-spread-right",)
    text = export_of(ack(date(2026, 12, 1), p.now - timedelta(minutes=5), "stop-spread-right"))

    with pytest.raises(InvalidInput, match="before the pain in your right leg spread below"):
        import_into(p, text)
    fine = export_of(ack(p.today, p.now - timedelta(minutes=5), "stop-spread-right"))
    import_into(p, fine)

    assert p.verdict().gate.may_start
