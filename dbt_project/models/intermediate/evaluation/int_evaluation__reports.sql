{# Current evaluation reports (loaded, present, not superseded) with what the parser read about the evaluated office. #}
with reports as (
    select * from {{ ref('int_reports') }}
),

evaluations as (
    select * from {{ ref('stg_evaluation__reports') }}
),

final as (
    select
        reports.report_id,
        reports.document_id,
        reports.title,
        reports.report_year,
        reports.source_kind,
        evaluations.evaluation_type,
        evaluations.entity,
        evaluations.office,
        coalesce(evaluations.country, reports.country) as country,
        evaluations.period_start,
        evaluations.period_end,
        evaluations.source_page
    from reports
    inner join evaluations on reports.document_id = evaluations.document_id
)

select * from final
