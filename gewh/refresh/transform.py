"""Build the warehouse with dbt (`dbt build`: seeds, models and their tests) through dbt's Python runner.

The runner is invoked in a child process: dbt-duckdb keeps its DuckDB
connection (and DuckDB its database instance) for the life of the process, and
a long-lived process such as `gewh serve` must not hold the build file open
once it has been swapped in, nor reuse a cached instance of a replaced file.
A refresh starts that process (`DbtProcess`) when it starts extracting, so that
spawning it and importing dbt (about 2 s) overlap the extraction; the process
closes its database before the build answers, so the refresh need not wait for
it to exit.

dbt's parse of the project (3–4 s of a build) is kept between refreshes in
`dbt_project/target/partial_parse.msgpack`, dbt's own place for it: dbt reuses
it only while the project files, the connection settings, the variables and
dbt's version are unchanged, and parses again (and the state is replaced)
otherwise.  The connection settings are the same from one refresh to the next
because dbt runs inside the build folder with paths relative to it.  dbt run by
hand from dbt_project/ (the profile's dev target) keeps its parse in the same
file with other connection settings, so after one of the two the other parses
the project again once.

A build starts from a copy of the published warehouse when the same dbt project, extractor and libraries made
it (`start_build`): the per-report marts then rebuild only the rows of the reports that changed since (see
dbt_project/macros/incremental/), every other model in full, and the seeds the copy holds are not loaded again.
Otherwise, or when asked, the build starts from an empty file and every model is built in full; the run's
summary says why.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import multiprocessing
import os
import queue
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import duckdb

from extract.pipeline import extractor_version
from gewh.heap import freeze_at_exit, importing
from gewh.lifetime import tie_to_parent
from gewh.refresh.failure import NO_SPACE
from gewh.settings import DBT_PROJECT_DIR

PARSE_STATE = DBT_PROJECT_DIR / "target" / "partial_parse.msgpack"
# What a build writes besides its database file: dbt's logs and target, the Data Docs and validation results,
# DuckDB's spill files.
BUILD_FLOOR_MB = 64
# Rows of a failed test's query that its failure shows.
FAILED_ROWS_SHOWN = 3
_MB = 2**20
# dbt's events for a node it has finished (built, tested, skipped or passed over), each with the number of nodes
# the build runs.
_NODE_DONE_EVENTS = frozenset(
    {
        "LogModelResult",
        "LogTestResult",
        "LogSeedResult",
        "LogSnapshotResult",
        "LogNodeResult",
        "LogNodeNoOpResult",
        "LogFunctionResult",
        "SkippingDetails",
    }
)


class _DbtChild:
    """What the dbt process holds from its start (`_start_dbt_process`): where it reports each finished node,
    then None at the end."""

    nodes_done: Any = None


class DbtProcess:
    """The process one dbt build runs in, started before the build: a block of its own, ended when the block ends.

    Entering the block spawns the process and imports dbt there; `dbt_build` then runs in it at once, and ends it.
    """

    def __init__(self) -> None:
        spawn = multiprocessing.get_context("spawn")
        # Where the process reports each node dbt finishes, then None at the end of the build.
        self.nodes_done: Any = spawn.Queue()
        self._pool = ProcessPoolExecutor(
            max_workers=1, mp_context=spawn, initializer=_start_dbt_process, initargs=(self.nodes_done, os.getpid())
        )
        self.used = False

    def __enter__(self) -> DbtProcess:
        self._pool.submit(_import_dbt)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        if exc_type is not None:
            # The refresh stopped (Ctrl-C, SIGTERM, a stage that failed): dbt's process is killed, not waited for, as
            # the extraction processes are; what it was building goes with the build folder.  (ProcessPoolExecutor
            # has no public way to kill its workers before Python 3.14, and forgets them once shut down: a stage
            # after dbt's may fail inside the block, after `dbt_build` ended the process.)
            for worker in list((self._pool._processes or {}).values()):
                worker.kill()
        self.end()

    def build(
        self, staging_db: Path, build_db: Path, work_dir: Path, parse_state: Path, seeds_loaded: bool
    ) -> Future[DbtOutcome]:
        self.used = True
        return self._pool.submit(_invoke_dbt, staging_db, build_db, work_dir, parse_state, seeds_loaded)

    def end(self) -> None:
        # Not waited for: the build closed its DuckDB before answering (`_release_build_file`), and the process's
        # exit (a second) overlaps the checks.
        self._pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class DbtOutcome:
    success: bool
    models_built: int = 0
    tests_passed: int = 0
    failures: list[str] = field(default_factory=list)
    # The query of each test that failed, by its place in ``failures``: its first rows are added to the failure
    # once the build file is closed (`describe_failed_tests`).
    failed_test_queries: dict[int, str] = field(default_factory=dict)

    @property
    def failure_reason(self) -> str:
        # A run's reason is one line; dbt's messages may run over several ("Runtime Error in model …" then the cause).
        reason = "dbt build failed: " + "; ".join(" ".join(failure.split()) for failure in self.failures[:5])
        # dbt reports a full disk as the error of each node it could not build, in the system's words: said first,
        # as for a full disk anywhere else in the refresh (`reason_for`).
        return f"disk full: {reason}" if any(NO_SPACE in failure for failure in self.failures) else reason


def space_shortfall(published: Path, staging_db: Path, build_dir: Path) -> str | None:
    """Why a build in ``build_dir`` would run out of disk, or None when the folder has room for it.

    The build file grows to about the published file's size, or, as the marts are built from staging's rows, about
    staging's when that is larger (always so for a first build, which has no published file); DuckDB's write-ahead
    log can hold as much again until the checkpoint before the swap; and `BUILD_FLOOR_MB` for the rest.  What an
    earlier, interrupted build left is counted as free: `new_build` removes it first.
    """
    sizes = [path.stat().st_size for path in (published, staging_db) if path.exists()]
    needed = 2 * max(sizes, default=0) + BUILD_FLOOR_MB * _MB
    folder = build_dir.parent
    free = shutil.disk_usage(folder).free + _size_of(build_dir)
    if free >= needed:
        return None
    return f"not enough disk space: the build needs ~{-(-needed // _MB)} MB free in {folder}, has {free // _MB} MB"


def _size_of(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) if folder.exists() else 0


def new_build(build_dir: Path, name: str) -> Path:
    """An empty ``build_dir`` (whatever an interrupted refresh left there is removed); the path to build ``name`` in."""
    shutil.rmtree(build_dir, ignore_errors=True)
    build_dir.mkdir(parents=True)
    return build_dir / name


def build_version() -> str:
    """A digest of everything that decides what a build makes of staging, besides staging itself: the dbt
    project's files, the extractor that made staging's rows, and the versions of dbt, its adapter and DuckDB
    (whose file format a copied warehouse is in).  Read again at each call (a few milliseconds): a long-lived
    `gewh serve` must see the project as it is now."""
    digest = hashlib.sha256(extractor_version().encode())
    for library in ("dbt-core", "dbt-duckdb", "duckdb"):
        digest.update(f"{library}=={version(library)}".encode())
    project_files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "seeds"):
        project_files += (path for path in (DBT_PROJECT_DIR / folder).rglob("*") if path.is_file())
    for path in sorted(project_files):
        digest.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# What `start_build` answers when the build starts from a copy of the published warehouse.
INCREMENTAL_START = "incremental, from the published warehouse"


def start_build(build_db: Path, published: Path, published_by: str | None, full_rebuild: bool) -> str:
    """Start ``build_db`` (in a folder `new_build` made) from a copy of ``published`` when `build_version` is
    ``published_by``, what built it; answers how the build starts, and why when it starts empty."""
    if full_rebuild:
        reason = "a full rebuild was asked for"
    elif not published.exists():
        reason = "no published warehouse to start from"
    elif published_by != build_version():
        reason = "the published warehouse was built by another version of the dbt project, extractor or libraries"
    else:
        shutil.copyfile(published, build_db)
        return INCREMENTAL_START
    return f"full: {reason}"


def dbt_build(
    staging_db: Path,
    build_db: Path,
    work_dir: Path,
    parse_state: Path = PARSE_STATE,
    on_node_done: Callable[[str, int], None] = lambda node, total: None,
    process: DbtProcess | None = None,
    seeds_loaded: bool = False,
) -> DbtOutcome:
    """Run `dbt build` into ``build_db`` reading ``staging_db``; dbt's artefacts go to ``work_dir``, and its parse
    of the project is taken from and kept in ``parse_state``.  ``on_node_done(node, total)`` is called as dbt
    finishes each node (model, seed or test), ``total`` being the number of nodes the build runs.  The build runs in
    ``process`` when it is given and no build has used it yet (a retry gets a new one), else in a new process.

    ``seeds_loaded``: ``build_db`` is a copy of a warehouse the same project built (`start_build`), so its seeds'
    tables are already what loading the seeds would make; they are not loaded again (their tests still run)."""
    with contextlib.ExitStack() as stack:
        if process is None or process.used:
            process = stack.enter_context(DbtProcess())
        build = process.build(staging_db, build_db, work_dir, parse_state, seeds_loaded)
        while True:
            try:
                done = process.nodes_done.get(timeout=0.2)
            except queue.Empty:
                if build.done() and build.exception() is not None:
                    break  # the dbt process died or could not start: no end of nodes will come
                continue
            if done is None:
                break
            on_node_done(*done)
        process.end()
        outcome = build.result()
    describe_failed_tests(outcome, build_db)
    return outcome


def describe_failed_tests(outcome: DbtOutcome, build_db: Path) -> None:
    """Add to each failed test's failure the first rows its query finds in ``build_db`` (closed by dbt), so the
    refresh says what broke the rule ("column_name=rating, rule=accepted_values, found=Good"), not only how many
    rows did.  A query that cannot run again leaves dbt's message as it is."""
    if not outcome.failed_test_queries:
        return
    with duckdb.connect(str(build_db), read_only=True) as con:
        for place, query in outcome.failed_test_queries.items():
            try:
                first = con.sql(query).limit(FAILED_ROWS_SHOWN)
                rows = first.fetchall()
            except duckdb.Error:
                continue
            shown = "; ".join(", ".join(f"{c}={v}" for c, v in zip(first.columns, row, strict=True)) for row in rows)
            outcome.failures[place] += f" (first rows: {shown})"


def _start_dbt_process(nodes_done: Any, parent: int) -> None:
    tie_to_parent(parent)
    freeze_at_exit()
    _DbtChild.nodes_done = nodes_done


def _import_dbt() -> None:
    with importing():
        importlib.import_module("dbt.cli.main")
        importlib.import_module("dbt.adapters.duckdb")


def _report_node_done(event: Any) -> None:
    """dbt's event callback, in the dbt process: a finished node's name and the build's number of nodes."""
    if event.info.name in _NODE_DONE_EVENTS:
        data = event.data
        total = getattr(data, "total", 0) or getattr(data, "num_models", 0)
        _DbtChild.nodes_done.put((data.node_info.node_name, int(total)))


def _invoke_dbt(staging_db: Path, build_db: Path, work_dir: Path, parse_state: Path, seeds_loaded: bool) -> DbtOutcome:
    try:
        return _run_dbt(staging_db, build_db, work_dir, parse_state, seeds_loaded)
    finally:
        _release_build_file()
        _DbtChild.nodes_done.put(None)


def _release_build_file() -> None:
    """Close DuckDB's database in this process, which dbt-duckdb keeps open for the life of the process: the build
    file is then whole (checkpointed) and free before the build answers, without waiting a second for the process
    to exit."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    try:
        environment = DuckDBConnectionManager.env()
    except Exception:  # noqa: BLE001 (dbt-duckdb raises a bare Exception for it) dbt never connected: nothing to close
        return
    # A close that fails (a full disk at the checkpoint) fails the build: the file may still lack what its log holds.
    DuckDBConnectionManager.close_all_connections()
    environment.close()


def _run_dbt(staging_db: Path, build_db: Path, work_dir: Path, parse_state: Path, seeds_loaded: bool) -> DbtOutcome:
    from dbt.artifacts.schemas.run import RunExecutionResult
    from dbt.cli.main import dbtRunner

    build_db, work_dir = build_db.resolve(), work_dir.resolve()
    # This process is dbt's alone (see dbt_build), so moving into the build folder affects nothing else.
    os.chdir(build_db.parent)
    os.environ["GEWH_BUILD_DB"] = build_db.name
    os.environ["GEWH_STAGING_DB"] = os.path.relpath(staging_db.resolve(), build_db.parent)
    # No log file: the build folder it would go to is removed when the refresh ends, and writing dbt's debug log
    # is a tenth of the build's time.  DBT_LOG_LEVEL_FILE set in the environment still asks for one.
    os.environ.setdefault("DBT_LOG_LEVEL_FILE", "none")
    run_state = work_dir / "target" / PARSE_STATE.name
    reused = _copy_parse_state(parse_state, run_state)
    args = [
        *dbt_arguments(["build"], work_dir),
        # The build folder is new each refresh and removed after publishing: no one reads its artefacts
        # (`gewh docs` writes its own), so dbt does not write them.
        "--no-write-json",
        # dbt's unit tests check the models' SQL on fixed inputs, which only a change of the project changes: they
        # run in CI and in dbt by hand (tests/warehouse/test_dbt_by_hand.py), not on every refresh's data, as dbt's
        # documentation recommends for production builds.
        "--exclude-resource-type",
        "unit_test",
        # Loading a seed (dbt reads the CSV through agate, then drops, creates and fills the table) costs several
        # times a model; a build from a copy the same project made already holds them (dbt_build).
        *(["seed"] if seeds_loaded else []),
    ]
    result = dbtRunner(callbacks=[_report_node_done]).invoke(args)
    # Only a speed-up: a checkout that cannot be written to parses the project on every refresh.
    if run_state.exists() and run_state.stat().st_mtime_ns != reused:
        with contextlib.suppress(OSError):
            _copy_parse_state(run_state, parse_state)
    outcome = DbtOutcome(success=bool(result.success))
    if result.exception is not None:
        outcome.failures.append(f"dbt could not run: {result.exception}")
        return outcome
    # `build` answers with a RunExecutionResult (nothing when it could not start).
    node_results = result.result.results if isinstance(result.result, RunExecutionResult) else []
    for node_result in node_results:
        node = node_result.node
        status = str(node_result.status)
        if node.resource_type == "model" and status == "success":
            outcome.models_built += 1
        elif node.resource_type == "test" and status == "pass":
            outcome.tests_passed += 1
        elif status not in ("success", "pass", "skipped", "no-op"):  # no-op: an exposure, nothing to build
            if node.resource_type == "test" and status == "fail" and node.compiled_code:
                outcome.failed_test_queries[len(outcome.failures)] = node.compiled_code
            outcome.failures.append(f"{node.resource_type} {node.name}: {status}: {node_result.message}")
    return outcome


def dbt_arguments(command: list[str], work_dir: Path) -> list[str]:
    """dbt's command line for ``command`` (e.g. ``["build"]``) on the refresh's target, writing its target and logs
    into ``work_dir``."""
    return [
        *command,
        # The refresh's target in profiles.yml; the default one (dev) is for dbt run by hand.
        "--target",
        "build",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
        "--quiet",
    ]


def _copy_parse_state(source: Path, destination: Path) -> int | None:
    """Copy dbt's parse state (replacing ``destination`` at once, as refreshes of other warehouses may read it).

    Answers the copy's modification time (kept from ``source``), or None when there is no state to copy.
    """
    if not source.exists():
        return None
    destination.parent.mkdir(parents=True, exist_ok=True)
    part = destination.with_name(f".{destination.name}.{os.getpid()}.part")
    shutil.copy2(source, part)
    os.replace(part, destination)
    return destination.stat().st_mtime_ns
