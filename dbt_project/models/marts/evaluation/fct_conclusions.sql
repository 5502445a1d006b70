{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with conclusions as (
    select * from {{ ref('stg_evaluation__conclusions') }}
),

reports as (
    select * from {{ ref('int_evaluation__reports') }}
),

final as (
    select
        reports.report_id || '/' || conclusions.conclusion_no::varchar as conclusion_id,
        reports.report_id,
        conclusions.conclusion_no,
        conclusions.title,
        conclusions.headline,
        conclusions.body,
        conclusions.source_page,
        conclusions.source_page_last
    from conclusions
    inner join reports on conclusions.document_id = reports.document_id
)

select * from final
{{ where_report_changed() }}
