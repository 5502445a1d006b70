with source as (
    select * from {{ source('evaluation', 'evaluation_findings') }}
),

final as (
    select
        document_id,
        finding_no::integer as finding_no,
        nullif(trim(title), '') as title,
        criterion,
        nullif(trim(criterion_heading), '') as criterion_heading,
        trim(headline) as headline,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
