"""The clinic, accounts and set-aside repositories through the real unit of work, on SQLite and
PostgreSQL: one test code for both, every public method, and rows stored as the schema's Core
tables store them (so a store written before reads the same)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, insert, text

from stretchcoach.adapters.store import tables
from stretchcoach.adapters.store.accounts_repository import HOLD_TABLES, USER_TABLES
from stretchcoach.adapters.store.engine import open_store
from stretchcoach.adapters.store.uow import SqlUnitOfWork
from stretchcoach.domain.consent import Consent, KeptOn
from stretchcoach.domain.form.metrics import HoldForm
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.push import Subscription
from stretchcoach.domain.refused import RefusedRecord, SetAsideRecord
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.safety import QUESTIONS
from stretchcoach.domain.screening import Acknowledgement, ScreenResult
from stretchcoach.domain.session import Hold, Session
from stretchcoach.domain.user import Role, User
from stretchcoach.domain.values import SessionStatus, Side

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")
WEEK = timedelta(days=7)
WINDOW = timedelta(minutes=15)


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = open_store(store_url, pool_size=4)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> SqlUnitOfWork:
    return SqlUnitOfWork(engine)


def _user(uid: str, name: str, role: Role = Role.PATIENT, *, at: datetime = AT) -> User:
    return User(uid, name, role, at)


def _add_users(uow: SqlUnitOfWork, *people: User) -> None:
    with uow:
        for person in people:
            uow.users.add(person)
        uow.commit()


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as c:
        return int(c.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def _is_utc(moment: datetime) -> bool:
    return moment.utcoffset() == timedelta(0)


DR = _user("dr", "Dr Moss", Role.CLINICIAN)
ANN = _user("ann", "Ann")
BEN = _user("ben", "Ben")


# -- clinic: invitations -----------------------------------------------------------------------


def test_an_invitation_names_its_clinician_until_it_is_used_or_out_of_date(
    uow: SqlUnitOfWork,
) -> None:
    _add_users(uow, DR)
    with uow:
        uow.clinic.add_invitation("code", DR.id, created_at=AT, expires_at=AT + WEEK)
        uow.commit()

    with uow:
        opened = uow.clinic.open_invitation("code", now=AT.astimezone(PARIS))
        at_expiry = uow.clinic.open_invitation("code", now=AT + WEEK)
        unknown = uow.clinic.open_invitation("other", now=AT)
        first = uow.clinic.use_invitation("code", now=AT + timedelta(hours=1))
        second = uow.clinic.use_invitation("code", now=AT + timedelta(hours=2))
        never_made = uow.clinic.use_invitation("other", now=AT)
        after_use = uow.clinic.open_invitation("code", now=AT + timedelta(hours=3))
        uow.commit()

    assert opened == DR and opened is not None and _is_utc(opened.created_at)
    assert (at_expiry, unknown, after_use) == (None, None, None)
    assert (first, second, never_made) == (True, False, False)


# -- clinic: care links ------------------------------------------------------------------------


def test_linking_twice_keeps_one_link_and_removing_a_missing_link_says_so(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    _add_users(uow, DR, ANN, BEN)

    with uow:
        uow.clinic.add_link(DR.id, ANN.id, at=AT)
        uow.clinic.add_link(DR.id, ANN.id, at=AT + timedelta(minutes=1))
        linked = (uow.clinic.has_link(DR.id, ANN.id), uow.clinic.has_link(DR.id, BEN.id))
        uow.commit()
    kept = _count(engine, "care_links")
    with uow:
        removed = uow.clinic.remove_link(DR.id, ANN.id)
        again = uow.clinic.remove_link(DR.id, ANN.id)
        never_linked = uow.clinic.remove_link(DR.id, BEN.id)
        reversed_pair = uow.clinic.remove_link(ANN.id, DR.id)
        after = uow.clinic.has_link(DR.id, ANN.id)
        uow.commit()

    assert linked == (True, False)
    assert kept == 1
    assert (removed, again, never_linked, reversed_pair, after) == (
        True,
        False,
        False,
        False,
        False,
    )


def test_a_link_a_twin_request_made_in_the_meantime_is_not_an_error(engine: Engine) -> None:
    _add_users(SqlUnitOfWork(engine), DR, ANN)
    inserted, looked = threading.Event(), threading.Event()
    seen: list[bool] = []
    failures: list[BaseException] = []

    def first() -> None:
        try:
            with SqlUnitOfWork(engine) as uow:
                uow.clinic.add_invitation("code", DR.id, created_at=AT, expires_at=AT + WEEK)
                uow.clinic.add_link(DR.id, ANN.id, at=AT)
                inserted.set()
                looked.wait(10)  # the twin found no link yet
                threading.Event().wait(0.3)  # and goes on to insert its own
                uow.commit()
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)
            inserted.set()

    def twin() -> None:
        try:
            inserted.wait(10)
            with SqlUnitOfWork(engine) as uow:
                seen.append(uow.clinic.has_link(DR.id, ANN.id))
                looked.set()
                uow.clinic.add_link(DR.id, ANN.id, at=AT + timedelta(seconds=1))
                uow.commit()
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)
            looked.set()

    workers = [threading.Thread(target=first), threading.Thread(target=twin)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)

    assert failures == []
    assert seen == [False]  # the twin went on to insert, and met the first's link
    with engine.connect() as c:
        links = c.execute(text("SELECT clinician_id, patient_id FROM care_links")).all()
    assert links == [(DR.id, ANN.id)]


def test_a_patient_s_clinicians_come_by_name_then_by_id(uow: SqlUnitOfWork) -> None:
    moss = _user("c-moss", "Dr Moss", Role.CLINICIAN)
    adams_z = _user("c-z", "Dr Adams", Role.CLINICIAN)
    adams_a = _user("c-a", "Dr Adams", Role.CLINICIAN, at=AT.astimezone(PARIS))
    _add_users(uow, moss, adams_z, adams_a, ANN, BEN)
    with uow:
        for clinician in (moss, adams_z, adams_a):
            uow.clinic.add_link(clinician.id, ANN.id, at=AT)
        uow.clinic.add_link(moss.id, BEN.id, at=AT)
        uow.commit()

    with uow:
        anns = uow.clinic.clinicians_of(ANN.id)
        bens = uow.clinic.clinicians_of(BEN.id)
        nobodys = uow.clinic.clinicians_of("nobody")

    assert [c.id for c in anns] == ["c-a", "c-z", "c-moss"]
    assert anns[0] == adams_a and all(_is_utc(c.created_at) for c in anns)
    assert anns[0].role is Role.CLINICIAN
    assert (bens, nobodys) == ([moss], [])


def test_a_clinician_sees_only_their_own_patients_and_one_of_them_by_id(
    uow: SqlUnitOfWork,
) -> None:
    other = _user("dr2", "Dr Adams", Role.CLINICIAN)
    _add_users(uow, DR, other, ANN, BEN)
    with uow:
        uow.clinic.add_link(DR.id, ANN.id, at=AT)
        uow.clinic.add_link(DR.id, BEN.id, at=AT)
        uow.clinic.add_link(other.id, BEN.id, at=AT)
        uow.commit()

    with uow:
        mine = uow.clinic.patients(DR.id)
        others = uow.clinic.patients(other.id)
        one = uow.clinic.patients(DR.id, patient_id=ANN.id)
        not_theirs = uow.clinic.patients(other.id, patient_id=ANN.id)
        nobody = uow.clinic.patients(ANN.id)

    assert sorted(mine, key=lambda u: u.id) == [ANN, BEN]
    assert (others, one, not_theirs, nobody) == ([BEN], [ANN], [], [])


def test_summaries_are_read_as_kept_built_when_missing_and_built_unkept_for_a_later_time(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    _add_users(uow, ANN)
    with uow:
        uow.journal.add(PainEntry("p1", ANN.id, AT, "UTC", 4, parse_sites("left:thigh")))
        uow.commit()  # the summary is kept with the rating
    with engine.begin() as c:
        c.execute(text("DELETE FROM patient_summaries"))

    with uow:
        built = uow.clinic.summaries([ANN.id])
        uow.commit()
    kept_after_build = _count(engine, "patient_summaries")
    with uow:
        kept = uow.clinic.summaries([ANN.id])
        digests = uow.clinic.summary_digests([ANN.id])
    with engine.begin() as c:
        c.execute(text("DELETE FROM patient_summaries"))
    with uow:
        ahead = uow.clinic.summaries([ANN.id], at=AT + timedelta(days=2))
        uow.commit()

    assert [e.score for e in built[ANN.id].inputs.entries] == [4]
    assert kept_after_build == 1
    assert kept == built
    assert digests == {ANN.id: built[ANN.id].digest}
    assert [e.score for e in ahead[ANN.id].inputs.entries] == [4]
    assert ahead[ANN.id].digest == ""  # not kept, so named by no digest
    assert _count(engine, "patient_summaries") == 0  # built for that time, not kept


# -- the phone's set-aside log ---------------------------------------------------------------


def _refused(key: str) -> RefusedRecord:
    return RefusedRecord(key, "POST", "/api/journal", '{"score": 11}', 422, "score out of range")


def test_a_refused_record_is_kept_once_per_person_and_read_newest_first(
    uow: SqlUnitOfWork,
) -> None:
    _add_users(uow, ANN, BEN)
    later = AT + timedelta(hours=1)

    with uow:
        added = [
            uow.phone_aside.add(ANN.id, _refused("r1"), kept_at=AT.astimezone(PARIS)),
            uow.phone_aside.add(ANN.id, _refused("r1"), kept_at=later),
            uow.phone_aside.add(ANN.id, _refused("r3"), kept_at=later),
            uow.phone_aside.add(ANN.id, _refused("r2"), kept_at=later),
            uow.phone_aside.add(BEN.id, _refused("r1"), kept_at=AT),
        ]
        uow.commit()
    with uow:
        anns = uow.phone_aside.of(ANN.id)
        counts = [uow.phone_aside.count_of(u) for u in (ANN.id, BEN.id, "nobody")]
        nobodys = uow.phone_aside.of("nobody")

    assert added == [True, False, True, True, True]
    assert anns == [
        SetAsideRecord(ANN.id, _refused("r2"), later),
        SetAsideRecord(ANN.id, _refused("r3"), later),
        SetAsideRecord(ANN.id, _refused("r1"), AT),
    ]
    assert all(_is_utc(r.kept_at) for r in anns)
    assert (counts, nobodys) == ([3, 1, 0], [])


# -- accounts: credentials and login sessions -----------------------------------------------


def test_credentials_are_found_by_email_and_by_user(uow: SqlUnitOfWork) -> None:
    _add_users(uow, ANN)

    with uow:
        uow.accounts.add_credentials(ANN.id, "ann@example.org", "$argon2id$old", now=AT)
        uow.commit()
    with uow:
        before = uow.accounts.credentials_for("ann@example.org")
        uow.accounts.set_password_hash(ANN.id, "$argon2id$new")
        uow.accounts.set_password_hash("nobody", "$argon2id$x")
        after = uow.accounts.credentials_for("ann@example.org")
        uow.commit()
    with uow:
        found = (
            uow.accounts.email_taken("ann@example.org"),
            uow.accounts.email_taken("ANN@example.org"),
            uow.accounts.credentials_for("ben@example.org"),
            uow.accounts.email_of(ANN.id),
            uow.accounts.email_of("nobody"),
            uow.accounts.user_id_for_email("ann@example.org"),
            uow.accounts.user_id_for_email("ben@example.org"),
        )

    assert before == (ANN.id, "$argon2id$old")
    assert after == (ANN.id, "$argon2id$new")
    assert found == (True, False, None, "ann@example.org", None, ANN.id, None)


def test_a_login_session_belongs_to_its_user_until_it_ends(uow: SqlUnitOfWork) -> None:
    _add_users(uow, ANN, BEN)
    with uow:
        for token, who, hours in (("a1", ANN, 1), ("a2", ANN, 24), ("a3", ANN, 48)):
            uow.accounts.add_session(
                token, who.id, created_at=AT, expires_at=AT + timedelta(hours=hours)
            )
        uow.accounts.add_session("b1", BEN.id, created_at=AT, expires_at=AT + timedelta(hours=1))
        uow.commit()

    with uow:
        live = uow.accounts.user_for_session("a1", now=AT.astimezone(PARIS))
        at_expiry = uow.accounts.user_for_session("a1", now=AT + timedelta(hours=1))
        unknown = uow.accounts.user_for_session("zz", now=AT)
        uow.accounts.delete_session("a2")
        uow.accounts.delete_session("zz")
        after_logout = uow.accounts.user_for_session("a2", now=AT)
        uow.accounts.delete_expired_sessions(now=AT + timedelta(hours=1))  # a1 and b1
        swept = [uow.accounts.user_for_session(t, now=AT) for t in ("a1", "a3", "b1")]
        uow.commit()

    assert live == ANN and live is not None and _is_utc(live.created_at)
    assert (at_expiry, unknown, after_logout) == (None, None, None)
    assert swept == [None, ANN, None]


def test_ending_a_user_s_sessions_keeps_the_one_asked_for_and_nobody_else_s(
    uow: SqlUnitOfWork,
) -> None:
    _add_users(uow, ANN, BEN)
    with uow:
        for token, who in (("a1", ANN), ("a2", ANN), ("a3", ANN), ("b1", BEN)):
            uow.accounts.add_session(token, who.id, created_at=AT, expires_at=AT + WEEK)
        uow.commit()

    def live() -> list[str]:
        tokens = ("a1", "a2", "a3", "b1")
        return [t for t in tokens if uow.accounts.user_for_session(t, now=AT) is not None]

    with uow:
        uow.accounts.delete_sessions(ANN.id, keep="a2")
        kept_one = live()
        uow.accounts.delete_sessions(ANN.id)
        none_kept = live()
        uow.commit()

    assert kept_one == ["a2", "b1"]
    assert none_kept == ["b1"]


# -- accounts: login limits --------------------------------------------------------------------


def test_tries_are_counted_in_their_window_and_given_back_never_below_nothing(
    uow: SqlUnitOfWork,
) -> None:
    with uow:
        take = uow.accounts.take_slot
        counted = [take("k", now=AT + timedelta(minutes=m), window=WINDOW) for m in (0, 1, 2)]
        other = take("other", now=AT, window=WINDOW)
        uow.accounts.give_back_slot("k")
        after_give_back = take("k", now=AT + timedelta(minutes=3), window=WINDOW)
        for _ in range(5):
            uow.accounts.give_back_slot("k")
        after_many = take("k", now=AT + timedelta(minutes=4), window=WINDOW)
        uow.accounts.give_back_slot("never-taken")
        just_inside = take("k", now=AT + WINDOW - timedelta(microseconds=1), window=WINDOW)
        new_window = take("k", now=(AT + WINDOW).astimezone(PARIS), window=WINDOW)
        in_new_window = take("k", now=AT + WINDOW + timedelta(minutes=14), window=WINDOW)
        next_window = take("k", now=AT + 2 * WINDOW, window=WINDOW)
        uow.accounts.clear_slots("k")
        cleared = take("k", now=AT + 2 * WINDOW, window=WINDOW)
        other_again = take("other", now=AT + timedelta(minutes=1), window=WINDOW)
        uow.commit()

    assert counted == [1, 2, 3]
    assert other == 1
    assert after_give_back == 3
    assert after_many == 1
    assert just_inside == 2
    assert (new_window, in_new_window, next_window) == (1, 2, 1)
    assert cleared == 1
    assert other_again == 2


def test_forgetting_slots_drops_the_old_windows_only(uow: SqlUnitOfWork, engine: Engine) -> None:
    with uow:
        uow.accounts.take_slot("old", now=AT, window=WINDOW)
        uow.accounts.take_slot("edge", now=AT + timedelta(hours=1), window=WINDOW)
        uow.accounts.take_slot("new", now=AT + timedelta(hours=2), window=WINDOW)
        uow.commit()

    with uow:
        uow.accounts.forget_slots(before=(AT + timedelta(hours=1)).astimezone(PARIS))
        uow.commit()

    with engine.connect() as c:
        left = sorted(c.execute(text('SELECT "key" FROM login_limits')).scalars())
    assert left == ["edge", "new"]


# -- accounts: password resets and clinician approval -------------------------------------------


def test_a_reset_link_opens_once_while_it_is_in_date(uow: SqlUnitOfWork) -> None:
    _add_users(uow, ANN, BEN)
    with uow:
        uow.accounts.add_reset("r1", ANN.id, created_at=AT, expires_at=AT + timedelta(hours=1))
        uow.accounts.add_reset("r2", ANN.id, created_at=AT, expires_at=AT + timedelta(hours=1))
        uow.accounts.add_reset("b1", BEN.id, created_at=AT, expires_at=AT + timedelta(hours=1))
        uow.commit()

    with uow:
        opened = uow.accounts.open_reset("r1", now=AT.astimezone(PARIS))
        at_expiry = uow.accounts.open_reset("r1", now=AT + timedelta(hours=1))
        unknown = uow.accounts.open_reset("zz", now=AT)
        first = uow.accounts.use_reset("r1", now=AT + timedelta(minutes=5))
        second = uow.accounts.use_reset("r1", now=AT + timedelta(minutes=6))
        never_made = uow.accounts.use_reset("zz", now=AT)
        after_use = uow.accounts.open_reset("r1", now=AT + timedelta(minutes=7))
        uow.accounts.drop_resets(ANN.id)
        dropped = uow.accounts.open_reset("r2", now=AT)
        bens = uow.accounts.open_reset("b1", now=AT)
        uow.commit()

    assert opened == ANN.id
    assert (at_expiry, unknown, after_use, dropped) == (None, None, None, None)
    assert (first, second, never_made) == (True, False, False)
    assert bens == BEN.id


def test_clinicians_wait_oldest_first_until_approved_once(uow: SqlUnitOfWork) -> None:
    early = _user("c-early", "Dr Early", Role.CLINICIAN)
    late = _user("c-late", "Dr Late", Role.CLINICIAN)
    no_login = _user("c-none", "Dr None", Role.CLINICIAN)
    tie = _user("c-zz", "Dr Tie", Role.CLINICIAN)  # came with Dr Late: by email, not by id
    _add_users(uow, late, early, no_login, tie, ANN)
    with uow:
        uow.accounts.add_credentials(late.id, "late@clinic.example", "h", now=AT + timedelta(1))
        uow.accounts.add_credentials(tie.id, "a-tie@clinic.example", "h", now=AT + timedelta(1))
        uow.accounts.add_credentials(early.id, "early@clinic.example", "h", now=AT)
        uow.accounts.add_credentials(ANN.id, "ann@example.org", "h", now=AT - timedelta(1))
        uow.commit()

    with uow:
        waiting = uow.accounts.waiting_clinicians()
        first = uow.accounts.approve(early.id, now=AT)
        again = uow.accounts.approve(early.id, now=AT + timedelta(1))
        approved = [uow.accounts.is_approved(u.id) for u in (early, late, ANN)]
        still_waiting = uow.accounts.waiting_clinicians()
        uow.commit()

    assert waiting == [
        (early, "early@clinic.example"),
        (tie, "a-tie@clinic.example"),
        (late, "late@clinic.example"),
    ]
    assert all(_is_utc(u.created_at) for u, _ in waiting)
    assert (first, again) == (True, False)
    assert approved == [True, False, False]
    assert still_waiting == [(tie, "a-tie@clinic.example"), (late, "late@clinic.example")]


# -- accounts: deleting a whole account ----------------------------------------------------------

NOBODY_S = {"login_limits", "server_keys"}  # tables that keep no person's rows


def test_the_tables_deleted_with_an_account_are_the_schema_s_children_first() -> None:
    ordered = list(reversed(tables.metadata.sorted_tables))

    assert tuple(t.name for t in ordered if "hold_id" in t.c and t.name != "holds") == HOLD_TABLES
    assert tuple(t.name for t in ordered if "user_id" in t.c) == USER_TABLES
    named = {*HOLD_TABLES, *USER_TABLES, "holds", "measured_form", "care_links", "invitations"}
    assert {t.name for t in ordered} == named | {"users"} | NOBODY_S


def _everything_of(uow: SqlUnitOfWork, person: User, clinician: User) -> None:
    """A row of `person`'s in every table that keeps a person's rows."""
    uid = person.id
    settings = SessionSettings(hold_s=30, reps_per_side=1, first_side=Side.LEFT, rest_s=10)
    session = Session("s1", uid, "seated", "Seated", AT, "UTC", settings)
    hold = Hold("h1", "s1", 1, Side.LEFT, 30, 30, True, AT + timedelta(minutes=1))
    form = HoldForm(Side.LEFT, 0, 30, 30, max_hip_flexion_deg=70.0, min_knee_deg=175.0)
    with uow:
        uow.sessions.add(session)
        uow.sessions.add_hold(hold)
        uow.sessions.set_status("s1", SessionStatus.COMPLETED, AT + timedelta(minutes=5))
        uow.hold_form.add("h1", form)  # and the session's fold
        uow.hold_form.keep_measured("s1", 2, form)
        uow.journal.add(
            PainEntry("p1", uid, AT, "UTC", 3, parse_sites("left:calf"), PainContext.AFTER, "s1")
        )
        uow.screens.add(ScreenResult("sc1", uid, AT, (False,) * len(QUESTIONS), stored_at=AT))
        uow.screens.add_acknowledgement(
            Acknowledgement("ack1", uid, ("cancer",), date(2026, 11, 30), "dr", "Dr", "", AT)
        )
        uow.preferences.save(
            Preferences(uid, 30, 3, Side.LEFT, time(6), time(10), "UTC", time(7), "cal1"), now=AT
        )
        uow.push.save_subscription(
            Subscription("sub1", uid, "https://push.example/1", "key", "auth", AT)
        )  # and the person's reminder of the day
        uow.phone_aside.add(uid, _refused("r1"), kept_at=AT)
        uow.consents.add(Consent("con1", uid, AT, 1, KeptOn.SERVER))
        uow.accounts.add_credentials(uid, f"{uid}@example.org", "h", now=AT)
        uow.accounts.add_session(f"{uid}-t", uid, created_at=AT, expires_at=AT + WEEK)
        uow.accounts.add_reset(f"{uid}-r", uid, created_at=AT, expires_at=AT + WEEK)
        uow.accounts.approve(uid, now=AT)
        uow.clinic.add_invitation(f"{uid}-i", uid, created_at=AT, expires_at=AT + WEEK)
        uow.clinic.add_link(clinician.id, uid, at=AT)  # both ways: as a patient, as a clinician
        uow.clinic.add_link(uid, clinician.id, at=AT)
        uow.accounts.take_slot(f"login:{uid}@example.org|203.0.113.9", now=AT, window=WINDOW)
        uow.push.add_server_key("vapid", "pem", now=AT)
        uow.commit()  # and the person's summary


def test_deleting_an_account_leaves_no_row_of_theirs_in_any_table(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    _add_users(uow, ANN, DR)
    _everything_of(uow, ANN, DR)
    with uow:
        uow.accounts.add_credentials(DR.id, "dr@clinic.example", "h", now=AT)
        uow.clinic.add_invitation("dr-i", DR.id, created_at=AT, expires_at=AT + WEEK)
        uow.commit()
    names = [t.name for t in tables.metadata.sorted_tables]
    before = {name: _count(engine, name) for name in names}

    with uow:
        uow.accounts.delete_user(ANN.id)
        uow.commit()

    after = {name: _count(engine, name) for name in names}
    assert [name for name, n in before.items() if n == 0] == []  # every table had a row
    stays = {"users": 1, "credentials": 1, "invitations": 1, **dict.fromkeys(NOBODY_S, 1)}
    assert after == {name: stays.get(name, 0) for name in names}
    with uow:
        assert uow.users.find(DR.id) == DR
        assert uow.accounts.email_of(DR.id) == "dr@clinic.example"


# -- stored as the Core tables stored them ---------------------------------------------------------


def test_rows_are_stored_as_the_schema_s_tables_store_them_and_read_back_alike(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    old = _user("old", "Dr Old", Role.CLINICIAN)
    with engine.begin() as c:  # a store written before: SQLAlchemy Core on the tables
        c.execute(
            insert(tables.users).values(
                id=old.id, display_name=old.display_name, role=old.role, created_at=AT
            )
        )
        c.execute(
            insert(tables.credentials).values(
                user_id=old.id, email="old@clinic.example", password_hash="h", created_at=AT
            )
        )
        c.execute(
            insert(tables.invitations).values(
                code_hash="old-i", clinician_id=old.id, created_at=AT, expires_at=AT + WEEK
            )
        )
        c.execute(insert(tables.login_limits).values(key="k", window_start=AT, count=2))
    new = _user("new", "Dr New", Role.CLINICIAN, at=AT.astimezone(PARIS))
    _add_users(uow, new)

    with uow:
        paris = AT.astimezone(PARIS)
        uow.accounts.add_credentials(new.id, "new@clinic.example", "h", now=paris)
        uow.clinic.add_invitation("new-i", new.id, created_at=paris, expires_at=paris + WEEK)
        third = uow.accounts.take_slot("k", now=AT + timedelta(minutes=1), window=WINDOW)
        uow.accounts.take_slot("k-new", now=paris, window=WINDOW)
        opened = uow.clinic.open_invitation("old-i", now=AT)
        waiting = uow.accounts.waiting_clinicians()
        uow.commit()
    with engine.connect() as c:
        stored = {
            f"{table}.{column}": c.execute(
                text(f"SELECT CAST({column} AS TEXT) FROM {table} ORDER BY {key}")
            )
            .scalars()
            .all()
            for table, column, key in (
                ("users", "created_at", "id"),
                ("credentials", "created_at", "user_id"),
                ("invitations", "created_at", "code_hash"),
                ("invitations", "expires_at", "code_hash"),
                ("login_limits", "window_start", '"key"'),
            )
        }
        roles = c.execute(text("SELECT role FROM users ORDER BY id")).scalars().all()

    assert third == 3  # the count kept before goes on
    assert opened == old
    assert sorted(waiting, key=lambda w: w[1]) == [
        (new, "new@clinic.example"),
        (old, "old@clinic.example"),
    ]
    assert roles == ["clinician", "clinician"]
    assert [len(v) for v in stored.values()] == [2, 2, 2, 2, 2]
    at_text = stored["users.created_at"][0]
    assert all(
        v == at_text
        for k, values in stored.items()
        if k != "invitations.expires_at"
        for v in values
    ), stored
    assert len(set(stored["invitations.expires_at"])) == 1, stored
