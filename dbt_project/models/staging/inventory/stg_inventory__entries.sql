with source as (
    select * from {{ source('inventory', 'inventory_entries') }}
),

final as (
    select
        document_id,
        trim(category) as category,
        nullif(trim(parent_group), '') as parent_group,
        trim(entry_no) as entry_no,
        trim(name) as name,
        nullif(trim(url), '') as url,
        nullif(trim(description), '') as description,
        languages::varchar[] as languages,
        methodology,
        data_formats::varchar[] as data_formats,
        founded_year::integer as founded_year,
        platforms::varchar[] as platforms,
        entry_order::integer as entry_order,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
