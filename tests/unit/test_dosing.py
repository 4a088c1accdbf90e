"""What the holds felt like sets the next session's dose, always inside the routine's range."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.domain.dosing import Lean, nerve_repeated, suggest
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.routine import Range, Routine, choose_settings
from stretchcoach.domain.runner import HoldResult, Runner
from stretchcoach.domain.timeline import build_timeline
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import NotFound
from stretchcoach.services.dosing import next_suggestion, record_felt
from stretchcoach.services.guided import FELT_QUESTION, GuidedSession
from stretchcoach.services.safekeeping import Kept
from stretchcoach.services.sessions import begin_session, finish_session, record_hold
from stretchcoach.testing import (
    FakeClock,
    FakeSpeaker,
    FakeUnitOfWork,
    RecordingView,
    ScriptedKeys,
)

P, N, X = Felt.PULL, Felt.NOTHING, Felt.NERVE


@pytest.mark.parametrize(
    ("last_hold", "recent", "hold", "lean", "words"),
    [
        (None, [], 30, Lean.SAME, "No answers"),
        (40, [[]], 40, Lean.SAME, "40 s again"),
        (30, [[P, P, P, P, P, P]], 35, Lean.SAME, "try 35 s"),
        (55, [[P, P]], 60, Lean.SAME, "try 60 s"),
        (60, [[P, P]], 60, Lean.SAME, "stay at 60 s"),
        (40, [[P, N, P, N]], 40, Lean.FURTHER, "2 holds felt like nothing much"),
        (45, [[P, X, P]], 35, Lean.LESS, "1 hold reached the nerve"),
        (30, [[X]], 30, Lean.LESS, "keep to 30 s, the shortest"),
        (50, [[], [X, P]], 40, Lean.LESS, "lean less"),
        (30, [[P], [N]], 35, Lean.SAME, "mild pull"),
    ],
    ids=[
        "first-time",
        "no-answers",
        "all-pulls-step-up",
        "step-stops-at-60",
        "at-the-top",
        "nothing-much",
        "nerve-steps-down",
        "nerve-at-the-bottom",
        "latest-answered-session-counts",
        "newest-first",
    ],
)
def test_the_next_dose_follows_what_was_felt(
    routine: Routine,
    last_hold: float | None,
    recent: list[list[Felt]],
    hold: float,
    lean: Lean,
    words: str,
) -> None:
    suggestion = suggest(routine.dose, last_hold_s=last_hold, recent=recent)

    assert (suggestion.hold_s, suggestion.lean) == (hold, lean)
    assert words in suggestion.reason


@pytest.mark.parametrize(
    ("recent", "repeated"),
    [
        ([[X], [P], [X]], True),
        ([[X], [], [X]], True),
        ([[X], [P], [P], [X]], False),
        ([[X]], False),
        ([[P, X, X]], False),
    ],
    ids=["two-of-three", "unanswered-skipped", "too-far-apart", "once", "one-session"],
)
def test_the_nerve_again_and_again_raises_a_flag(recent: list[list[Felt]], repeated: bool) -> None:
    assert nerve_repeated(recent) is repeated


def test_repeated_nerve_answers_say_to_see_someone(routine: Routine) -> None:
    suggestion = suggest(routine.dose, last_hold_s=40, recent=[[X], [X]])

    assert suggestion.nerve_repeated
    assert "doctor or physiotherapist" in suggestion.reason


@given(
    st.floats(0, 200, allow_nan=False),
    st.lists(st.lists(st.sampled_from(list(Felt)), max_size=8), max_size=5),
    st.tuples(st.integers(5, 60), st.integers(0, 60)),
)
def test_a_suggestion_always_stays_inside_the_allowed_range(
    last_hold: float,
    recent: list[list[Felt]],
    bounds: tuple[int, int],
) -> None:
    low, span = bounds
    dose = replace(load_builtin().dose, hold_range=Range(low, low + span))

    suggestion = suggest(dose, last_hold_s=last_hold, recent=recent)

    assert low <= suggestion.hold_s <= low + span
    assert suggestion.reason


def run_session(
    routine: Routine, uow: FakeUnitOfWork, felts: list[Felt | None], *, practice: bool = False
) -> str:
    settings = choose_settings(routine, reps_per_side=len(felts) // 2)
    session = begin_session(
        routine,
        settings,
        user_id="u",
        uow=uow,
        now=FakeClock().now(),
        time_zone="UTC",
        speed=2.0 if practice else 1.0,
    )
    for number, felt in enumerate(felts, start=1):
        side = Side.LEFT if number % 2 else Side.RIGHT
        result = HoldResult(number, side, settings.hold_s, settings.hold_s, True)
        hold = record_hold(session.id, result, uow=uow, now=FakeClock().now())
        if felt is not None:
            record_felt(session.id, hold.id, felt, user_id="u", uow=uow)
    finish_session(session.id, SessionStatus.COMPLETED, uow=uow, now=FakeClock().now())
    return session.id


def test_the_stored_answers_of_real_sessions_set_the_next_real_dose(routine: Routine) -> None:
    uow = FakeUnitOfWork()
    run_session(routine, uow, [P, P])
    run_session(routine, uow, [X, X], practice=True)

    real = next_suggestion("u", routine, uow=uow)
    practice = next_suggestion("u", routine, uow=uow, practice=True)

    assert (real.hold_s, real.lean) == (35, Lean.SAME)
    assert practice.lean is Lean.LESS


def test_a_feel_cannot_be_kept_on_someone_elses_hold(routine: Routine) -> None:
    uow = FakeUnitOfWork()
    session_id = run_session(routine, uow, [None, None])
    hold_id = uow.sessions.get(session_id).holds[0].id

    with pytest.raises(NotFound, match=repr(hold_id)):
        record_felt(session_id, hold_id, P, user_id="intruder", uow=uow)
    with pytest.raises(NotFound):
        record_felt(session_id, "no-such-hold", P, user_id="u", uow=uow)
    assert uow.sessions.get(session_id).holds[0].felt is None


def guided(
    routine: Routine, clock: FakeClock, presses: list[tuple[float, str]]
) -> tuple[GuidedSession, list[tuple[int, Felt]], RecordingView]:
    timeline = build_timeline(routine, choose_settings(routine, reps_per_side=2))
    answers: list[tuple[int, Felt]] = []
    view = RecordingView()
    session = GuidedSession(
        runner=Runner(timeline, clock),
        clock=clock,
        speaker=FakeSpeaker(),
        view=view,
        keys=ScriptedKeys(presses),
        save_hold=lambda result: Kept.SAVED,
        on_felt=lambda number, felt: answers.append((number, felt)),
    )
    return session, answers, view


def test_one_key_in_the_release_answers_for_the_hold_without_stopping_the_timer(
    routine: Routine, clock: FakeClock
) -> None:
    # get ready 15 s, hold 1 ends at 45, release to 55, hold 2 ends at 85, release to 95 ...
    session, answers, view = guided(routine, clock, [(47.0, "1"), (88.0, "3"), (100.0, "2")])

    status = session.run()

    assert status is SessionStatus.COMPLETED
    assert answers == [(1, Felt.PULL), (2, Felt.NERVE)]  # the "2" came mid-hold 3: ignored
    assert clock.monotonic() == 15 + 4 * 30 + 3 * 10
    notices = [notice for _, _, notice in view.frames]
    assert FELT_QUESTION in notices
    assert session.felt_pending == 4  # the last hold is asked after the session


def test_without_a_hook_the_number_keys_do_nothing(routine: Routine, clock: FakeClock) -> None:
    timeline = build_timeline(routine, choose_settings(routine, reps_per_side=1))
    view = RecordingView()
    session = GuidedSession(
        runner=Runner(timeline, clock),
        clock=clock,
        speaker=FakeSpeaker(),
        view=view,
        keys=ScriptedKeys([(47.0, "1")]),
        save_hold=lambda result: Kept.SAVED,
    )

    session.run()

    assert session.felt_pending is None
    assert all(notice != FELT_QUESTION for _, _, notice in view.frames)
