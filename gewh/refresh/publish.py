"""Publishing: one writer at a time, and an atomic swap of the finished warehouse file.

Readers that have the old file open keep reading it (the swap replaces the
directory entry, not the bytes they hold).  A process sees the new file at its
first connection after closing all of its connections to the old one: DuckDB
gives a process's new connections the instance it already has open for the path
(README, "One process, one version").  A refresh that fails before the swap
leaves the published file untouched.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import duckdb


class RefreshAlreadyRunning(RuntimeError):
    pass


class WriterLock:
    """The held refresh lock; its file says who holds it and at which stage."""

    def __init__(self, handle: IO[str]):
        self._handle = handle

    def enter(self, stage: str) -> None:
        self._handle.seek(0)
        self._handle.truncate()
        self._handle.write(f"pid {os.getpid()}, stage {stage} since {datetime.now(UTC):%H:%M:%S} UTC")
        self._handle.flush()
        # Crash-safety tests kill the refresh inside a stage: GEWH_TEST_STAGE_PAUSE="<stage>=<seconds>" holds the
        # refresh that long as it enters that stage, which makes the short ones reachable.
        paused, _, seconds = os.environ.get("GEWH_TEST_STAGE_PAUSE", "").partition("=")
        if paused == stage:
            time.sleep(float(seconds))


class UnsafeLockFile(OSError):
    pass


@contextmanager
def single_writer(lock_file: Path, file_mode: int = 0o640, tighten: Sequence[Path] = ()) -> Iterator[WriterLock]:
    """Hold an exclusive lock for the whole refresh; the OS drops it if the process dies.

    While it is held, every file the refresh creates (staging, the build, the published file, the report, Data
    Docs, logs) gets ``file_mode`` and every folder the same with search rights (0640 → 0750): the warehouse
    holds report text that need not be world-readable.  ``tighten`` lists files an earlier refresh may have
    created with a looser mode.  The lock file is never followed through a symbolic link: a link planted in
    its place would make the refresh write wherever it points.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, file_mode)
    except OSError as exc:
        if lock_file.is_symlink():
            raise UnsafeLockFile(f"refusing the lock file {lock_file}: it is a symbolic link") from exc
        raise
    handle = os.fdopen(descriptor, "r+")
    try:
        with created_with(file_mode):
            for path in (lock_file, *tighten):
                if path.exists() and not path.is_symlink():
                    os.chmod(path, file_mode)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise RefreshAlreadyRunning(f"refresh already running ({holder}); try again when it finishes") from exc
            lock = WriterLock(handle)
            lock.enter("starting")
            yield lock
    finally:
        handle.close()


@contextmanager
def created_with(file_mode: int) -> Iterator[None]:
    """Files created within the block get ``file_mode``, folders the same with search rights (0640 → 0750)."""
    previous_umask = os.umask(_umask_for(file_mode))
    try:
        yield
    finally:
        os.umask(previous_umask)


def _umask_for(file_mode: int) -> int:
    # Folders get search rights wherever files get read rights, so a group that may read may also list.
    folder_mode = file_mode | ((file_mode & 0o444) >> 2)
    return 0o777 & ~folder_mode


def publish_build(build_db: Path, published: Path, run_record: dict) -> None:
    """Record this run in the build's history, then swap the build in as ``published`` and remove its folder."""
    add_run_to_history(build_db, run_record)
    finalize_build(build_db)
    swap_in(build_db, published)
    shutil.rmtree(build_db.parent, ignore_errors=True)


def finalize_build(build_db: Path) -> None:
    """Fold the write-ahead log into the file so the swapped-in file is complete on its own."""
    con = duckdb.connect(str(build_db))
    try:
        con.execute("checkpoint")
    finally:
        con.close()


def swap_in(build_db: Path, published: Path) -> None:
    published.parent.mkdir(parents=True, exist_ok=True)
    with build_db.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(build_db, published)
    directory = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def add_run_to_history(build_db: Path, record: dict) -> None:
    """Append this run to the history table dbt built (which holds the runs before it), once.

    The publish task is tried again when it fails, and a failure after this (a full disk at the checkpoint) leaves
    the row in the build's log, read back on the next try: the row is replaced, not added twice.
    """
    from gewh.refresh.stage import insert_by_name

    con = duckdb.connect(str(build_db))
    try:
        con.execute("begin transaction")
        con.execute("delete from marts.refresh_runs where run_id = ?", [record["run_id"]])
        insert_by_name(con, "marts.refresh_runs", record)
        con.execute("commit")
    finally:
        con.close()
