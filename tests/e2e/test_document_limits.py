"""The per-document time and memory limits: a document that exceeds one fails alone, and the run publishes the rest.

(A module of its own so that pytest-xdist can run it beside the other end-to-end modules.)
"""

from __future__ import annotations

import pytest

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
    assert timed.failures == ["million-glyphs.pdf: extraction stopped after the 4 s per-document wall-clock time limit"]
    assert fetch_all(warehouse, "select count(*) from marts.dim_reports") == [(1,)]

    capped = run_refresh(raw, warehouse, full=True, timeout_seconds=120, memory_limit_mb=300)
    assert capped.published
    [reason] = capped.failures
    assert reason.startswith("million-glyphs.pdf") and "300 MB per-document memory limit" in reason
