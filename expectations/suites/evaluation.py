"""Suites on the evaluation marts.

`evaluation` is the publish gate on `fct_evaluation_checks`: every
disagreement a check finds is a flag in `fct_quality_flags`, and the checks'
`severity` decides what it means.  What the *reports* get wrong (a stated 78 %
for 6.3 of 8 million, seven projects in the text and eight in the table) is
not critical: it is reported in Data Docs and in the refresh summary, and the
report is still published with its flags.  The other suites check that the
marts and the flags agree with each other; the structural rules on each mart
are dbt tests.
"""

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity

from expectations.suites import SuiteSpec, consistency_suite

SUITES = [
    consistency_suite(
        name="evaluation",
        area="evaluation",
        checks_mart="fct_evaluation_checks",
        description=(
            "Evaluation consistency: every check on budgets, delivery, the portfolio, programme budgets, key figures "
            "and recommendations either agrees or is a flag in fct_quality_flags. Disagreements are reported by "
            "severity and name the report, the check, the subject and both values."
        ),
    ),
    SuiteSpec(
        name="evaluation_budget_delivery",
        asset="marts.fct_budget_delivery",
        description=(
            "delivery_rate is delivered / budget; a stated rate that differs from it by more than its rounding is "
            "marked and flagged (delivery_rate_mismatch)."
        ),
        query="""
            select
                budget.budget_id,
                budget.stated_rate_differs,
                abs(budget.delivery_rate - budget.delivered_usd / budget.budget_usd) < 1e-9 as rate_is_delivered_over_budget,
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
            gx.expectations.ExpectColumnValuesToBeInSet(column="rate_is_delivered_over_budget", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="mismatch_flagged_iff_differs", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="stated_rate_differs", value_set=[False], severity=FailureSeverity.WARNING
            ),
        ],
    ),
    SuiteSpec(
        name="evaluation_portfolio",
        asset="marts.fct_project_portfolio",
        description=(
            "Every portfolio project that ends before it starts or whose entity share exceeds its total, and every "
            "report whose text counts other projects than its table, has its quality flag."
        ),
        query="""
            with counted as (
                select report_id, count(*) as projects from marts.fct_project_portfolio group by all
            ),
            -- One row per report: a report may state its number of projects twice, with two values.
            stated as (
                select report_id, min(value) as fewest_stated, max(value) as most_stated
                from marts.fct_key_figures where figure = 'projects in portfolio' group by report_id
            )
            select
                portfolio.project_id,
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
                and (stated.fewest_stated is null
                     or (stated.fewest_stated = counted.projects and stated.most_stated = counted.projects)
                     or exists (select 1 from marts.fct_quality_flags as flags
                                where flags.report_id = portfolio.report_id
                                  and flags."check" = 'portfolio_project_count')) as violations_flagged
            from marts.fct_project_portfolio as portfolio
            inner join counted using (report_id)
            left join stated using (report_id)
        """,
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeInSet(column="violations_flagged", value_set=[True]),
        ],
    ),
    SuiteSpec(
        name="evaluation_recommendations",
        asset="marts.fct_recommendations",
        description=(
            "Recommendations are numbered from 1 without gaps and n_actions counts their actions in "
            "fct_recommendation_actions."
        ),
        query="""
            select
                recommendations.recommendation_id,
                recommendations.rec_no <= count(*) over (partition by recommendations.report_id) as numbered_without_gaps,
                recommendations.n_actions = (
                    select count(*) from marts.fct_recommendation_actions as actions
                    where actions.recommendation_id = recommendations.recommendation_id
                ) as n_actions_counts_actions
            from marts.fct_recommendations as recommendations
        """,
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeInSet(column="numbered_without_gaps", value_set=[True]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="n_actions_counts_actions", value_set=[True]),
        ],
    ),
]
