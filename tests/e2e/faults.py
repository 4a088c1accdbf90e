"""Faults the store tests inject for real: a PostgreSQL server of their own to stop, a disk
that fills up, a read-only folder. Each needs what a CI machine has (root, or the postgres
binaries); what is missing fails under CI and skips elsewhere, like the shared PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def unavailable(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def cli_env(db_url: str, data_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHCOACH_")}
    env |= {
        "STRETCHCOACH_DATABASE_URL": db_url,
        "STRETCHCOACH_SPEECH": "off",
        "XDG_DATA_HOME": str(data_home),  # where the pending journal goes
        "PYTHONUNBUFFERED": "1",
        "COLUMNS": "200",
    }
    return env


def cli(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stretchcoach", *args],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """A PostgreSQL server of the test's own, in a temporary folder, on a free port."""

    folder: Path
    port: int
    user: str | None  # the account that runs it when the test runs as root

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run(
            [str(PG_BIN / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            user=self.user,
            group=self.user,
            cwd=self.folder,
            timeout=60,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", "data", "-o", options, "-l", "log", "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", "data", "-m", "immediate", "-w", "stop")

    def processes(self) -> list[int]:
        """The server's processes: the postmaster and every process it started."""
        postmaster = int((self.folder / "data" / "postmaster.pid").read_text().split()[0])
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    stat = (entry / "stat").read_text()
                    if int(stat.rsplit(")", 1)[1].split()[1]) == postmaster:
                        children.append(int(entry.name))
        return [postmaster, *children]

    def freeze(self) -> None:
        """Stop every server process where it is (SIGSTOP): connections stay open, the
        kernel still acknowledges packets, nothing answers; as a stalled server does."""
        for pid in self.processes():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self.processes():
            os.kill(pid, signal.SIGCONT)


@contextlib.contextmanager
def own_postgres() -> Iterator[Server]:
    if not (PG_BIN / "initdb").exists():
        unavailable(f"no PostgreSQL binaries in {PG_BIN}")
    user = None
    folder = Path(tempfile.mkdtemp(prefix="stretchcoach-pg-"))
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        user = "postgres"
        account = pwd.getpwnam(user)
        os.chown(folder, account.pw_uid, account.pw_gid)
    server = Server(folder, free_port(), user)
    try:
        server._run("initdb", "-D", "data", "-A", "trust", "-U", "postgres", "--no-sync")
        server.start()
        yield server
    finally:
        with contextlib.suppress(OSError, ValueError):
            server.thaw()  # a frozen server cannot be stopped
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def small_disk(size: str = "8m") -> Iterator[Path]:
    """A tmpfs of `size` that the test can fill (needs root to mount)."""
    folder = Path(tempfile.mkdtemp(prefix="stretchcoach-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        unavailable(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def fill(folder: Path) -> Path:
    """Fill the file system of `folder` to the last byte; delete the file to free it again."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * 4096)
    return filler


class Session:
    """A `start` running in the background, read line by line."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.lines: list[str] = []
        screened = cli(env, "screen", "--answers", "none")  # a script answers the check first
        assert screened.returncode == 0, screened.stderr
        self.started = time.monotonic()
        self.seen: dict[str, float] = {}  # seconds from the start to each awaited line
        self.process = subprocess.Popen(
            [sys.executable, "-m", "stretchcoach", "start", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )

    def wait_for(self, text: str) -> str:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if text in line:
                self.seen[text] = time.monotonic() - self.started
                return line
        raise AssertionError(f"{text!r} never came: {''.join(self.lines)}")

    def finish(self) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=120)
        self.ended = time.monotonic() - self.started
        self.lines.extend(out.splitlines(keepends=True))
        return self.process.returncode, "".join(self.lines), err
