"""What a refresh has to do, and whether the published warehouse is already current: decided here, once.

`gewh refresh` asks before starting Prefect (`uptodate`), and the flow's discover
stage asks again under its own lock; both get their answer from `plan_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from gewh.refresh import stage
from gewh.refresh.discover import Plan, RawFile, list_raw_files, plan_refresh
from gewh.settings import Settings


@dataclass(frozen=True)
class RefreshPlan:
    changes: Plan  # the raw folder against the ingest log
    to_extract: list[RawFile]
    staging_fingerprint: str
    # The published warehouse already reflects the raw folder: nothing to log, extract or build.
    up_to_date: bool


def plan_for(settings: Settings) -> RefreshPlan:
    """Compare the raw folder with staging; nothing is written (`discover` also logs what it saw)."""
    with stage.opened(settings.staging_db) as con:
        return _plan(con, settings)


def discover(settings: Settings) -> RefreshPlan:
    """The plan, with what discovery saw logged in staging's ingest log."""
    with stage.opened(settings.staging_db) as con:
        plan = _plan(con, settings)
        stage.record_plan(con, plan.changes, datetime.now(UTC))
    return plan


def record(settings: Settings, plan: RefreshPlan) -> None:
    """Log a plan made by `plan_for` (once the caller has decided to act on it)."""
    with stage.opened(settings.staging_db) as con:
        stage.record_plan(con, plan.changes, datetime.now(UTC))


def _plan(con: duckdb.DuckDBPyConnection, settings: Settings) -> RefreshPlan:
    # `full` forgets what staging knows: every file counts as new and is extracted again.
    changes = plan_refresh(list_raw_files(settings.raw), {} if settings.full else stage.known_files(con))
    to_extract = changes.to_extract(set() if settings.full else stage.staged_hashes(con))
    fingerprint = stage.fingerprint(con)
    # Current means: published from exactly what staging holds now (a killed run may have staged more),
    # and the folder brings nothing new to log or extract.
    up_to_date = (
        not settings.full_rebuild
        and settings.warehouse.exists()
        and not (changes.new or changes.changed or changes.removed or to_extract)
        and stage.published_fingerprint(con) == fingerprint
    )
    return RefreshPlan(changes, to_extract, fingerprint, up_to_date)
