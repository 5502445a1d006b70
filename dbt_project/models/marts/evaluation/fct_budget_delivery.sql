{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with delivery as (
    select * from {{ ref('int_evaluation__budget_delivery') }}
),

published as (
    select * from {{ ref('int_reports') }}
),

final as (
    select
        report_id || '/' || scope || '/' || period_label as budget_id,
        report_id,
        country,
        office,
        scope,
        period_start,
        period_end,
        budget_usd,
        delivered_usd,
        delivery_rate,
        stated_delivery_rate,
        stated_rate_differs,
        statements,
        sentence,
        source_page,
        source_page_last
    from delivery
    where document_id in (select published.document_id from published)
)

select * from final
{{ where_report_changed() }}
