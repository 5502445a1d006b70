"""A reissued report supersedes the earlier file of the same report; removing the reissue restores the earlier one.

(A module of its own so that pytest-xdist can run it beside the other end-to-end modules.)
"""

from __future__ import annotations

import pytest

from samples.scorecard_pdf import build_scorecard_pdf, synthetic_spec
from tests.warehouse_sql import fetch_all

pytestmark = pytest.mark.slow


def test_reissued_report_supersedes_and_removal_restores(tmp_path, run_refresh):
    raw = tmp_path / "raw"
    raw.mkdir()
    build_scorecard_pdf(synthetic_spec("Ghana", 2023, year_columns=4, seed=1, long_cells=False), raw / "ghana-2023.pdf")
    warehouse = tmp_path / "wh" / "gender_equality.duckdb"
    assert run_refresh(raw, warehouse).published
    build_scorecard_pdf(
        synthetic_spec("Ghana", 2023, year_columns=4, seed=2, long_cells=False), raw / "ghana-2023-reissued.pdf"
    )
    assert run_refresh(raw, warehouse).published

    [(report_id, source_file, superseded)] = fetch_all(
        warehouse, "select report_id, source_file, superseded_versions from marts.dim_reports"
    )
    documents = fetch_all(warehouse, "select source_path, status, is_current from marts.dim_documents order by 1")
    [(ratings,)] = fetch_all(warehouse, "select count(*) from marts.fct_indicator_ratings")
    assert (report_id, source_file, superseded) == ("scorecard-ghana-2023", "ghana-2023-reissued.pdf", 1)
    assert documents == [("ghana-2023-reissued.pdf", "loaded", True), ("ghana-2023.pdf", "loaded", False)]
    assert ratings == 15

    (raw / "ghana-2023-reissued.pdf").unlink()
    removal = run_refresh(raw, warehouse)
    assert removal.published and removal.files_removed == 1
    assert fetch_all(warehouse, "select source_file from marts.dim_reports") == [("ghana-2023.pdf",)]
    statuses = dict(fetch_all(warehouse, "select source_path, status from marts.dim_documents"))
    assert statuses == {"ghana-2023.pdf": "loaded", "ghana-2023-reissued.pdf": "removed"}
