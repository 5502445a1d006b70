{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with lessons as (
    select * from {{ ref('stg_evaluation__lessons') }}
),

reports as (
    select * from {{ ref('int_evaluation__reports') }}
),

final as (
    select
        reports.report_id || '/' || lessons.lesson_no::varchar as lesson_id,
        reports.report_id,
        lessons.lesson_no,
        lessons.headline,
        lessons.body,
        lessons.source_page,
        lessons.source_page_last
    from lessons
    inner join reports on lessons.document_id = reports.document_id
)

select * from final
{{ where_report_changed() }}
