{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with actions as (
    select * from {{ ref('stg_evaluation__recommendation_actions') }}
),

reports as (
    select * from {{ ref('int_evaluation__reports') }}
),

final as (
    select
        reports.report_id || '/' || actions.rec_no::varchar || '/' || actions.action_no::varchar as action_id,
        reports.report_id || '/' || actions.rec_no::varchar as recommendation_id,
        reports.report_id,
        actions.rec_no,
        actions.action_no,
        actions.action_ref,
        actions.action_text,
        actions.timeframe,
        actions.timeframe_start_year,
        actions.timeframe_end_year,
        actions.responsible_unit,
        actions.status as printed_status,
        actions.source_page,
        actions.source_page_last
    from actions
    inner join reports on actions.document_id = reports.document_id
)

select * from final
{{ where_report_changed() }}
