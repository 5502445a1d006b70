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
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def importing() -> Iterator[None]:
    """The block in which a process that runs one job imports what it runs.

    No automatic collection inside it: what imports make lives on, and walking it while it is made was an eighth
    to nearly a third of the import's CPU time (Prefect's server 2.4 -> 1.7 s, Prefect and the refresh flow 1.9 ->
    1.5 s, dbt 1.3 -> 1.1 s, on this project's 2-core machine).  When the block ends, what there is gets frozen:
    the job's collections walk only the objects the job makes.  The collector is then left as the block found it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def freeze_at_exit() -> None:
    """Called when a process starts: at exit, once the atexit handlers registered after this one have run, the
    objects left are frozen, so the interpreter's last collections do not walk them (the process frees its memory
    as a whole)."""
    atexit.register(gc.freeze)
