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


def _exit_code(worker) -> int | None:
    """The exit code of the pool's process once it has ended (None after a minute).  The pool's manager thread
    reaps it too: a join racing that may find it already reaped and return before the code is set
    (multiprocessing's poll takes that for "not yet ended"), so this waits for the code itself."""
    deadline = time.monotonic() + 60
    while worker.exitcode is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return worker.exitcode


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
    # Killed: a pool ended without killing would let it finish importing dbt and exit by itself (exit code 0).
    assert _exit_code(worker) == -signal.SIGKILL


def test_a_block_left_by_an_exception_after_its_process_ended_raises_that_exception():
    # A stage after dbt's (the build answered, and `dbt_build` ended the process) fails inside the block: the pool
    # has forgotten its workers by then, and the block must not raise anything but the failure.
    with pytest.raises(KeyboardInterrupt), DbtProcess() as process:
        [worker] = process._pool._processes.values()
        process.end()
        raise KeyboardInterrupt
    assert _exit_code(worker) is not None
