{#
  How much of its template each candidate document yielded: one row per document and template part, with
  the items found and the items the template (or the report itself) says are there.  A part the report has
  no sign of (no evidence section, no action lists) has no row: nothing is known to be missing.
    scorecard  overview rows: indicators Table 1 rates / the indicators of the report's framework edition
               (where the project holds its list; else the indicators any section of the report rates, at
               least one)
               action-plan cells: cells read / those indicators × the plan's year columns (one per indicator
               when no year column was read)
               evidence documents: indicators whose evidence section lists a document / indicators with an
               evidence section
    evaluation portfolio rows: rows with start and end year and an amount / rows (at least the smallest
               number of projects the text states)
               recommendations with actions: recommendations with an action read / recommendations, where
               the report lists actions for any
#}
with scorecards as (
    select * from {{ ref('int_scorecard__documents') }}
),

evaluations as (
    select * from {{ ref('int_evaluation__documents') }}
),

rating_statements as (
    select * from {{ ref('stg_scorecard__rating_statements') }}
),

action_plan as (
    select * from {{ ref('stg_scorecard__action_plan_activities') }}
),

evidence_documents as (
    select * from {{ ref('stg_scorecard__evidence_documents') }}
),

editions as (
    select * from {{ ref('framework_editions') }}
),

portfolio as (
    select * from {{ ref('int_evaluation__portfolio') }}
),

key_figures as (
    select * from {{ ref('stg_evaluation__key_figures') }}
),

recommendations as (
    select * from {{ ref('stg_evaluation__recommendations') }}
),

actions as (
    select * from {{ ref('stg_evaluation__recommendation_actions') }}
),

template as (
    select
        scorecards.document_id,
        coalesce(
            any_value(editions.indicator_count), greatest(count(distinct rating_statements.pi_code), 1)
        ) as indicators
    from scorecards
    left join editions on scorecards.framework_edition = editions.framework_edition
    left join rating_statements on scorecards.document_id = rating_statements.document_id
    group by scorecards.document_id
),

overview_rows as (
    select
        scorecards.document_id,
        'overview rows' as part,
        count(distinct rating_statements.pi_code) as found,
        any_value(template.indicators) as expected
    from scorecards
    inner join template on scorecards.document_id = template.document_id
    left join rating_statements
        on
            scorecards.document_id = rating_statements.document_id
            and rating_statements.section = 'overview'
    group by scorecards.document_id
),

action_plan_cells as (
    select
        scorecards.document_id,
        'action-plan cells' as part,
        count(distinct action_plan.pi_code || '/' || action_plan.year_index::varchar) as found,
        any_value(template.indicators)
        * coalesce(any_value(scorecards.action_plan_year_columns), max(action_plan.year_columns), 1) as expected
    from scorecards
    inner join template on scorecards.document_id = template.document_id
    left join action_plan on scorecards.document_id = action_plan.document_id
    group by scorecards.document_id
),

evidence_sections as (
    select
        rating_statements.document_id,
        'evidence documents' as part,
        count(distinct evidence_documents.pi_code) as found,
        count(distinct rating_statements.pi_code) as expected
    from rating_statements
    inner join scorecards on rating_statements.document_id = scorecards.document_id
    left join evidence_documents
        on
            rating_statements.document_id = evidence_documents.document_id
            and rating_statements.pi_code = evidence_documents.pi_code
    where rating_statements.section = 'evidence'
    group by rating_statements.document_id
),

-- The smallest count the text states: a report that states two counts is flagged by portfolio_project_count.
stated_projects as (
    select
        document_id,
        min(value)::integer as projects
    from key_figures
    where figure = 'projects in portfolio'
    group by document_id
),

portfolio_rows as (
    select
        evaluations.document_id,
        'portfolio rows' as part,
        count(portfolio.project_no) filter (
            where
            portfolio.start_year is not null
            and portfolio.end_year is not null
            and coalesce(portfolio.entity_share_usd, portfolio.total_budget_usd) is not null
        ) as found,
        greatest(count(portfolio.project_no), coalesce(any_value(stated_projects.projects), 0)) as expected
    from evaluations
    left join portfolio on evaluations.document_id = portfolio.document_id
    left join stated_projects on evaluations.document_id = stated_projects.document_id
    group by evaluations.document_id
),

recommendation_actions as (
    select
        recommendations.document_id,
        'recommendations with actions' as part,
        count(distinct actions.rec_no) as found,
        count(distinct recommendations.rec_no) as expected
    from recommendations
    inner join evaluations on recommendations.document_id = evaluations.document_id
    left join actions
        on
            recommendations.document_id = actions.document_id
            and recommendations.rec_no = actions.rec_no
    group by recommendations.document_id
    having count(actions.rec_no) > 0
),

parts as (
    select * from overview_rows
    union all
    select * from action_plan_cells
    union all
    select * from evidence_sections
    union all
    select * from portfolio_rows
    union all
    select * from recommendation_actions
),

final as (
    select
        document_id,
        part,
        found::integer as found,
        expected::integer as expected,
        least(found, expected)::double / expected as ratio
    from parts
    where expected > 0
)

select * from final
