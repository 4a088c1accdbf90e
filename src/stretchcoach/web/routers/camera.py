"""/api/sessions/{id}/camera: the phone's camera coach, one WebSocket per session.

The phone runs the pose model itself and sends only landmarks, never a picture. Here the
same form coach as the terminal's (services.form.SessionFormCoach) judges them and answers
each frame with the gate (may the hold's countdown count?), the set-up problem and the
correction to say. When the phone moves past a hold, what the coach saw of it is kept here
(services.web_session.keep_measured_form): with its hold if the phone's outbox has sent the
hold already, else until the hold arrives. The phone never carries it.

Who may connect, in order (a refusal closes the socket with a reason in plain words):
1. Local mode: this machine only, as for every request (web.guards, before this runs).
2. The Origin header is this server's own origin (scheme, host and port of the address the
   browser asked for; stretchcoach.domain.csrf): a page elsewhere cannot open it.
3. Someone is logged in (the session cookie; the one local user in local mode), and the
   session is theirs and still running.
4. The first message, within HELLO_WAIT_S, carries this browser's CSRF token, which a page
   on another site cannot know.
Then each message is at most MAX_MESSAGE_BYTES, at most MAX_MESSAGES_PER_S arrive in any
second, and each is well formed; otherwise the socket closes, saying why.

Messages from the phone (JSON):
    {"type": "hello", "csrf": "..."}
    {"type": "frame", "t": s, "phase": i, "phase_s": s, "size": [w, h], "brightness": 0..1,
     "image": [[x, y, visibility] * 33] | null, "world": [[x, y, z] * 33] | null}
    {"type": "phase", "phase": i}            the session moved on with no frame to send
    {"type": "end"}                          the session is over (done or stopped)
Answers:
    {"type": "ready", "stream_fps": n, "min_fps": n}
    {"type": "form", "t": s, "gate": bool, "state": ..., "side": ..., "setup": text | null,
     "correction": text | null, "speak": bool}
    {"type": "too_slow", "fps": n}           then the socket closes: carry on with the timer
After "end", the form of the hold it was in (if any) is kept and the socket closes.
"""

from __future__ import annotations

import json
import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

if TYPE_CHECKING:
    from stretchcoach.domain.form.metrics import HoldForm
    from stretchcoach.domain.timeline import Timeline
    from stretchcoach.services.form import SessionFormCoach

router = APIRouter()

HELLO_WAIT_S = 10.0
MAX_MESSAGE_BYTES = 8 * 1024  # a frame of 33 + 33 points is about 3 KiB
MAX_NESTING = 4  # a frame: the object, its points, a point (3); one spare
MAX_MESSAGES_PER_S = 30  # the phone streams STREAM_FPS; twice that is a fault, not a phone
STREAM_FPS = 12  # what the phone sends at most: enough for the coach's 0.25 s decisions
SESSION_CHECK_S = 15.0  # how often a long-open socket looks whether its session has ended

# Close codes (RFC 6455 and the 4000s for the app's own).
POLICY = 1008
BAD_DATA = 1007
TOO_BIG = 1009
NORMAL = 1000
NOT_LOGGED_IN = 4401
NOT_FOUND = 4404


class Refused(Exception):
    """Close the socket with this code and reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@router.websocket("/api/sessions/{session_id}/camera")
async def camera(websocket: WebSocket, session_id: str) -> None:
    try:
        coach, timeline, user_id = await _admit(websocket, session_id)
    except Refused as refused:
        await _close(websocket, refused.code, refused.reason)
        return
    except WebSocketDisconnect:
        return
    try:
        await _serve(websocket, _Watch(session_id, user_id), coach, timeline)
    except Refused as refused:
        await _close(websocket, refused.code, refused.reason)
    except WebSocketDisconnect:
        return


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    from starlette.websockets import WebSocketState

    if websocket.application_state is WebSocketState.DISCONNECTED:
        return
    try:
        await websocket.close(code, reason[:120])  # a close reason is at most 123 bytes
    except RuntimeError:  # the phone went first
        return


async def _admit(websocket: WebSocket, session_id: str) -> tuple[SessionFormCoach, Timeline, str]:
    """Check who is asking and for what, then accept; the session's coach and timeline, and
    whose session it is."""
    import asyncio

    from stretchcoach.domain.csrf import token_matches
    from stretchcoach.web.security import cross_origin_refusal, expected_csrf

    if cross_origin_refusal(websocket, websocket=True) is not None:  # a close reason is short
        raise Refused(POLICY, "this socket opens only from stretchcoach's own pages")
    found = await run_in_threadpool(_session_and_coach, websocket, session_id)
    await websocket.accept()
    try:
        raw = await asyncio.wait_for(websocket.receive(), HELLO_WAIT_S)
    except TimeoutError:
        raise Refused(POLICY, "no hello within 10 s: reload the page") from None
    hello = _parse(raw)
    expected = expected_csrf(websocket)
    sent = hello.get("csrf")
    if hello.get("type") != "hello" or not isinstance(sent, str) or not expected:
        raise Refused(POLICY, "the first message must be a hello with this page's token")
    if not token_matches(expected, sent):
        raise Refused(POLICY, "this page's token is out of date: reload the page")
    min_fps = websocket.app.state.settings.camera_min_fps
    await websocket.send_json({"type": "ready", "stream_fps": STREAM_FPS, "min_fps": min_fps})
    return found


def _session_and_coach(
    websocket: WebSocket, session_id: str
) -> tuple[SessionFormCoach, Timeline, str]:
    """The user's running session and a form coach that knows their usual holds."""
    from stretchcoach import bootstrap
    from stretchcoach.errors import NotFound
    from stretchcoach.services import web_session
    from stretchcoach.services.flexibility import usual_form
    from stretchcoach.services.form import SessionFormCoach
    from stretchcoach.services.session_case import owned_session
    from stretchcoach.web.deps import LoginRequired, connection_user

    app = websocket.app
    uow = bootstrap.unit_of_work(app.state.engine)
    try:
        user = connection_user(websocket, uow, app.state.clock)
    except LoginRequired:
        raise Refused(NOT_LOGGED_IN, "please log in first") from None
    try:
        session = owned_session(session_id, user_id=user.id, uow=uow)
    except NotFound:
        raise Refused(NOT_FOUND, f"no session with id {session_id!r}") from None
    if session.status.is_final:
        raise Refused(NORMAL, "this session has ended")
    usual = usual_form(uow=uow, user_id=user.id)
    timeline = web_session.session_timeline(session, app.state.routine)
    return SessionFormCoach(usual=usual), timeline, user.id


@dataclass(frozen=True, slots=True)
class _Watch:
    """The session a socket watches and whose it is, as checked when it opened."""

    session_id: str
    user_id: str


def _keep_form(websocket: WebSocket, watch: _Watch, hold_number: int, form: HoldForm) -> None:
    """Keep what the coach saw of one hold, in the socket's own session."""
    from stretchcoach import bootstrap
    from stretchcoach.services import web_session

    uow = bootstrap.unit_of_work(websocket.app.state.engine)
    web_session.keep_measured_form(
        watch.session_id, hold_number, form, user_id=watch.user_id, uow=uow
    )


def _session_ended(websocket: WebSocket, session_id: str) -> bool:
    from stretchcoach import bootstrap

    uow = bootstrap.unit_of_work(websocket.app.state.engine)
    with uow:
        session = uow.sessions.get(session_id)
    return session is None or session.status.is_final


async def _serve(
    websocket: WebSocket, watch: _Watch, coach: SessionFormCoach, timeline: Timeline
) -> None:
    from stretchcoach.bootstrap import pose_from_landmarks
    from stretchcoach.services.form import PoseRate, worth_saying

    clock = websocket.app.state.clock
    arrived: deque[float] = deque()
    rate = PoseRate(min_fps=websocket.app.state.settings.camera_min_fps)
    checked = clock.monotonic()
    while True:
        raw = await websocket.receive()
        now = clock.monotonic()
        arrived.append(now)
        while arrived and arrived[0] <= now - 1.0:
            arrived.popleft()
        if len(arrived) > MAX_MESSAGES_PER_S:
            raise Refused(POLICY, f"more than {MAX_MESSAGES_PER_S} messages a second")
        message = _parse(raw)
        kind = message.get("type")
        if kind not in ("frame", "phase", "end"):
            raise Refused(BAD_DATA, f"unknown message type {kind!r}: send frame, phase or end")
        if kind == "end":  # the last hold's form, then goodbye
            left = coach.enter(None)
            if left is not None:
                await run_in_threadpool(_keep_form, websocket, watch, *left)
            raise Refused(NORMAL, "the session is over")
        left = coach.enter(timeline[_phase_index(message, timeline)])
        if left is not None:
            await run_in_threadpool(_keep_form, websocket, watch, *left)
        if now - checked >= SESSION_CHECK_S:
            checked = now
            if await run_in_threadpool(_session_ended, websocket, watch.session_id):
                raise Refused(NORMAL, "this session has ended")
        if kind == "phase":
            continue
        t_s = _number(message, "t")
        size, image, world, brightness = _frame_parts(message)
        try:
            pose = None if image is None else pose_from_landmarks(image, size, world)
        except (ValueError, TypeError, IndexError) as error:
            raise Refused(BAD_DATA, f"a frame's landmarks are not usable: {error}") from None
        reading, correction = coach.see(t_s, pose, brightness=brightness)
        fps = rate.add(t_s)
        if rate.too_slow:
            await websocket.send_json({"type": "too_slow", "fps": fps})
            raise Refused(NORMAL, "too few poses a second: carry on with the timer")
        phase_s = message.get("phase_s", 0.0)
        elapsed = float(phase_s) if isinstance(phase_s, int | float) else 0.0
        await websocket.send_json(
            {
                "type": "form",
                "t": t_s,
                "phase": coach.phase.index if coach.phase else None,
                "gate": coach.gate(),
                "state": reading.state.value,
                "side": reading.side.value if reading.side else None,
                "setup": _setup_words(reading.view),
                "correction": correction.text if correction else None,
                "speak": correction is not None and worth_saying(coach.phase, elapsed),
            }
        )


def _nesting(text: str) -> int:
    """How deep the brackets of a JSON text go, outside its strings: one pass, no recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _parse(raw: Mapping[str, Any]) -> dict[str, Any]:
    """One message as a JSON object; Refused for anything else."""
    if raw.get("type") == "websocket.disconnect":
        raise WebSocketDisconnect(raw.get("code", NORMAL))
    text = raw.get("text")
    if text is None:
        raise Refused(BAD_DATA, "send JSON text, not binary data")
    if len(text) > MAX_MESSAGE_BYTES:
        raise Refused(TOO_BIG, f"a message is larger than {MAX_MESSAGE_BYTES // 1024} KiB")
    if _nesting(text) > MAX_NESTING:  # before the parser recurses into it
        raise Refused(BAD_DATA, f"a message nests deeper than {MAX_NESTING} levels")
    try:
        message = json.loads(text)
    except ValueError:
        raise Refused(BAD_DATA, "a message is not JSON") from None
    if not isinstance(message, dict):
        raise Refused(BAD_DATA, "a message must be a JSON object")
    return message


def _number(message: dict[str, Any], name: str) -> float:
    value = message.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Refused(BAD_DATA, f"{name} must be a number, not {value!r}"[:120])
    return float(value)


def _phase_index(message: dict[str, Any], timeline: Timeline) -> int:
    index = message.get("phase")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(timeline):
        raise Refused(BAD_DATA, f"phase must be 0 to {len(timeline) - 1}, not {index!r}"[:120])
    return index


def _frame_parts(
    message: dict[str, Any],
) -> tuple[tuple[int, int], Any, Any, float | None]:
    size = message.get("size")
    if (
        not isinstance(size, list)
        or len(size) != 2
        or not all(isinstance(n, int) and 16 <= n <= 8192 for n in size)
    ):
        raise Refused(BAD_DATA, "size must be [width, height] in pixels")
    image, world = message.get("image"), message.get("world")
    if image is not None and not isinstance(image, list):
        raise Refused(BAD_DATA, "image must be a list of 33 [x, y, visibility]")
    if world is not None and (image is None or not isinstance(world, list)):
        raise Refused(BAD_DATA, "world must be a list of 33 [x, y, z], with image")
    brightness = message.get("brightness")
    if brightness is not None:
        brightness = _number(message, "brightness")
        if not 0.0 <= brightness <= 1.0:
            raise Refused(BAD_DATA, "brightness must be 0 to 1")
    for points in (image, world):
        if points is not None and not all(
            isinstance(p, list) and all(_is_number(v) for v in p) for p in points
        ):
            raise Refused(BAD_DATA, "each landmark must be a list of numbers")
    return (size[0], size[1]), image, world, brightness


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _setup_words(view: Any) -> str | None:
    from stretchcoach.domain.form.coach import VIEW_WORDS

    return None if view is None else VIEW_WORDS[view]
