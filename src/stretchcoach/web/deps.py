"""What route handlers get injected: the unit of work, the clock, who is asking, their prefs.

In local mode the person at the machine is the one local user, as in the terminal. In
accounts mode the session cookie says who it is (stretchcoach.web.security); nobody logged
in means 401 under /api/ and a redirect to /login for pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from stretchcoach.domain.clock import Clock
from stretchcoach.domain.preferences import Preferences
from stretchcoach.domain.routine import Routine
from stretchcoach.domain.user import User
from stretchcoach.services.clinic import KnownStatuses
from stretchcoach.services.phone_aside import PhoneAsideUnitOfWork
from stretchcoach.services.uow import UnitOfWork


class LoginRequired(Exception):
    """Nobody is logged in and this needs someone: 401 for the API, /login for pages."""


USER_HEADER = "X-Stretchcoach-User"
"""The phone's outbox names whose record it sends: one person's record never goes out under
another's login (a shared phone where someone else logged in since). A request that names
someone else is answered as if nobody were logged in: for its owner, that is the truth."""


# The plain getters are async on purpose: they do no I/O, and FastAPI would otherwise hop to
# a worker thread for each of them on every request.


async def get_uow(request: Request) -> UnitOfWork:
    from stretchcoach import bootstrap

    return bootstrap.unit_of_work(request.app.state.engine)


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


async def get_routine(request: Request) -> Routine:
    routine: Routine = request.app.state.routine
    return routine


async def get_known_statuses(request: Request) -> KnownStatuses:
    """The statuses this server's dashboards worked out (services/clinic.KnownStatuses)."""
    known: KnownStatuses = request.app.state.known_statuses
    return known


async def get_aside_uow(request: Request) -> PhoneAsideUnitOfWork:
    """The unit of work with the phone's set-aside log (services/phone_aside.py)."""
    from stretchcoach import bootstrap

    return bootstrap.unit_of_work(request.app.state.engine)


Uow = Annotated[UnitOfWork, Depends(get_uow)]
AsideUow = Annotated[PhoneAsideUnitOfWork, Depends(get_aside_uow)]
ClockDep = Annotated[Clock, Depends(get_clock)]
RoutineDep = Annotated[Routine, Depends(get_routine)]
KnownDep = Annotated[KnownStatuses, Depends(get_known_statuses)]


def current_user(request: Request, uow: Uow, clock: ClockDep) -> User:
    """The user this request acts for."""
    return connection_user(request, uow, clock)


def connection_user(connection: HTTPConnection, uow: UnitOfWork, clock: Clock) -> User:
    """The user a request or a WebSocket acts for; LoginRequired when nobody is logged in,
    or when the request names (USER_HEADER) someone other than who is logged in."""
    user = _logged_in(connection, uow, clock)
    claimed = connection.headers.get(USER_HEADER)
    if claimed is not None and claimed != user.id:
        raise LoginRequired()
    return user


def _logged_in(connection: HTTPConnection, uow: UnitOfWork, clock: Clock) -> User:
    if connection.app.state.mode == "local":
        from stretchcoach.domain.user import LOCAL_USER_ID
        from stretchcoach.services.users import ensure_local_user

        with uow:
            user = uow.users.find(LOCAL_USER_ID)
        if user is None:  # the first visit ever: make the local user, as the terminal does
            ensure_local_user(uow=uow, now=clock.now())
            with uow:
                user = uow.users.find(LOCAL_USER_ID)
        assert user is not None
        return user
    from stretchcoach.web.security import user_from_request

    found = user_from_request(connection, uow)
    if found is None:
        raise LoginRequired()
    return found


CurrentUser = Annotated[User, Depends(current_user)]


@dataclass(frozen=True, slots=True)
class Me:
    """The user, their preferences and the time now: what nearly every handler needs."""

    user: User
    prefs: Preferences
    now: datetime

    @property
    def user_id(self) -> str:
        return self.user.id

    @property
    def time_zone(self) -> str:
        return self.prefs.time_zone


@dataclass(frozen=True, slots=True)
class Who:
    """The user and the time now, without their preferences: for the busiest calls."""

    user: User
    now: datetime

    @property
    def user_id(self) -> str:
        return self.user.id


async def who(user: CurrentUser, clock: ClockDep) -> Who:
    return Who(user, clock.now())


WhoDep = Annotated[Who, Depends(who)]


ZONE_COOKIE = "sc_tz"  # the browser's own time zone, set by app.js on every page


def browser_zone(request: Request) -> str | None:
    """The time zone the browser says it is in, when it names a real zone."""
    import re
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = request.cookies.get(ZONE_COOKIE, "")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}", name):
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def me(request: Request, user: CurrentUser, uow: Uow, clock: ClockDep, routine: RoutineDep) -> Me:
    """A new user's settings start in the browser's zone (the login or sign-up page set the
    cookie before), else the server's."""
    from stretchcoach.services.settings import get_preferences

    now = clock.now()
    zone = browser_zone(request) or request.app.state.default_time_zone
    prefs = get_preferences(user.id, routine, uow=uow, now=now, time_zone=zone)
    return Me(user, prefs, now)


MeDep = Annotated[Me, Depends(me)]
