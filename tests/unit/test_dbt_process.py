"""dbt's process for a refresh's build (`DbtProcess`): started before the build is due, ended with its block."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import psutil
import pytest

from gewh.refresh import transform
from gewh.refresh.transform import DbtProcess, dbt_process_started_early

# A build these tests never run: its process imports dbt and parses the project for it meanwhile.
BUILD = (Path("staging.duckdb"), Path("build") / "warehouse.duckdb")


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


def test_a_process_started_early_is_the_next_refresh_s_and_only_its():
    before = _spawned_children()
    with dbt_process_started_early(*BUILD):
        [early] = _spawned_children() - before
        with DbtProcess.for_refresh(*BUILD) as process:
            assert _spawned_children() - before == {early}, "the refresh started a process of its own"
        # Taken: a second refresh in the same command gets a process of its own.
        second = DbtProcess.for_refresh(*BUILD)
        assert second is not process
        second.end()
    assert DbtProcess.for_refresh(*BUILD) is not process


def test_a_command_stopped_while_its_refresh_ran_kills_the_early_process_once():
    # Ctrl-C during the refresh leaves both blocks: the refresh's kills the process and shuts its pool down, and the
    # command's then finds a pool that has forgotten its workers.
    with pytest.raises(KeyboardInterrupt), dbt_process_started_early(*BUILD), DbtProcess.for_refresh(*BUILD) as process:
        [worker] = process._pool._processes.values()
        raise KeyboardInterrupt
    assert _exit_code(worker) == -signal.SIGKILL


def test_an_early_process_no_refresh_took_ends_with_the_command():
    before = _spawned_children()
    with dbt_process_started_early(*BUILD):
        started = _spawned_children() - before
    _, alive = psutil.wait_procs([psutil.Process(pid) for pid in started if psutil.pid_exists(pid)], timeout=60)
    assert not alive
    assert not transform._started_early, "a later refresh would take a process that has ended"
