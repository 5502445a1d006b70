with source as (
    select
        *,
        rowid as staged_row
    from {{ source('evaluation', 'evaluation_key_figures') }}
),

final as (
    select
        document_id,
        row_number() over (partition by document_id order by source_page, staged_row)::integer as figure_no,
        figure,
        value::double as value,
        unit,
        year::integer as year,
        sentence,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
