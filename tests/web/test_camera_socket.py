"""The phone's camera socket: who may open it, what it refuses (with a reason), the round trip
from landmarks to the gate and the correction, and each hold's form, kept on the server and
joined to its hold when the hold arrives (never carried by the phone).

The landmarks are the recorded session's calm lean and still hold (domain/form/synthetic.py),
laid out as MediaPipe's 33 points, as the phone sends them. The app's clock is the test's
FakeClock, moved on a little per message, so the rate limit sees a phone's pace.
"""

from __future__ import annotations

import itertools
import json
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect
from tests.web.conftest import CSRF_META, pass_screen

from stretchcoach import bootstrap
from stretchcoach.adapters.pose.landmarks import landmarks_of
from stretchcoach.domain.form.metrics import HoldForm
from stretchcoach.domain.form.pose import Pose
from stretchcoach.domain.form.synthetic import RECORDED_CALM_LEAN, RECORDED_STILL_S, Key, scripted
from stretchcoach.domain.form.thresholds import DEFAULT_THRESHOLDS
from stretchcoach.domain.timeline import Phase, PhaseKind
from stretchcoach.domain.values import Side
from stretchcoach.testing import FakeClock

with warnings.catch_warnings():
    # Starlette 1.x would rather run its TestClient on httpx2; httpx still works, and is what
    # the rest of the suite uses.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

ORIGIN = {"origin": "http://localhost"}
ELSEWHERE = "this socket opens only from stretchcoach's own pages"
STEP_S = 0.05  # the app's clock moves on this much per message: 20 a second
FPS = 12.0  # the recorded session, sent at about what a phone streams


def landmarks(pose: Pose | None) -> dict[str, Any]:
    """A frame message's landmarks: 33 image points (0..1, visibility) and 33 world points."""
    if pose is None:
        return {"image": None, "world": None}
    image, world = landmarks_of(pose)
    return {"image": image, "world": world}


def phase_of(found: dict[str, Any]) -> Phase:
    side = Side(found["side"]) if found["side"] else None
    kind = PhaseKind(found["kind"])
    return Phase(
        found["index"],
        kind,
        found["duration_s"],
        found["title"],
        found["instruction"],
        found["cue"],
        side=side,
        hold_number=found["hold_number"],
    )


def frame(t_s: float, phase: int, pose: Pose | None, **extra: Any) -> dict[str, Any]:
    size = [pose.width, pose.height] if pose is not None else [640, 480]
    message = {"type": "frame", "t": t_s, "phase": phase, "phase_s": t_s, "size": size}
    return {**message, "brightness": 0.5, **landmarks(pose), **extra}


class Phone:
    """A TestClient on the loopback, with this browser's CSRF token and a running session."""

    def __init__(self, app: Any, clock: FakeClock) -> None:
        self.client = TestClient(app, base_url="http://localhost", client=("127.0.0.1", 50000))
        self.clock = clock
        page = self.client.get("/session")
        found = CSRF_META.search(page.text)
        assert found, page.text
        self.csrf = found.group(1)
        self.client.headers["X-CSRF-Token"] = self.csrf
        pass_screen(self.client)  # type: ignore[arg-type]
        self.session = self.client.post("/api/sessions", json={}).json()
        self.url = f"ws://localhost/api/sessions/{self.session['id']}/camera"

    def hold_phase(self, number: int) -> int:
        return next(p["index"] for p in self.session["phases"] if p["hold_number"] == number)

    def side_of(self, number: int) -> str:
        return str(next(p["side"] for p in self.session["phases"] if p["hold_number"] == number))

    def put_hold(self, number: int, session: dict[str, Any] | None = None) -> str:
        """Send hold `number` as the phone's outbox does; its id."""
        session = session or self.session
        hold_id = str(uuid.uuid4())
        body = {"hold_number": number, "side": self.side_of(number), "held_s": 30.0}
        url = f"/api/sessions/{session['id']}/holds/{hold_id}"
        response = self.client.put(url, json={**body, "completed": True})
        assert response.status_code == 201, response.text
        return hold_id

    def forms(self, *hold_ids: str) -> dict[str, dict[str, Any]]:
        """The forms kept with these holds, by hold id."""
        uow = bootstrap.unit_of_work(self.client.app.state.engine)  # type: ignore[attr-defined]
        with uow:
            return uow.hold_form.for_holds(list(hold_ids))

    def measured(self, number: int, session: dict[str, Any] | None = None) -> HoldForm | None:
        """What waits, measured, for hold `number` to arrive."""
        uow = bootstrap.unit_of_work(self.client.app.state.engine)  # type: ignore[attr-defined]
        with uow:
            return uow.hold_form.measured((session or self.session)["id"], number)

    def watch(self, number: int, poses: list[Pose | None], *, then: dict[str, Any]) -> None:
        """Stream `poses` through hold `number` on the camera socket, then send `then`."""
        hold = self.hold_phase(number)
        with self.client.websocket_connect(self.url, headers=ORIGIN) as socket:
            self.hello(socket)
            for i, pose in enumerate(poses):
                self.send(socket, frame(i / FPS, hold, pose))
                socket.receive_json()
            self.send(socket, then)
            if then["type"] == "end":
                assert closed(socket) == (1000, "the session is over")

    def send(self, socket: Any, message: dict[str, Any] | str) -> None:
        self.clock.tick(STEP_S)
        socket.send_text(message if isinstance(message, str) else json.dumps(message))

    def hello(self, socket: Any) -> dict[str, Any]:
        socket.send_json({"type": "hello", "csrf": self.csrf})
        ready: dict[str, Any] = socket.receive_json()
        return ready


@pytest.fixture
def phone(make_app: Any, web_clock: FakeClock) -> Iterator[Phone]:
    found = Phone(make_app(), web_clock)
    with found.client:
        yield found


def closed(socket: Any) -> tuple[int, str]:
    """Read until the server closes the socket; its code and reason."""
    with pytest.raises(WebSocketDisconnect) as ended:
        for _ in range(1000):
            socket.receive_json()
    return ended.value.code, ended.value.reason


def refused(phone: Phone, url: str, **kwargs: Any) -> tuple[int, str]:
    return refused_at(phone.client, url, **kwargs)


def refused_at(client: Any, url: str, **kwargs: Any) -> tuple[int, str]:
    """The code and reason of a socket closed before it opened."""
    kwargs.setdefault("headers", ORIGIN)
    with pytest.raises(WebSocketDisconnect) as ended, client.websocket_connect(url, **kwargs):
        pass
    return ended.value.code, ended.value.reason


def test_landmarks_in_give_the_gate_and_the_correction_and_the_hold_form_is_kept(
    phone: Phone,
) -> None:
    poses = scripted(RECORDED_CALM_LEAN, fps=FPS, yaw_deg=20.0)
    bent = scripted([Key(0.0, lean_deg=18.0, knee_deg=120.0)], fps=FPS, duration_s=2.0, yaw_deg=20)
    hold = phone.hold_phase(1)
    answers = []
    with phone.client.websocket_connect(phone.url, headers=ORIGIN) as socket:
        ready = phone.hello(socket)
        for i, pose in enumerate(poses + bent):
            phone.send(socket, frame(i / FPS, hold, pose))
            answers.append(socket.receive_json())
        phone.send(socket, {"type": "phase", "phase": hold + 1})
        phone.send(socket, {"type": "phase", "phase": hold + 1})  # answered with nothing
    waiting = phone.measured(1)
    hold_id = phone.put_hold(1)

    start, end = RECORDED_STILL_S
    start += DEFAULT_THRESHOLDS.hold_confirm_s  # the hold counts once right this long
    still = [a for a in answers[: len(poses)] if start <= a["t"] <= end]
    late = answers[len(poses) + 6 :]  # the bent knee, once it has lasted
    assert ready == {"type": "ready", "stream_fps": 12, "min_fps": 8.0}
    assert set(answers[0]) == {"type", "t", "phase", "gate", "state", "side", "setup"} | {
        "correction",
        "speak",
    }
    assert answers[0]["gate"] is False  # nothing is trusted before the view has been good
    assert still and all(a["gate"] and a["state"] == "stretching" for a in still)
    assert all(a["side"] == "left" and a["phase"] == hold for a in still)
    assert not any(a["gate"] for a in late)
    spoken = [a for a in answers[len(poses) :] if a["correction"]]
    assert [a["correction"] for a in spoken] == ["Straighten your left knee."]
    assert all(a["speak"] and not a["gate"] for a in spoken)
    assert waiting is not None and waiting.side is Side.LEFT and waiting.good_form_s >= 5.0
    kept = phone.forms(hold_id)[hold_id]
    assert kept["good_form_s"] == waiting.good_form_s and kept["knee_bent"] == 1
    assert phone.measured(1) is None  # joined: nothing waits any more


def test_a_hold_waiting_for_good_form_is_told_what_to_fix_within_3_s_and_every_10_s(
    phone: Phone,
) -> None:
    sitting = scripted([Key(0.0), Key(25.0)], fps=FPS, yaw_deg=15.0)  # leg out, never leans
    hold = phone.hold_phase(1)
    answers = []
    with phone.client.websocket_connect(phone.url, headers=ORIGIN) as socket:
        phone.hello(socket)
        for i, pose in enumerate(sitting):
            phone.send(socket, frame(i / FPS, hold, pose))
            answers.append(socket.receive_json())

    spoken = [(a["t"], a["correction"]) for a in answers if a["correction"] and a["speak"]]
    assert not any(a["gate"] for a in answers)
    assert spoken and spoken[0][0] <= 3.0
    assert {text for _, text in spoken} == {
        "Now lean forward slowly from your hips, toward your foot."
    }
    times = [t for t, _ in spoken]
    assert len(times) == 3  # at about 2, 12 and 22 s: repeated, but not more than every 10 s
    assert all(10.0 <= b - a <= 13.0 for a, b in itertools.pairwise(times))


def test_the_end_of_the_session_keeps_the_last_holds_form_with_the_hold_sent_before(
    phone: Phone,
) -> None:
    last = max(p["hold_number"] or 0 for p in phone.session["phases"])
    side = phone.side_of(last)
    left_leg = scripted(RECORDED_CALM_LEAN, fps=FPS, yaw_deg=0.0)
    poses = [p.mirrored() if side == "right" and p else p for p in left_leg]
    hold_id = phone.put_hold(last)  # the phone's outbox was quicker than the camera

    phone.watch(last, poses, then={"type": "end"})

    kept = phone.forms(hold_id)
    assert list(kept) == [hold_id] and kept[hold_id]["good_form_s"] > 5.0
    assert phone.measured(last) is None


@pytest.mark.parametrize("store_url", ["sqlite", "postgres"], indirect=True)
def test_a_hold_sent_long_after_its_form_was_measured_joins_it_once_on_both_stores(
    make_app: Any, web_clock: FakeClock, store_url: str
) -> None:
    phone = Phone(make_app(store_url), web_clock)
    poses = scripted(RECORDED_CALM_LEAN, fps=FPS, yaw_deg=0.0)
    with phone.client:
        phone.watch(1, poses, then={"type": "phase", "phase": phone.hold_phase(1) + 1})
        waiting = phone.measured(1)
        web_clock.tick(3600)  # the phone was offline; its outbox sends the hold an hour later

        hold_id = phone.put_hold(1)
        again = phone.client.put(
            f"/api/sessions/{phone.session['id']}/holds/{hold_id}",
            json={"hold_number": 1, "side": "left", "held_s": 30.0, "completed": True},
        )
        phone.client.post(f"/api/sessions/{phone.session['id']}/finish", json={"status": "stopped"})
        kept = phone.forms(hold_id)
        figure = phone.client.get("/api/history").json()["flexibility"]

    assert waiting is not None and waiting.max_hip_flexion_deg is not None
    assert again.status_code == 200
    assert kept[hold_id]["max_hip_flexion_deg"] == pytest.approx(waiting.max_hip_flexion_deg)
    assert figure and figure[0]["left_deg"] == pytest.approx(waiting.max_hip_flexion_deg)


def test_a_hold_never_gets_another_sessions_form_or_another_legs(phone: Phone) -> None:
    poses = scripted(RECORDED_CALM_LEAN, fps=FPS, yaw_deg=0.0)
    phone.watch(1, poses, then={"type": "phase", "phase": phone.hold_phase(1) + 1})
    first = phone.session
    second = phone.client.post("/api/sessions", json={}).json()  # the first is left behind

    other_session = phone.put_hold(1, second)
    measured = phone.measured(1, first)
    assert measured is not None
    phone.session = second
    phone.url = f"ws://localhost/api/sessions/{second['id']}/camera"
    legs = [p.mirrored() if p and phone.side_of(2) == "right" else p for p in poses]
    phone.watch(2, legs, then={"type": "phase", "phase": phone.hold_phase(2) + 1})
    other_leg = Side(phone.side_of(3)).other
    uow = bootstrap.unit_of_work(phone.client.app.state.engine)  # type: ignore[attr-defined]
    with uow:  # as if the coach had seen the other leg during hold 3
        uow.hold_form.keep_measured(second["id"], 3, replace(measured, side=other_leg))
        uow.commit()
    wrong_leg = phone.put_hold(3, second)
    own = phone.put_hold(2, second)

    assert phone.forms(other_session, wrong_leg) == {}
    assert phone.measured(1, first) is not None  # still its own session's, waiting
    assert list(phone.forms(own)) == [own]


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, ELSEWHERE),
        ({"origin": "http://evil.example"}, "this socket opens only from stretchcoach's own pages"),
        (
            {"origin": "http://localhost:9999"},
            "this socket opens only from stretchcoach's own pages",
        ),
        ({"origin": "null"}, "this socket opens only from stretchcoach's own pages"),
    ],
    ids=["no-origin", "other-site", "other-port", "null-origin"],
)
def test_a_page_from_elsewhere_cannot_open_the_socket(
    phone: Phone, headers: dict[str, str], reason: str
) -> None:
    assert refused(phone, phone.url, headers=headers) == (1008, reason)


def test_another_host_is_refused_in_local_mode(phone: Phone) -> None:
    code, reason = refused(
        phone, phone.url, headers={"host": "evil.example", "origin": "http://evil.example"}
    )

    assert code == 1008
    assert "answers only to localhost or 127.0.0.1" in reason


def test_an_unknown_session_and_a_wrong_token_are_refused(phone: Phone) -> None:
    unknown = refused(phone, f"ws://localhost/api/sessions/{uuid.uuid4()}/camera", headers=ORIGIN)
    with phone.client.websocket_connect(phone.url, headers=ORIGIN) as socket:
        socket.send_json({"type": "hello", "csrf": "not-the-token-of-this-browser"})
        wrong = closed(socket)
    with phone.client.websocket_connect(phone.url, headers=ORIGIN) as socket:
        socket.send_json({"type": "frame"})
        no_hello = closed(socket)

    assert unknown[0] == 4404 and unknown[1].startswith("no session with id")
    assert wrong == (1008, "this page's token is out of date: reload the page")
    assert no_hello == (1008, "the first message must be a hello with this page's token")


def test_nobody_logged_in_is_refused_in_accounts_mode(make_app: Any) -> None:
    client = TestClient(
        make_app(mode="accounts"), base_url="http://localhost", client=("127.0.0.1", 50000)
    )
    url = f"ws://localhost/api/sessions/{uuid.uuid4()}/camera"
    with (
        client,
        pytest.raises(WebSocketDisconnect) as ended,
        client.websocket_connect(url, headers=ORIGIN),
    ):
        pass

    assert (ended.value.code, ended.value.reason) == (4401, "please log in first")


def test_a_finished_session_refuses_the_camera(phone: Phone) -> None:
    phone.client.post(f"/api/sessions/{phone.session['id']}/finish", json={"status": "stopped"})

    assert refused(phone, phone.url, headers=ORIGIN) == (1000, "this session has ended")


BAD_POSE = {"image": [[0.5, 0.5, 1.0]] * 12, "world": None}
MESSAGES = [
    ("x" * 9000, 1009, "a message is larger than 8 KiB"),
    ("{not json", 1007, "a message is not JSON"),
    ("[" * 4000 + "]" * 4000, 1007, "a message nests deeper than 4 levels"),
    ('{"type": "frame", "note": "' + "[" * 20 + '"}', 1007, "phase must be 0 to"),
    ("[1, 2]", 1007, "a message must be a JSON object"),
    ({"type": "video", "phase": 0}, 1007, "unknown message type 'video': send frame, phase or end"),
    ({"type": "phase", "phase": 99}, 1007, "phase must be 0 to"),
    ({"type": "frame", "phase": 0, "t": "soon", "size": [640, 480]}, 1007, "t must be a number"),
    ({"type": "frame", "phase": 0, "t": 1.0, "size": [640]}, 1007, "size must be [width, height]"),
    (
        {"type": "frame", "phase": 0, "t": 1.0, "size": [640, 480], **BAD_POSE},
        1007,
        "a frame's landmarks are not usable: a pose needs 33 landmarks, got 12 image",
    ),
    (
        {"type": "frame", "phase": 0, "t": 1.0, "size": [640, 480], "image": [["a"]] * 33},
        1007,
        "each landmark must be a list of numbers",
    ),
    (
        {"type": "frame", "phase": 0, "t": 1.0, "size": [640, 480], "brightness": 3, "image": None},
        1007,
        "brightness must be 0 to 1",
    ),
]


@pytest.mark.parametrize(
    ("message", "code", "reason"),
    MESSAGES,
    ids=[
        "too-big",
        "not-json",
        "nested-4000-deep",
        "brackets-in-a-string-are-not-nesting",
        "not-an-object",
        "unknown-type",
        "no-such-phase",
        "time-not-a-number",
        "bad-size",
        "too-few-landmarks",
        "not-numbers",
        "bright-out-of-range",
    ],
)
def test_a_bad_message_closes_the_socket_saying_why(
    phone: Phone, message: Any, code: int, reason: str
) -> None:
    with phone.client.websocket_connect(phone.url, headers=ORIGIN) as socket:
        phone.hello(socket)
        phone.send(socket, message)
        got_code, got_reason = closed(socket)

    assert got_code == code
    assert got_reason.startswith(reason), got_reason


def test_more_than_30_messages_a_second_close_the_socket(phone: Phone) -> None:
    with phone.client.websocket_connect(phone.url, headers=ORIGIN) as socket:
        phone.hello(socket)
        for _ in range(31):
            socket.send_json({"type": "phase", "phase": 0})  # the app's clock stands still
        assert closed(socket) == (1008, "more than 30 messages a second")


def test_a_phone_too_slow_for_the_coach_is_told_to_carry_on_with_the_timer(phone: Phone) -> None:
    pose = scripted([Key(0.0)], fps=1.0, duration_s=1.0, yaw_deg=0.0)[0]
    with phone.client.websocket_connect(phone.url, headers=ORIGIN) as socket:
        phone.hello(socket)
        answers = []
        for i in range(14):  # 4 poses a second, for 3 s
            phone.send(socket, frame(i * 0.25, 0, pose))
            answers.append(socket.receive_json())
            if answers[-1]["type"] == "too_slow":
                break
        code, reason = closed(socket)

    assert answers[-1] == {"type": "too_slow", "fps": 4.0}
    assert (code, reason) == (1000, "too few poses a second: carry on with the timer")


def test_the_hold_form_of_the_phone_is_the_same_as_the_terminals(phone: Phone) -> None:
    """One coach for both: the form the socket keeps equals SessionFormCoach fed the same
    poses."""
    from stretchcoach.adapters.pose.landmarks import pose_from_landmarks
    from stretchcoach.services.form import SessionFormCoach

    poses = scripted(RECORDED_CALM_LEAN, fps=FPS, yaw_deg=30.0, seed=3, noise_px=1.0)
    hold = phone.hold_phase(1)
    messages = [frame(i / FPS, hold, pose) for i, pose in enumerate(poses)]
    with phone.client.websocket_connect(phone.url, headers=ORIGIN) as socket:
        phone.hello(socket)
        for message in messages:
            phone.send(socket, message)
            socket.receive_json()
        phone.send(socket, {"type": "phase", "phase": hold + 1})
    kept = phone.measured(1)
    timeline = [phase_of(p) for p in phone.session["phases"]]
    coach = SessionFormCoach()
    coach.enter(timeline[hold])
    for m in messages:
        size = (m["size"][0], m["size"][1])
        coach.see(m["t"], pose_from_landmarks(m["image"], size, m["world"]), brightness=0.5)
    left = coach.enter(timeline[hold + 1])

    assert left is not None and left[0] == 1
    assert kept == left[1]
    assert left[1].side is Side.LEFT


def test_the_camera_page_loads_the_apps_own_model_and_the_plain_page_does_not(
    phone: Phone,
) -> None:
    from importlib.resources import files

    camera = phone.client.get("/session?camera=1")
    plain = phone.client.get("/session")
    base = "/static/vendor/mediapipe-tasks-vision/"
    model = phone.client.get(f"{base}pose_landmarker_lite.task")
    runtime = phone.client.get(f"{base}vision_wasm_internal.wasm")
    library = phone.client.get(f"{base}vision_bundle.mjs")
    vendor = files("stretchcoach") / "web" / "static" / "vendor"
    vendored = vendor / "mediapipe-tasks-vision"

    assert '<script type="module" src="/static/camera.js' in camera.text
    assert 'data-camera="1"' in camera.text and "Set up the camera" in camera.text
    assert "camera.js" not in plain.text and "Use the camera coach" in plain.text
    assert "'wasm-unsafe-eval'" in camera.headers["content-security-policy"]
    assert model.status_code == 200 and task_models(model.content) == TASK_MODELS
    assert runtime.headers["content-type"] == "application/wasm"
    assert library.headers["content-type"].split(";")[0] in JAVASCRIPT
    assert "Apache License" in (vendored / "LICENSE").read_text()
    assert "0.10.35" in (vendored / "README.md").read_text()
    assert not (vendor / "mediapipe-pose").is_dir()  # the legacy solution is gone


JAVASCRIPT = {"text/javascript", "application/javascript"}  # what a module may be served as
TASK_MODELS = ["pose_detector.tflite", "pose_landmarks_detector.tflite"]


def task_models(content: bytes) -> list[str]:
    """The models inside a MediaPipe `.task` bundle (a zip)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as bundle:
        return sorted(bundle.namelist())


def test_with_accounts_only_the_sessions_owner_may_open_its_camera(
    accounts_app: Any, sign_up: Any
) -> None:
    ann, bo = sign_up(accounts_app, "ann@example.org"), sign_up(accounts_app, "bo@example.org")
    pass_screen(ann)
    session = ann.post("/api/sessions", json={}).json()
    url = f"ws://localhost/api/sessions/{session['id']}/camera"

    def phone_of(browser: Any) -> Any:
        return TestClient(
            accounts_app,
            base_url="http://localhost",
            client=("127.0.0.1", 50000),
            cookies=dict(browser.cookies),
        )

    with phone_of(ann) as client, client.websocket_connect(url, headers=ORIGIN) as socket:
        socket.send_json({"type": "hello", "csrf": ann.headers["X-CSRF-Token"]})
        ready = socket.receive_json()
    with phone_of(bo) as client:
        refused_bo = refused_at(client, url)

    assert ready["type"] == "ready"
    assert refused_bo[0] == 4404  # never says whose it is
