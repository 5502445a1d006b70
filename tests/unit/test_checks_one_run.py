"""A refresh's checks are one validation run: every suite validated once under one run id, no checkpoint per suite,
Data Docs built once and only for what the run changed (the site still whole, as a full build draws it).

The suites here are small ones on an empty DuckDB file, in a copy of the GX context (the repository's
great_expectations.yml stays as it is).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import great_expectations as gx
import pytest
from great_expectations.expectations.metadata_types import FailureSeverity

from expectations.suites import SuiteSpec
from gewh.refresh import validate
from gewh.settings import REPO_ROOT

SUITES = [
    SuiteSpec(
        name="numbers",
        asset="test.numbers",
        query="select range as n from range(3)",
        expectations=lambda: [gx.expectations.ExpectColumnValuesToBeBetween(column="n", min_value=0, max_value=2)],
    ),
    SuiteSpec(
        name="words",
        asset="test.words",
        query="select * from (values ('a'), (null)) as t(word)",
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToNotBeNull(column="word", severity=FailureSeverity.WARNING)
        ],
    ),
    SuiteSpec(
        name="flags",
        asset="test.flags",
        query="select * from (values (true), (false)) as t(agrees)",
        expectations=lambda: [gx.expectations.ExpectColumnValuesToBeInSet(column="agrees", value_set=[True])],
    ),
]


@pytest.fixture
def checks(tmp_path, monkeypatch):
    """``checks(run_name)``: `run_checks` with the suites above, its Data Docs and results in tmp_path."""
    context_dir = tmp_path / "gx"
    context_dir.mkdir()
    shutil.copy(validate.GX_CONTEXT_DIR / "great_expectations.yml", context_dir)
    monkeypatch.setattr(validate, "GX_CONTEXT_DIR", context_dir)
    monkeypatch.setattr(validate, "all_suites", lambda: SUITES)
    # The context sets these for GX: kept per test, not left behind in the session's environment.
    monkeypatch.setenv("GEWH_DATA_DOCS_DIR", "")
    monkeypatch.setenv("GEWH_GX_RESULTS_DIR", "")
    build, staging = tmp_path / "build.duckdb", tmp_path / "staging.duckdb"
    for database in (build, staging):
        duckdb.connect(str(database)).close()
    docs, results = tmp_path / "data_docs", tmp_path / "gx_validations"

    def run(run_name: str) -> validate.ValidationOutcome:
        return validate.run_checks(build, staging, docs, results, run_name)

    run.docs, run.results = docs, results  # type: ignore[attr-defined]
    return run


def _counting(monkeypatch, owner, name: str) -> list[object]:
    calls: list[object] = []
    original = getattr(owner, name)

    def counted(self, *args, **kwargs):
        calls.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def _runs(results: Path) -> set[tuple[str, str]]:
    """(run name, run time) of every stored result (laid out as suite/run name/run time/batch.json)."""
    return {(path.parts[-3], path.parts[-2]) for path in results.rglob("*.json")}


def test_every_suite_is_validated_once_under_one_run_id_without_a_checkpoint_per_suite(checks, monkeypatch):
    checkpoint_runs = _counting(monkeypatch, gx.Checkpoint, "run")
    definition_runs = _counting(monkeypatch, gx.ValidationDefinition, "run")
    docs_builds = _counting(monkeypatch, gx.data_context.AbstractDataContext, "build_data_docs")

    outcome = checks("20260101T000000-abc")

    assert len(checkpoint_runs) <= 1
    assert sorted(definition.name for definition in definition_runs) == sorted(spec.name for spec in SUITES)
    assert len(docs_builds) == 1
    # One run: every suite's result under the same run name and run time.
    [(run_name, _)] = _runs(checks.results)
    assert run_name == "refresh 20260101T000000-abc"
    assert len(list(checks.results.rglob("*.json"))) == len(SUITES)
    # Severities as declared: the warning is reported and does not count as a failure.
    assert (outcome.passed, outcome.failed) == (1, 1)
    assert [(f.suite, f.column) for f in outcome.failures] == [("flags", "agrees")]
    assert [(w.suite, w.column) for w in outcome.warnings] == [("words", "word")]
    assert outcome.data_docs_index == checks.docs / "index.html"


def _pages(docs: Path, run_name: str) -> list[Path]:
    return sorted((docs / "validations").glob(f"*/refresh {run_name}/*/*.html"))


def test_a_later_refresh_draws_its_own_pages_and_leaves_the_earlier_ones(checks):
    checks("first")
    first = _pages(checks.docs, "first")
    assert len(first) == len(SUITES)
    for page in first:
        page.write_text(page.read_text(encoding="utf-8") + "<!-- drawn by the first refresh -->", encoding="utf-8")

    checks("second")

    assert all(page.read_text(encoding="utf-8").endswith("<!-- drawn by the first refresh -->") for page in first)
    second = _pages(checks.docs, "second")
    assert len(second) == len(SUITES)
    index = checks.docs / "index.html"
    text = index.read_text(encoding="utf-8")
    assert "refresh first" in text and "refresh second" in text and "test.flags" in text
    # Every page this refresh wrote is finished: offline, its data asset named, a warning not shown as a failure.
    for page in [index, *second, *(checks.docs / "expectations").glob("*.html")]:
        html = page.read_text(encoding="utf-8")
        assert not re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=[\"']https?://", html), page
    words = next(page for page in second if "/words/" in page.as_posix()).read_text(encoding="utf-8")
    assert "Data asset: test.words" in words and "Passed with 1 warning" in words


def test_a_site_missing_earlier_pages_is_drawn_whole_again(checks):
    checks("first")
    # What a refresh that stopped while drawing leaves (gewh.refresh.failure removes the half-written site).
    shutil.rmtree(checks.docs)

    checks("second")

    assert len(_pages(checks.docs, "first")) == len(_pages(checks.docs, "second")) == len(SUITES)
    text = (checks.docs / "index.html").read_text(encoding="utf-8")
    assert "refresh first" in text and "refresh second" in text


def test_the_checks_are_imported_in_a_thread_while_dbt_builds():
    """What the refresh starts before dbt: in a fresh interpreter (this one has GX already), the thread leaves Great
    Expectations and every suite module imported, so `run_checks` imports nothing of its own."""
    script = (
        "import sys\n"
        "from gewh.refresh.validate import import_checks_in_background\n"
        "assert 'great_expectations' not in sys.modules\n"
        "import_checks_in_background().join()\n"
        "import expectations.suites as suites, pkgutil\n"
        "wanted = ['great_expectations', 'great_expectations.core.run_identifier']\n"
        "wanted += [f'expectations.suites.{m.name}' for m in pkgutil.iter_modules(suites.__path__)]\n"
        "print([name for name in wanted if name not in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"
