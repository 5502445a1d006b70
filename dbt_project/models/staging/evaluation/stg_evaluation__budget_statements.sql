with source as (
    select
        *,
        rowid as staged_row
    from {{ source('evaluation', 'evaluation_budget_statements') }}
),

final as (
    select
        document_id,
        row_number() over (partition by document_id order by source_page, staged_row)::integer as statement_no,
        scope,
        period_start::integer as period_start,
        period_end::integer as period_end,
        budget_usd::double as budget_usd,
        budget_tolerance_usd::double as budget_tolerance_usd,
        delivered_usd::double as delivered_usd,
        delivered_tolerance_usd::double as delivered_tolerance_usd,
        stated_delivery_rate::double as stated_delivery_rate,
        stated_delivery_rate_tolerance::double as stated_delivery_rate_tolerance,
        sentence,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
