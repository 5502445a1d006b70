"""The garbage collector kept off what imports make (`gewh.heap`), in the processes that ask for it."""

from __future__ import annotations

import gc
import subprocess
import sys

from gewh.refresh.transform import DbtProcess


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120).stdout


def test_objects_are_frozen_at_exit_after_the_other_exit_handlers():
    # A handler registered before freeze_at_exit runs after it (atexit runs them last first): it sees the heap
    # frozen, and nothing is frozen before the process ends.
    printed = _run(
        "import atexit, gc\n"
        "atexit.register(lambda: print('at exit', gc.get_freeze_count() > 0))\n"
        "from gewh.heap import freeze_at_exit\n"
        "freeze_at_exit()\n"
        "print('running', gc.get_freeze_count() > 0)\n"
    )
    assert printed.split("\n")[:2] == ["running False", "at exit True"]


def test_imports_run_with_the_collector_paused_and_what_they_made_is_frozen():
    printed = _run(
        "import gc\n"
        "from gewh.heap import importing\n"
        "with importing():\n"
        "    print('inside', gc.isenabled())\n"
        "    import json\n"
        "print('after', gc.isenabled(), gc.get_freeze_count() > 0)\n"
        # The collector is left as the block found it: a process that had paused it keeps it paused.
        "gc.disable()\n"
        "with importing():\n"
        "    pass\n"
        "print('paused before', gc.isenabled())\n"
    )
    assert printed.splitlines() == ["inside False", "after True True", "paused before False"]


def test_the_command_line_freezes_at_exit(tmp_path):
    # Any command: here one that ends at once, for want of a warehouse.
    printed = _run(
        "import atexit, gc\n"
        "atexit.register(lambda: print(gc.get_freeze_count() > 0))\n"
        "from gewh.cli import app\n"
        "try:\n"
        f"    app(['status', '--warehouse', {str(tmp_path / 'none.duckdb')!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    assert printed.strip().endswith("True")


def test_the_dbt_process_freezes_what_it_imported_before_the_build():
    with DbtProcess() as process:
        # Runs after the import the block started there, in the same process.
        frozen = process._pool.submit(gc.get_freeze_count).result(timeout=300)
    assert frozen > 100_000
