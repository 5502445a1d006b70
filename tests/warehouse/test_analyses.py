"""The SQL examples in dbt_project/analyses/ (dbt's analysis-paths): each runs with `gewh query --file` on the
reference warehouse and answers its question.

Expected values are read from the reference reports (or set by the generated 2023
scorecard of `tests.warehouse.reference`), never computed by the code under test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gewh.analyst.query import run_query
from tests.warehouse.reference import IMPROVED_2023, REGRESSED_2023

pytestmark = pytest.mark.shared

REPO_ROOT = Path(__file__).resolve().parents[2]
ANALYSES = sorted((REPO_ROOT / "dbt_project" / "analyses").glob("*.sql"))
GEWH = Path(sys.executable).with_name("gewh")
CPE = "evaluation-kazakhstan-2016-2020"


@pytest.fixture(scope="module")
def warehouse(reference_warehouse) -> Path:
    return reference_warehouse


def answer(warehouse: Path, name: str) -> list[dict]:
    result = run_query(warehouse, (REPO_ROOT / "dbt_project" / "analyses" / name).read_text(), max_rows=10_000)
    return [dict(zip(result.columns, row)) for row in result.rows]


def test_dbt_lists_them_as_analyses():
    project = yaml.safe_load((REPO_ROOT / "dbt_project" / "dbt_project.yml").read_text())
    assert {path.parent for path in ANALYSES} == {REPO_ROOT / "dbt_project" / folder for folder in project["analysis-paths"]}


def test_ten_questions_each_stating_its_question_and_how_to_run_it():
    assert len(ANALYSES) == 10
    for path in ANALYSES:
        text = path.read_text()
        assert text.startswith("-- Q"), path.name
        assert f"gewh query --file dbt_project/analyses/{path.name}" in text, path.name


@pytest.mark.parametrize("path", ANALYSES, ids=[p.stem for p in ANALYSES])
def test_runs_with_gewh_query_file(path, warehouse, tmp_path):
    out = tmp_path / f"{path.stem}.csv"
    result = subprocess.run(
        [str(GEWH), "query", "--file", str(path), "--warehouse", str(warehouse), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text().splitlines()[0].count(",") >= 2


def test_q1_reports_loaded(warehouse):
    rows = answer(warehouse, "01_reports_loaded.sql")
    assert {(r["report_type"], r["country"], r["report_year"]) for r in rows} >= {
        ("evaluation", "Kazakhstan", 2021),
        ("scorecard", "Kazakhstan", 2022),
        ("scorecard", "Kazakhstan", 2023),
    }
    assert {r["source_file"] for r in rows} >= {"unwomen-cpe-kazakhstan-2016-2020.pdf"}


def test_q2_indicators_regressed(warehouse):
    rows = answer(warehouse, "02_indicators_regressed.sql")
    assert {r["pi_code"]: (r["previous_rating"], r["rating"]) for r in rows} == REGRESSED_2023
    assert {(r["previous_assessment_year"], r["assessment_year"]) for r in rows} == {(2022, 2023)}
    assert all(r["score_change"] < 0 for r in rows)


def test_q3_indicators_below_minimum_in_the_latest_scorecard(warehouse):
    rows = answer(warehouse, "03_indicators_below_minimum.sql")
    below = {r["pi_code"]: r["rating"] for r in rows}
    # 2022 (read from the report): 1.1, 2.3, 4.3, 5.2, 6.1, 7.1 Approaches, 5.1 Missing; 2023 moves 4.3 down, 5.1 up.
    assert below == {
        "1.1": "Approaches",
        "2.3": "Approaches",
        "4.3": "Missing",
        "5.2": "Approaches",
        "6.1": "Approaches",
        "7.1": "Approaches",
    }
    assert {r["assessment_year"] for r in rows} == {2023}


def test_q4_high_priority_immediate_recommendations(warehouse):
    rows = answer(warehouse, "04_high_priority_immediate_recommendations.sql")
    # The CPE marks recommendations 1, 6 and 7 high priority with timeframe IMMEDIATELY.
    assert [(r["report_id"], r["rec_no"]) for r in rows] == [(CPE, 1), (CPE, 6), (CPE, 7)]


def test_q5_delivery_rate(warehouse):
    rows = answer(warehouse, "05_delivery_rate_by_year.sql")
    period = [r for r in rows if r["scope"] == "period"]
    # "The total budget of the Strategic Note period was US$8 million, of which the Country Office delivered
    # US$6.3 million, with a delivery rate of 78 per cent."
    assert [(r["period_start"], r["period_end"], r["budget_usd"], r["delivered_usd"]) for r in period] == [
        (2016, 2020, 8_000_000, 6_300_000)
    ]
    assert period[0]["delivery_rate_pct"] == 78.75 and period[0]["stated_delivery_rate_pct"] == 78
    # "... from US$1.93 million to US$1.62 million in 2020."
    assert {r["period_start"]: r["budget_usd"] for r in rows if r["scope"] == "year"} == {
        2016: 1_930_000,
        2020: 1_620_000,
    }


def test_q6_donors_by_total(warehouse):
    rows = answer(warehouse, "06_donors_by_total.sql")
    # Portfolio table: EU funds Spotlight (UN Women share US$2,541,617) and the Afghan women project (US$102,284).
    assert rows[0]["donor"] == "EU"
    assert (rows[0]["projects"], rows[0]["entity_share_usd"]) == (2, 2_541_617 + 102_284)
    assert [r["donor"] for r in rows][1] == "Ministry of Labour and Social Protection"
    assert sum(r["projects"] for r in rows) == 8


def test_q7_quality_flags(warehouse):
    rows = answer(warehouse, "07_quality_flags.sql")
    checks = {(r["report_id"], r["check"]) for r in rows}
    assert (CPE, "delivery_rate_mismatch") in checks
    [rate] = [r for r in rows if r["check"] == "delivery_rate_mismatch"]
    assert rate["found"] == "78%" and rate["source_page"] == 9


def test_q8_recommendation_follow_up(warehouse):
    rows = answer(warehouse, "08_recommendation_follow_up.sql")
    assert [r["rec_no"] for r in rows if r["report_id"] == CPE] == list(range(1, 9))
    assert all(r["recommendation_status"] == "not reported" for r in rows)
    assert sum(r["actions"] for r in rows if r["report_id"] == CPE) > 0


def test_q9_findings_by_criterion(warehouse):
    rows = answer(warehouse, "09_findings_by_criterion.sql")
    # The CPE's findings chapter: relevance, coherence, effectiveness, efficiency, sustainability, in that order.
    assert [r["criterion"] for r in rows if r["report_id"] == CPE] == [
        "Relevance",
        "Coherence",
        "Effectiveness",
        "Efficiency",
        "Sustainability",
    ]
    assert sum(r["findings"] for r in rows if r["report_id"] == CPE) == 17


def test_q10_data_sources_by_category(warehouse):
    rows = answer(warehouse, "10_data_sources_by_category.sql")
    assert {r["country"] for r in rows} == {"Kazakhstan"}
    assert "Government" in {r["category"] for r in rows}
    assert any("Bureau of National Statistics / Gender" in r["names"] for r in rows)


def test_improved_indicator_is_not_reported_as_regressed(warehouse):
    rows = answer(warehouse, "02_indicators_regressed.sql")
    assert not set(IMPROVED_2023) & {r["pi_code"] for r in rows}
