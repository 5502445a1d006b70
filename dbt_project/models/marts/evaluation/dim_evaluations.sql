{# One row per current evaluation: who evaluated which office over which period, and how much of it loaded. #}
with reports as (
    select * from {{ ref('int_evaluation__reports') }}
),

findings as (
    select * from {{ ref('fct_findings') }}
),

recommendations as (
    select * from {{ ref('fct_recommendations') }}
),

actions as (
    select * from {{ ref('fct_recommendation_actions') }}
),

lessons as (
    select * from {{ ref('fct_lessons') }}
),

conclusions as (
    select * from {{ ref('fct_conclusions') }}
),

projects as (
    select * from {{ ref('fct_project_portfolio') }}
),

checks as (
    select * from {{ ref('fct_evaluation_checks') }}
),

loaded_rows as (
    select
        report_id,
        'findings' as kind
    from findings
    union all
    select
        report_id,
        'recommendations' as kind
    from recommendations
    union all
    select
        report_id,
        'actions' as kind
    from actions
    union all
    select
        report_id,
        'lessons' as kind
    from lessons
    union all
    select
        report_id,
        'conclusions' as kind
    from conclusions
    union all
    select
        report_id,
        'projects' as kind
    from projects
    union all
    select
        report_id,
        'flags' as kind
    from checks
    where not agrees
),

counts as (
    select
        report_id,
        count(*) filter (where kind = 'findings') as n_findings,
        count(*) filter (where kind = 'recommendations') as n_recommendations,
        count(*) filter (where kind = 'actions') as n_actions,
        count(*) filter (where kind = 'lessons') as n_lessons,
        count(*) filter (where kind = 'conclusions') as n_conclusions,
        count(*) filter (where kind = 'projects') as n_projects,
        count(*) filter (where kind = 'flags') as n_quality_flags
    from loaded_rows
    group by report_id
),

final as (
    select
        reports.report_id,
        reports.evaluation_type,
        reports.entity,
        reports.office,
        reports.country,
        reports.period_start,
        reports.period_end,
        reports.report_year,
        reports.title,
        reports.evaluators,
        reports.evaluation_manager,
        coalesce(counts.n_findings, 0)::integer as n_findings,
        coalesce(counts.n_recommendations, 0)::integer as n_recommendations,
        coalesce(counts.n_actions, 0)::integer as n_actions,
        coalesce(counts.n_lessons, 0)::integer as n_lessons,
        coalesce(counts.n_conclusions, 0)::integer as n_conclusions,
        coalesce(counts.n_projects, 0)::integer as n_projects,
        coalesce(counts.n_quality_flags, 0)::integer as n_quality_flags,
        reports.source_page
    from reports
    left join counts on reports.report_id = counts.report_id
)

select * from final
