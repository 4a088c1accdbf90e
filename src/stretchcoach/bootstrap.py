"""The composition root: real adapters from Settings, handed to the interfaces. Tests build
their own with fakes.

The terminal (cli/) and the web app (web/) never import an adapter: they ask here for the
store, the clock, the voice, the camera and pose model, and the file formats (PDF, plots,
calendars, exports). Every adapter is imported inside the function that builds it, so
importing this module costs nothing: no database driver, matplotlib, reportlab, OpenCV,
MediaPipe or FastAPI until a command needs one.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from stretchcoach.config import Settings

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Engine

    from stretchcoach.adapters.courier import Courier
    from stretchcoach.adapters.store.light import SqliteUnitOfWork
    from stretchcoach.adapters.store.uow import SqlUnitOfWork
    from stretchcoach.adapters.video.annotate import AnnotatedVideo
    from stretchcoach.adapters.video.opencv_video import VideoFile
    from stretchcoach.domain.clock import Clock
    from stretchcoach.domain.form.personal import UsualForm
    from stretchcoach.domain.form.pose import Pose
    from stretchcoach.domain.preferences import Preferences
    from stretchcoach.domain.push import EndpointRule
    from stretchcoach.domain.routine import Routine
    from stretchcoach.services.form import LiveFormCoach, PoseEstimator
    from stretchcoach.services.ports import PendingJournal, Speaker
    from stretchcoach.services.push import PushSender, PushUnitOfWork
    from stretchcoach.services.reminders import Reminder
    from stretchcoach.services.report import Report
    from stretchcoach.services.safekeeping import PendingEntry, SafeKeeper
    from stretchcoach.services.stats import PlotData
    from stretchcoach.services.transfer import Bundle
    from stretchcoach.services.uow import UnitOfWork


_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()  # the databases this process opened
_LIGHT: list[SqliteUnitOfWork] = []  # ... and the SQLite files it opened without SQLAlchemy


def engine(settings: Settings, *, pool_size: int = 5, check: bool = True) -> Engine:
    """The database, migrated; a damaged SQLite file is refused unless `check` is False."""
    from stretchcoach.adapters.store.engine import open_store

    made = open_store(database_url(settings), pool_size=pool_size, check=check)
    _ENGINES.add(made)
    return made


def database_url(settings: Settings) -> str:
    """The database's URL; the default's folder (the user's data folder) is made when
    missing. A folder named by --db or STRETCHCOACH_DATABASE_URL never is: a typo there is
    refused (adapters/store/engine.py), not made into a new, empty database."""
    if not settings.database_url:
        from stretchcoach.config import default_data_dir
        from stretchcoach.errors import StoreUnavailable

        folder = default_data_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(
                f"cannot make the data folder {str(folder)!r}: {error.strerror}"
            ) from None
    return settings.resolved_database_url()


def close_engines() -> None:
    """Close the databases this process opened: their connections wait in a pool, which the
    collector would otherwise close (SQLite then folds its write-ahead log into the file)."""
    for made in list(_ENGINES):
        made.dispose()
    while _LIGHT:
        _LIGHT.pop().close()


def unit_of_work(engine: Engine) -> SqlUnitOfWork:
    from stretchcoach.adapters.store.uow import SqlUnitOfWork

    return SqlUnitOfWork(engine)


def pending_journal(settings: Settings) -> PendingJournal:
    """The file where records wait while this database does not answer."""
    from stretchcoach.adapters.pending_file import PendingFile
    from stretchcoach.config import default_data_dir

    return PendingFile.for_database(settings.resolved_database_url(), default_data_dir())


def web_key() -> bytes:
    """The key that signs the web app's CSRF tokens: `web.key` in the data folder, made once
    (mode 0600) and shared by every worker on this machine (adapters/web_key.py)."""
    from stretchcoach.adapters.web_key import load_or_create
    from stretchcoach.config import default_data_dir

    return load_or_create(default_data_dir() / "web.key")


def speaker(settings: Settings, *, voice: bool = True, stream: TextIO | None = None) -> Speaker:
    from stretchcoach.adapters.speech import BellSpeaker, EspeakSpeaker, SilentSpeaker, find_espeak

    if not voice or settings.speech == "off":
        return SilentSpeaker()
    if settings.speech in ("auto", "espeak") and (executable := find_espeak()):
        return EspeakSpeaker(executable)
    return BellSpeaker(stream or sys.stdout)


def local_time_zone(settings: Settings) -> str:
    """The IANA name of the user's zone: the setting, else the machine's, else UTC."""
    from stretchcoach.adapters.timezone import system_time_zone

    return settings.time_zone or system_time_zone()


def clock(speed: float = 1.0) -> Clock:
    """The system clock; `speed` above 1 runs a session faster (a demo, a test)."""
    from stretchcoach.adapters.clock import SystemClock

    return SystemClock(speed)


def routine(path: Path | None = None) -> Routine:
    """The routine in a TOML file, or the built-in one."""
    from stretchcoach.adapters.routine_file import load_builtin, load_routine_file

    return load_routine_file(path) if path is not None else load_builtin()


# -- the store, as the terminal opens it -------------------------------------------------------


@dataclass
class Store:
    """The terminal's database: the one local user's unit of work, and the keeper of a
    session's records (saved, or safe on this computer until the store answers)."""

    uow: UnitOfWork
    url: str
    user_id: str
    keeper: SafeKeeper
    read_only: bool = False
    replayed: list[PendingEntry] = field(default_factory=list)  # saved now, from before
    another_uow: Callable[[], UnitOfWork] | None = None  # a unit of work on its own connection


def courier(store: Store) -> Courier:
    """A courier for a session's records: kept on a thread of their own, on a connection of
    their own, with a time limit on the store (adapters/courier.py)."""
    from stretchcoach.adapters.courier import Courier, TimeLimit
    from stretchcoach.services.safekeeping import SafeKeeper

    uow = store.another_uow() if store.another_uow is not None else store.uow
    return Courier(SafeKeeper(uow, store.keeper.journal, run=TimeLimit()))


def local_store(settings: Settings, *, write: bool = True) -> Store:
    """Open (and migrate) the database, save what waited for it from an earlier session, then
    close sessions whose process has died.

    A plain SQLite file at the newest schema is opened with the standard library's sqlite3
    alone (adapters/store/light.py: the same repositories, a fraction of the start-up); any
    other store with SQLAlchemy, which creates and migrates it. A store that can only be read
    opens for commands that only read (`write=False`); one that records is refused
    (StoreUnavailable) before it asks anything."""
    import os
    import socket

    from stretchcoach.adapters.store.light import open_light
    from stretchcoach.domain.user import LOCAL_USER_ID
    from stretchcoach.services.safekeeping import SafeKeeper, replay
    from stretchcoach.services.sessions import close_abandoned
    from stretchcoach.services.users import ensure_local_user

    uow: UnitOfWork
    another: Callable[[], UnitOfWork]
    if light := open_light(database_url(settings)):
        _LIGHT.append(light)
        uow = light

        def another() -> UnitOfWork:
            return open_light(database_url(settings)) or unit_of_work(engine(settings))
    else:
        from stretchcoach.adapters.store.engine import display_url, is_read_only, parse_url
        from stretchcoach.adapters.store.faults import READ_ONLY
        from stretchcoach.errors import StoreUnavailable

        store_engine = engine(settings)
        uow = unit_of_work(store_engine)

        def another() -> UnitOfWork:
            return unit_of_work(store_engine)

        if is_read_only(store_engine):
            shown = display_url(parse_url(settings.resolved_database_url()))
            if write:
                raise StoreUnavailable(f"cannot record in the database at {shown}{READ_ONLY}")
            keeper = SafeKeeper(uow, pending_journal(settings))
            return Store(uow, shown, LOCAL_USER_ID, keeper, read_only=True)
    journal = pending_journal(settings)
    now = clock().now()
    user_id = ensure_local_user(uow=uow, now=now)
    replayed = replay(journal, uow=uow)

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    close_abandoned(uow=uow, now=now, host=socket.gethostname(), is_alive=alive)
    url = settings.resolved_database_url()
    return Store(
        uow, url, user_id, SafeKeeper(uow, journal), replayed=replayed, another_uow=another
    )


def shown_url(url: str) -> str:
    """A database URL fit to show: no password."""
    from stretchcoach.adapters.store.engine import display_url, parse_url

    return display_url(parse_url(url))


@dataclass(frozen=True, slots=True)
class StoreHealth:
    """What `doctor` says about the database."""

    url: str  # fit to show
    problem: str | None  # damaged: what the integrity check found, with what to do
    read_only: bool


def store_health(settings: Settings) -> StoreHealth:
    """Open the database and check it whole; StretchcoachError when it cannot be opened."""
    from stretchcoach.adapters.store.engine import integrity_problem, is_read_only
    from stretchcoach.adapters.store.faults import DAMAGED, fault_hint
    from stretchcoach.adapters.store.uow import sqlite_file

    url = shown_url(settings.resolved_database_url())
    store_engine = engine(settings, check=False)  # the check below says what is damaged
    try:
        problem = integrity_problem(store_engine)
        read_only = is_read_only(store_engine)
    finally:
        store_engine.dispose()
    if problem is not None and not fault_hint(problem):
        problem += DAMAGED.replace("FILE", sqlite_file(store_engine))
    return StoreHealth(url, problem, read_only)


# -- the camera and the pose model -------------------------------------------------------------


def pose_estimator(*, video: bool = True) -> PoseEstimator:
    """The bundled pose model (MediaPipe); VisionUnavailable without the vision extra."""
    from stretchcoach.adapters.pose.mediapipe_pose import MediaPipePoseEstimator

    return MediaPipePoseEstimator(video=video)


def pose_from_landmarks(
    image: Sequence[Sequence[float]],
    size: tuple[int, int],
    world: Sequence[Sequence[float]] | None = None,
) -> Pose:
    """A pose from landmarks a phone's model found (the adapter MediaPipe's own results use);
    ValueError, saying what is wrong, for a wrong count or a number that is not finite."""
    from stretchcoach.adapters.pose.landmarks import pose_from_landmarks as convert

    return convert(image, size, world)


def native_logs_silenced() -> AbstractContextManager[None]:
    """Quiet what FFmpeg and the pose model print below Python, for the block."""
    from stretchcoach.adapters.pose.mediapipe_pose import native_logs_silenced as silenced

    return silenced()


def video_file(path: Path) -> VideoFile:
    """Frames from a recorded video; InvalidInput when it cannot be read."""
    from stretchcoach.adapters.video.opencv_video import VideoFile

    return VideoFile(path)


def annotated_video(path: Path, *, fps: float, size: tuple[int, int]) -> AnnotatedVideo:
    """A video written with the skeleton, angles and state drawn on each frame."""
    from stretchcoach.adapters.video.annotate import AnnotatedVideo

    return AnnotatedVideo(path, fps=fps, size=size)


@contextmanager
def camera_coach(index: int, *, usual: UsualForm) -> Iterator[LiveFormCoach]:
    """A live form coach watching camera `index`, running until the block ends.

    Raises InvalidInput (no such camera) or VisionUnavailable (no model) before anything
    starts, so a session never begins half-equipped."""
    from stretchcoach.adapters.video.opencv_video import Camera
    from stretchcoach.services.form import LiveFormCoach

    with native_logs_silenced():
        camera = Camera(index)
        try:
            estimator = pose_estimator(video=True)
        except BaseException:
            camera.close()
            raise
        coach = LiveFormCoach(camera, estimator, usual=usual)
        coach.start()
        try:
            yield coach
        finally:
            coach.close()


# -- files: the PDF report, plots, calendars, exports ------------------------------------------


def check_report_path(path: Path) -> Path:
    from stretchcoach.adapters.report_pdf import check_path

    return check_path(path)


def write_report(report: Report, path: Path, *, patient: str | None = None) -> Path:
    from stretchcoach.adapters.report_pdf import write_report as write

    return write(report, path, patient=patient)


def report_pdf(report: Report, *, patient: str | None = None) -> bytes:
    from stretchcoach.adapters.report_pdf import render

    return render(report, patient=patient)


def check_plot_path(path: Path) -> Path:
    from stretchcoach.adapters.plots import check_path

    return check_path(path)


def draw_plots(data: PlotData, path: Path) -> None:
    from stretchcoach.adapters.plots import draw_insight

    draw_insight(data, path)


def reminder_calendar(reminder: Reminder) -> bytes:
    from stretchcoach.adapters.calendar import reminder_calendar as calendar

    return calendar(reminder)


def reminder_feed(prefs: Preferences, *, now: datetime, page_url: str) -> bytes:
    from stretchcoach.adapters.ics_feed import reminder_feed as feed

    return feed(prefs, now=now, page_url=page_url)


def read_file(path: Path, *, what: str, limit: int) -> bytes:
    """A file the user named, read whole: a regular file of at most `limit` bytes, else one
    line (InvalidInput); a pipe or a device is refused, never waited on or read forever."""
    from stretchcoach.adapters.files import read_limited

    return read_limited(path, what=what, limit=limit)


def write_file(path: Path, data: bytes) -> Path:
    """Write `data` whole (a reader never sees half of it), replacing the file only then."""
    from stretchcoach.adapters.files import write_whole

    return write_whole(path, data)


def check_export_format(name: str) -> str:
    from stretchcoach.adapters.transfer import check_format

    return check_format(name)


def export_text(bundle: Bundle, fmt: str, *, now: datetime) -> str:
    """An export in `fmt` (json or csv) that `import` reads back."""
    from stretchcoach.adapters.transfer import to_csv, to_json

    return to_json(bundle, now=now) if fmt == "json" else to_csv(bundle)


def read_export(
    text: str,
    *,
    user_id: str,
    name: str = "the file",
    progress: Callable[[int, int], None] | None = None,
) -> Bundle:
    from stretchcoach.adapters.transfer import read_export as read

    return read(text, user_id=user_id, name=name, progress=progress)


def check_can_listen(host: str, port: int) -> None:
    from stretchcoach.adapters.net import check_can_listen as check

    check(host, port)


@dataclass(frozen=True, slots=True)
class Push:
    """Web Push for one store: the server's key (made on first use), the sender that signs
    with it, and the address rules subscriptions are checked against."""

    public_key: str
    sender: PushSender
    resolve: Callable[[str, int], list[str]]
    test_rules: tuple[EndpointRule, ...]


def web_push(settings: Settings, uow: PushUnitOfWork, *, now: datetime) -> Push:
    from stretchcoach.adapters.webpush import WebPushSender, new_private_key, public_key, resolve
    from stretchcoach.domain.push import parse_endpoint_rules
    from stretchcoach.services.push import vapid_private_key

    rules = parse_endpoint_rules(settings.push_test_endpoints)
    pem = vapid_private_key(uow=uow, make=new_private_key, now=now)
    sender = WebPushSender(pem, settings.push_contact, rules)
    return Push(public_key(pem), sender, resolve, rules)
