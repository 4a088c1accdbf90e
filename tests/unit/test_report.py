"""The clinician report's figures: the period's mornings, checks, dose and nerve answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.domain.adherence import MorningWindow
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.safety import Care
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import Hold, Session, new_id
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.errors import InvalidInput
from stretchcoach.services.report import check_name, clinician_report
from stretchcoach.testing import FakeUnitOfWork

ZONE = "America/New_York"
ME = "me"
# 09:00 on 20 Nov in New York: today's morning (04:00-12:00) is still open.
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo(ZONE)).astimezone(UTC)
TODAY = date(2026, 11, 20)


def at(day: date, hour: int = 7) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=ZoneInfo(ZONE)).astimezone(UTC)


def session(
    uow: FakeUnitOfWork,
    day: date,
    felts: list[Felt | None],
    *,
    hour: int = 7,
    practice: bool = False,
    status: SessionStatus = SessionStatus.COMPLETED,
    hold_s: float = 30.0,
    user: str = ME,
) -> Session:
    start = at(day, hour)
    s = Session(
        new_id(),
        user,
        "seated-hamstring",
        "Seated hamstring",
        start,
        ZONE,
        SessionSettings(hold_s, 3, Side.LEFT, 10.0),
        practice=practice,
        status=status,
        ended_at=start + timedelta(minutes=5),
    )
    uow.sessions.add(s)
    for n, felt in enumerate(felts, start=1):
        side = Side.LEFT if n % 2 else Side.RIGHT
        held = hold_s if n != 2 else hold_s / 2
        ended = start + timedelta(seconds=40 * n)
        uow.sessions.add_hold(
            Hold(new_id(), s.id, n, side, hold_s, held, held == hold_s, ended, felt)
        )
    return s


def report(uow: FakeUnitOfWork, days: int = 14):  # type: ignore[no-untyped-def]
    return clinician_report(
        ME,
        routine=load_builtin(),
        uow=uow,
        now=NOW,
        time_zone=ZONE,
        window=MorningWindow(),
        days=days,
    )


def test_the_period_counts_its_own_mornings_and_leaves_an_open_today_out() -> None:
    uow = FakeUnitOfWork()
    for back in (1, 2, 3, 13, 14):  # day 14 back is just outside a 14-day period
        session(uow, TODAY - timedelta(days=back), [Felt.PULL])
    session(uow, TODAY - timedelta(days=4), [Felt.PULL], hour=19)  # an evening: not a morning
    session(uow, TODAY - timedelta(days=5), [Felt.PULL], practice=True)

    found = report(uow)

    assert (found.first_day, found.today) == (TODAY - timedelta(days=13), TODAY)
    assert (found.mornings.done, found.mornings.of_days) == (4, 13)
    assert found.insight.habit.today_open


def test_a_morning_done_today_counts_in_a_full_period() -> None:
    uow = FakeUnitOfWork()
    session(uow, TODAY, [Felt.PULL], hour=8)

    found = report(uow, days=7)

    assert (found.mornings.done, found.mornings.of_days) == (1, 7)


def test_the_dose_covers_real_sessions_that_ended_in_the_period() -> None:
    uow = FakeUnitOfWork()
    session(uow, TODAY - timedelta(days=30), [None] * 6, hold_s=30)  # before the period
    session(uow, TODAY - timedelta(days=3), [None] * 6, hold_s=35)
    session(uow, TODAY - timedelta(days=2), [None] * 3, status=SessionStatus.STOPPED, hold_s=40)
    session(uow, TODAY - timedelta(days=1), [None] * 6, practice=True, hold_s=60)

    dose = report(uow).dose

    assert (dose.sessions, dose.completed, dose.holds, dose.full_holds) == (2, 1, 9, 7)
    assert dose.mean_held_s == pytest.approx((35 * 5 + 17.5 + 40 * 2 + 20) / 9)
    assert (dose.last_hold_s, dose.last_reps) == (40, "3 per leg")
    assert dose.routines == ("Seated hamstring",)


def test_nerve_answers_are_counted_with_their_days_newest_first() -> None:
    uow = FakeUnitOfWork()
    session(uow, TODAY - timedelta(days=6), [Felt.NERVE, Felt.PULL])
    session(uow, TODAY - timedelta(days=4), [Felt.NOTHING, None, Felt.PULL])
    session(uow, TODAY - timedelta(days=2), [Felt.PULL, Felt.NERVE, Felt.NERVE])
    session(uow, TODAY - timedelta(days=1), [Felt.NERVE], practice=True)

    nerve = report(uow).nerve

    assert (nerve.holds_rated, nerve.pull, nerve.nothing, nerve.nerve) == (7, 3, 1, 3)
    assert nerve.nerve_days == (TODAY - timedelta(days=2), TODAY - timedelta(days=6))
    assert nerve.repeated  # two of the last three answered sessions


def test_checks_in_the_period_come_newest_first_with_their_yes_answers() -> None:
    uow = FakeUnitOfWork()
    old = ScreenResult(new_id(), ME, at(TODAY - timedelta(days=40)), (True,) + (False,) * 7)
    clear = ScreenResult(new_id(), ME, at(TODAY - timedelta(days=10)), (False,) * 8)
    cancer = (False,) * 5 + (True, False, False)
    latest = ScreenResult(new_id(), ME, at(TODAY - timedelta(days=1)), cancer)
    for screen in (old, clear, latest):
        uow.screens.add(screen)
    uow.screens.add(ScreenResult(new_id(), "someone-else", at(TODAY), (True,) * 8))

    found = report(uow)

    assert [line.care for line in found.screens] == [Care.WITHIN_DAYS, None]
    assert [q.clinical for q in found.screens[0].yes] == ["History of cancer"]
    assert found.screens[0].answered_at.tzinfo is not None
    assert found.screen.latest == latest


def test_where_the_pain_reached_is_a_series_for_every_day_of_the_period() -> None:
    uow = FakeUnitOfWork()
    for back, where in ((5, "left:calf"), (1, "left:buttock,right:thigh")):
        uow.journal.add(
            PainEntry(
                new_id(),
                ME,
                at(TODAY - timedelta(days=back)),
                ZONE,
                5,
                parse_sites(where),
                PainContext.STANDALONE,
            )
        )

    reach = report(uow, days=7).reach

    assert [d.label for d in reach[Side.LEFT]] == [
        "no record",
        "calf",
        "no record",
        "no record",
        "no record",
        "buttock",
        "no record",
    ]
    assert reach[Side.RIGHT][5].label == "thigh" and reach[Side.RIGHT][1].label == "no pain"


def test_an_empty_history_still_makes_a_report() -> None:
    found = report(FakeUnitOfWork(), days=30)

    assert found.dose.sessions == 0 and found.dose.mean_held_s is None
    assert found.nerve.holds_rated == 0 and not found.nerve.repeated
    assert found.screens == () and found.screen.latest is None
    assert found.mornings.done == 0


@pytest.mark.parametrize("days", [0, -3, 3661])
def test_a_period_outside_1_to_3660_days_is_refused(days: int) -> None:
    with pytest.raises(InvalidInput, match="--days"):
        report(FakeUnitOfWork(), days=days)


def test_the_name_is_one_tidy_line() -> None:
    assert check_name("  Ann   Example ") == "Ann Example"
    assert check_name("") is None and check_name(None) is None
    for bad in ("x" * 81, "Ann\x07", "Ann\u202e", "\u200dAnn"):
        with pytest.raises(InvalidInput, match="the name"):
            check_name(bad)


@pytest.mark.parametrize(
    "name",
    [
        "Ana 👩\u200d⚕\ufe0f",  # woman health worker: a joiner between two emoji
        "Sam 👨\u200d👩\u200d👧",  # family
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Ian",  # Scotland's flag
        "میرزا\u200cرضا",  # Persian, a non-joiner inside the name
        "王秀英",
        "さくら 山田",
        "김민지",
        "प्रिया शर्मा",
        "สมชาย ใจดี",
        "محمد علي",
    ],
    ids=[
        "health-worker",
        "family",
        "flag",
        "persian",
        "chinese",
        "japanese",
        "korean",
        "devanagari",
        "thai",
        "arabic",
    ],
)
def test_a_name_in_any_script_or_with_emoji_joiners_is_kept_as_typed(name: str) -> None:
    assert check_name(name) == name


def test_the_change_around_a_session_counts_only_sessions_in_the_period() -> None:
    uow = FakeUnitOfWork()
    for back, (before, after) in ((1, (6, 3)), (0, (5, 4))):
        s = session(uow, TODAY - timedelta(days=back), [Felt.PULL], hour=7 if back else 8)
        for context, score in ((PainContext.BEFORE, before), (PainContext.AFTER, after)):
            uow.journal.add(
                PainEntry(new_id(), ME, s.started_at, ZONE, score, frozenset(), context, s.id)
            )

    one_day = report(uow, days=1)
    two_days = report(uow, days=2)

    assert (one_day.insight.effect.sessions, one_day.insight.effect.mean_change) == (1, -1)
    assert (two_days.insight.effect.sessions, two_days.insight.effect.mean_change) == (2, -2)
    assert one_day.dose.sessions == 1


def test_the_pdf_shows_the_figures_a_clinician_reads_first() -> None:
    import io

    from pypdf import PdfReader

    from stretchcoach.adapters.report_pdf import render
    from stretchcoach.domain.form.metrics import HoldForm

    uow = FakeUnitOfWork()
    for back, (left, right) in ((10, (110.0, 100.0)), (3, (114.0, 101.0))):
        s = session(uow, TODAY - timedelta(days=back), [Felt.PULL, Felt.NERVE])
        for hold, degrees in zip(s.holds, (left, right), strict=True):
            uow.hold_form.add(hold.id, HoldForm(hold.side, 0, 30, 28, degrees, 175.0))
    uow.screens.add(ScreenResult(new_id(), ME, at(TODAY - timedelta(days=2)), (False,) * 8))

    pdf = render(report(uow), patient="Ann <Example> & Co")

    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert len(reader.pages) == 2
    assert "Patient: Ann <Example> & Co" in text  # escaped for the layout, shown as typed
    assert "Left: 110° to 114° (+4.0° a week). Right: 100° to 101° (+1.0° a week)." in text
    assert "2 of 4 rated holds, on 2 days." in text
    assert "Latest 18 Nov 2026: all no" in text
    assert "Nothing flagged" not in text and "Watch" in text  # the nerve, twice running
    assert "Neural symptoms (below the knee) in repeated sessions" in text  # for a clinician


@pytest.mark.parametrize("warnings", [5, 9, 16])
def test_many_warnings_never_leave_a_chart_behind_or_a_footer_wrong(warnings: int) -> None:
    import dataclasses
    import io

    from pypdf import PdfReader

    from stretchcoach.adapters.report_pdf import render
    from stretchcoach.domain.safety import Flag, Severity

    uow = FakeUnitOfWork()
    session(uow, TODAY - timedelta(days=1), [Felt.PULL])
    found = report(uow)
    words = "Ease off next time: a gentler lean, stopping at a mild pull, and see a GP. " * 3
    flags = tuple(Flag(f"f{n}", Severity.EASE_OFF, words) for n in range(warnings))
    busy = dataclasses.replace(found.insight.verdict, flags=flags)
    crowded = dataclasses.replace(found, insight=dataclasses.replace(found.insight, verdict=busy))

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(render(crowded))).pages]

    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))
    if warnings <= 5:  # every flag there is at once: still two pages
        assert len(pages) == 2
    text = " ".join(" ".join(pages).split())
    assert "Pain before and after each session" in text
    assert "How far down each leg the pain reached" in text


def test_ratings_around_a_practice_run_are_counted_as_left_out_of_the_period() -> None:
    uow = FakeUnitOfWork()
    old = session(uow, TODAY - timedelta(days=20), [Felt.PULL], practice=True)
    recent = session(uow, TODAY - timedelta(days=2), [Felt.PULL], practice=True)
    real = session(uow, TODAY - timedelta(days=1), [Felt.PULL])
    for s, score in ((old, 6), (recent, 5), (recent, 4), (real, 3)):
        uow.journal.add(
            PainEntry(
                new_id(), ME, s.started_at, ZONE, score, frozenset(), PainContext.BEFORE, s.id
            )
        )

    found = report(uow)

    assert found.insight.practice_ratings == 2  # the old run's rating is outside the period
    assert found.insight.trend.first_day == TODAY - timedelta(days=1)  # the real one counts


def _pdf_text(uow: FakeUnitOfWork) -> str:
    import io

    from pypdf import PdfReader

    from stretchcoach.adapters.report_pdf import render

    reader = PdfReader(io.BytesIO(render(report(uow))))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _answered(uow: FakeUnitOfWork, *yes: str) -> None:
    from stretchcoach.domain.safety import QUESTIONS, SCREEN_VERSION

    answers = tuple(q.code in yes for q in QUESTIONS)
    when = at(TODAY - timedelta(days=2))
    uow.screens.add(ScreenResult(new_id(), ME, when, answers, SCREEN_VERSION, stored_at=when))


def test_while_a_yes_pauses_the_stretch_the_report_gives_no_next_dose_and_says_why() -> None:
    uow = FakeUnitOfWork()
    session(uow, TODAY - timedelta(days=3), [Felt.PULL] * 6)
    _answered(uow, "cancer")

    found = report(uow)
    text = _pdf_text(uow)

    assert found.dose.next_session.startswith("none while the stretch is paused")
    assert "History of cancer" in found.dose.next_session
    assert " s holds" not in found.dose.next_session
    assert "Next session: none while the stretch is paused" in text
    assert "try 35 s" not in text and "35 s holds" not in text


def test_while_a_stop_rule_pauses_the_stretch_the_report_speaks_of_the_patient() -> None:
    uow = FakeUnitOfWork()
    _answered(uow)
    for back, score in ((4, 3), (3, 3), (2, 6), (1, 8)):
        s = session(uow, TODAY - timedelta(days=back), [Felt.PULL] * 6)
        uow.journal.add(PainEntry(new_id(), ME, s.started_at, ZONE, score,
                                  parse_sites("left:thigh"), PainContext.BEFORE, s.id))  # fmt: skip

    next_session = report(uow).dose.next_session

    assert next_session.startswith("none while the stretch is paused")
    assert "the patient's pain" in next_session
    assert " your " not in f" {next_session} " and " you " not in f" {next_session} "


def test_when_the_stretch_may_go_on_the_report_gives_the_dose_in_a_clinicians_words() -> None:
    uow = FakeUnitOfWork()
    _answered(uow)
    session(uow, TODAY - timedelta(days=1), [Felt.PULL] * 6)

    next_session = report(uow).dose.next_session

    assert next_session == (
        "35 s holds, 3 per leg, the same lean. Every hold a mild pull in the thigh last "
        "session: up to 35 s."
    )
    assert "Next session: 35 s holds, 3 per leg" in _pdf_text(uow)
