"""Python's cyclic garbage collector kept off the objects that imported libraries make.

Importing Prefect, Great Expectations, pandas or dbt makes millions of objects (modules, classes, functions,
schemas) that live as long as the process.  The collector walks every one of them at each full collection: tenths
of a second each, several times during a refresh, and several times more while the interpreter shuts down (about
2 s of a refresh's exit on a 2-core machine, measured with perf in `gc_collect_main`).  `gc.freeze` moves every
object there is into a generation the collector no longer walks.  A frozen object that becomes garbage inside a
reference cycle is freed only with the process, which for what a library makes at import is when it would be
anyway.
"""

from __future__ import annotations

import atexit
import gc


def freeze_imported() -> None:
    """Called by a process that runs one job, once it has imported what it runs: its later collections walk only
    the objects the job makes."""
    gc.freeze()


def freeze_at_exit() -> None:
    """Called when a process starts: at exit, once the atexit handlers registered after this one have run, the
    objects left are frozen, so the interpreter's last collections do not walk them (the process frees its memory
    as a whole)."""
    atexit.register(gc.freeze)
