"""One refresh held together: the writer lock throughout, each stage announced once, the run recorded however it ends.

`with run.stage("dbt"):` tells the writer lock (what `refresh already running`
reports), the progress display and the summary's stage timer at once.  A refresh
that ends without publishing, and without the warehouse already being current,
raises `RefreshNotPublished` after its run is recorded, so that Prefect marks the
flow run Failed; the exception carries the summary with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from gewh import progress
from gewh.refresh import stage
from gewh.refresh.discover import RawFile
from gewh.refresh.publish import WriterLock, single_writer
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
    def __init__(self, settings: Settings, lock: WriterLock):
        self.settings = settings
        self.summary = RefreshSummary.begin()
        self._lock = lock

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[None]:
        """Run stage ``name``; with ``total``, the display counts the items passed to `advance`."""
        self._lock.enter(name)
        progress.enter(name, total)
        with self.summary.timing(name):
            yield

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
def refresh_run(settings: Settings) -> Iterator[RefreshRun]:
    """Hold the writer lock for one refresh and record the run when it ends, published or not.

    Raises RefreshAlreadyRunning when another refresh holds the lock, and RefreshNotPublished (after recording)
    when the refresh ended without the published warehouse reflecting the raw folder.
    """
    with single_writer(settings.lock_file, settings.file_mode, (settings.staging_db, settings.warehouse)) as lock:
        run = RefreshRun(settings, lock)
        try:
            yield run
        except RefreshNotPublished:
            run.record()
            raise
        run.record()
    if not run.summary.ok:
        raise RefreshNotPublished(run.summary)
