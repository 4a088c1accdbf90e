"""The phone's camera socket under load: landmarks in, correction out, and the server's CPU.

A real `stretchcoach serve` (one worker, SQLite) and N phones on the loopback, each with its
own running session and WebSocket, each streaming the recorded session's calm lean and still
hold (33 image and 33 world landmarks a frame, with the model's shake) at FPS frames a second,
with a bent knee every few seconds so the coach has corrections to send. Latency is the wall
time from a phone sending a frame to it receiving that frame's answer (the gate and any
correction). Server CPU is the server process's user + system time over the run, read from
/proc, per frame and as the share of one core; "sessions per core" is how many such phones
one core would serve at that frame rate. The phones run in this process on the same 2 cores,
so under load they take CPU from the server: the per-frame cost is the honest figure.

Usage: python bench/camera_socket.py [--sessions 1,25,50,100] [--fps 10,12,15] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import websockets
from serving import serving

from stretchcoach import bootstrap
from stretchcoach.adapters.pose.landmarks import landmarks_of
from stretchcoach.adapters.routine_file import load_builtin
from stretchcoach.config import Settings
from stretchcoach.domain.form.synthetic import RECORDED_CALM_LEAN, Key, scripted
from stretchcoach.domain.routine import choose_settings
from stretchcoach.domain.timeline import build_timeline
from stretchcoach.domain.user import LOCAL_USER_ID
from stretchcoach.services.sessions import begin_session
from stretchcoach.services.users import ensure_local_user

TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def frames_to_send(fps: float) -> list[dict[str, Any]]:
    """The recorded calm lean and still hold, then a bent knee for 2 s, as the phone sends."""
    poses = scripted(RECORDED_CALM_LEAN, fps=fps, yaw_deg=20.0, seed=1, noise_px=1.5)
    bent = scripted([Key(0.0, lean_deg=18.0, knee_deg=125.0)], fps=fps, duration_s=2, yaw_deg=20)
    out = []
    for pose in poses + bent:
        assert pose is not None
        image, world = landmarks_of(pose)
        rounded = [[round(v, 4) for v in p] for p in image]
        world_rounded = [[round(v, 4) for v in p] for p in world] if world else None
        size = [pose.width, pose.height]
        out.append({"size": size, "brightness": 0.5, "image": rounded, "world": world_rounded})
    return out


def make_sessions(db_url: str, count: int) -> list[str]:
    settings = Settings(database_url=db_url)
    engine = bootstrap.engine(settings)
    from stretchcoach.adapters.clock import SystemClock
    from stretchcoach.adapters.store.uow import SqlUnitOfWork

    clock = SystemClock()
    uow = SqlUnitOfWork(engine)
    ensure_local_user(uow=uow, now=clock.now())
    routine = load_builtin()
    chosen = choose_settings(routine)
    ids = [
        begin_session(
            routine, chosen, user_id=LOCAL_USER_ID, uow=uow, now=clock.now(), time_zone="UTC"
        ).id
        for _ in range(count)
    ]
    engine.dispose()
    return ids


async def phone(
    base: str,
    session_id: str,
    cookie: str,
    csrf: str,
    hold_phase: int,
    frames: list[Any],
    fps: float,
    seconds: float,
    latencies: list[float],
    said: list[int],
) -> None:
    url = base.replace("http", "ws") + f"/api/sessions/{session_id}/camera"
    async with websockets.connect(
        url,
        origin=base,
        additional_headers={"Cookie": cookie},  # type: ignore[arg-type]
    ) as ws:
        await ws.send(json.dumps({"type": "hello", "csrf": csrf}))
        ready = json.loads(await ws.recv())
        assert ready["type"] == "ready", ready
        start = time.perf_counter()
        await asyncio.sleep(hash(session_id) % 1000 / 1000 / fps)  # phones are not in step
        i = 0
        while time.perf_counter() - start < seconds:
            message = dict(frames[i % len(frames)])
            message.update(type="frame", t=i / fps, phase=hold_phase, phase_s=i / fps)
            sent = time.perf_counter()
            await ws.send(json.dumps(message))
            while True:
                answer = json.loads(await ws.recv())
                if answer["type"] == "form":
                    break
            latencies.append(time.perf_counter() - sent)
            if answer["correction"]:
                said.append(1)
            i += 1
            wait = start + i / fps - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)


def run(sessions: int, fps: float, seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/bench.db"
        ids = make_sessions(db_url, sessions)
        with serving(db_url) as (base, pid):
            # The session page names nobody (the phone keeps it offline): the token comes from
            # the API, as the page's own script asks for it.
            page = httpx.get(f"{base}/api/csrf", timeout=10)
            page.raise_for_status()
            token = str(page.json()["csrf_token"])
            cookie = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
            timeline = build_timeline(load_builtin(), choose_settings(load_builtin()))
            hold_phase = next(p.index for p in timeline if p.is_hold)
            frames = frames_to_send(fps)
            latencies: list[float] = []
            said: list[int] = []

            async def all_phones() -> None:
                await asyncio.gather(
                    *(
                        phone(
                            base,
                            sid,
                            cookie,
                            token,
                            hold_phase,
                            frames,
                            fps,
                            seconds,
                            latencies,
                            said,
                        )
                        for sid in ids
                    )
                )

            before, wall = cpu_s(pid), time.perf_counter()
            asyncio.run(all_phones())
            used, wall = cpu_s(pid) - before, time.perf_counter() - wall
    latencies.sort()
    per_frame_ms = used / len(latencies) * 1000
    return {
        "sessions": sessions,
        "fps": fps,
        "frames": len(latencies),
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000,
        "core_share": used / wall,
        "cpu_ms_per_frame": per_frame_ms,
        "sessions_per_core": 1000 / (per_frame_ms * fps),
        "corrections": len(said),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", default="1,25,50,100")
    parser.add_argument("--fps", default="10,12,15")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--tiny", action="store_true", help="a tiny run (the tests run it)")
    args = parser.parse_args()
    if args.tiny:
        args.sessions, args.fps, args.seconds, args.rounds = "1", "10", 1.0, 1
    print(f"seconds={args.seconds:g} rounds={args.rounds} (medians over rounds)")
    print("sessions  fps  frames   p50 ms   p95 ms  server core  cpu ms/frame  sessions/core")
    for fps in [float(f) for f in args.fps.split(",")]:
        for count in [int(n) for n in args.sessions.split(",")]:
            rounds = [run(count, fps, args.seconds) for _ in range(args.rounds)]
            m = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
            print(
                f"{count:8d} {fps:4.0f} {m['frames']:7.0f} {m['p50_ms']:8.1f} {m['p95_ms']:8.1f}"
                f" {m['core_share']:11.0%} {m['cpu_ms_per_frame']:13.2f} "
                f"{m['sessions_per_core']:14.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
