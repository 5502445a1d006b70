{# One row per current evaluation: who evaluated which office over which period, and how much of it loaded. #}
with counts as (
    select report_id, 'findings' as kind, count(*) as n from {{ ref('fct_findings') }} group by all
    union all select report_id, 'recommendations', count(*) from {{ ref('fct_recommendations') }} group by all
    union all select report_id, 'actions', count(*) from {{ ref('fct_recommendation_actions') }} group by all
    union all select report_id, 'lessons', count(*) from {{ ref('fct_lessons') }} group by all
    union all select report_id, 'conclusions', count(*) from {{ ref('fct_conclusions') }} group by all
    union all select report_id, 'projects', count(*) from {{ ref('fct_project_portfolio') }} group by all
    union all select report_id, 'flags', count(*) from {{ ref('int_evaluation__quality_flags') }} group by all
)

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
    coalesce(sum(counts.n) filter (where counts.kind = 'findings'), 0)::integer as n_findings,
    coalesce(sum(counts.n) filter (where counts.kind = 'recommendations'), 0)::integer as n_recommendations,
    coalesce(sum(counts.n) filter (where counts.kind = 'actions'), 0)::integer as n_actions,
    coalesce(sum(counts.n) filter (where counts.kind = 'lessons'), 0)::integer as n_lessons,
    coalesce(sum(counts.n) filter (where counts.kind = 'conclusions'), 0)::integer as n_conclusions,
    coalesce(sum(counts.n) filter (where counts.kind = 'projects'), 0)::integer as n_projects,
    coalesce(sum(counts.n) filter (where counts.kind = 'flags'), 0)::integer as n_quality_flags,
    reports.source_page
from {{ ref('int_evaluation__reports') }} as reports
left join counts using (report_id)
group by all
