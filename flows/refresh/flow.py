"""The `refresh` flow: discover → extract (a task per document) → stage → dbt build → checks → publish → report.

Only orchestration lives here; each stage's logic is in `extract` and `gewh.refresh`.
A refresh that does not publish (and finds nothing new either) raises
`RefreshNotPublished`, so Prefect marks the run Failed.  Documents are extracted by
`workers` processes on this machine, or on a Dask cluster by the flow
`refresh_on(dask_address)` returns.
"""

from __future__ import annotations

import os
import queue
from collections.abc import Iterator
from pathlib import Path

from prefect import Flow, flow, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture
from prefect.task_runners import ThreadPoolTaskRunner

from gewh import progress
from gewh.analyst.report import publish_report
from gewh.refresh import plan, stage
from gewh.refresh.discover import RawFile, raw_folder_problem
from gewh.refresh.failure import quiet_prefect_run_errors
from gewh.refresh.isolation import ExtractionFailure, ExtractionResult, extract_raw_file, stop_extractions
from gewh.refresh.publish import publish_build
from gewh.refresh.run import refresh_run
from gewh.refresh.summary import RefreshSummary, mart_row_counts, quarantined_reports
from gewh.refresh.transform import (
    INCREMENTAL_START,
    DbtOutcome,
    DbtProcess,
    build_version,
    dbt_build,
    new_build,
    space_shortfall,
    start_build,
)
from gewh.refresh.validate import ValidationOutcome, import_checks_in_background, run_checks
from gewh.settings import DEFAULTS, Settings

# Extractions are written to staging in batches of this many documents as they finish, so the
# refresh holds a few documents in memory at a time, never the whole corpus.
STAGE_BATCH_SIZE = 16
# Documents tried a second time in one run, at most: when every document hits a limit, the limits are wrong
# for this machine, and the next run tries them again anyway.
MAX_RETRIED = 8


@task(name="discover")
def discover(settings: Settings) -> plan.RefreshPlan:
    return plan.discover(settings)


# No task retries: the bytes fail the same way every time, and an attempt that failed (a limit hit, a worker lost)
# is tried again by the flow itself once every document has had its turn (`refresh`).
@task(name="extract-document", task_run_name="extract {raw.source_path}", retries=0)
def extract_document(
    raw: RawFile, timeout_seconds: float, memory_limit_mb: int, cpu_limit_seconds: float
) -> ExtractionResult:
    return extract_raw_file(raw, timeout_seconds, memory_limit_mb, cpu_limit_seconds)


@task(name="stage-results")
def stage_results(settings: Settings, results: list[tuple[RawFile, ExtractionResult]]) -> stage.StagingOutcome:
    return stage.stage_results(settings.staging_db, results)


# A transient lock (someone inspecting the staging file) is worth one retry.  Each attempt starts its build
# afresh: a failed one may have brought some incremental marts up to date and not others, and the next would
# take them all for up to date.  No cache key: ``process`` is a running process, which Prefect cannot hash.
@task(name="dbt-build", retries=1, retry_delay_seconds=5, cache_policy=NO_CACHE)
def transform(settings: Settings, process: DbtProcess) -> tuple[Path, str, DbtOutcome]:
    """Build the marts in ``process`` (a retry in a new one); answers the build file, how the build started
    (`start_build`) and dbt's outcome."""
    build_db = new_build(settings.build_dir, settings.warehouse.name)
    with stage.opened(settings.staging_db) as con:
        published_by = stage.published_build_version(con)
    # `full` extracts every document again: every report changed, and a copy would save nothing.
    started = start_build(build_db, settings.warehouse, published_by, settings.full or settings.full_rebuild)
    return (
        build_db,
        started,
        dbt_build(
            settings.staging_db,
            build_db,
            settings.build_dir,
            on_node_done=progress.advance,
            process=process,
            seeds_loaded=started == INCREMENTAL_START,
        ),
    )


@task(name="expectations")
def validate(settings: Settings, build_db: Path, run_id: str) -> ValidationOutcome:
    return run_checks(
        build_db, settings.staging_db, settings.data_docs_dir, settings.validation_results_dir, run_name=run_id
    )


@task(name="publish", retries=2, retry_delay_seconds=2)
def publish(settings: Settings, build_db: Path, summary: RefreshSummary) -> None:
    publish_build(build_db, settings.warehouse, summary.as_record())


@task(name="report")
def report(settings: Settings) -> tuple[Path | None, str]:
    return publish_report(settings.warehouse)


# Unbounded threads: each extraction thread waits on its own child process, and the flow
# itself keeps only `workers` documents in flight.  (The ignore: Prefect types task_runner as the invariant
# TaskRunner[PrefectFuture[Any]], which none of its own runners, TaskRunner[PrefectConcurrentFuture[R]], matches.)
@flow(name="refresh", log_prints=False, task_runner=ThreadPoolTaskRunner())  # type: ignore[arg-type]
def refresh(
    raw: Path,
    warehouse: Path,
    full: bool = False,
    full_rebuild: bool = False,
    timeout_seconds: float = DEFAULTS.timeout_seconds,
    memory_limit_mb: int = DEFAULTS.memory_limit_mb,
    workers: int | None = None,
    cpu_limit_seconds: float = DEFAULTS.cpu_limit_seconds,
    print_headline: bool = False,
) -> RefreshSummary:
    """Refresh the warehouse from the ``raw`` folder; ``workers`` documents are extracted at once (default: one per
    core, or as many as the Dask cluster takes when the flow comes from `refresh_on(address)`).  With
    ``print_headline`` (a scheduled run of `gewh serve`, which no command reports on), the run ends by printing
    its summary in one line."""
    settings = Settings(
        raw=Path(raw).resolve(),
        warehouse=Path(warehouse).resolve(),
        full=full,
        full_rebuild=full_rebuild,
        cpu_limit_seconds=cpu_limit_seconds,
        timeout_seconds=timeout_seconds,
        memory_limit_mb=memory_limit_mb,
        workers=workers,
    )
    if print_headline:
        # A served run's process is its own: what ends it is said by the headline, not by Prefect's "Crash detected!".
        quiet_prefect_run_errors()
    with refresh_run(settings, on_end=_print_headline if print_headline else lambda summary: None) as run:
        problem = raw_folder_problem(settings.raw)
        if problem:
            run.stop(problem)
        with run.stage("discover"):
            todo = discover(settings)
        run.summary.count_plan(todo)
        if todo.up_to_date:
            return run.summary

        # dbt's process starts with the extraction: spawning it and importing dbt (about 2 s) overlap it.
        with DbtProcess() as dbt_process:
            batch: list[tuple[RawFile, ExtractionResult]] = []
            again: list[RawFile] = []

            def take(document: RawFile, result: ExtractionResult) -> None:
                nonlocal batch
                run.extracted(document)
                batch.append((document, result))
                if len(batch) == STAGE_BATCH_SIZE and run.summary.extracted < len(todo.to_extract):
                    with run.summary.timing("stage"):
                        run.summary.count_staged(stage_results(settings, batch))
                    batch = []

            with run.stage("extract", total=len(todo.to_extract)):
                for document, result in _extract_as_completed(todo.to_extract, settings):
                    if isinstance(result, ExtractionFailure) and result.transient and len(again) < MAX_RETRIED:
                        run.summary.retried.append(result.reason)
                        again.append(document)
                    else:
                        take(document, result)
                # A second attempt, one document at a time: the machine is then as quiet as this run can make it.
                # What fails again is staged as a transient failure, which the next run extracts again.
                for document, result in _extract_as_completed(again, settings.override(workers=1)):
                    take(document, result)
            with run.stage("stage"):
                run.summary.count_staged(stage_results(settings, batch))

            with run.stage("dbt"):
                if shortfall := space_shortfall(settings.warehouse, settings.staging_db, settings.build_dir):
                    run.stop(shortfall)
                import_checks_in_background()
                build_db, run.summary.build, built = transform(settings, dbt_process)
                run.summary.build_version = build_version()
        if not built.success:
            run.stop(built.failure_reason)
        with run.stage("expectations"):
            checks = validate(settings, build_db, run.summary.run_id)
        run.summary.count_checks(checks)
        run.summary.quarantined = quarantined_reports(build_db)
        if not checks.success:
            run.stop(checks.failure_reason)

        run.summary.mark_published(settings.warehouse, mart_row_counts(build_db))
        with run.stage("publish"):
            publish(settings, build_db, run.summary)
        with run.stage("report"):
            run.summary.report, run.summary.report_error = report(settings)
    return run.summary


def _print_headline(summary: RefreshSummary) -> None:
    print(summary.headline(), flush=True)


def refresh_on(dask_address: str | None) -> Flow[..., RefreshSummary]:
    """The refresh flow, extracting on the Dask cluster whose scheduler is at ``dask_address`` (None: this machine)."""
    if not dask_address:
        return refresh
    from prefect_dask import DaskTaskRunner

    # The ignore: DaskTaskRunner is a bare TaskRunner, so TaskRunner[PrefectConcurrentFuture[Any]] (see `refresh`).
    return refresh.with_options(task_runner=DaskTaskRunner(address=dask_address))  # type: ignore[arg-type]


def _in_flight(workers: int | None, documents: int) -> int:
    """How many documents to extract at once: ``workers``, else one per core here, or all of them on Dask."""
    if workers is not None:
        return workers
    context = FlowRunContext.get()
    if context is not None and isinstance(context.task_runner, ThreadPoolTaskRunner):
        return os.cpu_count() or 1
    return max(documents, 1)


def _extract_as_completed(todo: list[RawFile], settings: Settings) -> Iterator[tuple[RawFile, ExtractionResult]]:
    """Extract ``todo``, `_in_flight` documents at a time, yielding each result as soon as it is ready.

    The largest files start first so that no long document starts last while the other workers idle.  A
    result is dropped by the time the next is yielded, so memory holds what is in flight, not the corpus.
    """
    finished: queue.SimpleQueue[PrefectFuture[ExtractionResult]] = queue.SimpleQueue()
    waiting = sorted(todo, key=lambda raw: raw.size)
    running: dict[PrefectFuture[ExtractionResult], RawFile] = {}
    in_flight = _in_flight(settings.workers, len(todo))

    def start_next() -> None:
        raw = waiting.pop()
        future = extract_document.submit(
            raw, settings.timeout_seconds, settings.memory_limit_mb, settings.cpu_limit_seconds
        )
        running[future] = raw
        future.add_done_callback(finished.put)

    while waiting and len(running) < in_flight:
        start_next()
    try:
        while running:
            future = finished.get()
            raw = running.pop(future)
            if waiting:
                start_next()
            yield raw, future.result()
    finally:
        # Stopped with documents in flight (Ctrl-C, SIGTERM, an error while staging): the run ends now, and the task
        # runner's threads, which it waits for, are freed from their children.
        stop_extractions(raw.path for raw in running.values())
