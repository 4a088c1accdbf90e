"""Each person's summary (domain/clinical/inputs.py), kept in `patient_summaries`.

Every repository write names whose records it changed (`touch`); the unit of work calls
`refresh` just before it commits, so the summary is rebuilt in the transaction that saves the
record, whichever way it came (a hold, a rating, a check, a visit, an import, a correction, a
phone's outbox). A rebuild reads a bounded slice of the person's rows (their latest sessions,
about a month of the rest, their checks) and first takes the row's lock, so two workers saving
records of the same person one after the other never leave the older picture behind.

A session's heartbeat (`touch`, its last-seen time) changes nothing the verdict or the
figures read, so it rebuilds nothing.

A summary carries VERSION: one written by other code is rebuilt, never read (`load`). It also
carries the digest of its body: readers that remember what they worked out from a summary
(the dashboard's statuses) ask for the digests alone and read only the bodies that changed.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any

from stretchcoach.adapters.store.reads import (
    _ANSWER_VALUE,
    _FELTS,
    _SIDES,
    ANSWER_TEXT,
    JournalReads,
    Record,
    Rows,
    ScreenReads,
    SessionReads,
    _acknowledgement,
    _session,
    utc,
)
from stretchcoach.domain.adherence import Start
from stretchcoach.domain.clinical.inputs import (
    RECENT_SESSIONS,
    Kept,
    VerdictInputs,
    keep_from,
    summarise,
)
from stretchcoach.domain.journal import PainContext, PainEntry, PainSite, pain_fields, parse_sites
from stretchcoach.domain.screening import Acknowledgement, ScreenResult
from stretchcoach.domain.session import Hold, SessionOutline, hold_fields, session_fields
from stretchcoach.domain.values import SessionStatus

VERSION = 1  # raise it whenever what a summary holds, or how it is worked out, changes
EVER = datetime(1970, 1, 1, tzinfo=UTC)
# The order each record's values are kept in (encode writes them in the field functions' order).
SESSION_COLUMNS = (
    *("id", "started_at", "ended_at", "last_seen_at", "time_zone", "status", "practice"),
    *("speed", "routine_id", "routine_name", "hold_s", "reps_per_side", "first_side"),
    *("rest_s", "hold_order", "host", "pid", "left_reps", "right_reps", "user_id"),
)
HOLD_COLUMNS = (
    *("id", "session_id", "hold_number", "side", "planned_s", "held_s", "completed"),
    *("ended_at", "felt"),
)
ENTRY_COLUMNS = (
    *("id", "session_id", "recorded_at", "time_zone", "score", "sites", "context", "note"),
    "user_id",
)
CHECK_COLUMNS = ("id", "user_id", "answered_at", "answers", "version", "stored_at")
ACK_COLUMNS = ("id", "user_id", "codes", "seen_on", "by_user_id", "by_name", "note", "stored_at")

# What a write names: a person, or a record whose owner the refresh looks up.
OWNER_OF = {
    "session": "SELECT user_id FROM sessions WHERE {among}",
    "hold": "SELECT s.user_id FROM holds AS h JOIN sessions AS s ON s.id = h.session_id "
    "WHERE {among}",
    "entry": "SELECT user_id FROM pain_entries WHERE {among}",
}
_COLUMN = {"session": "id", "hold": "h.id", "entry": "id"}


def touch(rows: Rows, kind: str, ids: Iterable[str]) -> None:
    """Note that records of `kind` ("user", "session", "hold", "entry") changed."""
    rows.touched.update((kind, i) for i in ids)


def refresh(rows: Rows) -> None:
    """Rebuild the summaries of everyone whose records this transaction changed."""
    if not rows.touched:
        return
    touched, rows.touched = rows.touched, set()
    people = {i for kind, i in touched if kind == "user"}
    for kind, sql in OWNER_OF.items():
        ids = [i for k, i in touched if k == kind]
        for among, params in rows.among(_COLUMN[kind], ids):
            people.update(r["user_id"] for r in rows(sql.format(among=among), params))
    known: set[str] = set()
    for among, params in rows.among("id", people):
        known.update(r["id"] for r in rows(f"SELECT id FROM users WHERE {among}", params))
    if known:
        _lock(rows, known)
        save(rows, _build_what_reads(rows, known))


def rebuild_everyone(rows: Rows, *, batch: int = 500) -> int:
    """Build every person's summary (the migration that adds them); how many were built."""
    people = sorted(r["id"] for r in rows("SELECT id FROM users"))
    built = 0
    for start in range(0, len(people), batch):
        chunk = people[start : start + batch]
        _lock(rows, chunk)
        made = _build_what_reads(rows, chunk)
        save(rows, made)
        built += len(made)
    return built


def _build_what_reads(rows: Rows, user_ids: Collection[str]) -> dict[str, VerdictInputs]:
    """`build`, person by person when one's records cannot be read (a check whose answers do
    not fit its questions): their summary stays unbuilt, and the record is saved all the same;
    whoever reads their verdict meets the problem then, as their own pages do."""
    try:
        return build(rows, user_ids)
    except ValueError:
        found: dict[str, VerdictInputs] = {}
        for uid in user_ids:
            try:
                found.update(build(rows, [uid]))
            except ValueError:
                continue
        return found


def digests(rows: Rows, user_ids: Collection[str]) -> dict[str, str]:
    """The digest of each summary kept at this VERSION, without its body."""
    found: dict[str, str] = {}
    for among, params in rows.among("user_id", user_ids):
        sql = f"SELECT user_id, version, digest FROM patient_summaries WHERE {among}"
        for r in rows(sql, params):
            if r["version"] == VERSION and r["digest"]:
                found[r["user_id"]] = r["digest"]
    return found


def load(rows: Rows, user_ids: Collection[str]) -> dict[str, Kept]:
    """The summaries kept for `user_ids` at this VERSION; a person without one is left out."""
    found: dict[str, Kept] = {}
    for among, params in rows.among("user_id", user_ids):
        sql = f"SELECT user_id, version, digest, body FROM patient_summaries WHERE {among}"
        kept = [r for r in rows(sql, params) if r["version"] == VERSION and r["body"]]
        with collector_paused():
            for r in kept:
                found[r["user_id"]] = Kept(r["digest"] or digest(r["body"]), decode(r["body"]))
    return found


@contextmanager
def collector_paused() -> Iterator[None]:
    """Decoding a clinic's summaries makes about a hundred thousand small values that all live
    on, so Python's cycle collector ran again and again over the growing heap, finding nothing:
    a third to a half of the decoding time, measured on 1,000 summaries. Paused while decoding;
    the pause that found it running turns it back on, whatever other threads do meanwhile."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_or_build(rows: Rows, user_ids: Collection[str]) -> dict[str, Kept]:
    """`load`, building (and keeping) the summaries missing or made by other code."""
    found = load(rows, user_ids)
    missing = [uid for uid in user_ids if uid not in found]
    if missing:
        _lock(rows, missing)
        built = build(rows, missing)
        written = save(rows, built)
        found.update((uid, Kept(written[uid], built[uid])) for uid in built)
    return found


def _lock(rows: Rows, user_ids: Collection[str]) -> None:
    """Make sure each person has a row, and hold it until the transaction ends: a rebuild
    then reads every record a transaction saved before it (PostgreSQL reads what was saved
    when each statement begins; SQLite has one writer at a time)."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return
    rows.many(
        "INSERT INTO patient_summaries (user_id, version, body) VALUES (:user_id, 0, '') "
        "ON CONFLICT (user_id) DO NOTHING",
        [{"user_id": uid} for uid in wanted],
    )
    if rows.postgres:
        rows(
            "SELECT user_id FROM patient_summaries WHERE user_id = ANY(:users) "
            "ORDER BY user_id FOR UPDATE",
            {"users": wanted},
        )


def save(rows: Rows, summaries: dict[str, VerdictInputs]) -> dict[str, str]:
    """Keep `summaries`; the digest of each, by person."""
    if not summaries:
        return {}
    bodies = {uid: encode(summary) for uid, summary in sorted(summaries.items())}
    written = {uid: digest(body) for uid, body in bodies.items()}
    rows.many(
        "UPDATE patient_summaries SET version = :version, body = :body, digest = :digest "
        "WHERE user_id = :user_id",
        [
            {"user_id": uid, "version": VERSION, "body": body, "digest": written[uid]}
            for uid, body in bodies.items()
        ],
    )
    return written


def digest(body: str) -> str:
    """Names a stored body: equal digests, equal bodies (and so equal summaries)."""
    return hashlib.blake2b(body.encode(), digest_size=16).hexdigest()


def build(
    rows: Rows, user_ids: Collection[str], *, anchor: datetime | None = None
) -> dict[str, VerdictInputs]:
    """The summaries of `user_ids` from their rows; `anchor`: for that time instead of each
    person's latest record (a reader asking before a record dated ahead of its clock)."""
    users = sorted(set(user_ids))
    latest = _latest(rows, users)
    anchors = {uid: anchor if anchor is not None else _later(*latest[uid]) for uid in users}
    froms = [keep_from(a)[1] for a in anchors.values()]
    since = min((f for f in froms if f is not None), default=EVER)
    sessions = SessionReads(rows).recent_of(users, limit=RECENT_SESSIONS, since=EVER)
    entries = JournalReads(rows).entries_of(users, since=since)
    screens = ScreenReads(rows)
    checks, acks = screens.history_of(users), screens.acknowledgements_of(users)
    outlines: dict[str, list[SessionOutline]] = {uid: [] for uid in users}
    folds: dict[str, list[tuple[datetime, float, int]]] = {uid: [] for uid in users}
    for among, params in rows.among("user_id", users):
        for r in rows(
            "SELECT id, user_id, started_at, time_zone, status, practice FROM sessions "
            f"WHERE {among} AND started_at >= :since ORDER BY started_at, id",
            params | {"since": since},
        ):
            outlines[r["user_id"]].append(_outline(r))
        for r in rows(
            "SELECT user_id, started_at, fold_sum_deg, fold_count FROM session_folds "
            f"WHERE {among} AND started_at >= :since ORDER BY started_at, session_id",
            params | {"since": since},
        ):
            folds[r["user_id"]].append(
                (_at(r["started_at"]), float(r["fold_sum_deg"]), int(r["fold_count"]))
            )
    return {
        uid: summarise(
            sessions=sessions[uid],
            entries=entries[uid],
            checks=checks[uid],
            acknowledgements=acks[uid],
            outlines=outlines[uid],
            folds=folds[uid],
            anchor=anchors[uid],
            last_session_at=latest[uid][0],
        )
        for uid in users
    }


def _latest(rows: Rows, users: list[str]) -> dict[str, tuple[datetime | None, datetime | None]]:
    """Each person's latest session start and latest current rating."""
    sessions: dict[str, datetime | None] = dict.fromkeys(users)
    ratings: dict[str, datetime | None] = dict.fromkeys(users)
    for among, params in rows.among("user_id", users):
        for found, sql in (
            (sessions, f"SELECT user_id, MAX(started_at) AS at FROM sessions WHERE {among} "),
            (ratings, f"SELECT user_id, MAX(recorded_at) AS at FROM pain_entries WHERE {among} "),
        ):
            where = "AND corrected_at IS NULL " if found is ratings else ""
            for r in rows(sql + where + "GROUP BY user_id", params):
                found[r["user_id"]] = utc(r["at"])
    return {uid: (sessions[uid], ratings[uid]) for uid in users}


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return a if b is None else b if a is None else max(a, b)


def _at(value: datetime | str) -> datetime:
    moment = utc(value)
    assert moment is not None
    return moment


def _outline(r: Record) -> SessionOutline:
    return SessionOutline(
        r["id"],
        _at(r["started_at"]),
        r["time_zone"],
        SessionStatus(r["status"]),
        bool(r["practice"]),
    )


# -- the stored form: JSON, each record as the store's own row ---------------------------------


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (datetime, date)) else value


def _row(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in fields.items()}


def encode(s: VerdictInputs) -> str:
    """Each record a list of its row's values in the order of its columns below."""
    body = {
        "anchor": _plain(s.anchor),
        "sessions": [
            [_plain(v) for v in (session_fields(x) | {"user_id": x.user_id}).values()]
            + [[[_plain(v) for v in hold_fields(h).values()] for h in x.holds]]
            for x in s.sessions
        ],
        "entries": [
            [_plain(v) for v in (pain_fields(e) | {"user_id": e.user_id}).values()]
            for e in s.entries
        ],
        "checks": [[_plain(v) for v in _check_row(c).values()] for c in s.checks],
        "acks": [[_plain(v) for v in _ack_row(a).values()] for a in s.acknowledgements],
        "starts": [[x.day.toordinal(), x.clock.isoformat(), x.can_count] for x in s.starts],
        "last_session_at": _plain(s.last_session_at),
        "pain": [[at.isoformat(), score] for at, score in s.pain],
        "folds": [[at.isoformat(), total, count] for at, total, count in s.folds],
        "screened_at": _plain(s.screened_at),
    }
    return json.dumps(body, separators=(",", ":"))


def decode(text: str) -> VerdictInputs:
    """A kept summary back as values. The many holds, ratings and checks are built straight
    from the values encode wrote (aware UTC times in ISO form), as reads.py builds them from
    rows; the property test compares every one with what the rows give."""
    body = json.loads(text)
    places: dict[str, frozenset[PainSite]] = {}

    def sites(spec: str) -> frozenset[PainSite]:
        found = places.get(spec)
        if found is None:
            found = places[spec] = parse_sites(spec)
        return found

    return VerdictInputs(
        anchor=utc(body["anchor"]),
        sessions=tuple(
            _session(
                dict(zip(SESSION_COLUMNS, r, strict=False)),
                [
                    Hold(
                        i,
                        sid,
                        n,
                        _SIDES[side],
                        planned,
                        held,
                        completed,
                        _at_iso(end),
                        _FELTS[felt] if felt else None,
                    )
                    for i, sid, n, side, planned, held, completed, end, felt in r[-1]
                ],
            )
            for r in body["sessions"]
        ),
        entries=tuple(
            PainEntry(
                i, user, _at_iso(at), zone, score, sites(where), _CONTEXTS[context], sid, note
            )
            for i, sid, at, zone, score, where, context, note, user in body["entries"]
        ),
        checks=tuple(
            ScreenResult(
                i,
                user,
                _at_iso(at),
                tuple(_ANSWER_VALUE[a] for a in answers.split(",")),
                version,
                _at_iso(stored),
            )
            for i, user, at, answers, version, stored in body["checks"]
        ),
        acknowledgements=tuple(
            _acknowledgement(dict(zip(ACK_COLUMNS, r, strict=True))) for r in body["acks"]
        ),
        starts=tuple(Start(_day(day), _clock(clock), can) for day, clock, can in body["starts"]),
        last_session_at=utc(body["last_session_at"]),
        pain=tuple((_at_iso(at), score) for at, score in body["pain"]),
        folds=tuple((_at_iso(at), total, count) for at, total, count in body["folds"]),
        screened_at=utc(body["screened_at"]),
    )


_at_iso = datetime.fromisoformat  # encode writes aware UTC times
_day = lru_cache(maxsize=4096)(date.fromordinal)  # days and clock times recur across a clinic
_clock = lru_cache(maxsize=4096)(time.fromisoformat)
_CONTEXTS = {context.value: context for context in PainContext}


def _check_row(c: ScreenResult) -> dict[str, Any]:
    return {
        "id": c.id,
        "user_id": c.user_id,
        "answered_at": c.answered_at,
        "answers": ",".join(ANSWER_TEXT[a] for a in c.answers),
        "version": c.version,
        "stored_at": c.stored_at,
    }


def _ack_row(a: Acknowledgement) -> dict[str, Any]:
    return {
        "id": a.id,
        "user_id": a.user_id,
        "codes": ",".join(a.codes),
        "seen_on": a.seen_on,
        "by_user_id": a.by_user_id,
        "by_name": a.by_name,
        "note": a.note,
        "stored_at": a.stored_at,
    }
