"""A real `stretchcoach serve` for a benchmark: started on a free port, stopped afterwards."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(db_url: str) -> Iterator[tuple[str, int]]:
    """The server's base URL and process id, once it answers; local mode, one worker."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "stretchcoach", "serve", "--port", str(port), "--db", db_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                httpx.get(f"{base}/manifest.webmanifest", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(timeout=10)
