{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with data_sources as (
    select * from {{ ref('int_inventory__data_sources') }}
),

final as (
    select
        data_source_id,
        report_id,
        country,
        category,
        parent_group,
        entry_no,
        entry_order,
        name,
        url,
        url_missing,
        description,
        languages,
        methodology,
        data_formats,
        founded_year,
        platforms,
        source_page,
        source_page_last
    from data_sources
    order by report_id, entry_order
)

select * from final
{{ where_report_changed() }}
