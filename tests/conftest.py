"""Shared test fixtures.

Reference reports live in ../shared beside the repository.  Tests that read
them use `shared_dir`: in CI (CI=true) a missing folder is a failure, because
CI is promised that material; elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import os
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
def prefect_api():
    """One ephemeral Prefect API for the whole session (starting one takes ~15 s here)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


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
