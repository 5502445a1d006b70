{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with evidence as (
    select * from {{ ref('stg_scorecard__evidence_documents') }}
),

reports as (
    select * from {{ ref('int_scorecard__reports') }}
),

final as (
    select
        reports.report_id || '/' || evidence.pi_code || '/' || lpad(evidence.item_no::varchar, 2, '0') as evidence_id,
        reports.report_id,
        reports.country,
        reports.assessment_year,
        evidence.pi_code,
        evidence.item_no,
        evidence.category,
        evidence.document_name,
        evidence.source_page,
        evidence.source_page_last
    from evidence
    inner join reports on evidence.document_id = reports.document_id
    order by reports.report_id, evidence.pi_code, evidence.item_no
)

select * from final
{{ where_report_changed() }}
