with source as (
    select * from {{ source('scorecard', 'scorecard_rating_statements') }}
),

final as (
    select
        document_id,
        pi_code,
        section,
        trim(rating_text) as rating_text,
        rating as framework_rating,
        nullif(trim(indicator_label), '') as indicator_label,
        reassessed,
        source_page::integer as source_page
    from source
)

select * from final
