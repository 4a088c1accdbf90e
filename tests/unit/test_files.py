"""Files the user asked for are written whole, with the usual mode, or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stretchcoach.adapters.files import write_whole
from stretchcoach.errors import InvalidInput


def test_a_file_is_written_whole_with_the_mode_a_plain_write_gives(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        written = write_whole(tmp_path / "new" / "folder" / "report.pdf", b"%PDF-1.4 whole")
    finally:
        os.umask(old)

    assert written.read_bytes() == b"%PDF-1.4 whole"
    assert written.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in written.parent.iterdir()) == ["report.pdf"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_scratch(tmp_path: Path) -> None:
    target = tmp_path / "stretch.ics"
    target.mkdir()  # a folder where the file should go: the rename fails
    (target / "inside").write_text("kept")

    with pytest.raises(InvalidInput, match=r"^cannot write '.*stretch\.ics': "):
        write_whole(target, b"BEGIN:VCALENDAR")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["stretch.ics"]
    assert (target / "inside").read_text() == "kept"


def test_an_unwritable_folder_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder")

    with pytest.raises(InvalidInput, match=r"cannot write '.*taken/x\.csv'"):
        write_whole(blocker / "x.csv", b"id\n")

    assert blocker.read_text() == "a file, not a folder"


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda path: os.mkfifo(path), "a pipe"),
        (lambda path: path.mkdir(), "a folder"),
    ],
    ids=["fifo", "folder"],
)
def test_a_pipe_or_a_folder_is_refused_and_left_as_it_is(
    tmp_path: Path, make: object, what: str
) -> None:
    target = tmp_path / "out.json"
    assert callable(make)
    make(target)
    before = target.lstat()

    with pytest.raises(InvalidInput, match=rf"^cannot write '.*out\.json': it is {what}"):
        write_whole(target, b"{}")

    assert target.lstat().st_mode == before.st_mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_a_device_is_refused_and_never_replaced() -> None:
    before = os.stat("/dev/null")

    with pytest.raises(InvalidInput, match=r"^cannot write '/dev/null': it is a device, not a"):
        write_whole(Path("/dev/null"), b"{}")

    after = os.stat("/dev/null")
    assert (after.st_mode, after.st_rdev, after.st_ino) == (
        before.st_mode,
        before.st_rdev,
        before.st_ino,
    )


def test_a_symlink_is_replaced_and_what_it_points_to_is_never_written(tmp_path: Path) -> None:
    real = tmp_path / "real" / "export.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)

    write_whole(link, b"new")

    assert not link.is_symlink() and link.read_text() == "new"
    assert real.read_text() == "old"
    assert sorted(p.name for p in real.parent.iterdir()) == ["export.csv"]


def test_a_link_to_a_device_is_replaced_not_written_through(tmp_path: Path) -> None:
    link = tmp_path / "sink"
    link.symlink_to("/dev/null")

    write_whole(link, b"{}")

    assert not link.is_symlink() and link.read_bytes() == b"{}"
