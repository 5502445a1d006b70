"""The evaluation marts end to end (reports in a raw folder → refresh → published warehouse), and the
`evaluation` suites on hand-made mart rows.

One warehouse holds the Kazakhstan CPE (PDF), the Liberia ICPE and two
generated CPEs: Moldova, consistent throughout (it must raise no flag), and
Georgia, with one deliberate inconsistency per check.  A second warehouse
holds the Kazakhstan text rendition (it has the same report_id as the PDF, so
the two cannot be current together).  Both are shared with other modules
(tests/warehouse/reference.py).  Expected values are read from the reports by
hand or set in the generated specs.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from expectations.suites.evaluation import SUITES
from gewh.refresh.data_docs import escape_stored_values
from samples.evaluation_pdf import ProjectSpec, build_evaluation_pdf, synthetic_spec
from tests.warehouse.reference import georgia_spec
from tests.warehouse_sql import fetch_all as query

CPE = "evaluation-kazakhstan-2016-2020"
ICPE = "evaluation-liberia-2020-2024"
MOLDOVA = "evaluation-moldova-2018-2022"
GEORGIA = "evaluation-georgia-2017-2021"
M = 1_000_000


@pytest.fixture(scope="module")
def warehouse(evaluation_refresh) -> Path:
    assert evaluation_refresh.published, evaluation_refresh.render()
    return evaluation_refresh.warehouse


@pytest.fixture(scope="module")
def text_warehouse(renditions_warehouse) -> Path:
    return renditions_warehouse


@pytest.mark.shared
@pytest.mark.slow
def test_every_evaluation_is_current_with_its_counts(warehouse):
    rows = query(
        warehouse,
        "select report_id, entity, office, period_start, period_end, n_findings, n_recommendations, n_actions, "
        "n_lessons, n_conclusions, n_projects from marts.dim_evaluations order by report_id",
    )
    moldova = synthetic_spec("Moldova", 2018, 2022, seed=3)
    assert rows == [
        (GEORGIA, "UN Women", "UN Women Georgia Country Office", 2017, 2021, *_counts(georgia_spec())),
        (CPE, "UN Women", "UN Women Kazakhstan Country Office", 2016, 2020, 17, 8, 33, 9, 5, 8),
        (ICPE, "UNDP", "UNDP Liberia Country Office", 2020, 2024, 16, 6, 18, 0, 6, 0),
        (MOLDOVA, "UN Women", "UN Women Moldova Country Office", 2018, 2022, *_counts(moldova)),
    ]


def _counts(spec) -> tuple:
    return (
        len(spec.findings),
        len(spec.recommendations),
        sum(len(r.actions) for r in spec.recommendations),
        len(spec.lessons),
        len(spec.conclusions),
        len(spec.projects),
    )


@pytest.mark.shared
@pytest.mark.slow
def test_cpe_budget_and_delivery(warehouse):
    rows = query(
        warehouse,
        "select scope, period_start, period_end, budget_usd, delivered_usd, round(delivery_rate, 4), stated_delivery_rate, "
        "stated_rate_differs, statements, country, office, source_page, source_page_last "
        "from marts.fct_budget_delivery where report_id = ? order by scope, period_start",
        [CPE],
    )
    office = "UN Women Kazakhstan Country Office"
    assert rows == [
        ("period", 2016, 2020, 8 * M, 6.3 * M, 0.7875, 0.78, True, 3, "Kazakhstan", office, 9, 9),
        ("year", 2016, 2016, 1.93 * M, None, None, None, None, 1, "Kazakhstan", office, 9, 10),
        ("year", 2020, 2020, 1.62 * M, None, None, None, None, 1, "Kazakhstan", office, 9, 10),
    ]
    assert query(
        warehouse, "select scope, budget_usd, delivered_usd from marts.fct_budget_delivery where report_id = ?", [ICPE]
    ) == [("period", 165 * M, None)]


@pytest.mark.shared
@pytest.mark.slow
def test_cpe_portfolio(warehouse):
    rows = query(
        warehouse,
        "select project_no, start_year, end_year, duration_years, donor_type, entity_share_usd, total_budget_usd, source_page "
        "from marts.fct_project_portfolio where report_id = ? order by project_no",
        [CPE],
    )
    assert rows == [
        (1, 2019, 2021, 3, "government ministry", 1.8 * M, 1.8 * M, 15),
        (2, 2019, 2019, 1, "government ministry", 150_000, 150_000, 15),
        (3, 2020, 2021, 2, "government ministry", 100_000, 100_000, 15),
        (4, 2017, 2018, 2, "government ministry", 335_000, 335_000, 15),
        (5, 2017, 2018, 2, "government ministry", 433_000, 433_000, 15),
        (6, 2020, 2021, 2, "government ministry", 159_145, 159_145, 15),
        (7, 2020, 2022, 3, "EU", 2_541_617, 4_248_584, 15),
        (8, 2019, 2025, 7, "EU", 102_284, 2_238_400, 15),
    ]


@pytest.mark.shared
@pytest.mark.slow
def test_cpe_findings_recommendations_lessons_conclusions(warehouse):
    criteria = dict(
        query(warehouse, "select criterion, count(*) from marts.fct_findings where report_id = ? group by all", [CPE])
    )
    assert criteria == {"Relevance": 3, "Coherence": 4, "Effectiveness": 4, "Efficiency": 3, "Sustainability": 3}
    recommendations = query(
        warehouse,
        "select rec_no, priority, impact, difficulty, timeframe, timeframe_start_year, timeframe_end_year, n_actions "
        "from marts.fct_recommendations where report_id = ? order by rec_no",
        [CPE],
    )
    assert recommendations == [
        (1, "high", "high", "medium", "IMMEDIATELY", None, None, 5),
        (2, "medium", "medium", "high", "2021-2022", 2021, 2022, 4),
        (3, "high", "high", "medium", "Aligned with new SN", None, None, 3),
        (4, "high", "high", "low", "2021-2024", 2021, 2024, 4),
        (5, "high", "high", "low", "2021", 2021, 2021, 4),
        (6, "high", "high", "low", "IMMEDIATELY", None, None, 4),
        (7, "high", "medium", "low", "IMMEDIATELY", None, None, 5),
        (8, "high", "high", "medium", "2021-2024", 2021, 2024, 4),
    ]
    assert query(warehouse, "select count(*) from marts.fct_recommendation_actions where report_id = ?", [CPE]) == [
        (33,)
    ]
    assert query(warehouse, "select count(*), max(lesson_no) from marts.fct_lessons where report_id = ?", [CPE]) == [
        (9, 9)
    ]
    assert query(
        warehouse, "select count(*), max(conclusion_no) from marts.fct_conclusions where report_id = ?", [CPE]
    ) == [(5, 5)]


@pytest.mark.shared
@pytest.mark.slow
def test_cpe_key_figures(warehouse):
    rows = dict(
        query(
            warehouse,
            "select figure, list(value order by figure_no) from marts.fct_key_figures where report_id = ? "
            "and figure in ('interviewees: women', 'interviewees: men', 'survey sample', 'survey respondents', "
            "'documents reviewed', 'population') group by figure",
            [CPE],
        )
    )
    assert rows == {
        "interviewees: women": [19],
        "interviewees: men": [6],
        "survey sample": [52],
        "survey respondents": [19],
        "documents reviewed": [180, 180, 180],
        "population": [18.2 * M, 18.8 * M],
    }


@pytest.mark.shared
@pytest.mark.slow
def test_cpe_quality_flags(warehouse):
    flags = query(
        warehouse,
        'select "check", subject, expected, found, severity, source_page from marts.fct_quality_flags '
        'where report_id = ? order by "check", source_page',
        [CPE],
    )
    spotlight = "Spotlight Initiative Regional Programme for Central Asia and Afghanistan"
    assert flags == [
        ("delivery_rate_mismatch", "period 2016–2020", "78.75% (US$6,300,000 of US$8,000,000)", "78%", "warning", 9),
        ("key_figure_conflict", "personnel (2018)", "6 people (page 2)", "6 / 8", "warning", 2),
        ("key_figure_conflict", "population", "18,200,000 people (page 5)", "18,200,000 / 18,800,000", "warning", 5),
        (
            "portfolio_project_count",
            "projects in the portfolio",
            "8 rows in the portfolio table",
            "7 projects, as the text states 3 times",
            "warning",
            13,
        ),
        (
            "programme_total_mismatch",
            spotlight,
            "US$4,248,584 (portfolio table, page 15)",
            "US$4,400,000",
            "warning",
            10,
        ),
    ]
    # The report states the programme's total on page 10 and again on page 16: one claim, one flag, both pages.
    assert query(
        warehouse,
        "select source_page, source_page_last from marts.fct_quality_flags "
        "where report_id = ? and \"check\" = 'programme_total_mismatch'",
        [CPE],
    ) == [(10, 16)]
    # The UN Women share the text states (US$2.5 million) agrees with the table (US$2,541,617) within rounding.
    assert query(
        warehouse,
        "select count(*), bool_and(agrees) from marts.fct_evaluation_checks where report_id = ? and \"check\" = 'programme_share_mismatch'",
        [CPE],
    ) == [(1, True)]


@pytest.mark.shared
@pytest.mark.slow
def test_a_consistent_report_raises_no_flag(warehouse):
    assert query(warehouse, "select count(*) from marts.fct_quality_flags where report_id = ?", [MOLDOVA]) == [(0,)]
    checks = dict(
        query(
            warehouse,
            'select "check", count(*) from marts.fct_evaluation_checks where report_id = ? group by all',
            [MOLDOVA],
        )
    )
    assert {
        "delivery_rate_mismatch",
        "portfolio_project_count",
        "programme_total_mismatch",
        "portfolio_year_order",
    } <= set(checks)


@pytest.mark.shared
@pytest.mark.slow
def test_each_inconsistency_is_a_named_flag(warehouse):
    flags = {
        check: (subject, expected, found, severity)
        for check, subject, expected, found, severity in query(
            warehouse,
            'select "check", subject, expected, found, severity from marts.fct_quality_flags where report_id = ?',
            [GEORGIA],
        )
    }
    assert set(flags) == {
        "delivery_rate_mismatch",
        "portfolio_project_count",
        "portfolio_year_order",
        "portfolio_share_exceeds_total",
        "programme_total_mismatch",
    }
    assert flags["delivery_rate_mismatch"] == (
        "period 2017–2021",
        "60.00% (US$6,000,000 of US$10,000,000)",
        "70%",
        "warning",
    )
    assert flags["portfolio_project_count"][1:3] == ("4 rows in the portfolio table", "5 projects, as the text states once")
    assert flags["portfolio_year_order"] == (
        "Project with its years reversed",
        "start_year <= end_year",
        "2021 – 2019",
        "error",
    )
    assert flags["portfolio_share_exceeds_total"][0] == "Joint project with a share above its total"
    assert flags["portfolio_share_exceeds_total"][3] == "error"


@pytest.mark.shared
@pytest.mark.slow
def test_recommendation_tracking_rows(warehouse):
    assert query(
        warehouse,
        "select count(*) filter (where action_no is null), count(*) filter (where action_no is not null), "
        "list(distinct status) from marts.fct_recommendation_status where report_id = ?",
        [CPE],
    ) == [(8, 33, ["not reported"])]
    # The ICPE prints a management response for each recommendation.
    assert query(
        warehouse,
        "select rec_no, management_response, updates from marts.fct_recommendation_status "
        "where report_id = ? and action_no is null order by rec_no",
        [ICPE],
    ) == [(n, "accepted", 1) for n in range(1, 7)]


@pytest.mark.shared
@pytest.mark.slow
def test_text_rendition_loads_the_same_facts_with_line_numbers(text_warehouse):
    assert query(text_warehouse, "select source_kind from marts.dim_reports where report_id = ?", [CPE]) == [("text",)]
    assert query(
        text_warehouse,
        "select n_findings, n_recommendations, n_actions, n_lessons, n_conclusions, n_projects, n_quality_flags "
        "from marts.dim_evaluations where report_id = ?",
        [CPE],
    ) == [(17, 8, 33, 9, 5, 8, 5)]  # the 5 flags of test_cpe_quality_flags
    assert query(
        text_warehouse,
        "select source_page, source_page_last from marts.fct_findings where finding_id = ?",
        [f"{CPE}/1"],
    ) == [(771, 773)]
    assert query(
        text_warehouse,
        "select budget_usd, delivered_usd, stated_delivery_rate, source_page from marts.fct_budget_delivery "
        "where report_id = ? and scope = 'period'",
        [CPE],
    ) == [(8 * M, 6.3 * M, 0.78, 563)]
    # Flags name lines, not pages, for a text rendition.
    assert query(
        text_warehouse,
        "select expected from marts.fct_quality_flags where report_id = ? and \"check\" = 'programme_total_mismatch' limit 1",
        [CPE],
    ) == [("US$4,248,584 (portfolio table, line 851)",)]


# --- the suites on hand-made rows ------------------------------------------------------------------------


def _suite(name: str):
    return next(spec for spec in SUITES if spec.name == name)


def _validate(name: str, ddl: list[str]) -> set[str]:
    """Failed expectations of suite ``name`` (`type:column`, warnings marked) on a database built by ``ddl``."""
    failed = set()
    for outcome in _validation(name, ddl).results:
        if not outcome.success:
            config = outcome.expectation_config
            severity = "" if str(config.severity).lower().endswith("critical") else " (warning)"
            failed.add(f"{config.type}:{config.kwargs.get('column')}{severity}")
    return failed


def _validation(name: str, ddl: list[str]):
    """Suite ``name``'s validation result on a database built by ``ddl``."""
    import great_expectations as gx

    con = duckdb.connect()
    for statement in ["create schema marts", *ddl]:
        con.execute(statement)
    spec = _suite(name)
    frame = con.sql(spec.query).df()
    con.close()
    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_pandas("marts").add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
    )
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=spec.expectations()))
    return context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite)).run(
        batch_parameters={"dataframe": frame}
    )


_FLAGS_DDL = (
    'create table marts.fct_quality_flags (flag_id varchar, area varchar, report_id varchar, "check" varchar, '
    "subject varchar, expected varchar, found varchar, severity varchar, source_page integer, source_page_last integer)"
)
_BUDGET_DDL = (
    "create table marts.fct_budget_delivery as select * from (values "
    "('r/period/2016–2020', 'r', 'period', 2016, 2020, 8000000.0, 6300000.0, 0.7875, 0.78, true)) "
    "as t(budget_id, report_id, scope, period_start, period_end, budget_usd, delivered_usd, delivery_rate, "
    "stated_delivery_rate, stated_rate_differs)"
)
_FLAG = "insert into marts.fct_quality_flags values ('f', 'evaluation', 'r', 'delivery_rate_mismatch', 'period 2016–2020', '78.75%', '78%', 'warning', 9, 9)"


def test_budget_suite_reports_a_flagged_mismatch_as_a_warning():
    assert _validate("evaluation_budget_delivery", [_FLAGS_DDL, _BUDGET_DDL, _FLAG]) == {
        "expect_column_values_to_be_in_set:stated_rate_differs (warning)"
    }


def test_budget_suite_fails_an_unflagged_mismatch_and_a_wrong_rate():
    failed = _validate(
        "evaluation_budget_delivery",
        [_FLAGS_DDL, _BUDGET_DDL, "update marts.fct_budget_delivery set delivery_rate = 0.8"],
    )
    assert "expect_column_values_to_be_in_set:mismatch_flagged_iff_differs" in failed
    assert "expect_column_values_to_be_in_set:rate_is_delivered_over_budget" in failed


def test_consistency_suite_requires_a_flag_for_each_disagreement():
    checks = (
        "create table marts.fct_evaluation_checks as select * from (values "
        "('r/portfolio_project_count/1', 'r', 'portfolio_project_count', 'projects in the portfolio', '8 rows', '7', false, 'warning', "
        "'r [portfolio_project_count] projects in the portfolio: expected 8 rows, found 7', 13, 13)) "
        'as t(check_id, report_id, "check", subject, expected, found, agrees, severity, disagreement, source_page, '
        "source_page_last)"
    )
    unflagged = _validate("evaluation", [_FLAGS_DDL, checks])
    assert unflagged == {
        "expect_column_values_to_be_in_set:accounted_for",
        "expect_column_values_to_be_null:disagreement (warning)",
    }
    flag = "insert into marts.fct_quality_flags values ('f', 'evaluation', 'r', 'portfolio_project_count', 'projects in the portfolio', '8 rows', '7', 'warning', 13, 13)"
    assert _validate("evaluation", [_FLAGS_DDL, checks, flag]) == {
        "expect_column_values_to_be_null:disagreement (warning)"
    }


def test_report_text_in_a_failed_value_is_shown_as_text_in_data_docs(tmp_path):
    """A disagreement quotes the report; Data Docs shows the quote as text, never as markup a browser runs (GX
    writes found values into its pages as they are: the stored results are escaped before pages are built)."""
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResultSchema
    from great_expectations.render.renderer import ValidationResultsPageRenderer
    from great_expectations.render.view import DefaultJinjaPageView

    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> M&E"
    checks = (
        "create table marts.fct_evaluation_checks as select * from (values "
        "('r/key_figure_conflict/1', 'r', 'key_figure_conflict', 'population', '1', '2', false, 'warning', "
        f"'{hostile}', 5, 5)) "
        'as t(check_id, report_id, "check", subject, expected, found, agrees, severity, disagreement, source_page, '
        "source_page_last)"
    )
    flag = "insert into marts.fct_quality_flags values ('f', 'evaluation', 'r', 'key_figure_conflict', 'population', '1', '2', 'warning', 5, 5)"
    stored = tmp_path / "evaluation" / "refresh r" / "20261130T000000Z" / "warehouse-marts.fct_evaluation_checks.json"
    stored.parent.mkdir(parents=True)
    stored.write_text(json.dumps(_validation("evaluation", [_FLAGS_DDL, checks, flag]).to_json_dict()))

    def page() -> str:
        # GX's site builder renders each stored result with this renderer and view.
        result = ExpectationSuiteValidationResultSchema().load(json.loads(stored.read_text()))
        return DefaultJinjaPageView().render(ValidationResultsPageRenderer().render(result))

    assert "<script>alert(1)" in page(), "GX itself leaves the value as markup"
    for _ in range(2):  # escaping a second time changes nothing
        escape_stored_values(tmp_path)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; M&amp;E" in page()
        assert "<script>alert(1)" not in page() and "<img src=x" not in page()
