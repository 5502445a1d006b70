{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with figures as (
    select * from {{ ref('stg_evaluation__key_figures') }}
),

reports as (
    select * from {{ ref('int_evaluation__reports') }}
),

final as (
    select
        reports.report_id || '/' || figures.figure_no::varchar as key_figure_id,
        reports.report_id,
        figures.figure_no,
        figures.figure,
        figures.value,
        figures.unit,
        figures.year,
        figures.sentence,
        figures.source_page,
        figures.source_page_last
    from figures
    inner join reports on figures.document_id = reports.document_id
)

select * from final
{{ where_report_changed() }}
