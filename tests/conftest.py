"""Shared test fixtures, and how the layers run in parallel.

Reference reports live in ../shared beside the repository.  Tests that read
them use `shared_dir`: in CI (CI=true) a missing folder is a failure, because
CI is promised that material; elsewhere the test is skipped with the reason.

Layers: tests/unit (no refresh), tests/warehouse (warehouses built once per
session and shared), tests/e2e (real processes and refresh sequences).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from gewh.settings import apply_offline_environment

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    # Before any test module imports Prefect, dbt or Great Expectations; subprocesses inherit it.
    apply_offline_environment()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED_DIR / "corpus").is_dir():
        message = f"reference material not found at {SHARED_DIR} (expected ../shared beside the repository)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_DIR


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """One ephemeral Prefect API for the whole session (starting one takes ~15 s here); its address, for
    `gewh` processes whose subject is not Prefect's own start-up (PREFECT_API_URL)."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield PREFECT_API_URL.value()


@pytest.fixture(scope="session")
def run_refresh(prefect_api, tmp_path_factory):
    """Run the refresh flow in-process: ``run_refresh(raw, warehouse=None, **options) -> RefreshSummary``.

    A refresh that does not publish raises `gewh.refresh.run.RefreshNotPublished`, whose ``summary`` says why.
    """
    from flows.refresh.flow import refresh

    def run(raw: Path, warehouse: Path | None = None, **options):
        target = warehouse or tmp_path_factory.mktemp("warehouse") / "gender_equality.duckdb"
        return refresh(raw=raw, warehouse=target, **options)

    return run


@pytest.fixture(scope="session")
def refresh_warehouse(run_refresh):
    """Build and publish a warehouse from the ``raw`` folder; returns the published DuckDB file's path."""

    def build(raw: Path, warehouse: Path | None = None) -> Path:
        summary = run_refresh(raw, warehouse)
        assert summary.published, f"refresh did not publish: {summary.reason}\n{summary.render()}"
        return summary.warehouse

    return build


# `make test` runs `pytest -n 2 --dist loadscope`: a module is one unit of work for a worker, so its module
# fixtures run once.  Modules that read the same session-built warehouse (tests/warehouse/conftest.py) form
# one unit too, so each warehouse is built once rather than once per worker.  (xdist's own loadgroup mode
# cannot be used: it renames items through an attribute pytest 9 no longer reads.)
SHARED_WAREHOUSE_UNITS = {
    "tests/warehouse/test_analyses.py": "reference warehouse",
    "tests/warehouse/test_cli_analyst.py": "reference warehouse",
    "tests/warehouse/test_data_docs_browser.py": "reference warehouse",
    "tests/warehouse/test_report_browser.py": "reference warehouse",
    "tests/warehouse/test_report_hundred_countries.py": "reference warehouse",
    "tests/warehouse/test_sqlalchemy.py": "reference warehouse",
    "tests/warehouse/test_dbt_by_hand.py": "reference warehouse",
    "tests/warehouse/test_evaluation_marts.py": "evaluation and renditions warehouses",
    "tests/warehouse/test_inventory_marts.py": "evaluation and renditions warehouses",
    "tests/warehouse/test_scorecard_quality_flags.py": "evaluation and renditions warehouses",
}
# Longest first, so that no long unit starts last: warehouses, then real processes, then unit tests.
LAYER_ORDER = ("tests/warehouse/", "tests/e2e/", "tests/unit/")


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedWarehouseScheduling(LoadScopeScheduling):
        def __init__(self, config: pytest.Config, log=None) -> None:
            super().__init__(config, log)
            config.option.loadscopereorder = False  # keep the collection order set below

        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return SHARED_WAREHOUSE_UNITS.get(module, module)

    return SharedWarehouseScheduling(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=_layer_rank)


def _layer_rank(item: pytest.Item) -> int:
    return next((rank for rank, layer in enumerate(LAYER_ORDER) if item.nodeid.startswith(layer)), len(LAYER_ORDER))
