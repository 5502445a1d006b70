{# Current evaluation reports (loaded, present, not superseded) with what the parser read about the evaluated office. #}
select
    reports.report_id,
    reports.document_id,
    reports.title,
    reports.report_year,
    reports.source_kind,
    evaluation.evaluation_type,
    evaluation.entity,
    evaluation.office,
    coalesce(evaluation.country, reports.country) as country,
    evaluation.period_start,
    evaluation.period_end,
    evaluation.source_page
from {{ ref('int_reports') }} as reports
inner join {{ ref('stg_evaluation__reports') }} as evaluation using (document_id)
