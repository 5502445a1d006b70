"""Extraction by one worker, by two, and on a Dask cluster gives the same warehouse.

A handful of small generated reports (and one bad file, so failures are compared too) is
refreshed with `workers=1`, with `workers=2` and on a `LocalCluster` of two worker processes
started here.  Staging rows and marts must be identical; timestamps are left out of the
comparison because they say when a row was written, not what it says.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from gewh.cli import app
from gewh.settings import Settings, load_settings
from samples.evaluation_pdf import build_evaluation_pdf
from samples.evaluation_pdf import synthetic_spec as evaluation_spec
from samples.scorecard_pdf import build_scorecard_pdf
from samples.scorecard_pdf import synthetic_spec as scorecard_spec
from tests import bad_inputs

# Which run wrote the row and when: not part of what was extracted.
RUN_TABLES = {"refresh_runs"}


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("parallel") / "raw"
    raw.mkdir()
    build_scorecard_pdf(scorecard_spec("Ghana", 2023, year_columns=2, seed=1, long_cells=False), raw / "ghana.pdf")
    build_scorecard_pdf(scorecard_spec("Peru", 2022, year_columns=3, seed=2), raw / "peru.pdf")
    build_evaluation_pdf(evaluation_spec("Moldova", 2018, 2022, seed=3, n_projects=3), raw / "moldova.pdf")
    build_evaluation_pdf(evaluation_spec("Nepal", 2017, 2021, seed=4, n_projects=2), raw / "nepal.pdf")
    bad_inputs.zero_byte(raw / "empty.pdf")
    return raw


def contents(database: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without timestamp columns, keyed by schema.table."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        columns: dict[str, list[str]] = {}
        for schema, table, column, data_type in con.execute(
            """
            select table_schema, table_name, column_name, data_type from information_schema.columns
            where table_catalog = current_database() order by table_schema, table_name, ordinal_position
            """
        ).fetchall():
            if table not in RUN_TABLES and not data_type.startswith(("TIMESTAMP", "DATE", "TIME")):
                columns.setdefault(f'"{schema}"."{table}"', []).append(f'"{column}"')
        return {
            name: sorted(con.execute(f"select {', '.join(cols)} from {name}").fetchall(), key=repr)
            for name, cols in columns.items()
        }
    finally:
        con.close()


def staging_of(warehouse: Path) -> Path:
    return Settings(warehouse=warehouse).staging_db


@pytest.fixture(scope="module")
def one_worker(small_corpus, tmp_path_factory, run_refresh) -> Path:
    warehouse = tmp_path_factory.mktemp("one") / "wh.duckdb"
    summary = run_refresh(small_corpus, warehouse, workers=1)
    assert summary.published, summary.render()
    assert summary.extracted == 5 and summary.files_failed == 1
    return warehouse


def test_two_workers_stage_and_publish_the_same_rows_as_one(small_corpus, one_worker, tmp_path, run_refresh):
    warehouse = tmp_path / "wh.duckdb"
    summary = run_refresh(small_corpus, warehouse, workers=2)
    assert summary.published, summary.render()
    assert set(summary.stage_seconds) >= {"discover", "extract", "stage", "dbt", "expectations", "publish"}
    expected_staging, staging = contents(staging_of(one_worker)), contents(staging_of(warehouse))
    assert sum(len(rows) for rows in staging.values()) > 1000
    assert staging == expected_staging
    assert contents(warehouse) == contents(one_worker)


def test_gewh_refresh_on_a_dask_cluster_stages_and_publishes_the_same_rows_as_this_machine(
    small_corpus, one_worker, tmp_path
):
    """`gewh refresh --dask-address`, with no Prefect server configured (no PREFECT_API_URL)."""
    from distributed import LocalCluster

    warehouse = tmp_path / "wh.duckdb"
    environment = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
    gewh = Path(sys.executable).with_name("gewh")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        result = subprocess.run(
            [
                str(gewh),
                "refresh",
                "--raw",
                str(small_corpus),
                "--warehouse",
                str(warehouse),
                "--dask-address",
                cluster.scheduler_address,
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=900,
            env=environment,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "empty.pdf: file is empty (0 bytes)" in result.stdout, "a bad file fails the same way on a Dask worker"
    assert contents(staging_of(warehouse)) == contents(staging_of(one_worker))
    assert contents(warehouse) == contents(one_worker)


def test_workers_and_dask_address_come_from_the_settings_file(tmp_path):
    settings = tmp_path / "gewh.toml"
    settings.write_text('[refresh]\nworkers = 3\ndask_address = "tcp://scheduler:8786"\n')
    config = load_settings(settings)
    assert (config.workers, config.dask_address) == (3, "tcp://scheduler:8786")
    assert config.override(workers=1).workers == 1, "a command-line flag wins over the file"


def test_zero_workers_is_refused_before_anything_runs(tmp_path):
    result = CliRunner().invoke(app, ["refresh", "--raw", str(tmp_path), "--workers", "0"])
    assert result.exit_code == 2
    assert "workers must be at least 1" in result.output


def test_the_forkserver_preloads_a_main_module_started_by_name(monkeypatch):
    """Each extraction child re-runs such a main module; preloaded, its imports (Prefect) are not redone per document."""
    from types import SimpleNamespace

    from gewh.refresh.isolation import _forkserver_preload

    monkeypatch.setitem(sys.modules, "__main__", SimpleNamespace(__spec__=SimpleNamespace(name="flows.refresh")))
    assert _forkserver_preload() == ["extract.pipeline", "flows.refresh"]
    monkeypatch.setitem(sys.modules, "__main__", SimpleNamespace(__spec__=SimpleNamespace(name="pytest.__main__")))
    assert _forkserver_preload() == ["extract.pipeline"]
    monkeypatch.setitem(sys.modules, "__main__", SimpleNamespace(__spec__=None))
    assert _forkserver_preload() == ["extract.pipeline"]
