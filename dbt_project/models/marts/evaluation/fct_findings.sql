{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with findings as (
    select * from {{ ref('stg_evaluation__findings') }}
),

reports as (
    select * from {{ ref('int_evaluation__reports') }}
),

final as (
    select
        reports.report_id || '/' || findings.finding_no::varchar as finding_id,
        reports.report_id,
        findings.finding_no,
        findings.criterion,
        findings.criterion_heading,
        findings.title,
        findings.headline,
        findings.source_page,
        findings.source_page_last
    from findings
    inner join reports on findings.document_id = reports.document_id
)

select * from final
{{ where_report_changed() }}
