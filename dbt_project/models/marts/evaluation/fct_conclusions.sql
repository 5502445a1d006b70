select
    reports.report_id || '/' || conclusions.conclusion_no::varchar as conclusion_id,
    reports.report_id,
    conclusions.conclusion_no,
    conclusions.title,
    conclusions.headline,
    conclusions.body,
    conclusions.source_page,
    conclusions.source_page_last
from {{ ref('stg_evaluation__conclusions') }} as conclusions
inner join {{ ref('int_evaluation__reports') }} as reports using (document_id)
