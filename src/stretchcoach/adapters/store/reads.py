"""The repositories' reading half, in plain SQL that SQLite and PostgreSQL both run.

Written once against `Rows`, which runs a statement with `:named` parameters on one
connection: the SQLAlchemy unit of work hands its connection in (PostgreSQL, the web app,
a store to create or migrate), and the terminal hands in the standard library's sqlite3 for a
SQLite file at the newest schema (light.py), which starts without loading SQLAlchemy at all.
So a history reads the same rows into the same values whichever way the store was opened;
writes.py adds the writes the same way.

The values come back as each driver gives them: SQLite's text for times and dates and 0/1
for booleans, PostgreSQL's own types; the converters here accept both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any, Protocol, TypeVar

from stretchcoach.domain.feel import Felt
from stretchcoach.domain.form.metrics import Fault, HoldForm
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.screening import Acknowledgement, ScreenResult
from stretchcoach.domain.session import Hold, Owner, Session, SessionOutline
from stretchcoach.domain.user import Role, User
from stretchcoach.domain.values import Order, SessionStatus, Side
from stretchcoach.errors import NotFound
from stretchcoach.services.uow import RecordKind

T = TypeVar("T")
CHUNK = 500  # ids per IN (...): well under every driver's limit on parameters


class Record(Protocol):
    """A row, read by column name."""

    def __getitem__(self, key: str, /) -> Any: ...

    def keys(self) -> Iterable[str]: ...


class Rows(Protocol):
    """Runs plain SQL with `:named` parameters on one connection, in its unit of work's
    transaction."""

    def __call__(self, sql: str, params: Mapping[str, Any] | None = None, /) -> list[Record]:
        """The rows a query returns."""
        ...

    def run(self, sql: str, params: Mapping[str, Any]) -> int:
        """Run one statement; how many rows it changed."""
        ...

    def many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run one statement for each set of parameters."""
        ...

    def insert_new(self, sql: str, params: Mapping[str, Any]) -> bool:
        """Run an INSERT; False, with nothing changed, when its key is taken already."""
        ...

    def among(self, column: str, values: Iterable[str]) -> Iterable[tuple[str, dict[str, Any]]]:
        """A condition that `column` is one of `values`, with its parameters, as many times
        as this database needs to be asked (each value once in all)."""
        ...

    @property
    def postgres(self) -> bool:
        """PostgreSQL (else SQLite): for the few statements written for each."""
        ...

    # Whose records this transaction changed, as (kind, id): the unit of work rebuilds their
    # summaries before it commits (summaries.py).
    touched: set[tuple[str, str]]


def bound(params: Mapping[str, Any], *, postgres: bool) -> dict[str, Any]:
    """Parameters as the database stores and compares them, for every Rows to bind with.

    Times must be aware. PostgreSQL takes times and dates as they are; SQLite holds a time as
    UTC text to the microsecond (as SQLAlchemy writes it there, so it sorts in time) and a
    date as ISO text."""

    def one(value: Any) -> Any:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError("naive datetime given to the store; times must be aware")
            return value if postgres else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(value, date):
            return value if postgres else value.isoformat()
        return value

    return {name: one(value) for name, value in params.items()}


def utc(value: datetime | str | None) -> datetime | None:
    """A stored moment (SQLite's text or PostgreSQL's timestamp) as an aware UTC datetime."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is UTC:
        return moment
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _utc(value: datetime | str) -> datetime:
    moment = utc(value)
    assert moment is not None
    return moment


def _day(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _in_list(column: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """`column IN (:in0, :in1, ...)` and its parameters."""
    names = [f"in{i}" for i in range(len(values))]
    listed = ", ".join(f":{name}" for name in names)
    return f"{column} IN ({listed})", dict(zip(names, values, strict=True))


def in_lists(column: str, values: Iterable[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """`column IN (...)`, CHUNK values at a time (each once, sorted): how SQLite is asked."""
    wanted = sorted(set(values))
    for start in range(0, len(wanted), CHUNK):
        yield _in_list(column, wanted[start : start + CHUNK])


def _since(column: str, since: datetime | None) -> tuple[str, dict[str, Any]]:
    if since is None:
        return "", {}
    return f" AND {column} >= :since", {"since": since}


class SessionReads:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def get(self, session_id: str) -> Session:
        found = self._with_holds(
            self._rows("SELECT * FROM sessions WHERE id = :id", {"id": session_id})
        )
        if not found:
            raise NotFound(f"no session with id {session_id!r}")
        return found[0]

    def list_recent(
        self, user_id: str, *, limit: int | None = None, since: datetime | None = None
    ) -> list[Session]:
        after, params = _since("started_at", since)
        sql = f"SELECT * FROM sessions WHERE user_id = :user{after} ORDER BY started_at DESC, id"
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        return self._with_holds(self._rows(sql, {"user": user_id, **params}))

    def recent_of(
        self, user_ids: Collection[str], *, limit: int, since: datetime
    ) -> dict[str, list[Session]]:
        """Each user's latest `limit` sessions since `since`, with their holds, newest first.

        PostgreSQL: the latest few of each user straight from the (user, start) index
        (LATERAL); SQLite: a window function numbers each user's sessions, 500 users a query."""
        found: dict[str, list[Session]] = {uid: [] for uid in user_ids}
        window = {"since": since, "limit": limit}
        if self._rows.postgres and found:
            sql = (
                "SELECT s.* FROM unnest(CAST(:users AS text[])) AS u(id) CROSS JOIN LATERAL "
                "(SELECT * FROM sessions WHERE user_id = u.id AND started_at >= :since "
                "ORDER BY started_at DESC, id LIMIT :limit) AS s "
                "ORDER BY s.started_at DESC, s.id"
            )
            batches = [self._rows(sql, {"users": sorted(found), **window})]
        else:
            sql = (
                "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY user_id "
                "ORDER BY started_at DESC, id) AS number FROM sessions "
                "WHERE {among} AND started_at >= :since) AS ranked "
                "WHERE number <= :limit ORDER BY started_at DESC, id"
            )
            batches = [
                self._rows(sql.format(among=among), params | window)
                for among, params in self._rows.among("user_id", found)
            ]
        for rows in batches:
            for session in self._with_holds(rows):
                found[session.user_id].append(session)
        return found

    def outlines(self, user_id: str, *, since: datetime | None = None) -> list[SessionOutline]:
        after, params = _since("started_at", since)
        sql = (
            "SELECT id, started_at, time_zone, status, practice FROM sessions "
            f"WHERE user_id = :user{after} ORDER BY started_at DESC, id"
        )
        return [
            SessionOutline(
                r["id"],
                _utc(r["started_at"]),
                r["time_zone"],
                SessionStatus(r["status"]),
                bool(r["practice"]),
            )
            for r in self._rows(sql, {"user": user_id, **params})
        ]

    def list_open(self) -> list[Session]:
        sql = "SELECT * FROM sessions WHERE status = :status"
        return self._with_holds(self._rows(sql, {"status": SessionStatus.IN_PROGRESS.value}))

    def _with_holds(self, rows: list[Record]) -> list[Session]:
        """The sessions of `rows` with their holds, read in one go (not one query a session).
        PostgreSQL would scan every hold for a few thousand sessions' worth: LATERAL makes it
        probe the (session) index once a session instead."""
        by_session: dict[str, list[Hold]] = defaultdict(list)
        ids = sorted({r["id"] for r in rows})
        if self._rows.postgres and ids:
            sql = (
                "SELECT h.* FROM unnest(CAST(:sessions AS text[])) AS u(id) CROSS JOIN LATERAL "
                "(SELECT * FROM holds WHERE session_id = u.id) AS h "
                "ORDER BY h.session_id, h.hold_number"
            )
            batches = [self._rows(sql, {"sessions": ids})]
        else:
            sql = "SELECT * FROM holds WHERE {among} ORDER BY session_id, hold_number"
            batches = [
                self._rows(sql.format(among=among), params)
                for among, params in self._rows.among("session_id", ids)
            ]
        for batch in batches:
            for h in batch:
                by_session[h["session_id"]].append(_hold(h))
        return [_session(r, by_session[r["id"]]) for r in rows]


CURRENT = "corrected_at IS NULL"  # a rating its owner has not replaced or withdrawn


class JournalReads:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def get(self, entry_id: str) -> PainEntry:
        found = self._rows("SELECT * FROM pain_entries WHERE id = :id", {"id": entry_id})
        if not found:
            raise NotFound(f"no pain entry with id {entry_id!r}")
        return _entry(found[0])

    def entries(self, user_id: str, *, since: datetime | None = None) -> list[PainEntry]:
        """A user's current entries (none corrected), oldest first."""
        after, params = _since("recorded_at", since)
        sql = (
            f"SELECT * FROM pain_entries WHERE user_id = :user{after} AND {CURRENT} "
            "ORDER BY recorded_at, id"
        )
        return [_entry(r) for r in self._rows(sql, {"user": user_id, **params})]

    def corrections(self, user_id: str, *, since: datetime | None = None) -> list[PainEntry]:
        """A user's entries replaced or withdrawn since, oldest first by when they were given."""
        after, params = _since("recorded_at", since)
        sql = (
            f"SELECT * FROM pain_entries WHERE user_id = :user{after} AND NOT {CURRENT} "
            "ORDER BY recorded_at, corrected_at, id"
        )
        return [_entry(r) for r in self._rows(sql, {"user": user_id, **params})]

    def entries_of(
        self, user_ids: Collection[str], *, since: datetime
    ) -> dict[str, list[PainEntry]]:
        """Each user's entries since `since`, oldest first."""
        return _per_user(
            self._rows,
            "pain_entries",
            user_ids,
            _entry,
            where=f" AND recorded_at >= :since AND {CURRENT}",
            params={"since": since},
            order="recorded_at, id",
        )


class ScreenReads:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def latest(self, user_id: str) -> ScreenResult | None:
        sql = "SELECT * FROM screens WHERE user_id = :user ORDER BY stored_at DESC, id DESC LIMIT 1"
        found = self._rows(sql, {"user": user_id})
        return _screen(found[0]) if found else None

    def history(self, user_id: str) -> list[ScreenResult]:
        """A user's screens, oldest first."""
        sql = "SELECT * FROM screens WHERE user_id = :user ORDER BY stored_at, id"
        return [_screen(r) for r in self._rows(sql, {"user": user_id})]

    def acknowledgements(self, user_id: str) -> list[Acknowledgement]:
        """A user's acknowledgements, oldest first."""
        sql = "SELECT * FROM screen_acknowledgements WHERE user_id = :user ORDER BY stored_at, id"
        return [_acknowledgement(r) for r in self._rows(sql, {"user": user_id})]

    def history_of(self, user_ids: Collection[str]) -> dict[str, list[ScreenResult]]:
        """Each user's checks, in the order they were stored."""
        return _per_user(self._rows, "screens", user_ids, _screen, order="stored_at, id")

    def acknowledgements_of(self, user_ids: Collection[str]) -> dict[str, list[Acknowledgement]]:
        """Each user's acknowledgements, in the order they were stored."""
        return _per_user(
            self._rows, "screen_acknowledgements", user_ids, _acknowledgement, order="stored_at, id"
        )


class UserReads:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def find(self, user_id: str) -> User | None:
        found = self._rows("SELECT * FROM users WHERE id = :id", {"id": user_id})
        if not found:
            return None
        return _user(found[0])

    def count_others(self, user_id: str) -> int:
        """How many users besides this one the store holds (a clinic's accounts)."""
        found = self._rows("SELECT COUNT(*) AS n FROM users WHERE id <> :id", {"id": user_id})
        return int(found[0]["n"])


class PreferencesReads:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def get(self, user_id: str) -> Preferences | None:
        found = self._rows("SELECT * FROM user_settings WHERE user_id = :user", {"user": user_id})
        return _prefs(found[0]) if found else None

    def get_many(self, user_ids: Collection[str]) -> dict[str, Preferences]:
        """The preferences of each user who saved some."""
        found: dict[str, Preferences] = {}
        for among, params in self._rows.among("user_id", user_ids):
            rows = self._rows(f"SELECT * FROM user_settings WHERE {among}", params)
            found.update({r["user_id"]: _prefs(r) for r in rows})
        return found

    def by_calendar_token(self, token: str) -> Preferences | None:
        sql = "SELECT * FROM user_settings WHERE calendar_token = :token"
        found = self._rows(sql, {"token": token})
        return _prefs(found[0]) if found else None


class HoldFormReads:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def for_holds(self, hold_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The stored metrics of the given holds, by hold id (holds without are absent)."""
        found: dict[str, dict[str, Any]] = {}
        for among, params in self._rows.among("hold_id", hold_ids):
            for row in self._rows(f"SELECT * FROM hold_form WHERE {among}", params):
                found[row["hold_id"]] = dict(row)
        return found

    def measured(self, session_id: str, hold_number: int) -> HoldForm | None:
        """What the camera measured of a hold of this session not yet joined to it."""
        sql = "SELECT * FROM measured_form WHERE session_id = :session AND hold_number = :number"
        found = self._rows(sql, {"session": session_id, "number": hold_number})
        if not found:
            return None
        row = found[0]
        return HoldForm(
            side=Side(row["side"]),
            start_s=float(row["start_s"]),
            end_s=float(row["end_s"]),
            good_form_s=float(row["good_form_s"]),
            max_hip_flexion_deg=_float_or_none(row["max_hip_flexion_deg"]),
            min_knee_deg=_float_or_none(row["min_knee_deg"]),
            faults={fault: int(row[fault.value]) for fault in Fault if row[fault.value]},
        )

    def max_flexion_by_session(self, session_ids: list[str]) -> dict[str, dict[Side, float]]:
        """Each session's deepest good-form fold per leg, as one SQL aggregate.

        Sessions with no camera-watched hold are absent; a leg with no good-form fold is
        missing from its session's dict.
        """
        found: dict[str, dict[Side, float]] = {}
        for among, params in self._rows.among("h.session_id", session_ids):
            sql = (
                "SELECT h.session_id, h.side, max(f.max_hip_flexion_deg) AS deepest "
                "FROM holds AS h JOIN hold_form AS f ON f.hold_id = h.id "
                f"WHERE {among} GROUP BY h.session_id, h.side"
            )
            for r in self._rows(sql, params):
                legs = found.setdefault(r["session_id"], {})
                if r["deepest"] is not None:
                    legs[Side(r["side"])] = float(r["deepest"])
        return found

    def max_flexion_for_user(
        self, user_id: str, *, since: datetime | None = None
    ) -> list[tuple[str, datetime, dict[Side, float]]]:
        """Every camera-watched session of a user, oldest first: id, start, deepest fold per leg.

        One aggregate over the user's sessions, so years without a camera cost one index scan.
        """
        after, params = _since("s.started_at", since)
        sql = (
            "SELECT s.id, s.started_at, h.side, max(f.max_hip_flexion_deg) AS deepest "
            "FROM sessions AS s JOIN holds AS h ON h.session_id = s.id "
            "JOIN hold_form AS f ON f.hold_id = h.id "
            f"WHERE s.user_id = :user{after} "
            "GROUP BY s.id, s.started_at, h.side ORDER BY s.started_at, s.id"
        )
        found: dict[str, tuple[datetime, dict[Side, float]]] = {}
        for r in self._rows(sql, {"user": user_id, **params}):
            _, legs = found.setdefault(r["id"], (_utc(r["started_at"]), {}))
            if r["deepest"] is not None:
                legs[Side(r["side"])] = float(r["deepest"])
        return [(session_id, at, legs) for session_id, (at, legs) in found.items()]


def _per_user(
    rows: Rows,
    table: str,
    user_ids: Collection[str],
    convert: Callable[[Record], T],
    *,
    order: str,
    where: str = "",
    params: Mapping[str, Any] | None = None,
) -> dict[str, list[T]]:
    """Rows of many users at once, a query per 500 of them, grouped by user in `order`."""
    found: dict[str, list[T]] = {uid: [] for uid in user_ids}
    for among, chunk_params in rows.among("user_id", found):
        sql = f"SELECT * FROM {table} WHERE {among}{where} ORDER BY {order}"
        for r in rows(sql, {**chunk_params, **(params or {})}):
            found[r["user_id"]].append(convert(r))
    return found


# -- rows to domain values ---------------------------------------------------------------------

_SIDES = {side.value: side for side in Side}  # a lookup: a clinic reads holds by the thousand
_FELTS = {felt.value: felt for felt in Felt}
ANSWER_TEXT: dict[bool | None, str] = {True: "1", False: "0", None: "-"}
_ANSWER_VALUE: dict[str, bool | None] = {v: k for k, v in ANSWER_TEXT.items()}


def _session(r: Record, session_holds: list[Hold]) -> Session:
    return Session(
        id=r["id"],
        user_id=r["user_id"],
        routine_id=r["routine_id"],
        routine_name=r["routine_name"],
        started_at=_utc(r["started_at"]),
        time_zone=r["time_zone"],
        settings=SessionSettings(
            hold_s=r["hold_s"],
            reps_per_side=r["reps_per_side"],
            first_side=Side(r["first_side"]),
            rest_s=r["rest_s"],
            order=Order(r["hold_order"]),
            side_reps=None
            if r["left_reps"] is None or r["right_reps"] is None
            else (r["left_reps"], r["right_reps"]),
        ),
        practice=bool(r["practice"]),
        speed=r["speed"],
        status=SessionStatus(r["status"]),
        ended_at=utc(r["ended_at"]),
        last_seen_at=utc(r["last_seen_at"]),
        owner=Owner(r["host"], r["pid"]) if r["host"] and r["pid"] is not None else None,
        holds=session_holds,
    )


def _user(r: Record) -> User:
    return User(r["id"], r["display_name"], Role(r["role"]), _utc(r["created_at"]))


def _hold(r: Record) -> Hold:
    felt = r["felt"]
    return Hold(
        id=r["id"],
        session_id=r["session_id"],
        hold_number=r["hold_number"],
        side=_SIDES[r["side"]],
        planned_s=r["planned_s"],
        held_s=r["held_s"],
        completed=bool(r["completed"]),
        ended_at=_utc(r["ended_at"]),
        felt=_FELTS[felt] if felt else None,
    )


def _entry(r: Record) -> PainEntry:
    return PainEntry(
        id=r["id"],
        user_id=r["user_id"],
        recorded_at=_utc(r["recorded_at"]),
        time_zone=r["time_zone"],
        score=r["score"],
        sites=parse_sites(r["sites"]),
        context=PainContext(r["context"]),
        session_id=r["session_id"],
        note=r["note"],
        corrected_at=utc(r["corrected_at"]),
        superseded_by=r["superseded_by"],
    )


def _screen(r: Record) -> ScreenResult:
    return ScreenResult(
        id=r["id"],
        user_id=r["user_id"],
        answered_at=_utc(r["answered_at"]),
        answers=tuple(_ANSWER_VALUE[part] for part in r["answers"].split(",")),
        version=r["version"],
        stored_at=utc(r["stored_at"]),
    )


def _acknowledgement(r: Record) -> Acknowledgement:
    return Acknowledgement(
        id=r["id"],
        user_id=r["user_id"],
        codes=tuple(c for c in r["codes"].split(",") if c),
        seen_on=_day(r["seen_on"]),
        by_user_id=r["by_user_id"],
        by_name=r["by_name"],
        note=r["note"],
        stored_at=_utc(r["stored_at"]),
    )


def _time(text: str | None) -> time | None:
    return time.fromisoformat(text) if text else None


def _prefs(r: Record) -> Preferences:
    start, end = _time(r["morning_start"]), _time(r["morning_end"])
    assert start is not None and end is not None
    return Preferences(
        user_id=r["user_id"],
        hold_s=r["hold_s"],
        reps_per_side=r["reps_per_side"],
        first_side=Side(r["first_side"]),
        morning_start=start,
        morning_end=end,
        time_zone=r["time_zone"],
        reminder_at=_time(r["reminder_at"]),
        calendar_token=r["calendar_token"],
    )


_OWNED = {
    "session": "SELECT id, user_id FROM sessions WHERE {among}",
    "pain": "SELECT id, user_id FROM pain_entries WHERE {among}",
    "screen": "SELECT id, user_id FROM screens WHERE {among}",
    "seen": "SELECT id, user_id FROM screen_acknowledgements WHERE {among}",
    "hold": (
        "SELECT h.id, s.user_id FROM holds AS h JOIN sessions AS s ON s.id = h.session_id "
        "WHERE {among}"
    ),
}


class RecordReads:
    """Which records exist already, by their stable ids, whoever they belong to (import)."""

    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def owners(self, kind: RecordKind, ids: Collection[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        column = "h.id" if kind == "hold" else "id"
        for among, params in self._rows.among(column, ids):
            for r in self._rows(_OWNED[kind].format(among=among), params):
                found[r["id"]] = r["user_id"]
        return found

    def hold_numbers(self, session_ids: Collection[str]) -> set[tuple[str, int]]:
        taken: set[tuple[str, int]] = set()
        for among, params in self._rows.among("session_id", session_ids):
            sql = f"SELECT session_id, hold_number FROM holds WHERE {among}"
            taken.update((r["session_id"], r["hold_number"]) for r in self._rows(sql, params))
        return taken


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)
