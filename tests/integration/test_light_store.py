"""The SQLite store opened by the standard library alone: the same records and values as the
SQLAlchemy store on the same file, the same unit-of-work rules, and used only for a file at
the newest schema."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from stretchcoach import bootstrap
from stretchcoach.adapters.pending_file import PendingFile, pending_path
from stretchcoach.adapters.store import integrity
from stretchcoach.adapters.store.engine import display_url, open_store, parse_url
from stretchcoach.adapters.store.light import SqliteUnitOfWork, open_light, plain_sqlite_path
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.config import Settings
from stretchcoach.domain.consent import Consent, KeptOn
from stretchcoach.domain.feel import Felt
from stretchcoach.domain.form.metrics import Fault, HoldForm
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.screening import Acknowledgement, ScreenResult
from stretchcoach.domain.session import Hold, Owner, Session
from stretchcoach.domain.user import LOCAL_USER_ID, Role, User
from stretchcoach.domain.values import Order, SessionStatus, Side
from stretchcoach.errors import Conflict, NotFound, StoreUnavailable
from stretchcoach.services.safekeeping import SessionBegun

START = datetime(2026, 3, 1, 7, 0, 5, 123456, tzinfo=UTC)
OTHER = "22222222-0000-4000-8000-000000000002"
KEPT = "33333333-0000-4000-8000-000000000003"


def _session(sid: str, user: str, day: int, **changes: Any) -> Session:
    at = START + timedelta(days=day)
    session = Session(
        id=sid,
        user_id=user,
        routine_id="seated-hamstring",
        routine_name="Seated hamstring",
        started_at=at,
        time_zone="Europe/London",
        settings=SessionSettings(30.0, 3, Side.LEFT, 10.0),
        status=SessionStatus.COMPLETED,
        ended_at=at + timedelta(minutes=5),
        last_seen_at=at + timedelta(minutes=5),
        owner=Owner("laptop", 4242),
    )
    return dataclasses.replace(session, **changes)


def _hold(sid: str, number: int, side: Side, **changes: Any) -> Hold:
    hold = Hold(
        id=f"{sid}-h{number}",
        session_id=sid,
        hold_number=number,
        side=side,
        planned_s=30.0,
        held_s=30.0,
        completed=True,
        ended_at=START + timedelta(seconds=40 * number),
        felt=None,
    )
    return dataclasses.replace(hold, **changes)


def _fill(uow: SqlUnitOfWork | SqliteUnitOfWork) -> None:
    """Two people's mornings, with every kind of value a column can hold."""
    with uow:
        for user_id, name in ((LOCAL_USER_ID, "You"), (OTHER, "Ann")):
            uow.users.add(User(user_id, name, Role.PATIENT, START - timedelta(days=1)))
        sessions = [
            _session("s1", LOCAL_USER_ID, 0),
            _session("s2", LOCAL_USER_ID, 1, practice=True, speed=4.0),
            _session(
                "s3",
                LOCAL_USER_ID,
                2,
                status=SessionStatus.INTERRUPTED,
                owner=None,
                settings=SessionSettings(20.0, 2, Side.RIGHT, 15.0, Order.BLOCKED, (0, 2)),
            ),
            _session("s4", OTHER, 1),
            _session("s5", LOCAL_USER_ID, 3, started_at=START + timedelta(days=3)),
        ]
        uow.sessions.add_all(sessions)
        uow.sessions.add_holds(
            [
                _hold("s1", 1, Side.LEFT, felt=Felt.PULL),
                _hold("s1", 2, Side.RIGHT, felt=Felt.NERVE, held_s=12.5, completed=False),
                _hold("s3", 1, Side.RIGHT),
                _hold("s4", 1, Side.LEFT, felt=Felt.NOTHING),
            ]
        )
        uow.hold_form.add(
            "s1-h1",
            HoldForm(Side.LEFT, 0.0, 30.0, 25.5, 71.25, 168.0, {Fault.KNEE_BENT: 2}),
        )
        uow.hold_form.add("s1-h2", HoldForm(Side.RIGHT, 0.0, 12.5, 3.0, None, None))
        for n, (score, where) in enumerate([(6, "left:thigh,left:calf"), (3, ""), (0, "")]):
            uow.journal.add(
                PainEntry(
                    id=f"p{n}",
                    user_id=LOCAL_USER_ID,
                    recorded_at=START + timedelta(days=n, minutes=1),
                    time_zone="Europe/London",
                    score=score,
                    sites=parse_sites(where),
                    context=PainContext.BEFORE if n == 0 else PainContext.STANDALONE,
                    session_id="s1" if n == 0 else None,
                    note="stiff after the drive" if n == 1 else "",
                )
            )
        uow.journal.add(
            PainEntry("p9", OTHER, START, "UTC", 4, frozenset(), PainContext.STANDALONE, None, "")
        )
        uow.screens.add(ScreenResult("c1", LOCAL_USER_ID, START, (False, None, True), 1, START))
        uow.screens.add(ScreenResult("c2", LOCAL_USER_ID, START + timedelta(hours=1), (False,)))
        uow.screens.add_acknowledgement(
            Acknowledgement(
                "a1", LOCAL_USER_ID, ("saddle",), date(2026, 3, 2), OTHER, "Dr Ng", "ok", START
            )
        )
        uow.consents.add(Consent("k1", LOCAL_USER_ID, START, 1, KeptOn.DEVICE))
        uow.preferences.save(
            Preferences(
                LOCAL_USER_ID,
                45.0,
                4,
                Side.RIGHT,
                time(6, 30),
                time(10),
                "Europe/Paris",
                time(7, 15),
                "token-1",
            ),
            now=START,
        )
        uow.commit()


def _plain(value: Any) -> Any:
    """Values compared by content (sessions compare by identity)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, frozenset):
        return sorted(map(str, value))
    return value


@pytest.fixture(params=["written the full way", "written the light way"])
def filled(
    tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[SqlUnitOfWork, SqliteUnitOfWork]]:
    """One file, opened both ways, its records written by one of them."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = open_store(url)
    full = SqlUnitOfWork(engine)
    light = open_light(url)
    assert light is not None
    _fill(full if request.param == "written the full way" else light)
    yield full, light
    light.close()
    engine.dispose()


SINCE = START + timedelta(days=1)
READS: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = [
    ("sessions", "get", ("s1",), {}),
    ("sessions", "list_recent", (LOCAL_USER_ID,), {}),
    ("sessions", "list_recent", (LOCAL_USER_ID,), {"limit": 2}),
    ("sessions", "list_recent", (LOCAL_USER_ID,), {"since": SINCE}),
    ("sessions", "outlines", (LOCAL_USER_ID,), {}),
    ("sessions", "outlines", (LOCAL_USER_ID,), {"since": SINCE}),
    ("sessions", "recent_of", ([LOCAL_USER_ID, OTHER, "nobody"],), {"limit": 2, "since": START}),
    ("sessions", "list_open", (), {}),
    ("journal", "get", ("p1",), {}),
    ("journal", "entries", (LOCAL_USER_ID,), {}),
    ("journal", "entries", (LOCAL_USER_ID,), {"since": SINCE}),
    ("journal", "entries_of", ([LOCAL_USER_ID, OTHER],), {"since": START}),
    ("screens", "latest", (LOCAL_USER_ID,), {}),
    ("screens", "latest", (OTHER,), {}),
    ("screens", "history", (LOCAL_USER_ID,), {}),
    ("screens", "acknowledgements", (LOCAL_USER_ID,), {}),
    ("screens", "history_of", ([LOCAL_USER_ID, OTHER],), {}),
    ("screens", "acknowledgements_of", ([LOCAL_USER_ID, OTHER],), {}),
    ("users", "find", (LOCAL_USER_ID,), {}),
    ("users", "find", ("nobody",), {}),
    ("preferences", "get", (LOCAL_USER_ID,), {}),
    ("preferences", "get", (OTHER,), {}),
    ("preferences", "get_many", ([LOCAL_USER_ID, OTHER],), {}),
    ("preferences", "by_calendar_token", ("token-1",), {}),
    ("consents", "given", (LOCAL_USER_ID,), {}),
    ("consents", "given", (OTHER,), {}),
    ("consents", "anything_kept", (OTHER,), {}),
    ("consents", "anything_kept", ("nobody",), {}),
    ("hold_form", "for_holds", (["s1-h1", "s1-h2", "s3-h1"],), {}),
    ("hold_form", "max_flexion_by_session", (["s1", "s3", "s4"],), {}),
    ("hold_form", "max_flexion_for_user", (LOCAL_USER_ID,), {}),
    ("hold_form", "max_flexion_for_user", (LOCAL_USER_ID,), {"since": SINCE}),
    ("records", "owners", ("session", ["s1", "s4", "nope"]), {}),
    ("records", "owners", ("hold", ["s1-h1", "s4-h1"]), {}),
    ("records", "owners", ("pain", ["p0", "p9"]), {}),
    ("records", "owners", ("screen", ["c1"]), {}),
    ("records", "owners", ("seen", ["a1"]), {}),
    ("records", "hold_numbers", (["s1", "s3", "s5"],), {}),
]


@pytest.mark.parametrize(
    ("repository", "method", "args", "kwargs"),
    READS,
    ids=[f"{r}.{m}{'+' + ','.join(k) if k else ''}" for r, m, _, k in READS],
)
def test_both_ways_of_opening_a_file_read_and_write_the_same_values(
    filled: tuple[SqlUnitOfWork, SqliteUnitOfWork],
    repository: str,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    full, light = filled
    with full:
        expected = getattr(getattr(full, repository), method)(*args, **kwargs)
    with light:
        found = getattr(getattr(light, repository), method)(*args, **kwargs)

    assert _plain(found) == _plain(expected)
    nothing = args[:1] in (("nobody",), (OTHER,)) or method == "list_open"
    assert found or nothing or method == "max_flexion_for_user"


def test_the_values_read_are_the_ones_written(
    filled: tuple[SqlUnitOfWork, SqliteUnitOfWork],
) -> None:
    _, light = filled
    with light:
        s3 = light.sessions.get("s3")
        s1 = light.sessions.get("s1")
        prefs = light.preferences.get(LOCAL_USER_ID)
        ack = light.screens.acknowledgements(LOCAL_USER_ID)[0]
        first = light.journal.entries(LOCAL_USER_ID)[0]

    assert s3.settings == SessionSettings(20.0, 2, Side.RIGHT, 15.0, Order.BLOCKED, (0, 2))
    assert s3.owner is None and s3.status is SessionStatus.INTERRUPTED
    assert s1.started_at == START and s1.started_at.tzinfo is UTC
    assert [(h.felt, h.completed, h.held_s) for h in s1.holds] == [
        (Felt.PULL, True, 30.0),
        (Felt.NERVE, False, 12.5),
    ]
    assert prefs is not None and prefs.reminder_at == time(7, 15)
    assert ack.seen_on == date(2026, 3, 2) and ack.codes == ("saddle",)
    assert first.sites == parse_sites("left:thigh,left:calf") and first.session_id == "s1"


def test_a_missing_record_is_not_found_either_way(
    filled: tuple[SqlUnitOfWork, SqliteUnitOfWork],
) -> None:
    for uow in filled:
        with uow, pytest.raises(NotFound, match="no session with id 'nope'"):
            uow.sessions.get("nope")
        with uow, pytest.raises(NotFound, match="no pain entry"):
            uow.journal.get("nope")


def _entry(entry_id: str) -> PainEntry:
    return PainEntry(
        entry_id, LOCAL_USER_ID, START, "UTC", 2, frozenset(), PainContext.STANDALONE, None, ""
    )


def test_a_write_is_kept_only_when_committed_and_seen_by_the_other_way_then(
    filled: tuple[SqlUnitOfWork, SqliteUnitOfWork],
) -> None:
    full, light = filled
    with light:
        light.journal.add(_entry("forgotten"))  # no commit: rolled back on the way out
    with light:
        light.journal.add(_entry("kept"))
        light.commit()
    with full:
        ids = {e.id for e in full.journal.entries(LOCAL_USER_ID)}

    assert "kept" in ids and "forgotten" not in ids


def test_a_taken_id_is_a_conflict_and_nothing_of_the_block_is_kept(
    filled: tuple[SqlUnitOfWork, SqliteUnitOfWork],
) -> None:
    _, light = filled
    with pytest.raises(Conflict), light:
        light.journal.add(_entry("first-of-two"))
        light.journal.add(_entry("p1"))  # already saved
        light.commit()
    with light:
        ids = {e.id for e in light.journal.entries(LOCAL_USER_ID)}

    assert "first-of-two" not in ids


def test_a_missing_record_to_change_is_not_found(
    filled: tuple[SqlUnitOfWork, SqliteUnitOfWork],
) -> None:
    for uow in filled:
        with uow, pytest.raises(NotFound, match="no hold"):
            uow.sessions.set_felt("nope", Felt.PULL)
        with uow, pytest.raises(NotFound, match="no session"):
            uow.sessions.set_status("nope", SessionStatus.COMPLETED, START)


def test_two_folds_of_one_session_add_up_in_its_summary_either_way(
    filled: tuple[SqlUnitOfWork, SqliteUnitOfWork], tmp_path: Path
) -> None:
    """The clinic's per-session fold summary, kept as each hold's form is saved."""
    full, light = filled
    for uow, number, fold in ((light, 2, 60.0), (full, 3, 75.5)):
        with uow:
            uow.sessions.add_hold(_hold("s4", number, Side.RIGHT))
            uow.hold_form.add(f"s4-h{number}", HoldForm(Side.RIGHT, 0.0, 30.0, 30.0, fold, 170.0))
            uow.commit()
    with contextlib.closing(sqlite3.connect(tmp_path / "store.db")) as connection:
        summary = connection.execute(
            "SELECT fold_sum_deg, fold_count, max_fold_deg, started_at FROM session_folds "
            "WHERE session_id = 's4'"
        ).fetchall()

    assert summary == [(135.5, 2, 75.5, "2026-03-02 07:00:05.123456")]


def _try_lock(path: Path) -> subprocess.CompletedProcess[bytes]:
    """Another process asking for the lock file without waiting."""
    code = (
        "import fcntl, sys; f = open(sys.argv[1], 'a'); "
        "fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)"
    )
    return subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True)


def test_the_store_lock_is_the_same_file_both_ways(tmp_path: Path) -> None:
    """Two first commands at once, one each way, must not both create the local user."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = open_store(url)
    light = open_light(url)
    assert light is not None
    with light:
        light.lock_store()
        held = _try_lock(tmp_path / "store.db.lock")
    free = _try_lock(tmp_path / "store.db.lock")
    light.close()
    engine.dispose()

    assert held.returncode != 0 and b"BlockingIOError" in held.stderr
    assert free.returncode == 0


# -- when the light way is taken, and when the full opening must do its writes first ----------


def _ready_store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = open_store(url)
    with SqlUnitOfWork(engine) as uow:
        uow.users.add(User(LOCAL_USER_ID, "You", Role.PATIENT, START))
        uow.commit()
    engine.dispose()
    return url


def test_a_current_file_opens_the_light_way(tmp_path: Path) -> None:
    light = open_light(_ready_store(tmp_path))

    assert isinstance(light, SqliteUnitOfWork)
    light.close()


def _sql(url: str, statement: str) -> None:
    path = plain_sqlite_path(url)
    assert path is not None
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(statement)


NOT_READY = {
    "an older schema": (
        "DELETE FROM alembic_version WHERE version_num = (SELECT max(version_num) FROM "
        "alembic_version)"
    ),
    "not in WAL mode": "PRAGMA journal_mode=DELETE",
}


@pytest.mark.parametrize("change", NOT_READY.values(), ids=NOT_READY.keys())
def test_a_file_to_set_up_first_is_left_to_the_full_opening(tmp_path: Path, change: str) -> None:
    url = _ready_store(tmp_path)
    _sql(url, change)

    assert open_light(url) is None


def test_urls_and_files_the_light_way_does_not_take(tmp_path: Path) -> None:
    url = _ready_store(tmp_path)
    path = plain_sqlite_path(url)
    assert path is not None

    assert open_light(f"sqlite+pysqlite:///{path}") is None
    assert open_light(f"{url}?mode=ro") is None
    assert open_light("sqlite:///:memory:") is None
    assert open_light(f"sqlite:///{tmp_path / 'missing.db'}") is None
    assert not (tmp_path / "missing.db").exists()  # looking did not create it
    (tmp_path / "junk.db").write_bytes(b"not a database at all, just some bytes" * 200)
    assert open_light(f"sqlite:///{tmp_path / 'junk.db'}") is None
    if os.geteuid() != 0:  # root writes through any mode bits
        path.chmod(stat.S_IRUSR)
        assert open_light(url) is None


@pytest.mark.parametrize(
    "path",
    ["/tmp/a b.db", "/srv/x-y_z.1/store+2.db", "rel/store.db", "~/notes/store.db", "/a/b~c.db"],
)
def test_a_plain_url_is_shown_as_written_so_its_pending_journal_is_the_same(path: str) -> None:
    url = f"sqlite:///{path}"

    assert plain_sqlite_path(url) == Path(path).expanduser()
    assert display_url(parse_url(url)) == url
    folder = Path("/data")
    assert PendingFile.for_database(url, folder).path == pending_path(url, folder)


@pytest.mark.parametrize(
    "url",
    ["sqlite:////tmp/é.db", "sqlite:////tmp/a%20b.db", "sqlite:////tmp/a#b.db", "sqlite://"],
)
def test_a_url_sqlalchemy_would_show_otherwise_is_not_plain(url: str) -> None:
    assert plain_sqlite_path(url) is None


def test_opening_the_light_way_saves_what_waited_and_creates_the_local_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'store.db'}"
    open_store(url).dispose()  # created and migrated, nobody in it yet
    settings = Settings().replace(database_url=url)
    bootstrap.pending_journal(settings).append(SessionBegun(_session(KEPT, LOCAL_USER_ID, 5)))

    store = bootstrap.local_store(settings, write=False)
    try:
        assert isinstance(store.uow, SqliteUnitOfWork)
        assert [type(e).__name__ for e in store.replayed] == ["SessionBegun"]
        with store.uow:
            assert store.uow.users.find(LOCAL_USER_ID) is not None
            assert [s.id for s in store.uow.sessions.list_recent(LOCAL_USER_ID)] == [KEPT]
        assert bootstrap.pending_journal(settings).waiting() == []
    finally:
        bootstrap.close_engines()


def test_a_damaged_page_read_the_light_way_is_one_line_and_refused_from_then_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large file already checked today is not checked again on opening: the damage is
    # found by the read, which must say so in one line and have the next opening refuse.
    monkeypatch.setattr(integrity, "EVERY_OPEN_BYTES", 0)
    url = _ready_store(tmp_path)
    path = plain_sqlite_path(url)
    assert path is not None
    with contextlib.closing(sqlite3.connect(path)) as connection:
        with connection:
            connection.executemany(
                "INSERT INTO pain_entries (id, user_id, recorded_at, time_zone, score, sites, "
                "context, note) VALUES (?, ?, '2026-03-01 07:00:00.000000', 'UTC', 3, '', "
                "'standalone', ?)",
                [(f"p{n}", LOCAL_USER_ID, "x" * 200) for n in range(200)],
            )
        page = connection.execute("PRAGMA page_size").fetchone()[0]
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'pain_entries'"
        ).fetchone()
    data = bytearray(path.read_bytes())  # the closed file holds everything: no WAL left
    data[(root - 1) * page + 16 : root * page - 16] = b"\xde\xad\xbe\xef" * ((page - 32) // 4)
    path.write_bytes(bytes(data))
    today = datetime.now(UTC).date().isoformat()
    integrity.checked_file(path).write_text(f"clean {today}\n", encoding="utf-8")
    light = open_light(url)
    assert light is not None  # checked today: not checked again

    with pytest.raises(StoreUnavailable) as raised, light:
        light.journal.entries(LOCAL_USER_ID)
    light.close()
    with pytest.raises(StoreUnavailable) as reopened:
        bootstrap.local_store(Settings(database_url=url))

    for message in (str(raised.value), str(reopened.value)):
        assert "sqlite3" in message and str(path) in message and "\n" not in message
    assert "malformed" in str(raised.value)
    assert integrity.checked_file(path).read_text(encoding="utf-8") == "damaged\n"
    light.close()
