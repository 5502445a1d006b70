"""The `refresh` flow: discover → extract (a task per document) → stage → dbt build → checks → publish.

Only orchestration lives here; each stage's logic is in `extract` and `gewh`.
`python -m flows.refresh --raw DIR --warehouse FILE` is an alias of `gewh refresh`.
Documents are extracted by `workers` processes on this machine, or on a Dask
cluster by the flow `refresh_on(dask_address)` returns.
"""

from __future__ import annotations

import os
import queue
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from prefect import Flow, flow, task
from prefect.context import FlowRunContext
from prefect.task_runners import ThreadPoolTaskRunner

from gewh import progress, stage
from gewh import settings as _settings  # noqa: F401  (sets the offline environment before Prefect loads)
from gewh.discover import Plan, RawFile, list_raw_files, plan_refresh
from gewh.isolation import ExtractionFailure, extract_in_child
from gewh.publish import WriterLock, add_run_to_history, finalize_build, single_writer, swap_in
from gewh.report import publish_report
from gewh.settings import RefreshSettings
from gewh.summary import RefreshSummary, mart_row_counts
from gewh.transform import DbtOutcome, dbt_build
from gewh.validate import ValidationOutcome, run_checks

DEFAULT_TIMEOUT_SECONDS = 300.0
DEFAULT_MEMORY_LIMIT_MB = 4096
# Extractions are written to staging in batches of this many documents as they finish, so the
# refresh holds a few documents in memory at a time, never the whole corpus.
STAGE_BATCH_SIZE = 16


@task(name="discover")
def discover(config: RefreshSettings) -> Plan:
    files = list_raw_files(config.raw_dir)
    con = stage.connect(config.staging_db)
    try:
        known = {} if config.full else stage.known_files(con)
        plan = plan_refresh(files, known)
        stage.record_plan(con, plan, datetime.now(UTC))
        if config.full:
            plan.new, plan.changed, plan.unchanged = list(files), [], []
        return plan
    finally:
        con.close()


# Extraction is deterministic: a retry of the same bytes fails the same way, so none.
@task(name="extract-document", task_run_name="extract {raw.source_path}", retries=0)
def extract_document(raw: RawFile, timeout_seconds: float, memory_limit_mb: int):
    return extract_in_child(raw.path, timeout_seconds, memory_limit_mb)


@task(name="stage-results")
def stage_results(config: RefreshSettings, results: list[tuple[RawFile, object]]) -> stage.StagingOutcome:
    outcome = stage.StagingOutcome()
    con = stage.connect(config.staging_db)
    try:
        for raw, result in results:
            if isinstance(result, ExtractionFailure):
                stage.stage_failure(con, raw.sha256, raw.source_path, raw.path.name, result.reason, result.page)
                outcome.failures.append(result.reason)
            else:
                stage.stage_extraction(con, raw.sha256, raw.source_path, result)
        con.execute("checkpoint")
        outcome.fingerprint = stage.fingerprint(con)
        outcome.published_fingerprint = stage.published_fingerprint(con)
    finally:
        con.close()
    return outcome


# A transient lock (someone inspecting the staging file) is worth one retry.
@task(name="dbt-build", retries=1, retry_delay_seconds=5)
def transform(config: RefreshSettings, build_db: Path) -> DbtOutcome:
    return dbt_build(config.staging_db, build_db, config.build_dir)


@task(name="expectations")
def validate(config: RefreshSettings, build_db: Path) -> ValidationOutcome:
    return run_checks(build_db, config.staging_db, config.data_docs_dir, config.validation_results_dir)


@task(name="publish", retries=2, retry_delay_seconds=2)
def publish(config: RefreshSettings, build_db: Path, summary: RefreshSummary) -> None:
    add_run_to_history(build_db, summary.as_record())
    finalize_build(build_db)
    swap_in(build_db, config.warehouse)


@task(name="report")
def report(config: RefreshSettings) -> tuple[Path | None, str]:
    return publish_report(config.warehouse)


# Unbounded threads: each extraction thread waits on its own child process, and the flow
# itself keeps only `workers` documents in flight.
@flow(name="refresh", log_prints=False, task_runner=ThreadPoolTaskRunner())
def refresh(
    raw_dir: Path,
    warehouse: Path,
    full: bool = False,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB,
    workers: int | None = None,
) -> RefreshSummary:
    """Refresh the warehouse from ``raw_dir``; ``workers`` documents are extracted at once (default: one per core,
    or as many as the Dask cluster takes when the flow comes from `refresh_on(address)`)."""
    config = RefreshSettings(raw_dir=Path(raw_dir).resolve(), warehouse=Path(warehouse).resolve(), full=full)
    summary = RefreshSummary.begin()
    with single_writer(config.lock_file) as lock:
        _run_stages(config, summary, lock, timeout_seconds, memory_limit_mb, workers)
        summary.finish()
        con = stage.connect(config.staging_db)
        try:
            stage.record_run(con, summary.as_record())
        finally:
            con.close()
    return summary


def refresh_on(dask_address: str | None) -> Flow:
    """The refresh flow, extracting on the Dask cluster whose scheduler is at ``dask_address`` (None: this machine)."""
    if not dask_address:
        return refresh
    from prefect_dask import DaskTaskRunner

    return refresh.with_options(task_runner=DaskTaskRunner(address=dask_address))


def _run_stages(
    config: RefreshSettings,
    summary: RefreshSummary,
    lock: WriterLock,
    timeout_seconds: float,
    memory_mb: int,
    workers: int | None,
) -> None:
    if not config.raw_dir.is_dir():
        summary.reason = f"raw folder not found: {config.raw_dir}"
        return
    lock.enter("discover")
    progress.enter("discover")
    summary.enter_stage("discover")
    plan = discover(config)
    summary.count_files(plan)

    con = stage.connect(config.staging_db)
    try:
        already_staged = set() if config.full else stage.staged_hashes(con)
    finally:
        con.close()
    todo = plan.to_extract(already_staged)
    lock.enter("extract")
    progress.enter("extract", total=len(todo))
    summary.enter_stage("extract")
    batch: list[tuple[RawFile, object]] = []
    for raw, result in _extract_as_completed(todo, timeout_seconds, memory_mb, _in_flight(workers, len(todo))):
        batch.append((raw, result))
        summary.extracted += 1
        progress.advance(raw.source_path)
        if len(batch) == STAGE_BATCH_SIZE and summary.extracted < len(todo):
            summary.enter_stage("stage")
            summary.failures += stage_results(config, batch).failures
            batch = []
            summary.enter_stage("extract")
    lock.enter("stage")
    progress.enter("stage")
    summary.enter_stage("stage")
    staged = stage_results(config, batch)
    summary.failures += staged.failures
    summary.staging_fingerprint = staged.fingerprint
    summary.files_failed = len(summary.failures)

    if config.warehouse.exists() and staged.published_fingerprint == staged.fingerprint:
        summary.mark_up_to_date()
        return

    shutil.rmtree(config.build_dir, ignore_errors=True)
    config.build_dir.mkdir(parents=True)
    build_db = config.build_dir / config.warehouse.name
    lock.enter("dbt")
    progress.enter("dbt")
    summary.enter_stage("dbt")
    dbt = transform(config, build_db)
    if not dbt.success:
        summary.reason = "dbt build failed: " + "; ".join(dbt.failures[:5])
        return
    lock.enter("expectations")
    progress.enter("expectations")
    summary.enter_stage("expectations")
    checks = validate(config, build_db)
    summary.checks_passed, summary.checks_failed = checks.passed, checks.failed
    summary.check_failures = [f.describe() for f in checks.failures]
    summary.check_warnings = [f.describe() for f in checks.warnings]
    summary.data_docs = checks.data_docs_index
    if not checks.success:
        summary.reason = f"{checks.failed} expectation(s) failed; see data docs"
        return
    summary.rows_per_mart = mart_row_counts(build_db)
    summary.published = True
    summary.reason = "published"
    summary.finished_at = datetime.now(UTC)
    summary.warehouse = config.warehouse
    lock.enter("publish")
    progress.enter("publish")
    summary.enter_stage("publish")
    publish(config, build_db, summary)
    shutil.rmtree(config.build_dir, ignore_errors=True)
    lock.enter("report")
    progress.enter("report")
    summary.enter_stage("report")
    summary.report, summary.report_error = report(config)


def _in_flight(workers: int | None, documents: int) -> int:
    """How many documents to extract at once: ``workers``, else one per core here, or all of them on Dask."""
    if workers is not None:
        return workers
    if isinstance(FlowRunContext.get().task_runner, ThreadPoolTaskRunner):
        return os.cpu_count() or 1
    return max(documents, 1)


def _extract_as_completed(
    todo: list[RawFile], timeout_seconds: float, memory_mb: int, in_flight: int
) -> Iterator[tuple[RawFile, object]]:
    """Extract ``todo`` with ``in_flight`` documents at a time, yielding each result as soon as it is ready.

    The largest files start first so that no long document starts last while the other workers idle.  A
    result is dropped by the time the next is yielded, so memory holds what is in flight, not the corpus.
    """
    finished: queue.SimpleQueue = queue.SimpleQueue()
    waiting = sorted(todo, key=lambda raw: raw.size)
    running = {}

    def start_next() -> None:
        raw = waiting.pop()
        future = extract_document.submit(raw, timeout_seconds, memory_mb)
        running[future] = raw
        future.add_done_callback(finished.put)

    while waiting and len(running) < in_flight:
        start_next()
    while running:
        future = finished.get()
        raw = running.pop(future)
        if waiting:
            start_next()
        yield raw, future.result()


if __name__ == "__main__":
    from gewh.cli import app

    app(["refresh", *__import__("sys").argv[1:]])
