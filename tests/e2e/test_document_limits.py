"""The per-document CPU, memory and wall-clock limits: a document that exceeds one fails alone, the run tries it
once more and publishes the rest, and a document loaded before keeps its rows.

(A module of its own so that pytest-xdist can run it beside the other end-to-end modules.)
"""

from __future__ import annotations

import pytest

from samples.scorecard_pdf import build_scorecard_pdf, synthetic_spec
from tests import bad_inputs
from tests.warehouse_sql import fetch_all

pytestmark = pytest.mark.slow


def test_time_and_memory_limits_stop_one_document_not_the_run(tmp_path, run_refresh):
    raw = tmp_path / "raw"
    raw.mkdir()
    bad_inputs.pathological_pdf(raw / "million-glyphs.pdf")
    bad_inputs.good_pdf(raw / "fine.pdf")
    warehouse = tmp_path / "wh" / "gender_equality.duckdb"

    timed = run_refresh(raw, warehouse, timeout_seconds=4)
    assert timed.published
    wall = "million-glyphs.pdf: extraction stopped after the 4 s per-document wall-clock time limit"
    assert timed.failures == [wall]
    # A limit hit is the attempt's failure, not the file's: tried again once in the run, and again next run.
    assert timed.retried == [wall] and timed.retry_next_run == [wall]
    assert timed.reason == f"published; will retry next run: {wall}"
    assert fetch_all(warehouse, "select count(*) from marts.dim_reports") == [(1,)]
    assert fetch_all(warehouse, "select status, failure_kind from marts.dim_documents order by file_name") == [
        ("loaded", None),
        ("failed", "transient"),
    ]

    cpu_bound = run_refresh(raw, warehouse, full=True, timeout_seconds=300, cpu_limit_seconds=2)
    assert cpu_bound.published
    assert cpu_bound.failures == ["million-glyphs.pdf: extraction stopped at the 2 s per-document CPU time limit"]

    capped = run_refresh(raw, warehouse, full=True, timeout_seconds=120, memory_limit_mb=300)
    assert capped.published
    [reason] = capped.failures
    assert reason.startswith("million-glyphs.pdf") and "300 MB per-document memory limit" in reason


def test_a_loaded_document_that_fails_transiently_keeps_its_rows_and_the_run_says_so(tmp_path, run_refresh):
    raw = tmp_path / "raw"
    raw.mkdir()
    # A report of many pages: more than 20 MB to read.  (A one-page file is not: pdfium reads it in the address space
    # the process reserved before the limit was set.)
    build_scorecard_pdf(synthetic_spec("Kenya", 2023, seed=3), raw / "fine.pdf")
    warehouse = tmp_path / "wh" / "gender_equality.duckdb"
    assert run_refresh(raw, warehouse).published

    # A memory limit no extraction fits in: every attempt fails, as on a machine short of memory.
    starved = run_refresh(raw, warehouse, full=True, memory_limit_mb=20)
    assert starved.published
    [reason] = starved.failures
    assert reason.startswith("fine.pdf: ") and "20 MB" in reason
    assert starved.previous == [f"kept previous extraction of fine.pdf: {reason}"]
    # Its rows came from this extractor: nothing is left to do again next run.
    assert starved.reason == f"published; kept previous extraction of fine.pdf: {reason}"
    assert starved.retry_next_run == []
    assert fetch_all(warehouse, "select count(*) from marts.dim_reports") == [(1,)]
    assert fetch_all(warehouse, "select status, failure_kind, last_failure, error from marts.dim_documents") == [
        ("loaded", "transient", reason, None)
    ]
