"""The server's reminder round: every `remind_every_s` (the settings', 30 s unless set), in a
thread, send what is due.

Started and stopped with the app (its lifespan). Each worker runs its own; the store decides
who sends each reminder (services/push.py), so several workers remind a person once. The
time comes from the app's clock, so a test moves it over several mornings.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from stretchcoach.config import DEFAULTS

if TYPE_CHECKING:
    from fastapi import FastAPI

    from stretchcoach.services.push import Round

REMIND_EVERY_S: float = DEFAULTS["remind_every_s"]  # STRETCHCOACH_REMIND_EVERY_S sets it
REMINDER_URL = "/"  # a tap on the notification opens the app's today page
log = logging.getLogger("stretchcoach.reminders")


def remind_once(app: FastAPI) -> Round:
    """One round of reminders, at the app clock's now."""
    from stretchcoach import bootstrap
    from stretchcoach.services.push import send_due_reminders

    now = app.state.clock.now()
    uow = bootstrap.unit_of_work(app.state.engine)
    push = getattr(app.state, "push", None)
    if push is None:
        push = app.state.push = bootstrap.web_push(app.state.settings, uow, now=now)
    return send_due_reminders(uow=uow, now=now, sender=push.sender, url=REMINDER_URL)


async def _remind_forever(app: FastAPI, stop: asyncio.Event, every_s: float) -> None:
    while True:
        try:
            await asyncio.wait_for(stop.wait(), timeout=every_s)
            return
        except TimeoutError:
            pass
        try:
            await asyncio.to_thread(remind_once, app)
        except Exception:  # a store that does not answer now may answer next round
            log.exception("the reminder round failed; trying again in %s s", every_s)


@asynccontextmanager
async def reminders_running(app: FastAPI) -> AsyncIterator[None]:
    """The app's lifespan: the round runs while the app serves."""
    every_s: float = getattr(app.state, "remind_every_s", REMIND_EVERY_S)
    stop = asyncio.Event()
    task = asyncio.create_task(_remind_forever(app, stop, every_s))
    try:
        yield
    finally:
        stop.set()
        await task
