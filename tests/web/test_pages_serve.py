"""`stretchcoach serve`: refuses single-user mode on the network; serves the pages for real."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from stretchcoach.cli.app import run
from stretchcoach.cli.serve import is_loopback
from stretchcoach.domain.safety import QUESTIONS


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("my-laptop.local", False),
    ],
    ids=["ipv4", "ipv4-other", "ipv6", "name", "all-v4", "all-v6", "lan", "other-name"],
)
def test_only_loopback_addresses_count_as_this_machine(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_refuses_the_network_without_accounts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STRETCHCOACH_ACCOUNTS", raising=False)
    db = tmp_path / "never.db"

    code = run(["serve", "--host", "0.0.0.0", "--db", f"sqlite:///{db}"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "'0.0.0.0'" in err and "--accounts" in err
    assert not db.exists()


def test_serve_names_a_damaged_key_file_in_one_line_and_does_not_start(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STRETCHCOACH_ACCOUNTS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    key = tmp_path / "data" / "stretchcoach" / "web.key"
    key.parent.mkdir(parents=True)
    key.write_text("half a key\n")

    code = run(["serve", "--port", str(_free_port()), "--db", f"sqlite:///{tmp_path / 'x.db'}"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and repr(str(key)) in err and "delete it and start again" in err
    assert key.read_text() == "half a key\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.e2e
def test_serve_answers_pages_and_api_as_a_real_process(tmp_path: Path) -> None:
    import os

    from tests.integration.test_pending_replay import a_session

    from stretchcoach.adapters.pending_file import PendingFile
    from stretchcoach.adapters.routine_file import load_builtin
    from stretchcoach.config import APP_NAME
    from stretchcoach.domain.user import LOCAL_USER_ID

    url = f"sqlite:///{tmp_path / 'served.db'}"
    data_home = tmp_path / "data"
    journal = PendingFile.for_database(url, data_home / APP_NAME)
    for entry in a_session(load_builtin(), LOCAL_USER_ID):  # kept while the store was away
        journal.append(entry)
    env = os.environ | {"XDG_DATA_HOME": str(data_home)}
    port = _free_port()
    command = [sys.executable, "-m", "stretchcoach", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--db", url],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                page = httpx.get(f"{base}/", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        today = httpx.get(f"{base}/api/today", timeout=2).json()
        saved = httpx.get(f"{base}/api/sessions", timeout=2).json()["sessions"]
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)

    assert page.status_code == 200 and "Start" in page.text
    assert today["done_today"] is False
    assert f"http://127.0.0.1:{port}" in output and "local" in output
    assert "Saved what was waiting from an earlier session: a session, 2 holds" in output
    assert [len(s["holds"]) for s in saved] == [2] and journal.waiting() == []


@pytest.mark.e2e
@pytest.mark.postgres
def test_two_workers_share_postgresql_and_lose_no_hold(postgres_url: str) -> None:
    import os
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    port = _free_port()
    env = os.environ | {"STRETCHCOACH_DATABASE_URL": postgres_url}
    command = [sys.executable, "-m", "stretchcoach", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = httpx.get(f"{base}/welcome", timeout=2)  # a new person's first page
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        token = page.text.split('name="csrf-token" content="')[1].split('"')[0]
        cookie = page.cookies["sc_csrf"]  # the token is signed: it goes with this cookie only
        headers = {"X-CSRF-Token": token, "Cookie": f"sc_csrf={cookie}", "Connection": "close"}
        no_to_all = {"answers": [False] * len(QUESTIONS)}
        assert httpx.post(f"{base}/api/screen", json=no_to_all, headers=headers).is_success
        session = httpx.post(f"{base}/api/sessions", json={}, headers=headers).json()
        sides = {p["hold_number"]: p["side"] for p in session["phases"] if p["hold_number"]}

        def post(number: int) -> int:
            hold = {"hold_number": number, "side": sides[number], "held_s": 30, "completed": True}
            url = f"{base}/api/sessions/{session['id']}/holds/{uuid.uuid4()}"
            return httpx.put(url, json=hold, headers=headers, timeout=10).status_code

        with ThreadPoolExecutor(8) as pool:  # each hold twice, at once, through both workers
            codes = sorted(pool.map(post, [n for n in sides for _ in range(2)]))
        saved = httpx.get(f"{base}/api/sessions/{session['id']}", headers=headers).json()
    finally:
        server.terminate()
        server.communicate(timeout=15)

    assert codes == [200] * len(sides) + [201] * len(sides)
    assert sorted(h["hold_number"] for h in saved["holds"]) == sorted(sides)
