"""`gewh demo`, the README's first command: generated sample reports refreshed into a warehouse and report of their
own, and the same again on a second run (up to date)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from samples.evaluation_pdf import EvaluationSpec
from tests.warehouse_sql import fetch_all

pytestmark = pytest.mark.slow

GEWH = Path(sys.executable).with_name("gewh")


def run(args: list[str], cwd: Path, prefect_api: str) -> subprocess.CompletedProcess:
    # The session's Prefect API: this test is about the samples, not Prefect's start-up (test_cli covers that).
    env = {**os.environ, "PREFECT_API_URL": prefect_api}
    return subprocess.run(args, check=False, cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


def test_demo_publishes_the_samples_with_their_report(tmp_path: Path, prefect_api: str) -> None:
    folder = tmp_path / "samples"
    result = run([str(GEWH), "demo", "--folder", str(folder)], tmp_path, prefect_api)
    assert result.returncode == 0, result.stderr[-3000:]
    warehouse = folder / "gender_equality.duckdb"
    assert result.stdout.startswith(f"sample reports: 18 generated PDFs in {folder / 'raw'}\n")
    assert "documents: 18 seen, 18 new, 0 changed, 0 unchanged, 0 removed, 0 failed, 0 skipped" in result.stdout
    assert f"published: {warehouse}" in result.stdout
    assert f"open the report: {folder / 'report.html'}" in result.stdout
    assert (folder / "report.html").stat().st_size > 0

    reports = dict(fetch_all(warehouse, "select report_type, count(*) from marts.dim_reports group by report_type"))
    assert reports == {"scorecard": 14, "evaluation": 3, "source_inventory": 1}
    [(countries,)] = fetch_all(warehouse, "select count(distinct country) from marts.fct_indicator_ratings")
    assert countries == 6
    changes = dict(fetch_all(warehouse, "select change, count(*) from marts.fct_indicator_rating_history group by 1"))
    assert changes.get("improved", 0) > 0 and changes.get("regressed", 0) > 0
    assert "not_comparable" not in changes
    [(evaluations,)] = fetch_all(warehouse, "select count(*) from marts.dim_evaluations")
    [(sources,)] = fetch_all(warehouse, "select count(*) from marts.dim_data_sources")
    assert evaluations == 3 and sources > 0
    # The decentralized evaluation's key/value cover names its evaluators; the title covers name nobody.
    assert fetch_all(warehouse, "select country, evaluators from marts.dim_evaluations order by 1") == [
        ("Ghana", None),
        ("Jordan", EvaluationSpec.evaluators),
        ("Nepal", None),
    ]

    again = run([str(GEWH), "demo", "--folder", str(folder)], tmp_path, prefect_api)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "documents: 18 seen, 0 new, 0 changed, 18 unchanged" in again.stdout
    assert f"open the report: {folder / 'report.html'}" in again.stdout
