"""The one session use case, through the fake unit of work: what the terminal and the phone
both call to plan, keep and advise a session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext
from stretchcoach.domain.preferences import default_preferences
from stretchcoach.domain.routine import Routine, SessionSettings, choose_settings
from stretchcoach.domain.safety import QUESTIONS
from stretchcoach.domain.session import ended_hold
from stretchcoach.domain.timeline import hold_sides
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import InvalidInput, NotFound, SafetyBlock, ScreenDue
from stretchcoach.services import session_case
from stretchcoach.services.safekeeping import Kept, SafeKeeper
from stretchcoach.services.safety import answer_screen
from stretchcoach.services.sessions import new_session
from stretchcoach.testing import FailingUnitOfWork, FakeUnitOfWork, MemoryPendingJournal

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
ZONE = "Europe/London"
USER = "user-1"
HERE = session_case.Where(answer="right here", seen="with your clinician")
ALL_NO = (False,) * len(QUESTIONS)


def plan(
    uow: FakeUnitOfWork, routine: Routine, *, at: datetime = NOW, hold_chosen: bool = False,
    requested: SessionSettings | None = None,
) -> session_case.Plan:  # fmt: skip
    return session_case.plan(
        USER,
        routine,
        requested or choose_settings(routine),
        uow=uow,
        now=at,
        zone=ZoneInfo(ZONE),
        where=HERE,
        hold_chosen=hold_chosen,
    )


def run_session(
    uow: FakeUnitOfWork, routine: Routine, felt: Felt, *, at: datetime = NOW,
    keep: session_case.Keep | None = None,
) -> str:  # fmt: skip
    """A whole session as either interface runs it: plan, begin, holds, answers, pain, end."""
    keep = keep or session_case.store_now(uow)
    settings = plan(uow, routine, at=at).settings
    session = new_session(routine, settings, user_id=USER, now=at, time_zone=ZONE)
    session_case.begin(session, keep=keep)
    before = session_case.session_pain(session, 4, PainContext.BEFORE, now=at, where="left:thigh")
    session_case.record_pain(before, keep=keep)
    answers = session_case.FeltAnswers(session.id, keep)
    for number, side in enumerate(hold_sides(settings), start=1):
        answers.answer(number, felt)  # given before the hold is kept: it waits for it
        hold = ended_hold(session.id, number, side, planned_s=settings.hold_s,
                          held_s=settings.hold_s, completed=True, ended_at=at)  # fmt: skip
        session_case.record_hold(hold, keep=keep)
        answers.hold_kept(hold)
    after = session_case.session_pain(session, 3, PainContext.AFTER, now=at + timedelta(minutes=5))
    session_case.record_pain(after, keep=keep)
    session_case.finish(session.id, SessionStatus.COMPLETED, now=at, keep=keep)
    return session.id


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    answer_screen(ALL_NO, user_id=USER, uow=uow, now=NOW - timedelta(days=1))
    return uow


def test_a_whole_session_is_kept_one_committed_record_at_a_time(
    uow: FakeUnitOfWork, routine: Routine
) -> None:
    committed = uow.committed

    session_id = run_session(uow, routine, Felt.PULL)

    with uow:
        session = uow.sessions.get(session_id)
        pain = uow.journal.entries(USER)
    holds = routine.dose.reps_per_side * 2
    assert session.status is SessionStatus.COMPLETED
    assert [h.felt for h in session.holds] == [Felt.PULL] * holds
    assert all(h.completed for h in session.holds)
    assert [(e.context, e.score, e.session_id) for e in pain] == [
        (PainContext.BEFORE, 4, session_id),
        (PainContext.AFTER, 3, session_id),
    ]
    assert uow.committed - committed == 1 + 1 + holds * 2 + 1 + 1  # each record on its own
    assert uow.rolled_back == 0


def test_a_use_case_that_forgets_to_commit_loses_what_it_wrote(
    uow: FakeUnitOfWork, routine: Routine
) -> None:
    def keep_without_commit(entry: session_case.PendingEntry) -> Kept:
        from stretchcoach.services.safekeeping import apply

        with uow:
            apply(entry, uow)  # no uow.commit(): a real database would roll this back
        return Kept.SAVED

    session = new_session(routine, choose_settings(routine), user_id=USER, now=NOW,
                          time_zone=ZONE)  # fmt: skip
    session_case.begin(session, keep=keep_without_commit)

    with pytest.raises(NotFound):
        session_case.owned_session(session.id, user_id=USER, uow=uow)
    assert uow.rolled_back == 1


def test_the_terminals_keeper_saves_the_same_session_after_the_store_came_back(
    routine: Routine,
) -> None:
    uow = FailingUnitOfWork()
    answer_screen(ALL_NO, user_id=USER, uow=uow, now=NOW - timedelta(days=1))
    settings = plan(uow, routine).settings
    keeper = SafeKeeper(uow, MemoryPendingJournal())
    uow.down = "disk I/O error"

    session = new_session(routine, settings, user_id=USER, now=NOW, time_zone=ZONE)
    kept = session_case.begin(session, keep=keeper.keep)
    hold = ended_hold(session.id, 1, Side.LEFT, planned_s=settings.hold_s,
                      held_s=settings.hold_s, completed=True, ended_at=NOW)  # fmt: skip
    session_case.record_hold(hold, keep=keeper.keep)
    session_case.record_felt(session.id, hold.id, Felt.NERVE, keep=keeper.keep)
    uow.down = None
    keeper.settle()

    assert kept is Kept.WAITING
    saved = session_case.owned_session(session.id, user_id=USER, uow=uow)
    assert [(h.hold_number, h.felt) for h in saved.holds] == [(1, Felt.NERVE)]
    assert not keeper.waiting and not keeper.in_memory


def test_a_session_is_refused_until_the_check_is_answered_in_the_words_given(
    routine: Routine,
) -> None:
    with pytest.raises(ScreenDue, match="please answer it right here"):
        plan(FakeUnitOfWork(), routine)


def test_a_yes_blocks_the_session_and_says_where_a_visit_is_recorded(routine: Routine) -> None:
    uow = FakeUnitOfWork()
    yes = tuple(q.code == "unwell" for q in QUESTIONS)
    answer_screen(yes, user_id=USER, uow=uow, now=NOW - timedelta(hours=1))

    with pytest.raises(SafetyBlock, match="with your clinician"):
        plan(uow, routine)


def test_the_hold_someone_chose_stands_over_the_cores_suggestion(
    uow: FakeUnitOfWork, routine: Routine
) -> None:
    for day in (3, 2, 1):  # every hold a pull: the core steps the hold up
        run_session(uow, routine, Felt.PULL, at=NOW - timedelta(days=day))
    suggested = plan(uow, routine)
    prefs = default_preferences(USER, routine, time_zone=ZONE, calendar_token="t")
    uow.preferences.save(prefs.__class__(**{**_fields(prefs), "hold_s": 45.0}), now=NOW)
    saved = plan(uow, routine)
    typed = plan(uow, routine, hold_chosen=True, requested=choose_settings(routine, hold_s=40))

    assert suggested.settings.hold_s > routine.dose.hold_s and suggested.hold_suggested
    assert not suggested.first_run
    assert (saved.settings.hold_s, saved.hold_suggested) == (45.0, False)
    assert (typed.settings.hold_s, typed.hold_suggested) == (40.0, False)


def _fields(value: object) -> dict[str, object]:
    return {name: getattr(value, name) for name in value.__slots__}  # type: ignore[attr-defined]


HOLDS = [
    # held_s, ran to its end, counts as completed, time kept
    (30.0, True, True, 30.0),
    (29.6, True, True, 29.6),
    (29.4, True, False, 29.4),
    (30.0, False, False, 30.0),
    (41.0, True, True, 30.0),
    (-2.0, False, False, 0.0),
]


@pytest.mark.parametrize(
    ("held_s", "ran", "completed", "kept_s"),
    HOLDS,
    ids=["full", "half-second-short", "too-short", "skipped", "over", "negative"],
)
def test_one_rule_says_when_a_hold_counts_as_completed(
    held_s: float, ran: bool, completed: bool, kept_s: float
) -> None:
    hold = ended_hold("s", 1, Side.LEFT, planned_s=30.0, held_s=held_s, completed=ran,
                      ended_at=NOW)  # fmt: skip

    assert (hold.completed, hold.held_s) == (completed, kept_s)


def test_scripted_answers_go_to_every_hold_or_one_each(
    uow: FakeUnitOfWork, routine: Routine
) -> None:
    keep = session_case.store_now(uow)
    settings = choose_settings(routine, reps_per_side=1)
    ids = []
    for scripted in ((Felt.NOTHING,), (Felt.PULL, Felt.NERVE)):
        session = new_session(routine, settings, user_id=USER, now=NOW, time_zone=ZONE)
        session_case.begin(session, keep=keep)
        answers = session_case.FeltAnswers(session.id, keep, scripted=scripted)
        for number, side in enumerate(hold_sides(settings), start=1):
            hold = ended_hold(session.id, number, side, planned_s=30, held_s=30, completed=True,
                              ended_at=NOW)  # fmt: skip
            session_case.record_hold(hold, keep=keep)
            answers.hold_kept(hold)
        ids.append(session.id)

    felt = [[h.felt for h in session_case.owned_session(i, user_id=USER, uow=uow).holds]
            for i in ids]  # fmt: skip
    assert felt == [[Felt.NOTHING, Felt.NOTHING], [Felt.PULL, Felt.NERVE]]


def test_after_a_session_of_nerve_answers_the_advice_eases_off_and_warns(
    uow: FakeUnitOfWork, routine: Routine
) -> None:
    run_session(uow, routine, Felt.NERVE, at=NOW - timedelta(days=1))
    session_id = run_session(uow, routine, Felt.NERVE)

    advice = session_case.advise(session_id, routine, user_id=USER, uow=uow, now=NOW)

    assert "nerve" in advice.reason
    assert advice.warnings
    assert all(w.severity.value != "info" for w in advice.warnings)


def test_a_practice_run_with_tingling_never_changes_the_real_advice(
    uow: FakeUnitOfWork, routine: Routine
) -> None:
    from stretchcoach.services.clinical import verdict

    run_session(uow, routine, Felt.PULL, at=NOW - timedelta(days=1))
    today = verdict(USER, routine, uow=uow, now=NOW, zone=ZoneInfo(ZONE)).plan
    keep = session_case.store_now(uow)
    practice = new_session(routine, choose_settings(routine, reps_per_side=2), user_id=USER,
                           now=NOW, time_zone=ZONE, speed=8.0)  # fmt: skip
    session_case.begin(practice, keep=keep)
    for number, side in enumerate(hold_sides(practice.settings), start=1):
        hold = ended_hold(practice.id, number, side, planned_s=30, held_s=30, completed=True,
                          ended_at=NOW)  # fmt: skip
        session_case.record_hold(hold, keep=keep)
        session_case.record_felt(practice.id, hold.id, Felt.NERVE, keep=keep)
    session_case.finish(practice.id, SessionStatus.COMPLETED, now=NOW, keep=keep)

    advice = session_case.advise(practice.id, routine, user_id=USER, uow=uow, now=NOW)

    assert advice.verdict.plan == today  # what Today shows, reps and all
    assert (advice.verdict.plan.hold_s, advice.verdict.plan.reps) == (35, (3, 3))
    assert advice.note == session_case.PRACTICE_NOTE and advice.practice
    real = session_case.advise(
        run_session(uow, routine, Felt.PULL, at=NOW), routine, user_id=USER, uow=uow, now=NOW
    )
    assert real.note == "" and not real.practice


def test_advice_and_answers_are_only_for_the_persons_own_session(
    uow: FakeUnitOfWork, routine: Routine
) -> None:
    session_id = run_session(uow, routine, Felt.PULL)
    hold_id = session_case.owned_session(session_id, user_id=USER, uow=uow).holds[0].id

    with pytest.raises(NotFound):
        session_case.advise(session_id, routine, user_id="someone-else", uow=uow, now=NOW)
    with pytest.raises(NotFound):
        session_case.answer_felt(session_id, hold_id, Felt.NERVE, user_id="someone-else",
                                 uow=uow)  # fmt: skip
    with pytest.raises(NotFound):
        session_case.answer_felt(session_id, "no-such-hold", Felt.NERVE, user_id=USER, uow=uow)


def test_a_pain_with_places_but_zero_is_refused_before_anything_is_kept(
    uow: FakeUnitOfWork, routine: Routine
) -> None:
    session_id = run_session(uow, routine, Felt.PULL)
    session = session_case.owned_session(session_id, user_id=USER, uow=uow)

    with pytest.raises(InvalidInput, match="pain 0 means no pain"):
        session_case.session_pain(session, 0, PainContext.AFTER, now=NOW, where="left:calf")


def test_a_practice_clock_is_checked_once_for_both_interfaces() -> None:
    session_case.check_speed(1000)

    with pytest.raises(InvalidInput, match="--speed 0 is not allowed"):
        session_case.check_speed(0, option="--speed")
