select
    reports.report_id || '/' || evidence.pi_code || '/' || lpad(evidence.item_no::varchar, 2, '0') as evidence_id,
    reports.report_id,
    reports.country,
    reports.assessment_year,
    evidence.pi_code,
    evidence.item_no,
    evidence.category,
    evidence.document_name,
    evidence.source_page,
    evidence.source_page_last
from {{ ref('stg_scorecard__evidence_documents') }} as evidence
inner join {{ ref('int_scorecard__reports') }} as reports using (document_id)
order by reports.report_id, evidence.pi_code, evidence.item_no
