"""Settle a refresh that has nothing to do without waiting for Prefect.

Starting Prefect's API was most of what a refresh that finds nothing new cost
(11 of 13 s before this check), so `gewh refresh` first asks staging
whether the published warehouse already reflects the raw folder, while its
server starts (stopped unused when the answer is yes).  The answer
is the one the flow would reach (`gewh.refresh.plan` decides for both), and the
run is recorded in the run history like any other.  Whenever the answer is not a
plain yes (something changed, staging cannot be opened) the full flow runs and
decides; a refresh already running is reported at once, as the flow would
report it after starting Prefect.
"""

from __future__ import annotations

import duckdb

from gewh.refresh import plan
from gewh.refresh.publish import single_writer
from gewh.refresh.run import RefreshRun
from gewh.refresh.summary import RefreshSummary
from gewh.settings import Settings


def settle_if_up_to_date(settings: Settings) -> RefreshSummary | None:
    """Record and return the run if the published warehouse is current; None when the refresh flow must run.

    Raises RefreshAlreadyRunning when another refresh holds the writer lock.
    """
    if (
        settings.full
        or settings.full_rebuild
        or not (settings.raw.is_dir() and settings.warehouse.exists() and settings.staging_db.exists())
    ):
        return None
    try:
        with single_writer(settings.lock_file, settings.file_mode, (settings.staging_db, settings.warehouse)) as lock:
            run = RefreshRun(settings, lock)
            with run.stage("discover"):
                current = plan.plan_for(settings)
                if not current.up_to_date:
                    return None
                plan.record(settings, current)
            run.summary.count_plan(current)
            run.record()
    except duckdb.IOException:
        return None
    return run.summary
