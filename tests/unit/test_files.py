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
