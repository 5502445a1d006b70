"""Warehouse tests: marts, analyses, analyst commands and the report, read from warehouses built once per session.

A refresh takes 30-70 s, so the raw sets of tests/warehouse/reference.py are
each refreshed once and the published file shared by every module that reads
it; tests only read these warehouses (commands that write do so beside a copy
or into their own folders).  Under pytest-xdist the tests of one warehouse run
on one worker (see `pytest_collection_modifyitems` in tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.warehouse.reference import write_analyst_raw, write_evaluation_raw, write_renditions_raw


@pytest.fixture(scope="session")
def reference_raw(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("analyst-raw")
    write_analyst_raw(shared_dir, raw)
    return raw


@pytest.fixture(scope="session")
def reference_warehouse(reference_raw: Path, refresh_warehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The analyst reference warehouse (published file beside its report.html, data docs and staging)."""
    return refresh_warehouse(reference_raw, tmp_path_factory.mktemp("analyst-warehouse") / "gender_equality.duckdb")


@pytest.fixture(scope="session")
def evaluation_refresh(shared_dir: Path, run_refresh, tmp_path_factory: pytest.TempPathFactory):
    """The summary of the evaluation set's refresh (its published file is ``.warehouse``)."""
    raw = tmp_path_factory.mktemp("evaluation-raw")
    write_evaluation_raw(shared_dir, raw)
    return run_refresh(raw)


@pytest.fixture(scope="session")
def renditions_warehouse(shared_dir: Path, refresh_warehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("renditions-raw")
    write_renditions_raw(shared_dir, raw)
    return refresh_warehouse(raw)
