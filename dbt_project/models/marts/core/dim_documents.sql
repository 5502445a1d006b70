{# Every file content ever staged, current or not: where a report stands and why a file failed. #}
with documents as (
    select * from {{ ref('stg_core__documents') }}
),

reports as (
    select * from {{ ref('int_reports') }}
),

final as (
    select
        documents.document_id,
        documents.sha256,
        documents.file_name,
        documents.source_path,
        documents.doc_type,
        documents.status,
        documents.error,
        documents.error_page,
        documents.page_count,
        documents.extracted_at,
        reports.report_id,
        reports.report_id is not null as is_current
    from documents
    left join reports on documents.document_id = reports.document_id
)

select * from final
