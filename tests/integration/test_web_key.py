"""The web app's key file: made once, private to its owner, the same for every worker."""

from __future__ import annotations

import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from stretchcoach.adapters.web_key import load_or_create
from stretchcoach.errors import StoreUnavailable


def test_the_key_is_made_once_with_mode_0600_and_read_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "data" / "web.key"

    first = load_or_create(path)
    again = load_or_create(path)

    assert first == again and len(first) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["web.key"]  # no scratch file left


def test_workers_starting_at_once_agree_on_one_key(tmp_path: Path) -> None:
    path = tmp_path / "web.key"
    read = (
        "import sys; from pathlib import Path; from stretchcoach.adapters.web_key import "
        "load_or_create; print(load_or_create(Path(sys.argv[1])).hex())"
    )

    workers = [
        subprocess.Popen([sys.executable, "-c", read, str(path)], stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    with ThreadPoolExecutor(8) as pool:
        in_threads = list(pool.map(lambda _: load_or_create(path).hex(), range(16)))
    in_processes = [worker.communicate(timeout=60)[0].strip() for worker in workers]

    assert len(set(in_threads + in_processes)) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["web.key"]


def test_a_new_key_is_made_when_the_old_one_is_deleted(tmp_path: Path) -> None:
    path = tmp_path / "web.key"
    old = load_or_create(path)

    path.unlink()

    assert load_or_create(path) != old


@pytest.mark.parametrize(
    "content",
    [b"", b"not a key\n", b"ab" * 31 + b"\n", b"AB" * 32, b"ab" * 33],
    ids=["empty", "words", "short", "capitals", "long"],
)
def test_a_damaged_key_is_named_in_one_line_and_left_for_the_person(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "web.key"
    path.write_bytes(content)

    with pytest.raises(StoreUnavailable) as refused:
        load_or_create(path)

    assert str(refused.value) == (
        f"the web app's key {str(path)!r} is damaged: delete it and start again "
        "(a new key is made; pages open now ask to be reloaded)"
    )
    assert path.read_bytes() == content


def test_a_folder_where_the_key_should_be_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "web.key"
    path.mkdir()

    with pytest.raises(
        StoreUnavailable, match=r"^cannot read the web app's key .*: Is a directory$"
    ):
        load_or_create(path)
