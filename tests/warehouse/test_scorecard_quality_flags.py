"""A scorecard whose stated percentage contradicts its own parts: flagged and warned, still published.

The report (a generated Ghana 2023 scorecard whose PI 1.3 finding says "Of the 80 outcome indicators, 20 (60%)")
is refreshed with the evaluation set of tests/warehouse/reference.py, the only scorecard there.
"""

from __future__ import annotations

import duckdb
import pytest

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def test_percent_mismatch_is_a_warning_flag_not_a_blocked_publish(evaluation_refresh):
    summary = evaluation_refresh
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
