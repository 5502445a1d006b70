"""The scorecard marts end to end: refresh a raw folder, then query the published warehouse.

The Kazakhstan 2022 report (PDF and text rendition) is checked against values
read from the report (the literals of `tests/test_scorecard_parser.py`).  A
2023 report with five action-plan columns and changed ratings is then made
with the fixture generator, added to the same raw folder and refreshed, and
the rating history and action plan are checked across both years.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import pytest

from extract.reports.scorecard.template import DIMENSION_BY_NO, INDICATORS
from gewh.analyst.status import warehouse_status
from gewh.settings import REPO_ROOT
from samples.scorecard_pdf import build_scorecard_pdf, synthetic_spec
from tests.unit.test_scorecard_parser import ACTIVITIES, EVIDENCE, PDF, RATINGS, TEAM, TEXT
from tests.warehouse_sql import fetch_all as _query

REPORT_2022 = "scorecard-kazakhstan-2022"
REPORT_2023 = "scorecard-kazakhstan-2023"
SCORE = {"Missing": 0, "Approaches": 1, "Meets": 2, "Exceeds": 3}
# The 2023 report the test writes: what changes against 2022, and what it reassesses.
CHANGED_2023 = {"5.1": "Approaches", "2.2": "Meets", "4.3": "Meets", "6.1": "Meets"}
REASSESSED_2023 = {"5.1", "2.2", "4.3", "6.1", "1.1"}
SCORECARD_MARTS = [
    "fct_indicator_ratings",
    "fct_indicator_rating_history",
    "fct_action_plan_activities",
    "fct_supporting_evidence",
    "fct_means_of_verification",
    "dim_assessment_team",
    "fct_stated_metrics",
    "fct_scorecard_consistency",
]


# `refresh_warehouse` is function-scoped and a refresh takes a while: build each stage once per module.
_BUILT: dict[str, object] = {}


@pytest.fixture
def warehouse_2022(refresh_warehouse, shared_dir, tmp_path_factory) -> Path:
    if "2022" not in _BUILT:
        root = tmp_path_factory.mktemp("scorecard_refresh")
        raw = root / "raw"
        raw.mkdir()
        shutil.copy(shared_dir / PDF, raw / Path(PDF).name)
        shutil.copy(shared_dir / TEXT, raw / "unct-swap-scorecard-kazakhstan-2022.txt")
        target = root / "warehouse" / "gender_equality.duckdb"
        target.parent.mkdir()
        built = refresh_warehouse(raw, target)
        # The next stage refreshes the same warehouse: keep this year's published file apart.
        snapshot = root / "kazakhstan-2022.duckdb"
        shutil.copy(built, snapshot)
        _BUILT.update({"raw": raw, "target": target, "2022": snapshot, "docs": built.parent / "data_docs"})
    return _BUILT["2022"]


@pytest.fixture
def warehouse_2023(warehouse_2022, refresh_warehouse):
    if "2023" not in _BUILT:
        ratings = {code: CHANGED_2023.get(code, rating) for code, (rating, _) in RATINGS.items()}
        reassessed = {code: code in REASSESSED_2023 for code in RATINGS}
        spec = synthetic_spec("Kazakhstan", 2023, year_columns=5, seed=2023, ratings=ratings, reassessed=reassessed)
        build_scorecard_pdf(spec, _BUILT["raw"] / "unct-swap-scorecard-kazakhstan-2023.pdf")
        _BUILT["2023"] = refresh_warehouse(_BUILT["raw"], _BUILT["target"])
        _BUILT["spec"] = spec
    return _BUILT["2023"], _BUILT["spec"]


# -- the 2022 report ---------------------------------------------------------------------------------------------


@pytest.mark.shared
@pytest.mark.slow
def test_both_renditions_load_as_one_report(warehouse_2022):
    # Same report twice: both load; the one seen last is current, the other superseded.
    documents = _query(warehouse_2022, "select file_name, doc_type, status from marts.dim_documents order by 1")
    assert documents == [
        ("unct-swap-scorecard-kazakhstan-2022.pdf", "scorecard", "loaded"),
        ("unct-swap-scorecard-kazakhstan-2022.txt", "scorecard", "loaded"),
    ]
    assert _query(warehouse_2022, "select report_id, country, report_year from marts.dim_reports") == [
        (REPORT_2022, "Kazakhstan", 2022)
    ]


@pytest.mark.shared
@pytest.mark.slow
def test_every_rating_and_reassessed_flag_once(warehouse_2022):
    rows = _query(
        warehouse_2022,
        "select pi_code, rating, rating_score, reassessed, country, assessment_year from marts.fct_indicator_ratings "
        "where report_id = ?",
        [REPORT_2022],
    )
    assert len(rows) == 15
    assert {code: (rating, score, flag) for code, rating, score, flag, _, _ in rows} == {
        code: (rating, SCORE[rating], flag) for code, (rating, flag) in RATINGS.items()
    }
    assert {(country, year) for *_, country, year in rows} == {("Kazakhstan", 2022)}
    criteria = dict(_query(warehouse_2022, "select pi_code, criteria_text from marts.fct_indicator_ratings"))
    assert criteria["1.3"].startswith("Between one-third and one-half (33-50 percent)")
    assert criteria["5.1"] is None


@pytest.mark.shared
@pytest.mark.slow
def test_every_action_plan_cell_once_on_its_indicator_and_year(warehouse_2022):
    rows = _query(
        warehouse_2022,
        "select pi_code, year_index, calendar_year, activity_text, cell_status, is_null_cell "
        "from marts.fct_action_plan_activities where report_id = ?",
        [REPORT_2022],
    )
    assert len(rows) == 60
    cells = {(code, year): rest for code, year, *rest in rows}
    assert len(cells) == 60
    for code, expected_cells in ACTIVITIES.items():
        for year_index, expected in enumerate(expected_cells, start=1):
            calendar_year, text, status, is_null = cells[(code, year_index)]
            assert calendar_year == 2018 + year_index
            if isinstance(expected, str):
                assert (text, status, is_null) == (None, expected, True), (code, year_index)
            else:
                assert text.startswith(expected[0]) and text.endswith(expected[1]), (code, year_index)
                assert not is_null


@pytest.mark.shared
@pytest.mark.slow
def test_every_evidence_document_and_team_member_once(warehouse_2022):
    documents = _query(
        warehouse_2022,
        "select pi_code, category, document_name from marts.fct_supporting_evidence where report_id = ? "
        "order by pi_code, item_no",
        [REPORT_2022],
    )
    assert documents == EVIDENCE
    team = _query(
        warehouse_2022,
        "select member_no, member_name, role, un_entity from marts.dim_assessment_team where report_id = ? "
        "order by member_no",
        [REPORT_2022],
    )
    assert team == TEAM


@pytest.mark.shared
@pytest.mark.slow
def test_stated_percentages_are_checked_against_their_parts(warehouse_2022):
    rows = _query(
        warehouse_2022,
        "select pi_code, value, numerator, denominator, computed_percent, percent_agrees from marts.fct_stated_metrics "
        "where unit = 'percent' and numerator is not null order by pi_code, metric_no",
    )
    assert ("1.3", 49.0, 38.0, 78.0, 48.72, True) in rows
    assert ("1.3", 94.0, 15.0, 16.0, 93.75, True) in rows
    assert {row[-1] for row in rows} == {True}
    staff = _query(
        warehouse_2022, "select value, unit, denominator from marts.fct_stated_metrics where metric = 'staff responded'"
    )
    assert staff == [(178.0, "count", 255.0)]


@pytest.mark.shared
@pytest.mark.slow
def test_every_fact_row_has_provenance(warehouse_2022):
    for mart in SCORECARD_MARTS:
        missing = _query(warehouse_2022, f"select count(*) from marts.{mart} where source_page is null")
        assert missing == [(0,)], mart
    [(kind,)] = _query(warehouse_2022, "select source_kind from marts.dim_reports")
    pages = dict(
        _query(
            warehouse_2022,
            "select pi_code || '/' || year_index, source_page::varchar || '-' || source_page_last::varchar "
            "from marts.fct_action_plan_activities",
        )
    )
    rating_pages = dict(_query(warehouse_2022, "select pi_code, source_page from marts.fct_indicator_ratings"))
    if kind == "pdf":
        assert (pages["2.1/4"], pages["3.1/2"], rating_pages["1.1"]) == ("20-21", "21-22", 5)
    else:
        assert (pages["2.1/4"], pages["6.1/4"], rating_pages["1.1"]) == ("647-649", "678-678", 152)


@pytest.mark.shared
@pytest.mark.slow
def test_consistency_checks_all_agree_and_the_suite_is_in_data_docs(warehouse_2022):
    checks = dict(_query(warehouse_2022, 'select "check", count(*) from marts.fct_scorecard_consistency group by 1'))
    assert checks == {
        "all_indicators_rated": 1,
        "action_plan_columns_read": 1,
        "rating_recognised": 45,
        "indicator_in_framework": 15,
        "stated_once_per_section": 15,
        "overview_matches_detail": 15,
        "reassessed_overview_matches_detail": 15,
        "evidence_matches_rating": 15,
        "percent_matches_parts": 5,
    }
    assert _query(warehouse_2022, "select count(*) from marts.fct_scorecard_consistency where not agrees") == [(0,)]
    pages = list((_BUILT["docs"] / "validations" / "scorecard").rglob("*.html"))
    assert pages, "no Data Docs page for the scorecard suite"
    text = html.unescape(re.sub(r"<[^>]+>", " ", pages[-1].read_text()))
    text = re.sub(r"\s+", " ", text)
    assert "Expectation Suite: scorecard" in text and "Status: Succeeded" in text


# -- a second year -------------------------------------------------------------------------------------------------


@pytest.mark.shared
@pytest.mark.slow
def test_rating_history_across_two_reports(warehouse_2023):
    warehouse, _ = warehouse_2023
    rows = _query(
        warehouse,
        "select pi_code, assessment_year, rating, previous_rating, change, years_since_last_reassessed, report_id "
        "from marts.fct_indicator_rating_history where country = 'Kazakhstan'",
    )
    assert len(rows) == 30
    history = {(code, year): rest for code, year, *rest in rows}
    for code, (rating, reassessed) in RATINGS.items():
        assert history[(code, 2022)] == [rating, None, "first", 0 if reassessed else None, REPORT_2022]
    assert history[("5.1", 2023)][:3] == ["Approaches", "Missing", "improved"]
    assert history[("2.2", 2023)][:3] == ["Meets", "Exceeds", "regressed"]
    assert history[("4.3", 2023)][:3] == ["Meets", "Approaches", "improved"]
    assert history[("6.1", 2023)][:3] == ["Meets", "Approaches", "improved"]
    assert history[("1.2", 2023)][:3] == ["Exceeds", "Exceeds", "unchanged"]
    # Reassessed this year: 0; last reassessed in 2022: 1; never reassessed in a loaded report: null.
    assert history[("2.2", 2023)][3] == 0
    assert history[("3.2", 2023)][3] == 1
    assert history[("1.2", 2023)][3] is None
    assert history[("1.1", 2023)][3] == 0
    assert {rest[-1] for (code, year), rest in history.items() if year == 2023} == {REPORT_2023}


@pytest.mark.shared
@pytest.mark.slow
def test_action_plan_across_two_reports(warehouse_2023):
    warehouse, spec = warehouse_2023
    years = _query(
        warehouse,
        "select report_id, min(calendar_year), max(calendar_year), count(*), count(distinct year_index) "
        "from marts.fct_action_plan_activities group by 1 order by 1",
    )
    assert years == [(REPORT_2022, 2019, 2022, 60, 4), (REPORT_2023, 2019, 2023, 75, 5)]
    cells = {
        (code, year): (text, status)
        for code, year, text, status in _query(
            warehouse,
            "select pi_code, year_index, activity_text, cell_status from marts.fct_action_plan_activities "
            "where report_id = ?",
            [REPORT_2023],
        )
    }
    for code, texts in spec.activities.items():
        for year_index, written in enumerate(texts, start=1):
            expected = {"": (None, "empty"), "N/A": (None, "not_applicable")}.get(written, (written, "reported"))
            assert cells[(code, year_index)] == expected, (code, year_index)
    # Both reports describe 2019-2022 for each indicator; each keeps its own text.
    per_year = _query(
        warehouse,
        "select count(*) from marts.fct_action_plan_activities where calendar_year = 2022",
    )
    assert per_year == [(30,)]
    ratings_2023 = dict(
        _query(warehouse, "select pi_code, rating from marts.fct_indicator_ratings where report_id = ?", [REPORT_2023])
    )
    assert ratings_2023 == {code: CHANGED_2023.get(code, rating) for code, (rating, _) in RATINGS.items()}
