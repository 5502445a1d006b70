select
    reports.report_id || '/' || findings.finding_no::varchar as finding_id,
    reports.report_id,
    findings.finding_no,
    findings.criterion,
    findings.criterion_heading,
    findings.title,
    findings.headline,
    findings.source_page,
    findings.source_page_last
from {{ ref('stg_evaluation__findings') }} as findings
inner join {{ ref('int_evaluation__reports') }} as reports using (document_id)
