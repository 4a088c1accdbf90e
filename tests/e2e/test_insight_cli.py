"""stats, plot, remind, export and import as a person runs them: real processes, real files."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.cli.app import run
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.form.metrics import HoldForm
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.safety import QUESTIONS
from stretchcoach.domain.session import Hold, Owner, Session, new_id
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services.users import ensure_local_user

pytestmark = pytest.mark.e2e

ZONE = "Europe/Paris"
DAYS = 16  # mornings done, from yesterday back


def cli_env(db_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    return env | {
        "STRETCHCOACH_DATABASE_URL": db_url,
        "STRETCHCOACH_SPEECH": "off",
        "STRETCHCOACH_TIME_ZONE": ZONE,
        "COLUMNS": "80",
    }


def cli(
    db_url: str, *args: str, cwd: Path | None = None, columns: int = 80
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stretchcoach", *args],
        env=cli_env(db_url) | {"COLUMNS": str(columns)},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        cwd=cwd,
    )


def in_process(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db_url: str, *args: str
) -> tuple[int, str, str]:
    for key, value in cli_env(db_url).items():
        if key.startswith("STRETCHCOACH_"):
            monkeypatch.setenv(key, value)
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def stretched(tmp_path: Path) -> str:
    """A store with a morning stretch on each of the last 16 days (08:00 in Paris), pain
    falling from 7 to 3 before, one point lower after, and a practice run that never counts."""
    url = f"sqlite:///{tmp_path / 'stretched.db'}"
    engine = open_store(url)
    uow = SqlUnitOfWork(engine)
    now = datetime.now(UTC)
    user = ensure_local_user(uow=uow, now=now)
    today = now.astimezone(ZoneInfo(ZONE)).date()
    with uow:
        for back in range(DAYS, 0, -1):
            day = today - timedelta(days=back)
            start = datetime.combine(day, time(8, 0), tzinfo=ZoneInfo(ZONE)).astimezone(UTC)
            session = Session(
                new_id(),
                user,
                "seated-hamstring",
                "Seated hamstring",
                start,
                ZONE,
                SessionSettings(hold_s=30, reps_per_side=3, first_side=Side.LEFT, rest_s=10),
                practice=back == 3,
                speed=10.0 if back == 3 else 1.0,
                status=SessionStatus.COMPLETED,
                ended_at=start + timedelta(minutes=5),
            )
            uow.sessions.add(session)
            for n in range(1, 7):
                side = Side.LEFT if n % 2 else Side.RIGHT
                at = start + timedelta(seconds=40 * n)
                uow.sessions.add_hold(
                    Hold(new_id(), session.id, n, side, 30, 30, True, at, Felt.PULL)
                )
            before = 7 if back > DAYS - 7 else 3 if back <= 7 else 5
            for context, score, minutes in (
                (PainContext.BEFORE, before, -1),
                (PainContext.AFTER, before - 1, 6),
            ):
                uow.journal.add(
                    PainEntry(
                        new_id(),
                        user,
                        start + timedelta(minutes=minutes),
                        ZONE,
                        score,
                        parse_sites("left:calf" if back > 7 else "left:buttock"),
                        context,
                        session.id,
                    )
                )
        uow.commit()
    engine.dispose()
    return url


def test_stats_reports_the_habit_the_trend_and_the_reach_as_json(stretched: str) -> None:
    result = cli(stretched, "stats", "--json")

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    today_open = datetime.now(ZoneInfo(ZONE)).time() < time(12, 0)
    assert data["morning"] == {"start": "04:00", "end": "12:00"}
    assert data["habit"]["best_streak"] == DAYS - 3  # the practice run breaks the run
    assert data["habit"]["current_streak"] == (2 if today_open else 0)
    assert data["habit"]["last_7_days"]["done"] == (6 if today_open else 5)
    assert data["habit"]["last_30_days"]["done"] == DAYS - 1
    assert (data["pain"]["first_week_mean"], data["pain"]["last_week_mean"]) == (7, 3)
    assert data["pain"]["change"] == "better"
    assert data["pain"]["slope_per_week"] < -1
    assert data["around_a_session"] == {"sessions": DAYS - 1, "mean_change": -1.0}  # no practice
    assert data["centralisation"]["left"] == "centralising"
    assert all({"code", "severity", "message"} <= set(flag) for flag in data["flags"])


def test_stats_in_words_for_a_person(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, stretched: str
) -> None:
    code, out, _ = in_process(capsys, monkeypatch, stretched, "stats")

    assert code == 0
    assert "Streak:" in out and f"best so far: {DAYS - 3}" in out
    assert "First week 7.0, last week 3.0: a drop most people notice." in out
    assert "Left leg: pulling back toward the spine" in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_stats_on_an_empty_store_says_there_is_nothing_yet(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sqlite_url: str
) -> None:
    code, out, _ = in_process(capsys, monkeypatch, sqlite_url, "stats")

    assert code == 0
    assert "Streak: your next morning starts one (best so far: 0)" in out
    assert "No pain ratings yet" in out


def test_plot_draws_a_png_and_an_svg(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stretched: str,
    tmp_path: Path,
) -> None:
    result = cli(stretched, "plot", "--days", "21", "--out", str(tmp_path / "pain.png"))
    code, out, _ = in_process(
        capsys, monkeypatch, stretched, "plot", "--out", str(tmp_path / "pain.svg")
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pain.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "pain.png").stat().st_size > 20_000
    assert code == 0 and "pain.svg" in out
    svg = (tmp_path / "pain.svg").read_text()
    assert "<svg" in svg and "Mornings (04:00-12:00)" in svg


def save_web_preferences(db_url: str, start: time, end: time, zone: str) -> None:
    """What the settings page saves for the local user."""
    from stretchcoach.adapters.routine_file import load_builtin
    from stretchcoach.services.settings import update_preferences

    engine = open_store(db_url)
    uow = SqlUnitOfWork(engine)
    user = ensure_local_user(uow=uow, now=datetime.now(UTC))
    update_preferences(
        user,
        load_builtin(),
        hold_s=30,
        reps_per_side=3,
        first_side=Side.LEFT,
        morning_start=start,
        morning_end=end,
        time_zone=zone,
        reminder_at=None,
        uow=uow,
        now=datetime.now(UTC),
    )
    engine.dispose()


@pytest.mark.parametrize("source", ["web-preferences", "environment"])
def test_stats_and_plot_follow_the_saved_web_morning_else_the_settings(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stretched: str,
    tmp_path: Path,
    source: str,
) -> None:
    if source == "web-preferences":  # the settings below lose to what was saved on the web
        save_web_preferences(stretched, time(9, 0), time(11, 0), "Asia/Tokyo")
        monkeypatch.setenv("STRETCHCOACH_MORNING_START", "05:00")
        expected_zone = "Asia/Tokyo"
    else:
        monkeypatch.setenv("STRETCHCOACH_MORNING_START", "09:00")
        monkeypatch.setenv("STRETCHCOACH_MORNING_END", "11:00")
        expected_zone = ZONE

    _, out, _ = in_process(capsys, monkeypatch, stretched, "stats", "--json")
    code, _, _ = in_process(
        capsys, monkeypatch, stretched, "plot", "--out", str(tmp_path / "pain.svg")
    )

    data = json.loads(out)
    assert data["morning"] == {"start": "09:00", "end": "11:00"}
    assert data["time_zone"] == expected_zone
    assert data["habit"]["best_streak"] == 0  # every stretch was at 08:00, before 09:00
    assert code == 0 and "Mornings (09:00-11:00)" in (tmp_path / "pain.svg").read_text()


def test_remind_writes_a_calendar_file_any_calendar_can_read(
    sqlite_url: str, tmp_path: Path
) -> None:
    result = cli(sqlite_url, "remind", "--at", "06:45", "--out", str(tmp_path / "stretch.ics"))

    assert result.returncode == 0, result.stderr
    assert "06:45" in result.stdout and ZONE in result.stdout
    calendar = Calendar.from_ical((tmp_path / "stretch.ics").read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart").time() == time(6, 45)
    assert event["dtstart"].params["TZID"] == ZONE
    assert event["rrule"]["FREQ"] == ["DAILY"]
    assert event.walk("VALARM")


@pytest.mark.parametrize(
    ("fmt", "process"), [("json", True), ("csv", False)], ids=["json-processes", "csv-in-process"]
)
def test_export_then_import_into_another_store_brings_everything_once(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stretched: str,
    tmp_path: Path,
    fmt: str,
    process: bool,
) -> None:
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    file = tmp_path / f"mine.{fmt}"

    def go(db: str, *args: str) -> tuple[int, str]:
        if process:
            done = cli(db, *args)
            return done.returncode, done.stdout + done.stderr
        code, out, err = in_process(capsys, monkeypatch, db, *args)
        return code, out + err

    exported = go(stretched, "export", "--format", fmt, "--out", str(file))
    imported = go(fresh, "import", str(file))
    again = go(fresh, "import", str(file))

    assert exported[0] == 0, exported[1]
    assert f"{DAYS} sessions, {DAYS * 6} holds, {DAYS * 2} pain ratings" in exported[1]
    assert imported[0] == 0, imported[1]
    assert f"Imported {DAYS} sessions, {DAYS * 6} holds" in imported[1]
    assert again[0] == 0 and "Skipped" in again[1]
    assert "Imported 0 sessions, 0 holds, 0 pain ratings, 0 screens, 0 visits recorded." in again[1]
    original = in_process(capsys, monkeypatch, stretched, "export", "--format", "json")[1]
    copied = in_process(capsys, monkeypatch, fresh, "export", "--format", "json")[1]
    assert _without_stamp(copied) == _without_stamp(original)


def test_export_as_fhir_is_a_valid_bundle_with_the_name_only_when_given(
    stretched: str, tmp_path: Path
) -> None:
    from fhir.resources.R4B.bundle import Bundle as FhirBundle

    from stretchcoach.services.fhir import SESSION_TEXT

    file = tmp_path / "mine.fhir.json"

    saved = cli(stretched, "export", "--format", "fhir", "--name", "Ann Smith", "--out", str(file))
    plain = cli(stretched, "export", "--format", "fhir")

    assert saved.returncode == 0, saved.stderr
    assert f"with {DAYS * 2} pain ratings, {DAYS - 1} sessions (practice" in saved.stdout
    named = json.loads(file.read_text(encoding="utf-8"))
    FhirBundle.model_validate(named)
    resources = [e["resource"] for e in named["entry"]]
    kinds = [r["resourceType"] for r in resources]
    assert kinds.count("Patient") == 1 and resources[0]["name"] == [{"text": "Ann Smith"}]
    pain = [r for r in resources if r.get("valueInteger") is not None]
    assert len(pain) == DAYS * 2
    assert {r["effectiveDateTime"][-6:] for r in pain} <= {"+01:00", "+02:00"}  # Paris
    sessions = [r for r in resources if r.get("code", {}).get("text") == SESSION_TEXT]
    assert len(sessions) == DAYS - 1  # the practice run is not a session done
    assert all(len(s["component"]) == 6 * 3 for s in sessions)  # seconds, leg, felt per hold
    assert plain.returncode == 0, plain.stderr
    anonymous = json.loads(plain.stdout)["entry"][0]["resource"]
    assert "Ann" not in plain.stdout and "name" not in anonymous


def _without_stamp(text: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(text)
    data.pop("exported_at")
    return data


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["remind", "--at", "25:00"], "'25:00' is not a time of day"),
        (["plot", "--days", "0"], "--days '0' is not allowed"),
        (["plot", "--out", "pain.jpg"], "must end in .png or .svg"),
        (["stats", "--days", "0"], "--days '0' is not allowed"),
        (["export", "--format", "xml"], "format 'xml' is not known: use json, csv or fhir"),
        (["export", "--name", "Ann"], "--name is for --format fhir"),
        (["export", "--format", "fhir", "--name", "  "], "give 1 to 80 characters"),
        (["import", "nowhere.json"], "the import file 'nowhere.json' does not exist"),
    ],
    ids=[
        "hour-25",
        "plot-days-0",
        "plot-jpg",
        "stats-days-0",
        "format-xml",
        "name-without-fhir",
        "blank-name",
        "missing-file",
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sqlite_url: str,
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)

    code, _, err = in_process(capsys, monkeypatch, sqlite_url, *args)

    assert code == 2
    assert err.startswith("Error: ") and err.count("\n") == 1 and message in err
    assert not (tmp_path / "pain.jpg").exists()


def test_a_morning_setting_that_ends_before_it_starts_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sqlite_url: str
) -> None:
    monkeypatch.setenv("STRETCHCOACH_MORNING_START", "13:00")

    code = run(["stats", "--db", sqlite_url])

    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "the morning ends (12:00) before it starts (13:00)" in err


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stretched: str,
    tmp_path: Path,
) -> None:
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    code, csv_text, _ = in_process(capsys, monkeypatch, stretched, "export", "--format", "csv")
    lines = csv_text.splitlines()
    lines[-1] = lines[-1].replace(",before,", ",during,").replace(",after,", ",during,")
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join(lines) + "\n")

    code, _, err = in_process(capsys, monkeypatch, fresh, "import", str(broken))

    assert code == 2
    assert f"row {len(lines)}, field 'context': 'during' is not allowed" in err
    code, out, _ = in_process(capsys, monkeypatch, fresh, "export", "--format", "json")
    data = json.loads(out)
    assert data["sessions"] == data["holds"] == data["pain_entries"] == []


# -- the clinician report -----------------------------------------------------------------

PDFTOPPM = shutil.which("pdftoppm")


def pdf_text(path: Path) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def test_report_is_a_two_page_pdf_a_clinician_can_read(stretched: str, tmp_path: Path) -> None:
    cancer = ",".join("yes" if q.code == "cancer" else "no" for q in QUESTIONS)
    assert cli(stretched, "screen", "--answers", cancer).returncode == 0
    out = tmp_path / "for the clinic" / "report.pdf"

    result = cli(stretched, "report", "--out", str(out), "--days", "21", "--name", "Ann Example")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Saved {out}: ") and result.stdout.count("\n") == 1
    pages, text = pdf_text(out)
    assert pages == 2
    assert "Patient: Ann Example" in text and "(21 days, Europe/Paris)" in text
    assert "not yet seen" in text  # the yes on the latest check needs attention first
    assert "not yet seen: History of cancer" in text
    assert "First week 7.0, last week 3.0 (-4.0): better" in text
    assert "Left: centralising" in text
    assert f"{DAYS - 1} of " in text  # the mornings, the practice run left out
    assert "90 holds rated: 90 a mild pull" in text
    assert "Warning-signs checks in the period" in text and "About these figures" in text
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.pdf"]  # no scratch left


@pytest.mark.skipif(PDFTOPPM is None and not os.environ.get("CI"), reason="no pdftoppm")
def test_the_report_renders_as_pages_with_its_charts(stretched: str, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert cli(stretched, "report", "--out", str(out)).returncode == 0

    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(out), str(tmp_path / "page")], check=True, timeout=60
    )

    from PIL import Image

    for name in ("page-1.png", "page-2.png"):
        with Image.open(tmp_path / name) as page:
            colours = page.convert("RGB").getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 200  # charts, not a blank page


def test_report_on_an_empty_store_says_what_is_missing(sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"

    result = cli(sqlite_url, "report", "--out", str(out))

    assert result.returncode == 0, result.stderr
    pages, text = pdf_text(out)
    assert pages == 2
    assert "Warning-signs check Never answered" in text
    assert "No ratings in the period." in text and "None in the period." in text
    assert "No hold in the period was rated" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "report.png"], "the file name must end in .pdf"),
        (["--days", "0"], "--days '0' is not allowed: use a whole number from 1 to 3660"),
        (["--days", "many"], "--days 'many' is not allowed: use a whole number from 1 to 3660"),
        (["--name", "x" * 81], "the name is 81 characters long: at most 80 are allowed"),
        (["--out", "taken/report.pdf"], "cannot write 'taken/report.pdf'"),
    ],
    ids=["not-pdf", "days-0", "days-word", "long-name", "folder-is-a-file"],
)
def test_report_bad_input_is_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sqlite_url: str,
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "taken").write_text("a file where a folder should be")
    monkeypatch.chdir(work)

    code, out, err = in_process(capsys, monkeypatch, sqlite_url, "report", *args)

    assert code == 2 and out == ""
    assert err.startswith("Error: ") and err.count("\n") == 1 and message in err
    assert sorted(p.name for p in work.iterdir()) == ["taken"]


READING = [
    ["history"],
    ["history", "--json", "--limit", "5"],
    ["stats"],
    ["stats", "--json", "--days", "7"],
    ["log", "--days", "30"],
    ["log", "--days", "30", "--json"],
    ["export", "--format", "csv"],
    ["export"],
]


def test_a_reading_command_says_the_same_whichever_way_the_file_is_opened(
    stretched: str,
) -> None:
    """A plain sqlite:/// URL is read with the standard library alone; the same file named
    with SQLAlchemy's driver (sqlite+pysqlite) opens the full way. Same words, same figures."""
    full_way = stretched.replace("sqlite:", "sqlite+pysqlite:", 1)
    for args in READING:
        light, full = cli(stretched, *args), cli(full_way, *args)

        assert (light.returncode, light.stderr) == (0, ""), args
        assert (full.returncode, full.stderr) == (0, ""), args
        if args == ["export"]:  # the moment of the export differs, nothing else
            light_data, full_data = json.loads(light.stdout), json.loads(full.stdout)
            assert light_data.pop("exported_at") != full_data.pop("exported_at")
            assert light_data == full_data
        else:
            assert light.stdout == full.stdout, args
        assert light.stdout.strip()


def test_a_session_in_progress_elsewhere_is_listed_and_closed_once_its_process_is_gone(
    stretched: str,
) -> None:
    """The light way never skips what the full opening does: a session still in progress
    sends `history` the full way, which closes it when its process has died."""
    import socket

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    engine = open_store(stretched)
    uow = SqlUnitOfWork(engine)
    started = datetime.now(UTC) - timedelta(minutes=2)
    session = Session(
        new_id(),
        ensure_local_user(uow=uow, now=started),
        "seated-hamstring",
        "Seated hamstring",
        started,
        ZONE,
        SessionSettings(hold_s=30, reps_per_side=3, first_side=Side.LEFT, rest_s=10),
        last_seen_at=started,
        owner=Owner(socket.gethostname(), sleeper.pid),
    )
    with uow:
        uow.sessions.add(session)
        uow.commit()
    engine.dispose()
    try:
        running = json.loads(cli(stretched, "history", "--json", "--limit", "1").stdout)
        assert (running[0]["id"], running[0]["status"]) == (session.id, "in_progress")
    finally:
        sleeper.kill()
        sleeper.wait()

    ended = json.loads(cli(stretched, "history", "--json", "--limit", "1").stdout)
    assert (ended[0]["id"], ended[0]["status"]) == (session.id, "interrupted")
    again = json.loads(cli(stretched, "history", "--json", "--limit", "1").stdout)
    assert again == ended


def test_stats_after_only_a_practice_run_says_its_rating_is_left_out(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sqlite_url: str
) -> None:
    """`log` lists a practice run's rating; `stats` leaves it out of the trend and says so,
    rather than that there is none."""
    engine = open_store(sqlite_url)
    uow = SqlUnitOfWork(engine)
    now = datetime.now(UTC)
    user = ensure_local_user(uow=uow, now=now)
    practice = Session(
        new_id(),
        user,
        "seated-hamstring",
        "Seated hamstring",
        now - timedelta(minutes=10),
        ZONE,
        SessionSettings(hold_s=30, reps_per_side=3, first_side=Side.LEFT, rest_s=10),
        practice=True,
        speed=10.0,
        status=SessionStatus.COMPLETED,
        ended_at=now - timedelta(minutes=9),
    )
    with uow:
        uow.sessions.add(practice)
        uow.journal.add(
            PainEntry(
                new_id(),
                user,
                now - timedelta(minutes=11),
                ZONE,
                5,
                frozenset(),
                PainContext.BEFORE,
                practice.id,
            )
        )
        uow.commit()
    engine.dispose()

    _, listed, _ = in_process(capsys, monkeypatch, sqlite_url, "log", "--days", "1")
    code, out, _ = in_process(capsys, monkeypatch, sqlite_url, "stats")
    _, as_json, _ = in_process(capsys, monkeypatch, sqlite_url, "stats", "--json")

    assert " 5/10" in listed
    assert code == 0
    assert "No pain ratings that count yet in these days: a rating given around a" in out
    assert "practice run, which the trend leaves out." in out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert json.loads(as_json)["pain"]["practice_ratings_left_out"] == 1
    pdf = Path(sqlite_url.removeprefix("sqlite:///")).with_name("report.pdf")
    result = cli(sqlite_url, "report", "--out", str(pdf))
    assert result.returncode == 0, result.stderr
    _, text = pdf_text(pdf)
    assert "No ratings in the period apart from 1 around practice runs" in text


@pytest.mark.parametrize("columns", [50, 60, 80, 90, 120])
def test_history_reads_whole_in_a_narrow_or_a_wide_terminal(stretched: str, columns: int) -> None:
    """No cut-off words and no date split over two lines: a table where it fits, a few lines
    a session where it would not."""
    result = cli(stretched, "history", "--limit", "3", columns=columns)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= columns for line in lines)
    assert "…" not in result.stdout
    dates = [line for line in lines if re.search(r"\b\d\d \w{3} \d{4} \d\d:\d\d\b", line)]
    assert len(dates) == 3  # each session's start whole, on one line
    if columns < 90:  # the pain column needs the room
        assert "┃" not in result.stdout and "6/6 holds, 3 min" in result.stdout
    else:
        assert "┃ When" in result.stdout


@pytest.mark.parametrize(("columns", "table"), [(80, False), (114, False), (116, True)])
def test_history_with_the_cameras_figures_needs_room_for_them(
    stretched: str, columns: int, table: bool
) -> None:
    engine = open_store(stretched)
    uow = SqlUnitOfWork(engine)
    me = ensure_local_user(uow=uow, now=datetime.now(UTC))
    with uow:
        latest = uow.sessions.list_recent(me)[0]
        for hold in latest.holds:
            uow.hold_form.add(hold.id, HoldForm(hold.side, 0.0, 30.0, 28.0, 71.0, 172.0))
        uow.commit()
    engine.dispose()

    result = cli(stretched, "history", "--limit", "2", columns=columns)

    assert result.returncode == 0, result.stderr
    assert all(len(line) <= columns for line in result.stdout.splitlines())
    assert "…" not in result.stdout
    if table:
        assert "Flexibility L/R" in result.stdout and "71° / 71°" in result.stdout
    else:
        assert "┃" not in result.stdout and "flexibility 71° / 71°" in result.stdout
