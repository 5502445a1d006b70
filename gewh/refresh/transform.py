"""Build the warehouse with dbt (`dbt build`: seeds, models and their tests) through dbt's Python runner.

The runner is invoked in a child process: dbt-duckdb keeps its DuckDB
connection (and DuckDB its database instance) for the life of the process, and
a long-lived process such as `gewh serve` must not hold the build file open
once it has been swapped in, nor reuse a cached instance of a replaced file.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gewh.refresh.isolation import die_with_parent
from gewh.settings import DBT_PROJECT_DIR


@dataclass
class DbtOutcome:
    success: bool
    models_built: int = 0
    tests_passed: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def failure_reason(self) -> str:
        return "dbt build failed: " + "; ".join(self.failures[:5])


def new_build(build_dir: Path, name: str) -> Path:
    """An empty ``build_dir`` (whatever an interrupted refresh left there is removed); the path to build ``name`` in."""
    shutil.rmtree(build_dir, ignore_errors=True)
    build_dir.mkdir(parents=True)
    return build_dir / name


def dbt_build(staging_db: Path, build_db: Path, work_dir: Path) -> DbtOutcome:
    """Run `dbt build` into ``build_db`` reading ``staging_db``; dbt's artefacts go to ``work_dir``."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn, initializer=die_with_parent) as pool:
        return pool.submit(_invoke_dbt, staging_db, build_db, work_dir).result()


def _invoke_dbt(staging_db: Path, build_db: Path, work_dir: Path) -> DbtOutcome:
    from dbt.artifacts.schemas.run import RunExecutionResult
    from dbt.cli.main import dbtRunner

    os.environ["GEWH_STAGING_DB"] = str(staging_db.resolve())
    os.environ["GEWH_BUILD_DB"] = str(build_db.resolve())
    args = [
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
        # The build folder is new each refresh and removed after publishing: no one reads its artefacts
        # (`gewh docs` writes its own) and no later parse could reuse them, so dbt does not write them.
        "--no-write-json",
        "--no-partial-parse",
    ]
    result = dbtRunner().invoke(args)
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
        elif status not in ("success", "pass", "skipped"):
            outcome.failures.append(f"{node.resource_type} {node.name}: {status}: {node_result.message}")
    return outcome
