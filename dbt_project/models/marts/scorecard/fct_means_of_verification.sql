select
    reports.report_id || '/' || items.pi_code || '/' || lpad(items.item_no::varchar, 2, '0') as verification_id,
    reports.report_id,
    reports.country,
    reports.assessment_year,
    items.pi_code,
    items.item_no,
    items.item_text,
    items.source_page,
    items.source_page_last
from {{ ref('stg_scorecard__means_of_verification') }} as items
inner join {{ ref('int_scorecard__reports') }} as reports using (document_id)
order by reports.report_id, items.pi_code, items.item_no
