"""What a refresh did, in numbers: printed at the end and stored in the run history."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from gewh.refresh.discover import Plan

if TYPE_CHECKING:
    from gewh.refresh.plan import RefreshPlan
    from gewh.refresh.stage import StagingOutcome
    from gewh.refresh.validate import ValidationOutcome


@dataclass
class RefreshSummary:
    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    files_seen: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_unchanged: int = 0
    files_failed: int = 0
    files_removed: int = 0
    # Files that are not inputs (another format, a CSV that is not a status CSV): listed, not read, not failures.
    files_skipped: int = 0
    extracted: int = 0
    failures: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # Failures of an attempt, not of the bytes (a limit hit, a worker lost): the next run extracts them again.
    retry_next_run: list[str] = field(default_factory=list)
    # The first attempt's reason for each document this run extracted a second time.
    retried: list[str] = field(default_factory=list)
    # What failures did to rows loaded earlier (kept in the marts, or dropped): see `stage.stage_failure`.
    previous: list[str] = field(default_factory=list)
    rows_per_mart: dict[str, int] = field(default_factory=dict)
    checks_passed: int = 0
    checks_failed: int = 0
    check_failures: list[str] = field(default_factory=list)
    check_warnings: list[str] = field(default_factory=list)
    # "report_id (file): reason; reason" per report kept out of the marts by a critical check.
    quarantined: list[str] = field(default_factory=list)
    published: bool = False
    up_to_date: bool = False
    reason: str = ""
    staging_fingerprint: str | None = None
    # How the marts were built: from a copy of the published warehouse, or in full and why (`transform.start_build`).
    build: str = ""
    # What built them (`transform.build_version`): a later build starts from this run's file only if it is the same.
    build_version: str | None = None
    warehouse: Path | None = None
    data_docs: Path | None = None
    report: Path | None = None
    report_error: str = ""
    # Wall-clock seconds per stage, in the order the stages ran.
    stage_seconds: dict[str, float] = field(default_factory=dict)
    # Process start → flow start (interpreter, imports, Prefect's API); known only to the command line.
    startup_seconds: float | None = None
    _timed_stage: str | None = field(default=None, repr=False)
    _timed_since: float = field(default=0.0, repr=False)

    @classmethod
    def begin(cls) -> RefreshSummary:
        """A new run, identified by when and by which process it started."""
        started = datetime.now(UTC)
        return cls(run_id=f"{started:%Y%m%dT%H%M%S}Z-{os.getpid()}", started_at=started)

    def count_files(self, plan: Plan) -> None:
        self.files_seen = len(plan.files)
        self.files_new, self.files_changed = len(plan.new), len(plan.changed)
        self.files_unchanged, self.files_removed = len(plan.unchanged), len(plan.removed)
        self.skipped = [raw.skipped for raw in plan.skipped if raw.skipped]
        self.files_skipped = len(self.skipped)

    def count_plan(self, plan: RefreshPlan) -> None:
        """What discovery found; a plan with nothing to do settles the run as up to date."""
        self.count_files(plan.changes)
        if plan.up_to_date:
            self.staging_fingerprint = plan.staging_fingerprint
            self.up_to_date = True
            self.reason = "nothing new: the published warehouse is already up to date"

    def count_staged(self, staged: StagingOutcome) -> None:
        self.failures += staged.failures
        self.retry_next_run += staged.retry_next_run
        self.previous += staged.previous
        self.files_failed = len(self.failures)
        self.staging_fingerprint = staged.fingerprint

    def count_checks(self, checks: ValidationOutcome) -> None:
        self.checks_passed, self.checks_failed = checks.passed, checks.failed
        self.check_failures = [f.describe() for f in checks.failures]
        self.check_warnings = [f.describe() for f in checks.warnings]
        self.data_docs = checks.data_docs_index

    def mark_published(self, warehouse: Path, rows_per_mart: dict[str, int]) -> None:
        """Set before the swap: the published file's run history holds this run as published."""
        self.rows_per_mart = rows_per_mart
        self.published = True
        # The run history says what a published run could not load, not just that it published.
        self.reason = "; ".join(
            ["published", *self.previous, *(f"will retry next run: {r}" for r in self.retry_next_run)]
        )
        self.finished_at = datetime.now(UTC)
        self.warehouse = warehouse

    def publish_failed(self) -> None:
        """Undo `mark_published` when the swap did not happen (or cannot be known to have): staging's run history
        must not hold the run as published, or the next refresh would take what it staged for published and have
        nothing to do."""
        self.published = False
        self.rows_per_mart = {}
        self.warehouse = None

    def finish(self) -> None:
        """Stop the clock: the last stage's time is charged and the finish time set."""
        self._enter_stage(None)
        self.finished_at = datetime.now(UTC)

    @property
    def ok(self) -> bool:
        """The published warehouse reflects the raw folder (just published, or nothing to do)."""
        return self.published or self.up_to_date

    @property
    def elapsed_seconds(self) -> float:
        """Wall-clock seconds of the whole command: its start-up (where known, see `startup_seconds`) and the run."""
        end = self.finished_at or datetime.now(self.started_at.tzinfo)
        return (self.startup_seconds or 0.0) + (end - self.started_at).total_seconds()

    def _enter_stage(self, stage: str | None) -> None:
        """Charge the time since the last call to the stage entered then, and time ``stage`` from now (None: stop).

        A stage entered again (staging batches between extractions) adds to its earlier time.
        """
        now = time.perf_counter()
        if self._timed_stage is not None:
            spent = now - self._timed_since
            self.stage_seconds[self._timed_stage] = self.stage_seconds.get(self._timed_stage, 0.0) + spent
        self._timed_stage, self._timed_since = stage, now

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        """Charge the time inside the block to ``stage``, then go back to timing the stage around it (if any)."""
        around = self._timed_stage
        self._enter_stage(stage)
        try:
            yield
        finally:
            self._enter_stage(around)

    def headline(self) -> str:
        """The run in one line: when, its id, how it ended, what it read and how long it took."""
        outcome = self.reason or ("up to date: nothing new" if self.up_to_date else "published")
        return (
            f"{self.started_at:%Y-%m-%d %H:%M:%S} UTC refresh {self.run_id}: {outcome} ({self.files_seen} seen, "
            f"{self.files_new} new, {self.files_changed} changed, {self.files_failed} failed; "
            f"{self.elapsed_seconds:.1f} s)"
        )

    def render(self) -> str:
        lines = [
            f"documents: {self.files_seen} seen, {self.files_new} new, {self.files_changed} changed, "
            f"{self.files_unchanged} unchanged, {self.files_removed} removed, {self.files_failed} failed, {self.files_skipped} skipped",
        ]
        retry = set(self.retry_next_run)
        lines += [
            f"  failed, will retry next run: {reason}" if reason in retry else f"  failed: {reason}"
            for reason in self.failures
        ]
        lines += [f"  {note}" for note in self.previous]
        lines += [f"  retried once after: {reason}" for reason in self.retried]
        lines += [f"  skipped: {reason}" for reason in self.skipped]
        if self.build:
            lines.append(f"build: {self.build}")
        if self.rows_per_mart:
            lines.append("rows per mart: " + ", ".join(f"{k}={v}" for k, v in sorted(self.rows_per_mart.items())))
        lines.append(
            f"checks: {self.checks_passed} passed, {self.checks_failed} failed, {len(self.check_warnings)} warnings"
        )
        lines += [f"  check failed: {text}" for text in self.check_failures[:20]]
        lines += [f"  warning: {text}" for text in self.check_warnings[:20]]
        if self.quarantined:
            lines.append(f"quarantined: {len(self.quarantined)} report(s), kept out of the marts")
            lines += [f"  quarantined: {text}" for text in self.quarantined]
        if self.published:
            lines.append(f"published: {self.warehouse}")
        elif self.up_to_date:
            lines.append(f"up to date: {self.reason}")
        else:
            lines.append(f"not published: {self.reason}")
        if self.data_docs:
            lines.append(f"data docs: {self.data_docs}")
        if self.report:
            lines.append(f"report: {self.report}")
        elif self.report_error:
            lines.append(f"report: not written: {self.report_error}")
        timings = ({"start-up": self.startup_seconds} if self.startup_seconds is not None else {}) | self.stage_seconds
        if timings:
            lines.append(
                "seconds per stage: " + ", ".join(f"{name} {seconds:.1f}" for name, seconds in timings.items())
            )
        lines.append(f"elapsed: {self.elapsed_seconds:.1f} s")
        return "\n".join(lines)

    def as_record(self) -> dict:
        """The run as a `refresh_runs` row."""
        return {
            "run_id": self.run_id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "files_seen": self.files_seen,
            "files_new": self.files_new,
            "files_changed": self.files_changed,
            "files_unchanged": self.files_unchanged,
            "files_failed": self.files_failed,
            "files_removed": self.files_removed,
            "files_skipped": self.files_skipped,
            "checks_passed": self.checks_passed,
            "checks_failed": self.checks_failed,
            "published": self.published,
            "up_to_date": self.up_to_date,
            "reason": self.reason,
            "rows_per_mart": json.dumps(self.rows_per_mart),
            "staging_fingerprint": self.staging_fingerprint,
            "build_version": self.build_version,
        }


def quarantined_reports(database: Path) -> list[str]:
    """The reports a build keeps out of its marts, each with the file it came from and its reasons."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        rows = con.execute(
            "select reports.report_id, documents.source_path, array_to_string(reports.quarantine_reasons, '; ') "
            "from marts.dim_reports as reports "
            "inner join marts.dim_documents as documents on documents.document_id = reports.quarantined_document_id "
            "where reports.status = 'quarantined' order by reports.report_id"
        ).fetchall()
    finally:
        con.close()
    return [f"{report_id} ({source}): {reasons}" for report_id, source, reasons in rows]


def mart_row_counts(database: Path) -> dict[str, int]:
    con = duckdb.connect(str(database))
    try:
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by table_name"
        ).fetchall()
        return {name: len(con.table(f'marts."{name}"')) for (name,) in tables}
    finally:
        con.close()
