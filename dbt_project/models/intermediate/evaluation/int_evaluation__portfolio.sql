{# Portfolio projects of current evaluations, with the calendar years each spans. #}
with projects as (
    select * from {{ ref('stg_evaluation__portfolio_projects') }}
),

reports as (
    select * from {{ ref('int_evaluation__reports') }}
),

final as (
    select
        reports.report_id,
        projects.*,
        projects.end_year - projects.start_year + 1 as duration_years
    from projects
    inner join reports on projects.document_id = reports.document_id
)

select * from final
