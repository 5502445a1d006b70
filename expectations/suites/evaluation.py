"""Suites on the evaluation marts.

`evaluation` is the consistency suite.  What the pipeline guarantees is
critical: delivery_rate is delivered / budget, every disagreement a check finds
is a flag in `fct_quality_flags`, flags are well formed.  What the *reports*
get wrong (a stated 78 % for 6.3 of 8 million, seven projects in the text and
eight in the table) is a warning: it is reported in Data Docs and in the
refresh summary, and the report is still published with its flags.
"""

import great_expectations as gx

from expectations.suites import SuiteSpec

CHECKS = [
    "delivery_rate_mismatch",
    "budget_restated",
    "portfolio_year_order",
    "portfolio_share_exceeds_total",
    "portfolio_project_count",
    "programme_total_mismatch",
    "programme_share_mismatch",
    "programme_not_in_portfolio",
    "key_figure_conflict",
    "recommendation_attributes_missing",
    "recommendation_without_actions",
    "status_for_unknown_recommendation",
]
SEVERITIES = ["error", "warning", "info"]
LEVELS = ["high", "medium", "low"]

SUITES = [
    SuiteSpec(
        name="evaluation",
        description=(
            "Evaluation consistency: every check on budgets, delivery, the portfolio, programme budgets, key figures "
            "and recommendations either agrees or is a flag in fct_quality_flags. Disagreements are warnings that "
            "name the report, the check, the subject and both values."
        ),
        query="""
            select
                checks.check_id,
                checks.report_id,
                checks."check" as check_name,
                checks.severity,
                checks.agrees,
                case when not checks.agrees then
                    checks.report_id || ' [' || checks."check" || '] ' || checks.subject || ': expected '
                    || coalesce(checks.expected, '?') || ', found ' || coalesce(checks.found, '?')
                end as disagreement,
                checks.agrees or exists (
                    select 1 from marts.fct_quality_flags as flags
                    where flags.area = 'evaluation'
                      and flags.report_id = checks.report_id
                      and flags."check" = checks."check"
                      and flags.subject = checks.subject
                ) as accounted_for
            from marts.fct_evaluation_checks as checks
        """,
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeUnique(column="check_id"),
            gx.expectations.ExpectColumnValuesToBeInSet(column="check_name", value_set=CHECKS),
            gx.expectations.ExpectColumnValuesToBeInSet(column="severity", value_set=SEVERITIES),
            gx.expectations.ExpectColumnValuesToBeInSet(column="accounted_for", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeNull(column="disagreement", severity="warning"),
        ],
    ),
    SuiteSpec(
        name="evaluation_budget_delivery",
        description=(
            "One row per report and budget subject; delivery_rate is delivered / budget; a stated rate that differs "
            "from it by more than its rounding is marked and flagged (delivery_rate_mismatch)."
        ),
        query="""
            select
                budget.budget_id,
                budget.scope,
                budget.budget_usd,
                budget.delivered_usd,
                budget.delivery_rate,
                budget.stated_delivery_rate,
                budget.stated_rate_differs,
                abs(budget.delivery_rate - budget.delivered_usd / budget.budget_usd) < 1e-9 as rate_is_delivered_over_budget,
                budget.period_start <= budget.period_end as period_ordered,
                budget.scope <> 'year' or budget.period_start = budget.period_end as year_is_one_year,
                coalesce(budget.stated_rate_differs, false) = exists (
                    select 1 from marts.fct_quality_flags as flags
                    where flags.report_id = budget.report_id and flags."check" = 'delivery_rate_mismatch'
                      and flags.subject = budget.scope || ' ' || case budget.scope
                          when 'year' then budget.period_start::varchar
                          else budget.period_start::varchar || '–' || budget.period_end::varchar end
                ) as mismatch_flagged_iff_differs
            from marts.fct_budget_delivery as budget
        """,
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeUnique(column="budget_id"),
            gx.expectations.ExpectColumnValuesToBeInSet(column="scope", value_set=["period", "year"]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="rate_is_delivered_over_budget", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="period_ordered", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="year_is_one_year", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="mismatch_flagged_iff_differs", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeBetween(column="budget_usd", min_value=0),
            gx.expectations.ExpectColumnValuesToBeBetween(column="stated_delivery_rate", min_value=0, max_value=2),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="stated_rate_differs", value_set=[False], severity="warning"
            ),
        ],
    ),
    SuiteSpec(
        name="evaluation_portfolio",
        description=(
            "Portfolio projects start no later than they end and the entity share is no more than the total; the "
            "projects the text counts match the table. Violations are warnings and each has a quality flag."
        ),
        query="""
            with counted as (
                select report_id, count(*) as projects from marts.fct_project_portfolio group by all
            ),
            stated as (
                select distinct report_id, value as stated_projects
                from marts.fct_key_figures where figure = 'projects in portfolio'
            )
            select
                portfolio.project_id,
                portfolio.start_year <= portfolio.end_year as years_ordered,
                portfolio.entity_share_usd <= portfolio.total_budget_usd as share_within_total,
                portfolio.duration_years = portfolio.end_year - portfolio.start_year + 1 as duration_follows,
                stated.stated_projects is null or stated.stated_projects = counted.projects as count_matches_text,
                (portfolio.start_year <= portfolio.end_year or portfolio.start_year is null or portfolio.end_year is null
                 or exists (select 1 from marts.fct_quality_flags as flags
                            where flags.report_id = portfolio.report_id and flags."check" = 'portfolio_year_order'
                              and flags.subject = portfolio.project_name))
                and (portfolio.entity_share_usd <= portfolio.total_budget_usd
                     or portfolio.entity_share_usd is null or portfolio.total_budget_usd is null
                     or exists (select 1 from marts.fct_quality_flags as flags
                                where flags.report_id = portfolio.report_id
                                  and flags."check" = 'portfolio_share_exceeds_total'
                                  and flags.subject = portfolio.project_name))
                and (stated.stated_projects is null or stated.stated_projects = counted.projects
                     or exists (select 1 from marts.fct_quality_flags as flags
                                where flags.report_id = portfolio.report_id
                                  and flags."check" = 'portfolio_project_count')) as violations_flagged,
                portfolio.donor_type
            from marts.fct_project_portfolio as portfolio
            inner join counted using (report_id)
            left join stated using (report_id)
        """,
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeUnique(column="project_id"),
            gx.expectations.ExpectColumnValuesToBeInSet(column="duration_follows", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="violations_flagged", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="donor_type",
                value_set=[
                    "government ministry",
                    "EU",
                    "UN agency",
                    "development bank",
                    "bilateral government",
                    "foundation",
                    "private sector",
                    "other",
                ],
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(column="years_ordered", value_set=[True], severity="warning"),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="share_within_total", value_set=[True], severity="warning"
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="count_matches_text", value_set=[True], severity="warning"
            ),
        ],
    ),
    SuiteSpec(
        name="evaluation_recommendations",
        description=(
            "Recommendations are numbered from 1 without gaps, n_actions counts their actions, and attribute levels "
            "are high / medium / low; every recommendation and action has a tracking row."
        ),
        query="""
            select
                recommendations.recommendation_id,
                recommendations.rec_no,
                recommendations.priority,
                recommendations.impact,
                recommendations.difficulty,
                recommendations.rec_no <= count(*) over (partition by recommendations.report_id) as numbered_without_gaps,
                recommendations.n_actions = (
                    select count(*) from marts.fct_recommendation_actions as actions
                    where actions.recommendation_id = recommendations.recommendation_id
                ) as n_actions_counts_actions,
                exists (
                    select 1 from marts.fct_recommendation_status as status
                    where status.status_id = recommendations.recommendation_id
                ) as tracked
            from marts.fct_recommendations as recommendations
        """,
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeUnique(column="recommendation_id"),
            gx.expectations.ExpectColumnValuesToBeInSet(column="numbered_without_gaps", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="n_actions_counts_actions", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="tracked", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="priority", value_set=LEVELS, severity="warning"),
            gx.expectations.ExpectColumnValuesToBeInSet(column="impact", value_set=LEVELS, severity="warning"),
            gx.expectations.ExpectColumnValuesToBeInSet(column="difficulty", value_set=LEVELS, severity="warning"),
        ],
    ),
    SuiteSpec(
        name="quality_flags",
        description="Every quality flag (all areas) names its area, check, subject and a known severity.",
        query='select flag_id, area, "check" as check_name, subject, severity from marts.fct_quality_flags',
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeUnique(column="flag_id"),
            gx.expectations.ExpectColumnValuesToNotBeNull(column="area"),
            gx.expectations.ExpectColumnValuesToNotBeNull(column="check_name"),
            gx.expectations.ExpectColumnValuesToNotBeNull(column="subject"),
            gx.expectations.ExpectColumnValuesToBeInSet(column="severity", value_set=SEVERITIES),
        ],
    ),
]
