"""dbt's process for a refresh's build (`DbtProcess`): started before the build is due, ended with its block."""

from __future__ import annotations

import psutil

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
