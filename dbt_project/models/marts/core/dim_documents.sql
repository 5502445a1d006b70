{# Every file content ever staged, current or not: where a report stands and why a file failed. #}
select
    d.document_id,
    d.sha256,
    d.file_name,
    d.source_path,
    d.doc_type,
    d.status,
    d.error,
    d.error_page,
    d.page_count,
    d.extracted_at,
    r.report_id,
    r.report_id is not null as is_current
from {{ ref('stg_core__documents') }} as d
left join {{ ref('int_reports') }} as r using (document_id)
