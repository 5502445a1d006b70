{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with items as (
    select * from {{ ref('stg_scorecard__means_of_verification') }}
),

reports as (
    select * from {{ ref('int_scorecard__reports') }}
),

final as (
    select
        reports.report_id || '/' || items.pi_code || '/' || lpad(items.item_no::varchar, 2, '0') as verification_id,
        reports.report_id,
        reports.country,
        reports.assessment_year,
        items.pi_code,
        items.item_no,
        items.item_text,
        items.source_page,
        items.source_page_last
    from items
    inner join reports on items.document_id = reports.document_id
    order by reports.report_id, items.pi_code, items.item_no
)

select * from final
{{ where_report_changed() }}
