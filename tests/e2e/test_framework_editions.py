"""Scorecards of two framework editions for one country (issue 14, Required 6): a 2018-edition report and two
2023-edition reports of Peru, generated.  The 2023 indicator list is not held by the project, so the 2023
reports' indicators load under the names they print, each flagged; history compares the two 2023 reports
and calls every 2018 → 2023 pair not_comparable (the crosswalk maps none), never improved or regressed.
Expected values are written out from the generated content.
"""

from __future__ import annotations

import duckdb
import pytest

from extract.reports.scorecard.template import EDITIONS, INDICATORS, PerformanceIndicator
from samples.scorecard_pdf import build_scorecard_pdf, build_scorecard_text, synthetic_spec

pytestmark = pytest.mark.slow

# A made-up 2023-edition list for the test (the project holds none): three codes the 2018 list has, one it
# lacks (2.4), under names the reports print.
INDICATORS_2023 = (
    PerformanceIndicator("1.1", "Common Country Analysis", "The analysis integrates gender equality"),
    PerformanceIndicator("2.1", "Joint Programmes", "Joint programmes address gender inequalities"),
    PerformanceIndicator("2.4", "Gender Data and Statistics", "The UNCT supports gender statistics"),
    PerformanceIndicator("7.1", "Results for Women and Girls", "The UN contributes to gender equality results"),
)
RATINGS_2024 = {"1.1": "Missing", "2.1": "Meets", "2.4": "Approaches", "7.1": "Meets"}
RATINGS_2025 = {"1.1": "Approaches", "2.1": "Meets", "2.4": "Missing", "7.1": "Exceeds"}
RATINGS_2022 = {pi.code: "Meets" for pi in INDICATORS}


@pytest.fixture(scope="module")
def editions(run_refresh, tmp_path_factory: pytest.TempPathFactory):
    raw = tmp_path_factory.mktemp("editions-raw")
    dimensions_2023 = EDITIONS["unct_swap_2023"].dimensions
    build_scorecard_pdf(
        synthetic_spec("Peru", 2022, year_columns=3, seed=5, ratings=RATINGS_2022, long_cells=False),
        raw / "peru-2022.pdf",
    )
    for year, ratings, build in ((2024, RATINGS_2024, build_scorecard_pdf), (2025, RATINGS_2025, build_scorecard_text)):
        spec = synthetic_spec(
            "Peru",
            year,
            year_columns=2,
            seed=year,
            ratings=ratings,
            long_cells=False,
            indicators=INDICATORS_2023,
            dimensions=dimensions_2023,
        )
        build(spec, raw / f"peru-{year}.{'pdf' if build is build_scorecard_pdf else 'txt'}")
    return run_refresh(raw, tmp_path_factory.mktemp("editions-warehouse") / "gender_equality.duckdb")


def _query(summary, sql: str) -> list[tuple]:
    with duckdb.connect(str(summary.warehouse), read_only=True) as connection:
        return connection.sql(sql).fetchall()


def test_each_report_carries_its_edition_and_publishes(editions):
    assert editions.published, editions.reason
    assert _query(
        editions,
        "select report_id, status, framework_edition, framework_edition_basis from marts.dim_reports order by all",
    ) == [
        # The 2018 report prints no phrase of its own edition; its assessment year is one of that edition's.
        ("scorecard-peru-2022", "published", "unct_swap_2018", "assessment_year"),
        # The 2023 reports print their edition's dimension names.
        ("scorecard-peru-2024", "published", "unct_swap_2023", "stated"),
        ("scorecard-peru-2025", "published", "unct_swap_2023", "stated"),
    ]


def test_history_compares_only_the_same_indicator(editions):
    rows = _query(
        editions,
        "select assessment_year, framework_edition, pi_code, previous_assessment_year, change "
        "from marts.fct_indicator_rating_history order by all",
    )
    history = {(year, code): (edition, previous, change) for year, edition, code, previous, change in rows}
    assert len(rows) == 15 + 4 + 4
    assert {history[(2022, pi.code)][2] for pi in INDICATORS} == {"first"}
    # 2024: the codes the 2018 report rated are another edition's indicators; 2.4 is new.
    assert [history[(2024, code)] for code in ("1.1", "2.1", "2.4", "7.1")] == [
        ("unct_swap_2023", 2022, "not_comparable"),
        ("unct_swap_2023", 2022, "not_comparable"),
        ("unct_swap_2023", None, "first"),
        ("unct_swap_2023", 2022, "not_comparable"),
    ]
    # 2025 against 2024, the same edition: Missing → Approaches, Meets → Meets, Approaches → Missing, Meets → Exceeds.
    assert [history[(2025, code)][1:] for code in ("1.1", "2.1", "2.4", "7.1")] == [
        (2024, "improved"),
        (2024, "unchanged"),
        (2024, "regressed"),
        (2024, "improved"),
    ]


def test_indicators_the_edition_does_not_list_load_under_their_printed_names_and_are_flagged(editions):
    assert _query(
        editions,
        "select pi_code, pi_name, dimension_name, name_source from marts.dim_performance_indicators "
        "where framework_edition = 'unct_swap_2023' order by all",
    ) == [
        ("1.1", "Common Country Analysis", "Planning", "report"),
        ("2.1", "Joint Programmes", "Programming, Monitoring, Evaluation and Learning", "report"),
        ("2.4", "Gender Data and Statistics", "Programming, Monitoring, Evaluation and Learning", "report"),
        ("7.1", "Results for Women and Girls", "Results", "report"),
    ]
    flags = _query(
        editions,
        "select report_id, subject, severity from marts.fct_quality_flags where \"check\" = 'indicator_in_framework' "
        "order by all",
    )
    assert flags == [
        (report_id, f"PI {code}", "warning")
        for report_id in ("scorecard-peru-2024", "scorecard-peru-2025")
        for code in ("1.1", "2.1", "2.4", "7.1")
    ]
    ratings = _query(
        editions,
        "select report_id, pi_code, rating, in_framework from marts.fct_indicator_ratings "
        "where report_id = 'scorecard-peru-2025' order by all",
    )
    assert ratings == [("scorecard-peru-2025", code, RATINGS_2025[code], False) for code in sorted(RATINGS_2025)]


def test_the_2018_report_rates_its_whole_list_without_a_flag(editions):
    assert _query(
        editions,
        "select count(*), bool_and(in_framework) from marts.fct_indicator_ratings "
        "where report_id = 'scorecard-peru-2022'",
    ) == [(15, True)]
    assert _query(
        editions,
        "select count(*) from marts.fct_quality_flags where report_id = 'scorecard-peru-2022' and area = 'scorecard'",
    ) == [(0,)]


def test_completeness_counts_the_indicators_each_edition_expects(editions):
    # The 2018 list is held (15); the 2023 reports are measured against what they rate themselves (4).
    assert _query(
        editions,
        "select report_id, found, expected from marts.fct_report_completeness where part = 'overview rows' "
        "order by all",
    ) == [("scorecard-peru-2022", 15, 15), ("scorecard-peru-2024", 4, 4), ("scorecard-peru-2025", 4, 4)]
