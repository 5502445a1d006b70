with source as (
    select * from {{ source('scorecard', 'scorecard_indicator_details') }}
),

final as (
    select
        document_id,
        pi_code,
        heading,
        nullif(trim(indicator_statement), '') as indicator_statement,
        dimension_label,
        rating_text,
        nullif(trim(criteria_text), '') as criteria_text,
        nullif(trim(findings_text), '') as findings_text,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
