"""The whole refresh on the reference corpus plus every kind of bad file, then a no-op refresh."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from gewh.refresh.run import RefreshNotPublished
from gewh.refresh.transform import DbtProcess, dbt_build, new_build
from gewh.settings import DBT_PROJECT_DIR, Settings
from tests import bad_inputs
from tests.warehouse_sql import fetch_all as query

pytestmark = [pytest.mark.shared, pytest.mark.slow]

RECONSTRUCTED = {
    "unwomen-cpe-kazakhstan-2016-2020.pdf": "evaluation",
    "unct-swap-scorecard-kazakhstan-2022.pdf": "scorecard",
    "kazakhstan-gender-data-sources.pdf": "source_inventory",
}


@pytest.fixture(scope="module")
def corpus_raw(shared_dir, tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    (raw / "reconstructed").mkdir()
    (raw / "real").mkdir()
    (raw / "bad").mkdir()
    for pdf in (shared_dir / "corpus" / "reconstructed").glob("*.pdf"):
        shutil.copy(pdf, raw / "reconstructed" / pdf.name)
    for pdf in (shared_dir / "corpus" / "pdf").glob("*.pdf"):
        shutil.copy(pdf, raw / "real" / pdf.name)
    # The same report twice under another name.
    shutil.copy(raw / "reconstructed" / "kazakhstan-gender-data-sources.pdf", raw / "bad" / "copy-of-inventory.pdf")
    bad = raw / "bad"
    bad_inputs.zero_byte(bad / "empty.pdf")
    bad_inputs.not_a_pdf(bad / "renamed-zip.pdf")
    bad_inputs.truncated_pdf(
        bad / "truncated.pdf", raw / "real" / "undp-annual-report-on-evaluation-2024_DP-2025-14.pdf"
    )
    bad_inputs.encrypted_pdf(bad / "encrypted.pdf")
    bad_inputs.image_only_pdf(bad / "scanned.pdf")
    # An evaluation by its title, with nothing an evaluation's parser can read: a failed evaluation, not an unknown.
    bad_inputs.good_pdf(bad / "evaluation-title-only.pdf", "Country Program Evaluation: Ghana")
    return raw


@pytest.fixture(scope="module")
def first_run(corpus_raw, tmp_path_factory, run_refresh):
    warehouse = tmp_path_factory.mktemp("wh") / "gender_equality.duckdb"
    return run_refresh(corpus_raw, warehouse)


def test_publishes_with_bad_files_failed_and_everything_else_loaded(first_run):
    assert first_run.published, first_run.render()
    assert first_run.files_seen == 21
    assert first_run.files_failed == 6
    assert first_run.checks_failed == 0 and first_run.checks_passed > 0
    assert first_run.rows_per_mart["dim_reports"] == 14
    index = first_run.data_docs.read_text(encoding="utf-8")
    assert "staging_documents" in index and "dim_reports" in index


def test_each_bad_file_is_recorded_failed_with_a_specific_reason(first_run):
    failed = query(
        first_run.warehouse, "select file_name, error, doc_type from marts.dim_documents where status = 'failed'"
    )
    rows = {name: error for name, error, _ in failed}
    assert set(rows) == {
        "empty.pdf",
        "renamed-zip.pdf",
        "truncated.pdf",
        "encrypted.pdf",
        "scanned.pdf",
        "evaluation-title-only.pdf",
    }
    assert "empty" in rows["empty.pdf"]
    assert "not a PDF" in rows["renamed-zip.pdf"]
    assert "encrypted" in rows["encrypted.pdf"]
    assert "no text layer" in rows["scanned.pdf"]
    assert rows["truncated.pdf"].startswith("truncated.pdf")
    assert "no numbered findings or recommendations" in rows["evaluation-title-only.pdf"]
    assert all(error.startswith(name) for name, error in rows.items())
    # The type that recognised the file before its parse failed; files that were never read have none.
    types = {name: doc_type for name, _, doc_type in failed}
    assert types.pop("evaluation-title-only.pdf") == "evaluation"
    assert set(types.values()) == {"unknown"}


def test_reports_are_classified_from_content(first_run):
    types = dict(query(first_run.warehouse, "select unnest(source_files), report_type from marts.dim_reports"))
    for name, expected in RECONSTRUCTED.items():
        assert types[f"reconstructed/{name}"] == expected
    real = {path: kind for path, kind in types.items() if path.startswith("real/")}
    assert len(real) == 11
    # The Liberia ICPE is a country programme evaluation; every other real report is of no known type.
    assert real.pop("real/undp-icpe-liberia-2025.pdf") == "evaluation"
    assert set(real.values()) == {"unknown"}


def test_dim_reports_rows_for_the_kazakhstan_reports(first_run):
    rows = {
        r[0]: r[1:]
        for r in query(
            first_run.warehouse,
            "select report_type, country, period_start, period_end, report_year, page_count from marts.dim_reports"
            " where report_type <> 'unknown' and country = 'Kazakhstan'",
        )
    }
    assert rows["evaluation"][:3] == ("Kazakhstan", 2016, 2020)
    assert rows["evaluation"][4] == 27
    assert rows["scorecard"][0] == "Kazakhstan" and rows["scorecard"][3] == 2022
    assert rows["scorecard"][4] == 28
    assert rows["source_inventory"][0] == "Kazakhstan" and rows["source_inventory"][4] == 6


def test_same_file_under_two_names_is_stored_once_with_both_names(first_run):
    [(source_files, n)] = query(
        first_run.warehouse,
        "select source_files, count(*) over () from marts.dim_reports where report_type = 'source_inventory'",
    )
    assert n == 1
    assert source_files == ["bad/copy-of-inventory.pdf", "reconstructed/kazakhstan-gender-data-sources.pdf"]


def test_second_refresh_extracts_nothing_and_keeps_marts_identical(first_run, corpus_raw, run_refresh):
    warehouse = first_run.warehouse
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    second = run_refresh(corpus_raw, warehouse)
    assert second.extracted == 0
    assert second.files_unchanged == 21 and second.files_new == 0
    assert second.up_to_date and not second.published
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before


def test_failed_checks_keep_the_published_warehouse_byte_for_byte(first_run, corpus_raw, run_refresh, monkeypatch):
    import great_expectations as gx

    from expectations import suites
    from gewh.refresh import validate

    warehouse = first_run.warehouse
    before = warehouse.read_bytes()

    def with_impossible_expectation(spec):
        if spec.name != "dim_reports":
            return spec
        impossible = gx.expectations.ExpectTableRowCountToBeBetween(min_value=10_000)
        return dataclasses.replace(spec, expectations=lambda: [*spec.expectations(), impossible])

    # Reuse a suite the context already has, so the test leaves great_expectations.yml as it was.
    monkeypatch.setattr(validate, "all_suites", lambda: [with_impossible_expectation(s) for s in suites.all_suites()])
    bad_inputs.good_pdf(corpus_raw / "new-report.pdf")
    try:
        with pytest.raises(RefreshNotPublished) as not_published:
            run_refresh(corpus_raw, warehouse)
    finally:
        (corpus_raw / "new-report.pdf").unlink()
    run = not_published.value.summary
    assert not run.published
    assert "expectation" in run.reason
    assert any("dim_reports: expect_table_row_count_to_be_between" in failure for failure in run.check_failures)
    assert warehouse.read_bytes() == before


def test_dbt_parses_the_project_once_and_reuses_the_parse(first_run, tmp_path, monkeypatch):
    """The parse state a build leaves lets the next build skip parsing (dbt says so in its log, which a refresh
    does not write unless asked).  Each build reports every node it finishes, with the number it runs (what the
    refresh's progress shows as models and tests done of the total)."""
    monkeypatch.setenv("DBT_LOG_LEVEL_FILE", "debug")
    staging = Settings(warehouse=first_run.warehouse).staging_db
    state = tmp_path / "partial_parse.msgpack"
    logs = []
    for build in ("first", "second"):
        work_dir = tmp_path / build
        build_db = work_dir / first_run.warehouse.name
        done: list[tuple[str, int]] = []
        with DbtProcess() as process:
            outcome = dbt_build(
                staging,
                new_build(work_dir, build_db.name),
                work_dir,
                parse_state=state,
                on_node_done=lambda node, total, done=done: done.append((node, total)),
                process=process,
            )
            # Free as the build answers, its process still running or not: the checks open it at once.
            duckdb.connect(str(build_db)).close()
        # Nothing but real failures is reported: the exposures dbt passes over ('no-op') are none.
        assert outcome.success and outcome.failures == [], outcome.failure_reason
        [total] = {total for _, total in done}
        assert len(done) == total >= outcome.models_built + outcome.tests_passed
        # Every model of the project built, and tests run beside them.
        assert outcome.models_built == len(list((DBT_PROJECT_DIR / "models").rglob("*.sql")))
        assert outcome.tests_passed > 0
        logs.append((work_dir / "logs" / "dbt.log").read_text(encoding="utf-8"))
    assert state.exists()
    assert "skipping parsing" not in logs[0]
    assert "Partial parsing enabled, no changes found, skipping parsing" in logs[1]


def test_a_failed_dbt_test_says_which_rows_break_its_rule(first_run, tmp_path):
    """dbt says how many rows a failed test found; the build's failure adds the first of them, which for the column
    rules name the column, the rule and the value, so the refresh's summary says what to look at."""
    staging = tmp_path / "staging.duckdb"
    shutil.copyfile(Settings(warehouse=first_run.warehouse).staging_db, staging)
    with duckdb.connect(str(staging)) as con:
        con.execute("update documents set language = 'Kazakh' where status = 'loaded'")
    work_dir = tmp_path / "build"
    outcome = dbt_build(staging, new_build(work_dir, first_run.warehouse.name), work_dir)
    assert not outcome.success
    assert "test column_rules_stg_core__documents: fail: Got" in outcome.failure_reason
    assert "(first rows: column_name=language, rule=pattern, found=Kazakh" in outcome.failure_reason


def test_metadata_a_report_does_not_state_is_null_and_flagged(first_run):
    reports = query(
        first_run.warehouse,
        "select report_id, report_type, title, report_year, country, framework_edition_basis from marts.dim_reports",
    )
    flagged = set(
        query(
            first_run.warehouse,
            """select report_id, subject from marts.fct_quality_flags where "check" = 'metadata_not_stated'""",
        )
    )
    for report_id, report_type, title, report_year, country, edition_basis in reports:
        assert (title is None) == ((report_id, "title") in flagged), report_id
        assert (report_year is None) == ((report_id, "report year") in flagged), report_id
        if report_type != "unknown":
            assert (country is None) == ((report_id, "country") in flagged), report_id
        # A scorecard's framework edition taken by default, neither stated nor following from its year.
        assert (edition_basis == "default") == ((report_id, "framework edition") in flagged), report_id
    # Years named in passing ("the 2030 Agenda") are not report years: the corpus was collected in 2026.
    assert all(report_year is None or report_year <= 2026 for _, _, _, report_year, _, _ in reports)
