with source as (
    select * from {{ source('evaluation', 'evaluation_recommendation_actions') }}
),

final as (
    select
        document_id,
        rec_no::integer as rec_no,
        action_no::integer as action_no,
        nullif(trim(action_ref), '') as action_ref,
        trim(action_text) as action_text,
        nullif(trim(timeframe), '') as timeframe,
        timeframe_start_year::integer as timeframe_start_year,
        timeframe_end_year::integer as timeframe_end_year,
        nullif(trim(responsible_unit), '') as responsible_unit,
        lower(nullif(trim(status), '')) as status,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
