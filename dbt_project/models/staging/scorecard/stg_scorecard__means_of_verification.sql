with source as (
    select * from {{ source('scorecard', 'scorecard_means_of_verification') }}
),

final as (
    select
        document_id,
        pi_code,
        item_no::integer as item_no,
        trim(item_text) as item_text,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
