"""What the writer lock guards besides one-writer-at-a-time: the mode of every file a refresh writes, and a lock
file that cannot be swapped for a link."""

from __future__ import annotations

import os
import stat

import pytest

from gewh.refresh.publish import UnsafeLockFile, single_writer
from gewh.settings import load_settings


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("file_mode", "folder_mode"), [(0o640, 0o750), (0o600, 0o700), (0o644, 0o755)])
def test_files_made_while_the_lock_is_held_get_the_configured_mode(tmp_path, file_mode, folder_mode):
    loose = tmp_path / "staging.duckdb"
    loose.write_bytes(b"made by an earlier version")
    loose.chmod(0o666)
    umask_before = _umask()
    with single_writer(tmp_path / ".lock", file_mode, (loose, tmp_path / "not-there.duckdb")):
        (tmp_path / "build").mkdir()
        (tmp_path / "build" / "warehouse.duckdb").write_bytes(b"")
    assert _mode(tmp_path / "build" / "warehouse.duckdb") == file_mode
    assert _mode(tmp_path / "build") == folder_mode
    assert _mode(loose) == _mode(tmp_path / ".lock") == file_mode
    # The process's own mask is back as it was.
    assert _umask() == umask_before


def test_a_lock_file_replaced_by_a_link_is_refused_and_its_target_untouched(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("not the refresh's to write\n")
    (tmp_path / ".lock").symlink_to(target)
    with pytest.raises(UnsafeLockFile, match="symbolic link"), single_writer(tmp_path / ".lock"):
        pass
    assert target.read_text() == "not the refresh's to write\n"


@pytest.mark.parametrize(
    ("written", "mode"),
    [('"0640"', 0o640), ('"600"', 0o600), ('"0644"', 0o644)],
)
def test_file_mode_setting(tmp_path, written, mode):
    (tmp_path / "gewh.toml").write_text(f"[refresh]\nfile_mode = {written}\n")
    assert load_settings(tmp_path / "gewh.toml").file_mode == mode


@pytest.mark.parametrize("written", ['"0666"', '"0400"', '"rw-r-----"', '"0777"'])
def test_a_file_mode_that_lets_others_write_or_the_owner_not_is_refused(tmp_path, written):
    (tmp_path / "gewh.toml").write_text(f"[refresh]\nfile_mode = {written}\n")
    with pytest.raises(ValueError, match="file_mode"):
        load_settings(tmp_path / "gewh.toml")
