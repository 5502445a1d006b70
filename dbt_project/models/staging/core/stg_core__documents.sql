with source as (
    select * from {{ source('core', 'documents') }}
),

final as (
    select
        document_id,
        sha256,
        file_name,
        source_path,
        source_kind,
        coalesce(doc_type, 'unknown') as doc_type,
        title,
        page_count,
        extracted_at,
        status,
        error,
        error_page,
        language,
        failure_kind,
        last_failure,
        content_sha256
    from source
)

select * from final
