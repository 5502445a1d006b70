"""dbt's process for a refresh's build (`DbtProcess`): started before the build is due, ended with its block."""

from __future__ import annotations

import signal
import time

import psutil
import pytest

from gewh.refresh.transform import DbtProcess


def _spawned_children() -> set[int]:
    # multiprocessing's spawned processes, not its resource tracker.
    return {child.pid for child in psutil.Process().children() if "spawn_main" in " ".join(child.cmdline())}


def test_the_process_starts_with_its_block_and_a_block_no_build_came_to_ends_it():
    before = _spawned_children()
    with DbtProcess() as process:
        started = _spawned_children() - before
        # Spawned on entering, before any build: dbt's import runs there while the refresh extracts.
        assert len(started) == 1
    assert not process.used
    _, alive = psutil.wait_procs([psutil.Process(pid) for pid in started if psutil.pid_exists(pid)], timeout=60)
    assert not alive


def test_a_block_left_by_an_exception_kills_the_process_at_once():
    # Ctrl-C or a failed stage: the process is not waited for (it may be importing dbt, or building).
    with pytest.raises(KeyboardInterrupt), DbtProcess() as process:
        # The pool's own process object: only it knows how the process ended once the pool has reaped it.
        [worker] = process._pool._processes.values()
        raise KeyboardInterrupt
    # The pool's manager thread reaps the process too: a join racing it may find it already reaped and return before
    # the exit code is set (multiprocessing's poll takes that for "not yet ended"), so wait for the code itself.
    deadline = time.monotonic() + 60
    while worker.exitcode is None and time.monotonic() < deadline:
        time.sleep(0.05)
    # Killed: a pool ended without killing would let it finish importing dbt and exit by itself (exit code 0).
    assert worker.exitcode == -signal.SIGKILL
