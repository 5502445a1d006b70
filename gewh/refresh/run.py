"""One refresh held together: the writer lock throughout, each stage announced once, the run recorded however it ends.

`with run.stage("dbt"):` tells the writer lock (what `refresh already running`
reports), the progress display and the summary's stage timer at once.  A refresh
that ends without publishing, and without the warehouse already being current,
raises `RefreshNotPublished` after its run is recorded, so that Prefect marks the
flow run Failed; the exception carries the summary with the reason.  Any other
exception that ends the flow (a full disk, a bug, SIGTERM) is recorded with its
one-line reason and raised again as it was; a refresh that dies before or
outside the flow (Prefect's API not starting) is recorded by `record_death`.
Either way the build folder is removed first: on a full disk, that is what
makes room for the record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

import duckdb

from gewh import progress
from gewh.refresh import stage
from gewh.refresh.discover import RawFile
from gewh.refresh.failure import (
    discard_partial_output,
    keep_traceback,
    mark_recorded,
    one_line,
    reason_for,
    recorded_run,
)
from gewh.refresh.publish import RefreshAlreadyRunning, WriterLock, single_writer
from gewh.refresh.summary import RefreshSummary
from gewh.settings import Settings


class RefreshNotPublished(RuntimeError):
    """The refresh did not publish; ``summary`` says why (``summary.reason``) and what it did."""

    def __init__(self, summary: RefreshSummary):
        super().__init__(summary)  # the only argument, so that the exception pickles with its summary
        self.summary = summary

    def __str__(self) -> str:
        return f"not published: {self.summary.reason}"


class RefreshRun:
    def __init__(self, settings: Settings, lock: WriterLock, summary: RefreshSummary | None = None):
        self.settings = settings
        self.summary = summary or RefreshSummary.begin()
        # The stage whose block is running (None between stages): what an exception interrupted.
        self.inside: str | None = None
        self._lock = lock

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[None]:
        """Run stage ``name``; with ``total``, the display counts the items passed to `advance`."""
        self.inside = name
        self._lock.enter(name)
        progress.enter(name, total)
        with self.summary.timing(name):
            yield
        self.inside = None

    def extracted(self, raw: RawFile) -> None:
        """One more document extracted: counted in the summary, named beside the progress bar."""
        self.summary.extracted += 1
        progress.advance(raw.source_path)

    def stop(self, reason: str) -> NoReturn:
        """End the refresh here, unpublished, for ``reason``."""
        self.summary.reason = reason
        raise RefreshNotPublished(self.summary)

    def record(self) -> None:
        """Stop the clock and add the run to staging's run history."""
        self.summary.finish()
        with stage.opened(self.settings.staging_db) as con:
            stage.record_run(con, self.summary.as_record())


@contextmanager
def refresh_run(
    settings: Settings, on_end: Callable[[RefreshSummary], None] = lambda summary: None
) -> Iterator[RefreshRun]:
    """Hold the writer lock for one refresh and record the run when it ends, published or not; then
    ``on_end(summary)``.

    Raises RefreshAlreadyRunning when another refresh holds the lock, and RefreshNotPublished (after recording)
    when the refresh ended without the published warehouse reflecting the raw folder.  Any other exception is
    raised again after the run is recorded with its reason (`recorded_run` answers that run for it).
    """
    with single_writer(settings.lock_file, settings.file_mode, (settings.staging_db, settings.warehouse)) as lock:
        run = RefreshRun(settings, lock)
        try:
            yield run
        except RefreshNotPublished:
            discard_partial_output(settings, None)
            run.record()
            on_end(run.summary)
            raise
        except BaseException as exc:
            if run.inside == "publish":
                # Marked published before the swap, for the run history inside the build (`mark_published`); the swap
                # did not happen (or cannot be known to have), and a run recorded as published in staging would
                # leave what it staged unpublished: the next refresh would find nothing new to do.
                run.summary.publish_failed()
            discard_partial_output(settings, run.inside, run.summary.run_id)
            run.summary.reason = reason_for(exc)
            try:
                run.record()
            except (OSError, duckdb.Error) as unrecorded:
                # Raise what stopped the refresh, not this: `record_death` tries again and says why it could not.
                exc.add_note(f"run {run.summary.run_id} not recorded: {one_line(unrecorded)}")
            else:
                mark_recorded(exc, run.summary)
            on_end(run.summary)
            raise
        run.record()
        on_end(run.summary)
    if not run.summary.ok:
        raise RefreshNotPublished(run.summary)


def record_death(settings: Settings, exc: BaseException, summary: RefreshSummary) -> str:
    """For `gewh refresh`: record the run ``exc`` stopped unless the flow did, keep the traceback; the line to print.

    ``summary`` is the run begun by the command, recorded when the flow did not record one (it never started, or
    could not write).  Recording takes the writer lock, as any write to staging does; a refresh holding it is left
    alone (and its build folder with it), and the line says that this run is not recorded.
    """
    recorded = recorded_run(exc)
    notes = []
    if recorded is None:
        summary.reason = reason_for(exc)
        try:
            with single_writer(settings.lock_file) as lock:
                discard_partial_output(settings, None)
                RefreshRun(settings, lock, summary).record()
        except RefreshAlreadyRunning as busy:
            notes.append(f"run not recorded: {busy}")
        except (OSError, duckdb.Error) as unrecorded:
            notes.append(f"run not recorded in {settings.staging_db}: {one_line(unrecorded)}")
    run = recorded or summary
    try:
        notes.append(f"traceback in {keep_traceback(settings, run.run_id, exc)}")
    except OSError as unwritten:
        notes.append(f"traceback not kept: {one_line(unwritten)}")
    return f"not published: {run.reason} ({'; '.join(notes)})"
