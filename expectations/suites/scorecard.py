"""Suites on the UNCT-SWAP scorecard marts.

`scorecard` validates `marts.fct_scorecard_consistency`: every check there
must agree, and a failure lists the `disagreement` messages, which name the
report, the indicator and both values.  `scorecard_ratings` and
`scorecard_action_plan` check the contract columns of the two main facts.
"""

import great_expectations as gx

from expectations.suites import SuiteSpec

RATINGS = ["Missing", "Approaches", "Meets", "Exceeds"]
PI_CODES = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2", "4.3", "5.1", "5.2", "6.1", "7.1"]
CHECKS = [
    "fifteen_ratings",
    "rating_recognised",
    "stated_once_per_section",
    "overview_matches_detail",
    "reassessed_overview_matches_detail",
    "evidence_matches_rating",
    "percent_matches_parts",
]

SUITES = [
    SuiteSpec(
        name="scorecard",
        description=(
            "Each scorecard has 15 valid ratings; overview table, detailed findings and evidence section agree on "
            "every indicator's rating and reassessed flag; stated percentages agree with their parts. A failure "
            "lists the disagreements by report, indicator and both values."
        ),
        query="""
            select check_id, report_id, check_name, pi_code, left_source, left_value, right_source, right_value,
                   agrees, source_page,
                   case when check_name <> 'percent_matches_parts' then disagreement end as rating_disagreement,
                   case when check_name = 'percent_matches_parts' then disagreement end as percent_disagreement
            from marts.fct_scorecard_consistency
        """,
        # Ratings that disagree stop the publish; a report's own percentage arithmetic is flagged
        # (marts.fct_quality_flags) and reported as a warning, not hidden and not blocking.
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeNull(column="rating_disagreement"),
            gx.expectations.ExpectColumnValuesToBeNull(column="percent_disagreement", severity="warning"),
            gx.expectations.ExpectColumnValuesToBeInSet(column="check_name", value_set=CHECKS),
            gx.expectations.ExpectColumnValuesToBeUnique(column="check_id"),
        ],
    ),
    SuiteSpec(
        name="scorecard_ratings",
        description="One valid rating per report and indicator, scored 0–3, on the template's 15 indicators.",
        query="select report_id, pi_code, rating, rating_score, reassessed from marts.fct_indicator_ratings",
        expectations=lambda: [
            gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=["report_id", "pi_code"]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="rating", value_set=RATINGS),
            gx.expectations.ExpectColumnValuesToBeBetween(column="rating_score", min_value=0, max_value=3),
            gx.expectations.ExpectColumnValuesToBeInSet(column="pi_code", value_set=PI_CODES),
        ],
    ),
    SuiteSpec(
        name="scorecard_action_plan",
        description=(
            "One row per report, indicator and year column; calendar years follow from the report year; a null "
            "activity always says why (empty, not applicable, no cell)."
        ),
        query="""
            select report_id, pi_code, year_index, calendar_year, assessment_year, year_columns, cell_status,
                   activity_text is null as is_null,
                   calendar_year = assessment_year - year_columns + year_index as calendar_year_follows,
                   case cell_status
                       when 'reported' then activity_text is not null
                       when 'not_applicable' then true
                       else activity_text is null
                   end as null_has_status
            from marts.fct_action_plan_activities
        """,
        expectations=lambda: [
            gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=["report_id", "pi_code", "year_index"]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="pi_code", value_set=PI_CODES),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="cell_status", value_set=["reported", "not_applicable", "empty", "no_cell"]
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(column="calendar_year_follows", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="null_has_status", value_set=[True]),
        ],
    ),
]
