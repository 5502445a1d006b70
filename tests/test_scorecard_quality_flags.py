"""A scorecard whose stated percentage contradicts its own parts: flagged and warned, still published."""

from __future__ import annotations

import duckdb
import pytest

from tests.fixtures.scorecard_pdf import build_scorecard_pdf, synthetic_spec

pytestmark = pytest.mark.slow


def test_percent_mismatch_is_a_warning_flag_not_a_blocked_publish(tmp_path, run_refresh):
    raw = tmp_path / "raw"
    raw.mkdir()
    spec = synthetic_spec("Ghana", 2023, year_columns=4, seed=3, long_cells=False)
    spec.findings["1.3"] = "Of the 80 outcome indicators, 20 (60%) track progress towards gender equality results."
    build_scorecard_pdf(spec, raw / "ghana-2023.pdf")

    summary = run_refresh(raw)
    assert summary.published, summary.render()
    assert any("percent_matches_parts" in warning and "PI 1.3" in warning for warning in summary.check_warnings)

    con = duckdb.connect(str(summary.warehouse), read_only=True)
    try:
        flags = con.execute(
            """select area, report_id, "check", subject, severity, found from marts.fct_quality_flags
               where area = 'scorecard'"""
        ).fetchall()
    finally:
        con.close()
    [(area, report_id, check, subject, severity, found)] = flags
    assert (area, report_id, check, subject, severity) == (
        "scorecard",
        "scorecard-ghana-2023",
        "percent_matches_parts",
        "PI 1.3",
        "warning",
    )
    assert "(20.0 of 80.0)" in found
