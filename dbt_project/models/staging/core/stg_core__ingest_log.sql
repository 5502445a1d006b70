with source as (
    select * from {{ source('core', 'ingest_log') }}
),

final as (
    select
        source_path,
        sha256,
        substr(sha256, 1, 16) as document_id,
        size_bytes,
        first_seen_at,
        last_seen_at,
        removed_at,
        removed_at is null as is_present
    from source
)

select * from final
