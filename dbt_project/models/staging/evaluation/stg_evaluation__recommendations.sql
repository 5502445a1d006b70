{#
  Attribute levels are printed in capitals ("HIGH"); they are compared case-insensitively, so store them in
  lower case.
#}
with source as (
    select * from {{ source('evaluation', 'evaluation_recommendations') }}
),

final as (
    select
        document_id,
        rec_no::integer as rec_no,
        trim(text) as text,
        lower(nullif(trim(priority), '')) as priority,
        lower(nullif(trim(impact), '')) as impact,
        lower(nullif(trim(difficulty), '')) as difficulty,
        nullif(trim(timeframe), '') as timeframe,
        timeframe_start_year::integer as timeframe_start_year,
        timeframe_end_year::integer as timeframe_end_year,
        lower(nullif(trim(management_response), '')) as management_response,
        n_actions::integer as n_actions,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
