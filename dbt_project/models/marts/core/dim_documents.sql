{#
  Every file content ever staged, current or not: where a report stands and why a file failed or was
  quarantined.
#}
with documents as (
    select * from {{ ref('stg_core__documents') }}
),

reports as (
    select * from {{ ref('int_reports') }}
),

quarantined as (
    select * from {{ ref('int_quarantined_documents') }}
),

final as (
    select
        documents.document_id,
        documents.sha256,
        documents.file_name,
        documents.source_path,
        documents.doc_type,
        documents.language,
        -- A loaded document that fails a critical check is quarantined: kept out of the marts.
        case when quarantined.document_id is not null then 'quarantined' else documents.status end as status,
        quarantined.quarantine_reasons,
        documents.error,
        documents.error_page,
        documents.failure_kind,
        documents.last_failure,
        documents.page_count,
        documents.extracted_at,
        reports.report_id,
        reports.report_id is not null as is_current
    from documents
    left join reports on documents.document_id = reports.document_id
    left join quarantined on documents.document_id = quarantined.document_id
)

select * from final
