{# Cells of current scorecards only: the inner join drops removed and superseded documents. #}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with activities as (
    select * from {{ ref('stg_scorecard__action_plan_activities') }}
),

reports as (
    select * from {{ ref('int_scorecard__reports') }}
),

final as (
    select
        reports.report_id || '/' || activities.pi_code || '/' || lpad(activities.year_index::varchar, 2, '0')
            as activity_id,
        reports.report_id,
        reports.country,
        reports.assessment_year,
        activities.pi_code,
        activities.row_label,
        activities.action_point,
        activities.action_point_status,
        activities.responsible,
        activities.timeline,
        activities.year_index,
        activities.year_columns,
        -- The action plan's last year column is the report's year: in a 2022 report with four, YEAR 1 is 2019.
        -- A plan without year columns (reports before the 2018 template) states no year for its actions.
        case
            when reports.action_plan_year_columns > 0
                then reports.assessment_year - activities.year_columns + activities.year_index
        end as calendar_year,
        activities.activity_text,
        activities.cell_status,
        activities.activity_text is null as is_null_cell,
        activities.label_spilled,
        activities.source_page,
        activities.source_page_last
    from activities
    inner join reports on activities.document_id = reports.document_id
    order by reports.report_id, activities.pi_code, activities.year_index
)

select * from final
{{ where_report_changed() }}
