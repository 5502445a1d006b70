with source as (
    select * from {{ source('evaluation', 'evaluation_conclusions') }}
),

final as (
    select
        document_id,
        conclusion_no::integer as conclusion_no,
        nullif(trim(title), '') as title,
        trim(headline) as headline,
        nullif(trim(body), '') as body,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
