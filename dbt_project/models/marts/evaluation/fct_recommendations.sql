select
    reports.report_id || '/' || recommendations.rec_no::varchar as recommendation_id,
    reports.report_id,
    recommendations.rec_no,
    recommendations.text,
    recommendations.priority,
    recommendations.impact,
    recommendations.difficulty,
    recommendations.timeframe,
    recommendations.timeframe_start_year,
    recommendations.timeframe_end_year,
    recommendations.management_response,
    recommendations.n_actions,
    recommendations.source_page,
    recommendations.source_page_last
from {{ ref('stg_evaluation__recommendations') }} as recommendations
inner join {{ ref('int_evaluation__reports') }} as reports using (document_id)
