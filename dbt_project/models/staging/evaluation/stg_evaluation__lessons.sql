with source as (
    select * from {{ source('evaluation', 'evaluation_lessons') }}
),

final as (
    select
        document_id,
        lesson_no::integer as lesson_no,
        trim(headline) as headline,
        nullif(trim(body), '') as body,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
