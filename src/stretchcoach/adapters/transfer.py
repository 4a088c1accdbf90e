"""The export file formats, JSON and CSV, written and read back without losing anything.

JSON: one object, `{"format": "stretchcoach-export", "version": 1, "exported_at": ...,
"sessions": [...], "holds": [...], "pain_entries": [...], "screens": [...]}`; each record an
object with the fields below, typed (numbers, true/false, null; a screen's answers a list of
true/false).

CSV: one table. The first column, `record`, says what each row is (`session`, `hold`, `pain`
or `screen`); the other columns are the union of the fields below, and a row fills only the
ones of its kind. Empty means none. True/false are `true`/`false`; a screen's answers are
`0`/`1` in question order, comma-separated.

Both: times are ISO 8601 with their UTC offset (written in UTC), beside the IANA zone they
were recorded in; pain sites are `left:thigh,right:buttock`. Ids are UUIDs. The reader checks
every field of every record and names the row (CSV, the header being row 1) or the record
(JSON) and the field of the first problem. docs/export.md describes the layout for people.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Mapping
from datetime import UTC as _UTC
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID

from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import (
    PainContext,
    PainEntry,
    check_note,
    check_score,
    pain_fields,
    parse_sites,
)
from stretchcoach.domain.plausible import (
    MAX_HOLD_NUMBER,
    MAX_INTEGER,
    MAX_REPS,
    MAX_SECONDS,
    MAX_SPEED,
    check_held,
)
from stretchcoach.domain.preferences import check_time_zone
from stretchcoach.domain.routine import SessionSettings, side_reps_pair
from stretchcoach.domain.safety import SCREEN_VERSION, check_answers
from stretchcoach.domain.screening import Acknowledgement, ScreenResult
from stretchcoach.domain.session import Hold, Owner, Session, hold_fields, session_fields
from stretchcoach.domain.text import clean_text
from stretchcoach.domain.values import Order, SessionStatus, Side
from stretchcoach.errors import InvalidInput
from stretchcoach.services.transfer import Bundle, Located, problem

FORMAT_NAME = "stretchcoach-export"
FORMAT_VERSION = 1
FORMATS = ("json", "csv", "fhir")  # fhir is written only (services/fhir.py)

SESSION_FIELDS = (
    "id",
    "started_at",
    "ended_at",
    "last_seen_at",
    "time_zone",
    "status",
    "practice",
    "speed",
    "routine_id",
    "routine_name",
    "hold_s",
    "reps_per_side",
    "first_side",
    "rest_s",
    "hold_order",
    "host",
    "pid",
    "left_reps",
    "right_reps",
)
HOLD_FIELDS = (
    "id",
    "session_id",
    "hold_number",
    "side",
    "planned_s",
    "held_s",
    "completed",
    "ended_at",
    "felt",
)
PAIN_FIELDS = (
    "id",
    "session_id",
    "recorded_at",
    "time_zone",
    "score",
    "sites",
    "context",
    "note",
)
SCREEN_FIELDS = ("id", "answered_at", "answers", "version")
SEEN_FIELDS = ("id", "codes", "seen_on", "seen_by", "by_name", "note", "stored_at")
JSON_LISTS = {
    "session": "sessions",
    "hold": "holds",
    "pain": "pain_entries",
    "screen": "screens",
    "seen": "acknowledgements",
}
CSV_COLUMNS = (
    "record",
    *dict.fromkeys(SESSION_FIELDS + HOLD_FIELDS + PAIN_FIELDS + SCREEN_FIELDS + SEEN_FIELDS),
)
# Columns added after the first exports: a file without them still reads.
LATER_COLUMNS = frozenset({"left_reps", "right_reps", "codes", "seen_on", "seen_by", "by_name",
                           "stored_at"})  # fmt: skip
SELF = "self"  # `seen_by` of an acknowledgement the person recorded themselves

E = TypeVar("E", bound=StrEnum)
R = TypeVar("R")


def check_format(name: str) -> str:
    if name not in FORMATS:
        raise InvalidInput(f"format {name!r} is not known: use json, csv or fhir")
    return name


# -- writing ------------------------------------------------------------------------------


def _screen_fields(r: ScreenResult) -> dict[str, Any]:
    return {"id": r.id, "answered_at": r.answered_at, "answers": r.answers, "version": r.version}


def _seen_fields(a: Acknowledgement) -> dict[str, Any]:
    return {
        "id": a.id,
        "codes": ",".join(a.codes),
        "seen_on": a.seen_on.isoformat(),
        "seen_by": a.by_user_id if a.by_clinician else SELF,
        "by_name": a.by_name,
        "note": a.note,
        "stored_at": a.stored_at,
    }


def _records(bundle: Bundle) -> list[tuple[str, dict[str, Any]]]:
    return [
        *(("session", session_fields(x.record)) for x in bundle.sessions),
        *(("hold", hold_fields(x.record)) for x in bundle.holds),
        *(("pain", pain_fields(x.record)) for x in bundle.pain),
        *(("screen", _screen_fields(x.record)) for x in bundle.screens),
        *(("seen", _seen_fields(x.record)) for x in bundle.acknowledgements),
    ]


def to_json(bundle: Bundle, *, now: datetime) -> str:
    out: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": now.astimezone(_UTC).isoformat(),
        **{name: [] for name in JSON_LISTS.values()},
    }
    for kind, fields in _records(bundle):
        out[JSON_LISTS[kind]].append(
            {
                k: (v.astimezone(_UTC).isoformat() if isinstance(v, datetime) else v)
                for k, v in fields.items()
            }
        )
    for screen in out["screens"]:
        screen["answers"] = list(screen["answers"])
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def to_csv(bundle: Bundle) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for kind, fields in _records(bundle):
        writer.writerow(
            {"record": kind, **{k: spreadsheet_safe(_csv_text(v)) for k, v in fields.items()}}
        )
    return buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run (OWASP)
QUOTE = "'"


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: one starting as a formula could (`=`, `+`,
    `-`, `@`, a tab or a carriage return: OWASP's CSV injection list) gets a `'` in front.
    A cell starting with `'` gets one too, so that `from_spreadsheet` takes exactly one off
    every cell that has one and each cell reads back as it was written."""
    return QUOTE + cell if cell.startswith((*FORMULA_STARTS, QUOTE)) else cell


def from_spreadsheet(cell: str) -> str:
    """The cell as `spreadsheet_safe` was given it."""
    return cell.removeprefix(QUOTE)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(_UTC).isoformat()
    if isinstance(value, tuple):
        return ",".join({True: "1", False: "0", None: "-"}[answer] for answer in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


# -- reading ------------------------------------------------------------------------------


Progress = Callable[[int, int], None]  # (records read, records in all), now and then
EVERY = 1000  # records between two progress reports


def read_export(
    text: str, *, user_id: str, name: str = "the file", progress: Progress | None = None
) -> Bundle:
    """Parse JSON or CSV (told apart by the first character) into records for `user_id`."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        return from_json(stripped, user_id=user_id, progress=progress)
    if stripped.startswith("record,") or stripped.startswith('"record"'):
        return from_csv(stripped, user_id=user_id, progress=progress)
    raise InvalidInput(
        f"{name} is not a stretchcoach export: expected JSON starting with '{{' or CSV "
        "whose first column is 'record'"
    )


def from_json(text: str, *, user_id: str, progress: Progress | None = None) -> Bundle:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"the file is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg}); nothing was imported"
        ) from None
    except RecursionError:
        raise InvalidInput(
            "the JSON is nested too deeply to be an export (records are objects in lists, "
            "two levels down); nothing was imported"
        ) from None
    except ValueError as error:  # a number of thousands of digits, say
        raise InvalidInput(
            f"the file is not a usable JSON export ({error}); nothing was imported"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise InvalidInput(
            f"the JSON is not a stretchcoach export: its 'format' must be {FORMAT_NAME!r}; "
            "nothing was imported"
        )
    if data.get("version") != FORMAT_VERSION:
        raise InvalidInput(
            f"export version {data.get('version')!r} is not supported: this version of "
            f"stretchcoach reads version {FORMAT_VERSION}; nothing was imported"
        )
    bundle = Bundle()
    lists = {kind: data.get(list_name, []) for kind, list_name in JSON_LISTS.items()}
    total = sum(len(items) for items in lists.values() if isinstance(items, list))
    done = 0
    for kind, items in lists.items():
        list_name = JSON_LISTS[kind]
        if not isinstance(items, list):
            raise InvalidInput(f"{list_name!r} must be a list of records; nothing was imported")
        for index, item in enumerate(items, start=1):
            where = f"{list_name} record {index}"
            if not isinstance(item, dict):
                raise InvalidInput(f"{where} is not an object; nothing was imported")
            _add(bundle, kind, _Fields(item, where, typed=True), user_id)
            done += 1
            if progress is not None and done % EVERY == 0:
                progress(done, total)
    return bundle


def from_csv(text: str, *, user_id: str, progress: Progress | None = None) -> Bundle:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in CSV_COLUMNS if c not in header and c not in LATER_COLUMNS]
    if missing:
        raise InvalidInput(
            f"the CSV has no {missing[0]!r} column: its header must hold "
            f"{', '.join(CSV_COLUMNS)}; nothing was imported"
        )
    bundle = Bundle()
    total = text.count("\n") - 1  # rows, about: a note may hold a line break
    try:
        for number, row in enumerate(reader, start=2):  # as a spreadsheet counts: header 1
            where = f"row {number}"
            row = {k: from_spreadsheet(v) if isinstance(v, str) else v for k, v in row.items()}
            kind = row.get("record") or ""
            if kind not in JSON_LISTS:
                raise problem(
                    where, "record", f"{kind!r} is not session, hold, pain, screen or seen"
                )
            _add(bundle, kind, _Fields(row, where, typed=False), user_id)
            if progress is not None and number % EVERY == 0:
                progress(number - 1, total)
    except csv.Error as error:
        raise InvalidInput(
            f"line {reader.line_num} is not valid CSV ({error}); nothing was imported"
        ) from None
    return bundle


def _add(bundle: Bundle, kind: str, f: _Fields, user_id: str) -> None:
    if kind == "session":
        bundle.sessions.append(Located(_session(f, user_id), f.where))
    elif kind == "hold":
        bundle.holds.append(Located(_hold(f), f.where))
    elif kind == "pain":
        bundle.pain.append(Located(_pain(f, user_id), f.where))
    elif kind == "screen":
        bundle.screens.append(Located(_screen(f, user_id), f.where))
    else:
        bundle.acknowledgements.append(Located(_seen(f, user_id), f.where))


def _side_reps(f: _Fields) -> tuple[int, int] | None:
    left = f.maybe_integer("left_reps", maximum=MAX_REPS)
    right = f.maybe_integer("right_reps", maximum=MAX_REPS)
    try:
        return side_reps_pair(left, right)
    except InvalidInput as error:
        raise problem(f.where, error.field or "left_reps", str(error)) from None


def _session(f: _Fields, user_id: str) -> Session:
    host = f.text("host", optional=True, max_len=255)
    pid = f.maybe_integer("pid", maximum=MAX_INTEGER)
    return Session(
        id=f.uuid("id"),
        user_id=user_id,
        routine_id=f.text("routine_id"),
        routine_name=f.text("routine_name", max_len=200),
        started_at=f.moment("started_at"),
        ended_at=f.maybe_moment("ended_at"),
        last_seen_at=f.maybe_moment("last_seen_at"),
        time_zone=f.check("time_zone", check_time_zone, f.text("time_zone")),
        status=f.choice("status", SessionStatus),
        practice=f.boolean("practice"),
        speed=f.number("speed", positive=True, maximum=MAX_SPEED),
        settings=SessionSettings(
            hold_s=f.number("hold_s", positive=True, maximum=MAX_SECONDS),
            reps_per_side=f.integer("reps_per_side", minimum=1, maximum=MAX_REPS),
            first_side=f.choice("first_side", Side),
            rest_s=f.number("rest_s", maximum=MAX_SECONDS),
            order=f.choice("hold_order", Order),
            side_reps=_side_reps(f),
        ),
        owner=Owner(host, pid) if host and pid is not None else None,
    )


def _seen(f: _Fields, user_id: str) -> Acknowledgement:
    from datetime import date

    from stretchcoach.domain.clinical import SETTLEABLE  # only to read: export does without

    codes = tuple(c for c in f.text("codes", max_len=1000).split(",") if c)
    for code in codes:
        if code not in SETTLEABLE:
            raise f._bad("codes", code, "use the codes of warning-sign questions and stop rules")
    if not codes:
        raise f._bad("codes", "", "name at least one warning sign or stop rule")
    raw_day = f.text("seen_on", max_len=10)
    try:
        seen_on = date.fromisoformat(raw_day)
    except ValueError:
        raise f._bad("seen_on", raw_day, "use a date like 2026-03-01") from None
    by = f.text("seen_by", max_len=64)
    return Acknowledgement(
        id=f.uuid("id"),
        user_id=user_id,
        codes=codes,
        seen_on=seen_on,
        by_user_id=user_id if by == SELF else by,
        by_name=f.text("by_name", max_len=200),
        note=f.text("note", optional=True, max_len=300),
        stored_at=f.moment("stored_at"),
    )


def _hold(f: _Fields) -> Hold:
    felt = f.text("felt", optional=True)
    planned_s = f.number("planned_s", maximum=MAX_SECONDS)
    return Hold(
        id=f.uuid("id"),
        session_id=f.uuid("session_id"),
        hold_number=f.integer("hold_number", minimum=1, maximum=MAX_HOLD_NUMBER),
        side=f.choice("side", Side),
        planned_s=planned_s,
        held_s=f.check("held_s", lambda held: check_held(held, planned_s), f.number("held_s")),
        completed=f.boolean("completed"),
        ended_at=f.moment("ended_at"),
        felt=f.choice("felt", Felt) if felt else None,
    )


def _pain(f: _Fields, user_id: str) -> PainEntry:
    session_id = f.text("session_id", optional=True)
    return PainEntry(
        id=f.uuid("id"),
        user_id=user_id,
        recorded_at=f.moment("recorded_at"),
        time_zone=f.check("time_zone", check_time_zone, f.text("time_zone")),
        score=f.check("score", check_score, f.integer("score")),
        sites=f.check("sites", parse_sites, f.text("sites", optional=True, max_len=400)),
        context=f.choice("context", PainContext),
        session_id=f.uuid("session_id") if session_id else None,
        note=f.check("note", check_note, f.text("note", optional=True, max_len=10_000)),
    )


def _screen(f: _Fields, user_id: str) -> ScreenResult:
    version = f.integer("version", minimum=1, maximum=SCREEN_VERSION)
    answers = f.answers("answers")
    f.check("answers", lambda a: check_answers(a, version=version, partial=True), answers)
    return ScreenResult(
        id=f.uuid("id"),
        user_id=user_id,
        answered_at=f.moment("answered_at"),
        answers=answers,
        version=version,
    )


class _Fields:
    """One record's fields, read with checks; every failure names the record and the field."""

    def __init__(self, data: Mapping[str, Any], where: str, *, typed: bool) -> None:
        self._data, self.where, self._typed = data, where, typed

    def _raw(self, name: str, optional: bool) -> Any:
        value = self._data.get(name)
        if value is None or (not self._typed and value == ""):
            if optional:
                return None
            raise problem(self.where, name, "is missing")
        return value

    def _bad(self, name: str, value: Any, allowed: str) -> InvalidInput:
        return problem(self.where, name, f"{value!r} is not allowed: {allowed}")

    def check(self, name: str, rule: Callable[[Any], R], value: Any) -> R:
        try:
            return rule(value)
        except InvalidInput as error:
            raise problem(self.where, name, str(error)) from None

    def text(self, name: str, *, optional: bool = False, max_len: int = 64) -> str:
        value = self._raw(name, optional)
        if value is None:
            return ""
        if not isinstance(value, str) or len(value) > max_len:
            raise self._bad(name, value, f"use text of up to {max_len} characters")
        # one rule for typed text: no NUL, control (a terminal escape) or invisible characters
        return self.check(
            name,
            lambda v: clean_text(v, field="the text", max_length=max_len, multiline=name == "note"),
            value,
        )

    def uuid(self, name: str) -> str:
        value = self._raw(name, False)  # no text rule needed: the UUID is written anew
        if not isinstance(value, str) or len(value) > 64:
            raise self._bad(name, value, "use a UUID like 1b4e28ba-2fa1-11d2-883f-b9a761bde3fb")
        try:
            return str(UUID(value))
        except ValueError:
            allowed = "use a UUID like 1b4e28ba-2fa1-11d2-883f-b9a761bde3fb"
            raise self._bad(name, value, allowed) from None

    def moment(self, name: str) -> datetime:
        found = self.maybe_moment(name, optional=False)
        assert found is not None
        return found

    def maybe_moment(self, name: str, *, optional: bool = True) -> datetime | None:
        value = self._raw(name, optional)
        if value is None:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError
            parsed = datetime.fromisoformat(value)
        except ValueError:
            allowed = "use an ISO 8601 time like 2026-03-01T07:30:00+00:00"
            raise self._bad(name, value, allowed) from None
        if parsed.tzinfo is None:
            raise self._bad(name, value, "give the UTC offset too, like +00:00")
        return parsed.astimezone(_UTC)

    def number(self, name: str, *, positive: bool = False, maximum: float = MAX_SECONDS) -> float:
        value = self._raw(name, False)
        try:
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise ValueError
            if isinstance(value, str) and (self._typed or "_" in value):
                raise ValueError  # JSON numbers are numbers; "1_0" is not a number in a CSV
            number = float(value)
            if not math.isfinite(number) or number < 0 or (positive and number == 0):
                raise ValueError
            if number > maximum:
                raise ValueError
        except ValueError:
            low = "above 0" if positive else "from 0"
            raise self._bad(name, value, f"use a number {low} up to {maximum:g}") from None
        return number

    def integer(self, name: str, *, minimum: int = 0, maximum: int = MAX_INTEGER) -> int:
        found = self.maybe_integer(name, optional=False, minimum=minimum, maximum=maximum)
        assert found is not None
        return found

    def maybe_integer(
        self, name: str, *, optional: bool = True, minimum: int = 0, maximum: int = MAX_INTEGER
    ) -> int | None:
        value = self._raw(name, optional)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            number: int | None = value
        elif not self._typed and isinstance(value, str) and value.isascii() and value.isdigit():
            number = int(value)  # a CSV cell: digits only (int() also takes "1_0", " +5")
        else:
            number = None  # a JSON string "5", a float, true/false: not a whole number
        if number is None or not minimum <= number <= maximum:
            raise self._bad(name, value, f"use a whole number from {minimum} to {maximum}")
        return number

    def boolean(self, name: str) -> bool:
        value = self._raw(name, False)
        if isinstance(value, bool):
            return value
        if not self._typed and isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise self._bad(name, value, "use true or false")

    def choice(self, name: str, kind: type[E]) -> E:
        value = self._raw(name, False)
        try:
            return kind(value)
        except ValueError:
            raise self._bad(name, value, f"use one of {', '.join(k.value for k in kind)}") from None

    def answers(self, name: str) -> tuple[bool | None, ...]:
        value = self._raw(name, False)
        if (
            self._typed
            and isinstance(value, list)
            and all(a is None or isinstance(a, bool) for a in value)
        ):
            answers = tuple(value)
        elif (
            not self._typed and isinstance(value, str) and set(value.split(",")) <= {"0", "1", "-"}
        ):
            answers = tuple({"1": True, "0": False, "-": None}[p] for p in value.split(","))
        else:
            allowed = (
                "a list of true/false (null: not asked)"
                if self._typed
                else "0 or 1 per question (- not asked), like 0,0,1"
            )
            raise self._bad(name, value, f"use {allowed}")
        if not answers or len(answers) > 32:
            raise self._bad(name, value, "give between 1 and 32 answers")
        return answers
