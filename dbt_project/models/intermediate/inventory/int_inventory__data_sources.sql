{# Entries of current inventories only: the inner join drops removed and superseded documents. #}
with entries as (
    select * from {{ ref('stg_inventory__entries') }}
),

reports as (
    select * from {{ ref('int_reports') }}
),

final as (
    select
        reports.report_id || '/' || lpad(entries.entry_order::varchar, 3, '0') as data_source_id,
        reports.report_id,
        reports.country,
        entries.category,
        entries.parent_group,
        entries.entry_no,
        entries.entry_order,
        entries.name,
        entries.url,
        entries.url is null as url_missing,
        entries.description,
        entries.languages,
        entries.methodology,
        entries.data_formats,
        entries.founded_year,
        entries.platforms,
        entries.source_page,
        entries.source_page_last
    from entries
    inner join reports on entries.document_id = reports.document_id
)

select * from final
