with source as (
    select * from {{ source('scorecard', 'scorecard_evidence_documents') }}
),

final as (
    select
        document_id,
        pi_code,
        item_no::integer as item_no,
        nullif(trim(category), '') as category,
        trim(document_name) as document_name,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
