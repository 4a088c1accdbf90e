"""The guided-session driver turns runner events into cues, screens and saved holds."""

from __future__ import annotations

from stretchcoach.domain.clock import Clock
from stretchcoach.domain.cues import STALLED_CUE
from stretchcoach.domain.routine import Routine, choose_settings
from stretchcoach.domain.runner import HoldResult, Runner
from stretchcoach.domain.timeline import build_timeline
from stretchcoach.domain.values import SessionStatus
from stretchcoach.services.guided import STOP_QUESTION, GuidedSession
from stretchcoach.services.safekeeping import Kept
from stretchcoach.testing import FakeClock, FakeSpeaker, RecordingView, ScriptedKeys


def make(
    routine: Routine, clock: FakeClock, presses: list[tuple[float, str]], saved: list[HoldResult]
) -> tuple[GuidedSession, FakeSpeaker, RecordingView]:
    timeline = build_timeline(routine, choose_settings(routine, reps_per_side=1))
    speaker, view = FakeSpeaker(), RecordingView()
    guided = GuidedSession(
        runner=Runner(timeline, clock),
        clock=clock,
        speaker=speaker,
        view=view,
        keys=ScriptedKeys(presses),
        save_hold=lambda hold: (saved.append(hold), Kept.SAVED)[1],
    )
    return guided, speaker, view


def test_a_session_without_keys_runs_to_the_end_and_saves_each_hold(
    routine: Routine, clock: FakeClock
) -> None:
    saved: list[HoldResult] = []
    guided, _, _ = make(routine, clock, [], saved)

    status = guided.run()

    assert status is SessionStatus.COMPLETED
    assert [(h.side.value, h.held_s) for h in saved] == [("left", 30.0), ("right", 30.0)]
    assert clock.monotonic() == 15 + 30 + 10 + 30


def test_cues_are_spoken_for_each_phase_halfway_and_the_last_five_seconds(
    routine: Routine, clock: FakeClock
) -> None:
    guided, speaker, _ = make(routine, clock, [], [])

    guided.run()

    said = speaker.said
    assert said[0].startswith("Good morning")
    assert (
        "Left leg. Heel down, knee straight but not forced, foot relaxed. Sit tall, chin level, "
        "and lean forward slowly." in said
    )
    assert said.count(routine.cues.halfway) == 2
    assert said.count("5") == 2 and said.count("1") == 2
    assert any("switch to your right leg" in s for s in said)
    assert said[-1] == routine.cues.finish


def test_space_pauses_and_resumes_without_losing_hold_time(
    routine: Routine, clock: FakeClock
) -> None:
    saved: list[HoldResult] = []
    guided, _, _ = make(routine, clock, [(20.0, " "), (80.0, " ")], saved)

    guided.run()

    assert [h.held_s for h in saved] == [30.0, 30.0]
    assert clock.monotonic() == 85 + 60


def test_q_asks_first_and_another_key_carries_on(routine: Routine, clock: FakeClock) -> None:
    saved: list[HoldResult] = []
    guided, _, view = make(routine, clock, [(20.0, "q"), (25.0, "x")], saved)

    status = guided.run()

    assert status is SessionStatus.COMPLETED
    assert any(notice == STOP_QUESTION for _, _, notice in view.frames)
    assert view.frames[-1][2] is None


def test_q_then_y_stops_and_keeps_the_part_of_the_hold_done(
    routine: Routine, clock: FakeClock
) -> None:
    saved: list[HoldResult] = []
    guided, _, _ = make(routine, clock, [(25.0, "q"), (40.0, "y")], saved)

    status = guided.run()

    assert status is SessionStatus.STOPPED
    assert len(saved) == 1
    assert saved[0].held_s == 10.0
    assert saved[0].completed is False


def test_n_skips_the_current_phase(routine: Routine, clock: FakeClock) -> None:
    saved: list[HoldResult] = []
    guided, _, _ = make(routine, clock, [(1.0, "n")], saved)

    guided.run()

    assert clock.monotonic() == 1 + 30 + 10 + 30


def test_each_hold_is_shown_where_it_is_and_a_waiting_hold_is_said_to_be_safe(
    routine: Routine, clock: FakeClock
) -> None:
    outcomes = iter([Kept.WAITING, Kept.SAVED])
    guided, _, view = make(routine, clock, [], [])
    guided.save_hold = lambda result: next(outcomes)

    guided.run()

    assert view.kept == [(1, Kept.WAITING), (2, Kept.SAVED)]
    notices = [n for _, _, n in view.frames if n]
    assert any(n.startswith("Hold 1 is safe on this computer") for n in notices)
    assert "The database answers again: hold 1, which waited, saved now." in notices
    assert guided.kept == {1: Kept.SAVED, 2: Kept.SAVED}


def test_a_hold_kept_only_in_memory_is_never_called_safe(
    routine: Routine, clock: FakeClock
) -> None:
    guided, _, view = make(routine, clock, [], [])
    guided.save_hold = lambda result: Kept.IN_MEMORY

    guided.run()

    notices = [n for _, _, n in view.frames if n]
    assert any("could not be saved, not even on this computer" in n for n in notices)
    assert not any("safe" in n for n in notices)


def test_holds_that_waited_are_said_saved_when_the_next_one_is(
    routine: Routine, clock: FakeClock
) -> None:
    timeline = build_timeline(routine, choose_settings(routine, reps_per_side=2))
    outcomes = iter([Kept.SAVED, Kept.WAITING, Kept.WAITING, Kept.SAVED])
    view = RecordingView()
    guided = GuidedSession(
        runner=Runner(timeline, clock),
        clock=clock,
        speaker=FakeSpeaker(),
        view=view,
        keys=ScriptedKeys([]),
        save_hold=lambda result: next(outcomes),
    )

    guided.run()

    notices = [n for _, _, n in view.frames if n]
    assert "The database answers again: holds 2, 3, which waited, saved now." in notices
    assert guided.kept == dict.fromkeys([1, 2, 3, 4], Kept.SAVED)


def test_a_nerve_answer_makes_every_later_hold_on_that_leg_gentler_at_once(
    routine: Routine, clock: FakeClock
) -> None:
    from stretchcoach.domain.clinical import GENTLER_CUE
    from stretchcoach.domain.feel import Felt

    timeline = build_timeline(routine, choose_settings(routine, reps_per_side=2))
    speaker, view = FakeSpeaker(), RecordingView()
    answers: list[tuple[int, Felt]] = []
    hold_1_ends = 15 + 30
    guided = GuidedSession(
        runner=Runner(timeline, clock),
        clock=clock,
        speaker=speaker,
        view=view,
        keys=ScriptedKeys([(hold_1_ends + 2, "3")]),  # the left leg: tingling below the knee
        save_hold=lambda result: Kept.SAVED,
        on_felt=lambda number, felt: answers.append((number, felt)),
    )

    guided.run()

    assert answers == [(1, Felt.NERVE)]
    said = speaker.said
    starts = [i for i, text in enumerate(said) if text.startswith(("Left leg.", "Right leg."))]
    gentler = [i for i, text in enumerate(said) if text == GENTLER_CUE]
    assert len(starts) == 4 and len(gentler) == 1
    assert said[gentler[0] - 1].startswith("Left leg.")  # hold 3, the next left hold
    assert gentler[0] > starts[1]  # not on the right leg's hold 2
    assert any(notice and "Left leg: Gentler" in notice for _, _, notice in view.frames)


def asking(
    routine: Routine, clock: FakeClock, presses: list[tuple[float, str]], outcomes: list[Kept]
) -> tuple[GuidedSession, RecordingView, list[tuple[int, object]]]:
    timeline = build_timeline(routine, choose_settings(routine, reps_per_side=1))
    view, answers = RecordingView(), []
    kept = iter(outcomes)
    guided = GuidedSession(
        runner=Runner(timeline, clock),
        clock=clock,
        speaker=FakeSpeaker(),
        view=view,
        keys=ScriptedKeys(presses),
        save_hold=lambda result: next(kept),
        on_felt=lambda number, felt: answers.append((number, felt)),
    )
    return guided, view, answers


def test_the_feel_question_comes_as_the_hold_ends_and_stays_above_other_notices(
    routine: Routine, clock: FakeClock
) -> None:
    from stretchcoach.domain.runner import HoldRecorded, PhaseStarted
    from stretchcoach.services.guided import felt_question

    guided, view, answers = asking(routine, clock, [], [Kept.WAITING, Kept.SAVED])

    guided.run()

    ended = next(i for i, (_, events, _) in enumerate(view.frames)
                 if any(isinstance(e, HoldRecorded) for e in events))  # fmt: skip
    second = next(i for i, (_, events, _) in enumerate(view.frames)
                  if any(isinstance(e, PhaseStarted) and e.phase.hold_number == 2
                         for e in events))  # fmt: skip
    for _, _, notice in view.frames[ended:second]:  # the whole rest, with the "safe" notice
        assert notice is not None
        assert notice.splitlines()[0] == felt_question(1)
    assert "safe on this computer" in (view.frames[ended][2] or "")
    assert all(felt_question(1) not in (n or "") for _, _, n in view.frames[second:])
    assert answers == []


def test_the_last_holds_question_waits_after_the_session_for_one_key(
    routine: Routine, clock: FakeClock
) -> None:
    from stretchcoach.domain.feel import Felt
    from stretchcoach.services.guided import felt_question

    session_ends = 15 + 30 + 10 + 30
    guided, view, answers = asking(
        routine, clock, [(session_ends + 40, "2")], [Kept.SAVED, Kept.SAVED]
    )

    status = guided.run()

    assert status is SessionStatus.COMPLETED
    assert answers == [(2, Felt.NOTHING)]
    finished = [notice for snapshot, _, notice in view.frames if snapshot.finished]
    assert finished[0] == felt_question(2)
    assert finished[-1] is None  # answered: the question is gone
    assert guided.felt_pending is None


def test_another_key_passes_over_the_last_question_and_silence_ends_it_in_time(
    routine: Routine, clock: FakeClock
) -> None:
    from stretchcoach.services.guided import LAST_ANSWER_WAIT_S

    session_ends = 15 + 30 + 10 + 30
    passed, _, passed_answers = asking(routine, clock, [(session_ends + 1, "\r")], [Kept.SAVED] * 2)
    passed.run()
    silent_clock = FakeClock()
    silent, _, silent_answers = asking(routine, silent_clock, [], [Kept.SAVED] * 2)

    silent.run()

    assert passed_answers == [] and silent_answers == []
    assert silent_clock.monotonic() == session_ends + LAST_ANSWER_WAIT_S


def test_holds_sent_on_their_way_are_shown_where_the_news_says_they_ended_up(
    routine: Routine, clock: FakeClock
) -> None:
    sent: list[int] = []
    news: list[tuple[int, Kept]] = []

    def send(result: HoldResult) -> Kept:
        sent.append(result.hold_number)
        # the store hangs for hold 1 (it waits on disk), then answers with hold 2
        if result.hold_number == 1:
            news.append((1, Kept.WAITING))
        else:
            news.extend([(1, Kept.SAVED), (2, Kept.SAVED)])
        return Kept.ON_ITS_WAY

    def hold_news() -> list[tuple[int, Kept]]:
        taken = list(news)
        news.clear()
        return taken

    guided, _, view = make(routine, clock, [], [])
    guided.save_hold = send
    guided.hold_news = hold_news

    guided.run()
    guided.settle_news()

    assert sent == [1, 2]
    assert view.kept == [(1, Kept.WAITING), (2, Kept.SAVED)]  # each hold's line once
    notices = [n for _, _, n in view.frames if n]
    assert any(n.startswith("Hold 1 is safe on this computer") for n in notices)
    assert "The database answers again: hold 1, which waited, saved now." in notices
    assert guided.kept == {1: Kept.SAVED, 2: Kept.SAVED}


class StallingKeys:
    """No keys; once the session clock passes `at`, the process is stopped for `for_s`."""

    interactive = True

    def __init__(self, at: float, for_s: float) -> None:
        self.at, self.for_s, self.stalled = at, for_s, False

    def wait(self, clock: Clock, deadline: float | None) -> str | None:
        if not self.stalled and clock.monotonic() >= self.at:
            self.stalled = True
            clock.tick(self.for_s)  # nothing ran: no screen, no voice
            return None
        clock.sleep_until(deadline if deadline is not None else clock.monotonic() + 0.25)
        return None


def test_a_coach_that_was_stopped_says_so_and_counts_only_coached_time(
    routine: Routine, clock: FakeClock
) -> None:
    saved: list[HoldResult] = []
    guided, speaker, view = make(routine, clock, [], saved)
    guided.keys = StallingKeys(at=15 + 5, for_s=60)

    guided.run()

    notices = [n for _, _, n in view.frames if n]
    assert (
        "The coach was stopped for 60 s (this computer or terminal paused it): that time is "
        "not counted, and hold 1 carries on from 5 s." in notices
    )
    assert STALLED_CUE in speaker.said
    assert [(h.held_s, h.completed) for h in saved] == [(30.0, True), (30.0, True)]
    assert clock.monotonic() == 15 + 30 + 10 + 30 + 60  # the stopped minute came on top
