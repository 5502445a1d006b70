with source as (
    select
        *,
        rowid as staged_row
    from {{ source('evaluation', 'evaluation_programme_statements') }}
),

final as (
    select
        document_id,
        row_number() over (partition by document_id order by source_page, staged_row)::integer as statement_no,
        project_name,
        total_usd::double as total_usd,
        total_tolerance_usd::double as total_tolerance_usd,
        entity_share_usd::double as entity_share_usd,
        entity_share_tolerance_usd::double as entity_share_tolerance_usd,
        sentence,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
