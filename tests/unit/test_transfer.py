"""Export and import: a lossless round trip in JSON and CSV, all-or-nothing, idempotent."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from stretchcoach.adapters.transfer import (
    from_csv,
    from_spreadsheet,
    read_export,
    spreadsheet_safe,
    to_csv,
    to_json,
)
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext, PainEntry, PainSite, Region
from stretchcoach.domain.plausible import HELD_MARGIN_S
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import Hold, Owner, Session, new_id
from stretchcoach.domain.text import clean_text
from stretchcoach.domain.values import Order, SessionStatus, Side
from stretchcoach.errors import InvalidInput
from stretchcoach.services.transfer import Bundle, export_bundle, import_bundle
from stretchcoach.testing import FakeUnitOfWork

ME = "me"
NOW = datetime(2101, 1, 1, 9, 0, tzinfo=UTC)  # after every date the tests generate
FORMATS = ["json", "csv"]


def write(bundle: Bundle, fmt: str) -> str:
    return to_json(bundle, now=NOW) if fmt == "json" else to_csv(bundle)


def fill(uow: FakeUnitOfWork, user: str = ME) -> None:
    """Two sessions (one practice, one stopped), holds with and without a feeling, ratings
    with awkward notes, and a screen."""
    start = datetime(2026, 3, 29, 0, 30, 0, 123456, tzinfo=UTC)  # the night London moves to BST
    first = Session(
        new_id(),
        user,
        "seated-hamstring",
        "Seated hamstring, “gentle”",
        start,
        "Europe/London",
        SessionSettings(hold_s=32.5, reps_per_side=3, first_side=Side.RIGHT, rest_s=0.1 + 0.2),
        status=SessionStatus.COMPLETED,
        ended_at=start + timedelta(minutes=6),
        last_seen_at=start + timedelta(minutes=6),
        owner=Owner("laptop", 4242),
    )
    second = Session(
        new_id(),
        user,
        "seated-hamstring",
        "Seated hamstring",
        start + timedelta(days=1),
        "Asia/Tokyo",
        SessionSettings(
            hold_s=30, reps_per_side=4, first_side=Side.LEFT, rest_s=10, order=Order.BLOCKED
        ),
        practice=True,
        speed=8.0,
        status=SessionStatus.STOPPED,
    )
    uow.sessions.add(first)
    uow.sessions.add(second)
    for n, felt in enumerate([Felt.PULL, None, Felt.NERVE], start=1):
        uow.sessions.add_hold(
            Hold(
                new_id(),
                first.id,
                n,
                Side.RIGHT if n % 2 else Side.LEFT,
                32.5,
                32.5 - n / 3,
                n != 2,
                start + timedelta(seconds=40 * n),
                felt,
            )
        )
    sites = frozenset({PainSite(Side.LEFT, Region.CALF), PainSite(Side.RIGHT, Region.BUTTOCK)})
    uow.journal.add(
        PainEntry(
            new_id(), user, start, "Europe/London", 6, sites, PainContext.BEFORE, first.id, ""
        )
    )
    uow.journal.add(
        PainEntry(
            new_id(),
            user,
            start + timedelta(minutes=7),
            "Europe/London",
            4,
            frozenset(),
            PainContext.AFTER,
            first.id,
            'better, "much"\nbetter; café',
        )
    )
    uow.journal.add(
        PainEntry(new_id(), user, start + timedelta(days=2), "UTC", 0, frozenset(), note=",")
    )
    uow.screens.add(ScreenResult(new_id(), user, start - timedelta(days=1), (False,) * 7 + (True,)))


def snapshot(uow: FakeUnitOfWork, user: str = ME) -> dict[str, Any]:
    """Every field of every record, comparable (sessions compare by identity otherwise)."""
    return json.loads(write(export_bundle(user, uow=uow), "json")) | {"exported_at": None}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_record_survives_the_round_trip_with_its_id(fmt: str) -> None:
    source, target = FakeUnitOfWork(), FakeUnitOfWork()
    fill(source)

    text = write(export_bundle(ME, uow=source), fmt)
    result = import_bundle(read_export(text, user_id=ME), user_id=ME, uow=target, now=NOW)

    assert snapshot(target) == snapshot(source)
    assert result.added == {"session": 2, "hold": 3, "pain": 3, "screen": 1, "seen": 0}
    assert sum(result.skipped.values()) == 0
    original = source.sessions.list_recent(ME)[-1]
    copied = target.sessions.get(original.id)
    assert copied.started_at == original.started_at
    assert copied.settings == original.settings and copied.owner == original.owner
    assert copied.holds == original.holds


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_the_same_file_twice_adds_nothing_the_second_time(fmt: str) -> None:
    source, target = FakeUnitOfWork(), FakeUnitOfWork()
    fill(source)
    text = write(export_bundle(ME, uow=source), fmt)
    import_bundle(read_export(text, user_id=ME), user_id=ME, uow=target, now=NOW)
    before = snapshot(target)

    again = import_bundle(read_export(text, user_id=ME), user_id=ME, uow=target, now=NOW)

    assert snapshot(target) == before
    assert sum(again.added.values()) == 0
    assert again.skipped == {"session": 2, "hold": 3, "pain": 3, "screen": 1, "seen": 0}
    where = "row" if fmt == "csv" else "record"
    assert len(again.skipped_records) == 9
    assert all(where in named and "('" in named for named in again.skipped_records)


def test_records_land_with_the_person_importing_them() -> None:
    source, target = FakeUnitOfWork(), FakeUnitOfWork()
    fill(source, user="old-phone")

    text = write(export_bundle("old-phone", uow=source), "csv")
    import_bundle(read_export(text, user_id=ME), user_id=ME, uow=target, now=NOW)

    assert len(target.sessions.list_recent(ME)) == 2
    assert {e.user_id for e in target.journal.items.values()} == {ME}


def csv_edit(row: int, column: str, value: str) -> Callable[[str], str]:
    """Change one cell; `row` counts lines as a spreadsheet does (the header is row 1)."""

    def edit(text: str) -> str:
        rows = list(csv.DictReader(io.StringIO(text)))
        rows[row - 2][column] = value
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    return edit


def json_edit(list_name: str, index: int, field: str, value: Any) -> Callable[[str], str]:
    def edit(text: str) -> str:
        data = json.loads(text)
        data[list_name][index][field] = value
        return json.dumps(data)

    return edit


# CSV rows: 2-3 sessions, 4-6 holds, 7-9 pain, 10 screen.
@pytest.mark.parametrize(
    ("fmt", "edit", "message"),
    [
        ("csv", csv_edit(5, "held_s", "long"), "row 5, field 'held_s': 'long' is not allowed"),
        ("csv", csv_edit(8, "score", "11"), "row 8, field 'score': pain 11 is not on the scale"),
        ("csv", csv_edit(3, "started_at", "2026-03-30 07:00"), "row 3, field 'started_at'"),
        ("csv", csv_edit(2, "time_zone", "Mars/Base"), "row 2, field 'time_zone'"),
        ("csv", csv_edit(4, "felt", "itchy"), "row 4, field 'felt': 'itchy' is not allowed"),
        ("csv", csv_edit(7, "sites", "left:knee"), "row 7, field 'sites'"),
        ("csv", csv_edit(10, "answers", "0,0,1"), "row 10, field 'answers'"),
        ("csv", csv_edit(6, "id", "not-a-uuid"), "row 6, field 'id'"),
        ("csv", csv_edit(9, "record", "mood"), "row 9, field 'record'"),
        ("csv", csv_edit(6, "session_id", new_id()), "row 6, field 'session_id'"),
        ("csv", csv_edit(6, "hold_number", "1"), "row 6, field 'hold_number'"),
        ("csv", csv_edit(3, "practice", "maybe"), "row 3, field 'practice'"),
        (
            "json",
            json_edit("pain_entries", 1, "context", "during"),
            "pain_entries record 2, field 'context': 'during' is not allowed",
        ),
        ("json", json_edit("holds", 0, "completed", "yes"), "holds record 1, field 'completed'"),
        ("json", json_edit("sessions", 1, "speed", 0), "sessions record 2, field 'speed'"),
        ("json", json_edit("screens", 0, "answered_at", None), "screens record 1, field"),
    ],
    ids=[
        "csv-number",
        "csv-score",
        "csv-naive-time",
        "csv-zone",
        "csv-felt",
        "csv-site",
        "csv-answers",
        "csv-id",
        "csv-record-kind",
        "csv-unknown-session",
        "csv-hold-number-taken",
        "csv-boolean",
        "json-context",
        "json-boolean",
        "json-speed",
        "json-missing-time",
    ],
)
def test_the_first_problem_is_named_by_row_and_field_and_nothing_is_written(
    fmt: str, edit: Callable[[str], str], message: str
) -> None:
    source, target = FakeUnitOfWork(), FakeUnitOfWork()
    fill(source)
    text = edit(write(export_bundle(ME, uow=source), fmt))

    with pytest.raises(InvalidInput, match=message) as raised:
        import_bundle(read_export(text, user_id=ME), user_id=ME, uow=target, now=NOW)

    assert "nothing was imported" in str(raised.value)
    assert target.committed == 0
    assert snapshot(target)["sessions"] == [] and target.journal.items == {}


def test_a_record_id_taken_by_someone_else_is_refused() -> None:
    mine, theirs = FakeUnitOfWork(), FakeUnitOfWork()
    fill(mine)
    text = write(export_bundle(ME, uow=mine), "csv")
    import_bundle(read_export(text, user_id="them"), user_id="them", uow=theirs, now=NOW)

    with pytest.raises(InvalidInput, match=r"row 2, field 'id': .* is someone else's record"):
        import_bundle(read_export(text, user_id=ME), user_id=ME, uow=theirs, now=NOW)


def test_the_same_id_twice_in_a_file_is_refused() -> None:
    source = FakeUnitOfWork()
    fill(source)
    text = write(export_bundle(ME, uow=source), "csv")
    lines = text.splitlines(keepends=True)
    doubled = "".join([*lines, lines[-1]])  # the screen again, as row 11

    with pytest.raises(InvalidInput, match=r"row 11, field 'id': .* is already the id of row 10"):
        import_bundle(read_export(doubled, user_id=ME), user_id=ME, uow=FakeUnitOfWork(), now=NOW)


def test_holds_can_join_a_session_that_is_already_there() -> None:
    source, target = FakeUnitOfWork(), FakeUnitOfWork()
    fill(source)
    bundle = export_bundle(ME, uow=source)
    sessions_only = Bundle(sessions=bundle.sessions)
    import_bundle(sessions_only, user_id=ME, uow=target, now=NOW)

    holds_only = from_csv(to_csv(Bundle(holds=bundle.holds)), user_id=ME)
    result = import_bundle(holds_only, user_id=ME, uow=target, now=NOW)

    assert result.added["hold"] == 3
    assert snapshot(target) == snapshot(source) | {"pain_entries": [], "screens": []}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello", "not a stretchcoach export"),
        ('{"format": "other"}', "not a stretchcoach export"),
        ('{"format": "stretchcoach-export", "version": 9}', "version 9 is not supported"),
        ("{", "not valid JSON"),
        ("record,id\nsession,x\n", "the CSV has no 'started_at' column"),
    ],
    ids=["text", "other-json", "future-version", "broken-json", "short-header"],
)
def test_a_file_that_is_not_an_export_is_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_export(text, user_id=ME)


notes = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40).filter(
    lambda note: _is_clean(note)  # what `log --note` and the web accept: printable, normalised
)


def _is_clean(note: str) -> bool:
    try:
        return clean_text(note, field="note", max_length=500, multiline=True) == note
    except InvalidInput:
        return False


sites = st.frozensets(st.builds(PainSite, st.sampled_from(Side), st.sampled_from(Region)))


@settings(max_examples=40, deadline=None)
@given(
    score=st.integers(0, 10),
    where=sites,
    note=notes,
    at=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2026, 6, 1), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(["UTC", "Europe/London", "America/St_Johns", "Asia/Kathmandu"]),
    context=st.sampled_from(PainContext),
    fmt=st.sampled_from(FORMATS),
)
def test_any_pain_entry_comes_back_exactly(
    score: int,
    where: frozenset[PainSite],
    note: str,
    at: datetime,
    zone: str,
    context: PainContext,
    fmt: str,
) -> None:
    entry = PainEntry(new_id(), ME, at, zone, score, where, context, None, note.replace("\r", ""))
    uow = FakeUnitOfWork()

    back = read_export(write(Bundle(pain=[_located(entry)]), fmt), user_id=ME)
    import_bundle(back, user_id=ME, uow=uow, now=NOW)

    assert uow.journal.get(entry.id) == entry


@settings(max_examples=40, deadline=None)
@given(
    planned=st.floats(min_value=0, max_value=600, allow_nan=False),
    held=st.floats(min_value=0, max_value=600, allow_nan=False),
    fmt=st.sampled_from(FORMATS),
)
def test_any_hold_time_comes_back_to_the_last_bit(planned: float, held: float, fmt: str) -> None:
    assume(held <= planned + HELD_MARGIN_S)
    uow = FakeUnitOfWork()
    fill(uow)
    session = uow.sessions.list_recent(ME)[0]
    hold = Hold(new_id(), session.id, 9, Side.LEFT, planned, held, True, NOW, Felt.NOTHING)

    back = read_export(write(Bundle(holds=[_located(hold)]), fmt), user_id=ME)
    import_bundle(back, user_id=ME, uow=uow, now=NOW)

    assert uow.sessions.get(session.id).holds[-1] == hold


def _located(record: Any) -> Any:
    from stretchcoach.services.transfer import Located

    return Located(record)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_large_import_reports_its_progress_while_checking_and_saving(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stretchcoach.adapters.transfer as reader
    import stretchcoach.services.transfer as saver

    monkeypatch.setattr(reader, "EVERY", 2)
    monkeypatch.setattr(saver, "BATCH", 3)
    source, target = FakeUnitOfWork(), FakeUnitOfWork()
    fill(source)
    text = write(export_bundle(ME, uow=source), fmt)
    checked: list[tuple[int, int]] = []
    saved: list[tuple[int, int]] = []

    bundle = read_export(text, user_id=ME, progress=lambda *p: checked.append(p))
    import_bundle(bundle, user_id=ME, uow=target, now=NOW, progress=lambda *p: saved.append(p))

    total = sum(bundle.counts().values())
    assert checked and all(done <= of for done, of in checked)
    assert [done for done, _ in checked] == sorted(done for done, _ in checked)
    assert saved[-1] == (total, total)
    assert len(saved) >= total // 3


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_visits_recorded_and_legs_cut_down_travel_and_keep_the_gate_as_it_was(fmt: str) -> None:
    from datetime import date
    from zoneinfo import ZoneInfo

    from stretchcoach.adapters.routine_file import load_builtin
    from stretchcoach.domain.safety import QUESTIONS, SCREEN_VERSION
    from stretchcoach.domain.screening import Acknowledgement
    from stretchcoach.services.clinical import verdict

    source = FakeUnitOfWork()
    day = datetime(2100, 6, 1, 8, 0, tzinfo=UTC)
    cancer = tuple(q.code == "cancer" for q in QUESTIONS)
    weight = tuple(q.code == "weight-loss" for q in QUESTIONS)
    no = (False,) * len(QUESTIONS)
    source.screens.add(ScreenResult(new_id(), ME, day, cancer, SCREEN_VERSION, stored_at=day))
    seen = Acknowledgement(new_id(), ME, ("cancer",), date(2100, 6, 2), ME, "You", "fine",
                           day + timedelta(days=1))  # fmt: skip
    source.screens.add_acknowledgement(seen)
    later = day + timedelta(days=2)
    source.screens.add(ScreenResult(new_id(), ME, later, weight, SCREEN_VERSION, stored_at=later))
    after = later + timedelta(minutes=1)
    source.screens.add(ScreenResult(new_id(), ME, after, no, SCREEN_VERSION, stored_at=after))
    cut = SessionSettings(30, 3, Side.LEFT, 10, side_reps=(2, 3))
    ended = day + timedelta(minutes=5)
    session = Session(new_id(), ME, "seated-hamstring", "Seated hamstring", day, "UTC", cut,
                      status=SessionStatus.COMPLETED, ended_at=ended)  # fmt: skip
    source.sessions.add(session)

    text = write(export_bundle(ME, uow=source), fmt)
    target = FakeUnitOfWork()
    result = import_bundle(read_export(text, user_id="you"), user_id="you", uow=target, now=NOW)

    assert result.added["seen"] == 1 and result.added["screen"] == 3
    with target:
        (kept,) = target.screens.acknowledgements("you")
        (moved,) = target.sessions.list_recent("you")
    assert (kept.codes, kept.seen_on, kept.note, kept.by_clinician) == (
        ("cancer",),
        date(2100, 6, 2),
        "fine",
        False,
    )
    assert moved.settings.side_reps == (2, 3)
    gate = verdict("you", load_builtin(), uow=target, now=NOW, zone=ZoneInfo("UTC")).gate
    assert [e.question.code for e in gate.open] == ["weight-loss"]  # order kept: a no after
    assert [e.question.code for e in gate.settled] == ["cancer"]  # a yes does not clear it


def test_an_export_made_before_visits_were_recorded_still_reads() -> None:
    uow = FakeUnitOfWork()
    fill(uow)
    text = to_csv(export_bundle(ME, uow=uow))
    rows = list(csv.reader(io.StringIO(text)))
    later = {"left_reps", "right_reps", "codes", "seen_on", "seen_by", "by_name", "stored_at"}
    keep = [i for i, name in enumerate(rows[0]) if name not in later]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([row[i] for i in keep] for row in rows)
    old = buffer.getvalue()

    bundle = from_csv(old, user_id=ME)

    assert len(bundle.sessions) == len(export_bundle(ME, uow=uow).sessions)


@pytest.mark.parametrize("fmt", FORMATS)
def test_checks_of_every_version_travel_and_are_read_with_their_own_questions(fmt: str) -> None:
    from stretchcoach.domain.safety import evaluate, questions_for

    source = FakeUnitOfWork()
    day = datetime(2100, 6, 1, 8, 0, tzinfo=UTC)
    asked_yes = {1: "bladder-bowel", 2: "first-episode-age", 3: "new-pain-age"}
    for version, code in asked_yes.items():
        answers = tuple(q.code == code for q in questions_for(version))
        at = day + timedelta(days=version)
        source.screens.add(ScreenResult(new_id(), ME, at, answers, version, stored_at=at))
    text = write(export_bundle(ME, uow=source), fmt)

    target = FakeUnitOfWork()
    result = import_bundle(read_export(text, user_id="you"), user_id="you", uow=target, now=NOW)

    assert result.added["screen"] == 3
    with target:
        kept = sorted(target.screens.history("you"), key=lambda c: c.answered_at)
    assert [(c.version, len(c.answers)) for c in kept] == [(1, 8), (2, 17), (3, 20)]
    assert [[q.code for q in evaluate(c.answers, version=c.version).yes] for c in kept] == [
        [code] for code in asked_yes.values()
    ]


def test_a_check_with_the_answer_count_of_another_version_is_refused() -> None:
    source = FakeUnitOfWork()
    day = datetime(2100, 6, 1, 8, 0, tzinfo=UTC)
    source.screens.add(ScreenResult(new_id(), ME, day, (False,) * 17, 2, stored_at=day))
    text = to_json(export_bundle(ME, uow=source), now=NOW).replace('"version": 2', '"version": 3')

    with pytest.raises(InvalidInput) as error:
        read_export(text, user_id=ME)

    assert "'answers'" in str(error.value)
    assert "17 answers given: the check has 20 questions" in str(error.value)


@pytest.mark.parametrize(
    ("left", "right", "missing"),
    [(0, None, "right_reps"), (None, 2, "left_reps"), (2, None, "right_reps")],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_half_a_per_leg_pair_is_refused_naming_the_record_and_the_missing_field(
    fmt: str, left: int | None, right: int | None, missing: str
) -> None:
    source = FakeUnitOfWork()
    day = datetime(2100, 6, 1, 8, 0, tzinfo=UTC)
    rested = SessionSettings(30, 3, Side.LEFT, 10, side_reps=(0, 3))
    source.sessions.add(Session(new_id(), ME, "seated-hamstring", "Seated hamstring", day, "UTC",
                                rested, status=SessionStatus.COMPLETED,
                                ended_at=day + timedelta(minutes=5)))  # fmt: skip
    text = write(export_bundle(ME, uow=source), fmt)
    if fmt == "json":
        data = json.loads(text)
        data["sessions"][0] |= {"left_reps": left, "right_reps": right}
        text = json.dumps(data)
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
        rows[0] |= {"left_reps": "" if left is None else str(left),
                    "right_reps": "" if right is None else str(right)}  # fmt: skip
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    target = FakeUnitOfWork()

    with pytest.raises(InvalidInput) as error:
        import_bundle(read_export(text, user_id=ME), user_id=ME, uow=target, now=NOW)

    message = str(error.value)
    assert message.count("\n") == 0
    assert f"field {missing!r}" in message and "give both legs or neither" in message
    assert ("sessions record 1" in message) if fmt == "json" else ("row 2" in message)
    with target:
        assert target.sessions.list_recent(ME) == []


def test_a_whole_per_leg_pair_and_none_at_all_both_still_read() -> None:
    from stretchcoach.domain.routine import side_reps_pair

    assert side_reps_pair(0, 3) == (0, 3)
    assert side_reps_pair(None, None) is None
    with pytest.raises(InvalidInput, match="right_reps is missing while left_reps is 0") as error:
        side_reps_pair(0, None)
    assert error.value.field == "right_reps"


FORMULAS = ['=HYPERLINK("http://example.org","click")', "+1+1", "-2", "@SUM(A1)", "'quoted"]


@pytest.mark.parametrize("note", FORMULAS)
def test_a_csv_cell_a_spreadsheet_would_run_is_written_as_text_and_reads_back(note: str) -> None:
    entry = PainEntry(new_id(), ME, NOW - timedelta(days=1), "UTC", 3, frozenset(), note=note)
    uow = FakeUnitOfWork()

    text = to_csv(Bundle(pain=[_located(entry)]))
    import_bundle(read_export(text, user_id=ME), user_id=ME, uow=uow, now=NOW)

    (row,) = csv.DictReader(io.StringIO(text))
    assert row["note"] == "'" + note
    assert uow.journal.get(entry.id) == entry


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'x", "''x"),
        ("x=1", "x=1"),
        ("", ""),
    ],
)
def test_every_formula_start_is_neutralised_and_comes_back(cell: str, written: str) -> None:
    assert spreadsheet_safe(cell) == written
    assert from_spreadsheet(spreadsheet_safe(cell)) == cell
