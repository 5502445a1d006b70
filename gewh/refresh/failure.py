"""A refresh that dies, whatever stops it: a one-line reason, its traceback in a log file, its partial output removed.

Whatever ends a refresh other than a plain "not published" (Prefect's API not
starting, a full disk, a bug, SIGINT, SIGTERM) is turned into one line for the
run history and the terminal (`reason_for`); the traceback goes to
``<warehouse folder>/logs/refresh-<run id>.log`` (`keep_traceback`).  Where the
run is recorded is `gewh.refresh.run`'s business.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import signal
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from gewh.prefect_api import PrefectApiNotStarted
from gewh.refresh.publish import created_with

if TYPE_CHECKING:
    from gewh.refresh.summary import RefreshSummary
    from gewh.settings import Settings

# A reason is one line of the run history and of the terminal, not the server output Prefect appends to its own.
_REASON_CHARS = 300
# Prefect's loggers of the flow run and its tasks: their errors are the ones a refresh reports in one line.
_PREFECT_RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")
# How a full disk is said by what reports it only in words: DuckDB's errors, dbt's node results, and anything
# that wraps an OSError in an exception of its own; the system's message for ENOSPC, "No space left on device".
NO_SPACE = os.strerror(errno.ENOSPC)
# Where `refresh_run` leaves the summary of the run it recorded for an exception, for `gewh refresh` to find.
_RECORDED = "gewh_recorded_run"


class Terminated(BaseException):
    """SIGTERM, raised where the process is, as KeyboardInterrupt is for SIGINT, so that every ``finally`` runs and
    the run is recorded.  A BaseException, like KeyboardInterrupt, so no ``except Exception`` takes it for an error
    to handle and carry on."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signal = signum


def _not_an_error(record: logging.LogRecord) -> bool:
    return record.levelno < logging.ERROR


def quiet_prefect_run_errors() -> None:
    """Keep Prefect's errors about the flow run and its tasks (tracebacks, "Crash detected!") off the terminal,
    in this process from now on (a served run's own process).

    Prefect logs an error there only when an exception ends a task or the run, and that ends the refresh: the
    run says why in one line, and keeps the traceback in its log file (`keep_traceback`).
    """
    for name in _PREFECT_RUN_LOGGERS:
        logging.getLogger(name).addFilter(_not_an_error)


@contextmanager
def prefect_run_errors_quiet() -> Iterator[None]:
    """`quiet_prefect_run_errors` within the block (a refresh run by `gewh refresh` in its own process)."""
    quiet_prefect_run_errors()
    try:
        yield
    finally:
        for name in _PREFECT_RUN_LOGGERS:
            logging.getLogger(name).removeFilter(_not_an_error)


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises `Terminated` (the default handler would end the process on the spot).

    Inside a flow run Prefect installs its own handler, which raises its TerminationSignal: `reason_for` reads both.
    """

    def raise_terminated(signum: int, _frame: FrameType | None) -> None:
        raise Terminated(signum)

    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def reason_for(exc: BaseException) -> str:
    """Why ``exc`` stopped the refresh, in one line."""
    if isinstance(exc, KeyboardInterrupt):
        return "stopped: SIGINT"
    # `Terminated`, or Prefect's TerminationSignal (read by its attribute, so that Prefect need not be imported).
    signum = getattr(exc, "signal", None)
    if not isinstance(exc, Exception) and isinstance(signum, int):
        return f"stopped: {signal.Signals(signum).name}"
    if (full := disk_full(exc)) is not None:
        return f"disk full: {one_line(full)}"
    if isinstance(exc, PrefectApiNotStarted):
        return f"Prefect API did not start: {one_line(exc)}"
    if type(exc).__module__.startswith("httpx"):
        return f"Prefect API did not answer: {type(exc).__name__}: {one_line(exc)}"
    return f"failed: {type(exc).__name__}: {one_line(exc)}"


def disk_full(exc: BaseException) -> BaseException | None:
    """The error that says the disk is full: ``exc``, or one it was raised from or while handling; None if none.

    DuckDB raises its own exceptions, with the system's message and no error number (a commit whose log could not
    be written: `TransactionException`; a checkpoint: `FatalException`), and a library may wrap the OSError in an
    exception of its own.
    """
    link: BaseException | None = exc
    seen: set[int] = set()
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        if (isinstance(link, OSError) and link.errno == errno.ENOSPC) or NO_SPACE in str(link):
            return link
        link = link.__cause__ or link.__context__
    return None


def exit_status(exc: BaseException) -> int:
    """The shell's convention for a process a signal stopped (128 + its number); 1 for any other failure."""
    if isinstance(exc, KeyboardInterrupt):
        return 128 + signal.SIGINT
    signum = getattr(exc, "signal", None)
    return 128 + signum if not isinstance(exc, Exception) and isinstance(signum, int) else 1


def one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    line = lines[0] if lines else type(exc).__name__
    return line if len(line) <= _REASON_CHARS else line[: _REASON_CHARS - 1] + "…"


def mark_recorded(exc: BaseException, summary: RefreshSummary) -> None:
    setattr(exc, _RECORDED, summary)


def recorded_run(exc: BaseException) -> RefreshSummary | None:
    """The run the flow recorded for ``exc``, or for an exception ``exc`` was raised while handling.

    The chain matters for SIGTERM: Prefect's handler raises its TerminationSignal in the flow, and on the way out
    sends the signal again to the handler before it, whose exception then reaches the command.
    """
    link: BaseException | None = exc
    while link is not None:
        if (recorded := getattr(link, _RECORDED, None)) is not None:
            return recorded
        link = link.__cause__ or link.__context__
    return None


def discard_partial_output(settings: Settings, stage: str | None, run_id: str | None = None) -> None:
    """Remove what a refresh that stopped in ``stage`` was writing: its build folder, and when it stopped while
    checking, the Data Docs (a half-written site is worse than none; the next refresh writes it whole) and the
    validation results run ``run_id`` stored (a full disk leaves one empty, and every later refresh, which reads
    them all to write the Data Docs, failed on it).  Never the published file, nor earlier runs' results."""
    shutil.rmtree(settings.build_dir, ignore_errors=True)
    if stage == "expectations":
        shutil.rmtree(settings.data_docs_dir, ignore_errors=True)
        if run_id is not None:
            # Imported here: the checks' module (and DuckDB with it) is needed only by a run stopped in them.
            from gewh.refresh.validate import stored_results_of

            for results in stored_results_of(settings.validation_results_dir, run_id):
                shutil.rmtree(results, ignore_errors=True)


def keep_traceback(settings: Settings, run_id: str, exc: BaseException) -> Path:
    """Write ``exc``'s traceback to the run's log file under the warehouse folder; its path.  Raises OSError."""
    log = settings.warehouse_dir / "logs" / f"refresh-{run_id}.log"
    try:
        # Written after the writer lock is released (or when it was never taken): the mode is set here.
        with created_with(settings.file_mode):
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text("".join(traceback.format_exception(exc)))
    except OSError:
        # On a full disk the file is made but stays empty or cut short: none, rather than one that reads as the
        # whole traceback (the line printed says it was not kept).
        log.unlink(missing_ok=True)
        raise
    return log
