"""dbt by hand, as the README's "Running dbt by hand" says: from dbt_project/, after a refresh, with the profile's
default target, which builds into a developer database and leaves the published warehouse and staging untouched.

The refreshed warehouse here is in a temporary folder, not at the default path, so the test gives the dev target
the two paths a user need not give (GEWH_STAGING_DB, GEWH_DEV_DB); that the defaults are the paths a default
refresh leaves is tests/unit/test_dbt_profile.py.  dbt's target/ and logs/ go to the temporary folder too: the
repository's dbt_project/target holds the parse state that refreshes in other tests read.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from gewh.settings import DBT_PROJECT_DIR, Settings

pytestmark = pytest.mark.shared

DBT = Path(sys.executable).with_name("dbt")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where dbt by hand writes: the dev database, dbt's target and logs."""
    return tmp_path_factory.mktemp("dbt-by-hand")


@pytest.fixture(scope="module")
def dev_run(reference_warehouse: Path, scratch: Path):
    """``run(*dbt_args)``: dbt in dbt_project/, as a user's shell would run it, with the dev target's two paths;
    answers what dbt printed."""
    # A user's shell has none of the refresh's variables (the refresh sets them only in its dbt child).
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("GEWH_", "DBT_PROFILES"))}
    environment["GEWH_STAGING_DB"] = str(Settings(warehouse=reference_warehouse).staging_db)
    environment["GEWH_DEV_DB"] = str(scratch / "gender_equality.dev.duckdb")
    outputs = ["--target-path", str(scratch / "target"), "--log-path", str(scratch / "logs")]

    def run(*args: str) -> str:
        result = subprocess.run(
            [str(DBT), *args, *outputs],
            cwd=DBT_PROJECT_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
        return result.stdout

    return run


def test_build_test_and_docs_generate_run_into_the_dev_database(reference_warehouse: Path, scratch: Path, dev_run):
    staging = Settings(warehouse=reference_warehouse).staging_db
    before = {path: digest(path) for path in (reference_warehouse, staging)}

    dev_run("build")
    # The refresh leaves dbt's unit tests out (gewh.refresh.transform): this build is where they run.
    run_results = json.loads((scratch / "target" / "run_results.json").read_text())["results"]
    unit_tests = [result for result in run_results if result["unique_id"].startswith("unit_test.")]
    manifest = json.loads((scratch / "target" / "manifest.json").read_text())
    assert len(unit_tests) == len(manifest["unit_tests"]) > 0
    assert {result["status"] for result in unit_tests} == {"pass"}, unit_tests
    dev_run("test", "--select", "dim_reports")
    dev_run("docs", "generate")

    with duckdb.connect(str(scratch / "gender_equality.dev.duckdb"), read_only=True) as dev:
        built = dev.execute("select report_id from marts.dim_reports order by report_id").fetchall()
    with duckdb.connect(str(reference_warehouse), read_only=True) as published:
        expected = published.execute("select report_id from marts.dim_reports order by report_id").fetchall()
    assert built == expected and built
    catalog = json.loads((scratch / "target" / "catalog.json").read_text())
    assert "model.gender_equality_warehouse.dim_reports" in catalog["nodes"]
    # Readers' file and the refresh's staging are as the refresh left them.
    assert {path: digest(path) for path in before} == before


def test_column_rules_name_the_column_rule_and_value_of_each_break_and_let_nulls_pass(dev_run):
    # The generic test's query on rows made to break each rule once (and hold a null for each rule but not_null);
    # an expression breaks on the rows where it is false, one with a quote as well.
    rows = (
        "(select * from (values (1, 'a', 'a', 5, 'ab'), (1, null, 'a', 11, 'x1'), (2, 'c', 'z', null, null),"
        " (3, 'd', null, 0, 'q')) as t(id, kind, code, score, tag))"
    )
    rules = (
        "not_null=['kind'], unique=['id'], unique_combinations=[['id', 'code']], accepted_values={'code': ['a', 'b']},"
        " ranges={'score': {'min_value': 0, 'max_value': 10}}, patterns={'tag': '[a-z]+'},"
        " references={'kind': {'to': \"(select * from (values ('a'), ('c')) as parent(k))\", 'field': 'k'}},"
        " expressions=['score > 0', \"tag <> 'x1'\"]"
    )
    shown = dev_run(
        "--quiet",
        "show",
        "--inline",
        f"{{{{ test_column_rules(model={rows!r}, {rules}) }}}}",
        "--output",
        "json",
        "--limit",
        "-1",
    )
    found = {(row["column_name"], row["rule"], row["found"]) for row in json.loads(shown)["show"]}
    assert found == {
        ("kind", "not_null", None),
        ("id", "unique", "1"),
        ("id, code", "unique_combination", "1 | a"),
        ("code", "accepted_values", "z"),
        ("score", "range", "11"),
        ("tag", "pattern", "x1"),
        ("kind", "references", "d"),
        ("score > 0", "expression", None),
        ("tag <> 'x1'", "expression", None),
    }
