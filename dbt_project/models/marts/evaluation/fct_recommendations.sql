{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with recommendations as (
    select * from {{ ref('stg_evaluation__recommendations') }}
),

reports as (
    select * from {{ ref('int_evaluation__reports') }}
),

final as (
    select
        reports.report_id || '/' || recommendations.rec_no::varchar as recommendation_id,
        reports.report_id,
        recommendations.rec_no,
        recommendations.text,
        recommendations.priority,
        recommendations.impact,
        recommendations.difficulty,
        recommendations.timeframe,
        recommendations.timeframe_start_year,
        recommendations.timeframe_end_year,
        recommendations.management_response,
        recommendations.n_actions,
        recommendations.source_page,
        recommendations.source_page_last
    from recommendations
    inner join reports on recommendations.document_id = reports.document_id
)

select * from final
{{ where_report_changed() }}
