with source as (
    select * from {{ source('scorecard', 'scorecard_rating_statements') }}
),

final as (
    select
        document_id,
        pi_code,
        section,
        trim(rating_text) as rating_text,
        rating,
        reassessed,
        source_page::integer as source_page
    from source
)

select * from final
