{# Current scorecards only: the inner join to int_reports drops removed and superseded documents. #}
with scorecards as (
    select * from {{ ref('stg_scorecard__reports') }}
),

reports as (
    select * from {{ ref('int_reports') }}
),

final as (
    select
        reports.document_id,
        reports.report_id,
        coalesce(scorecards.country, reports.country) as country,
        coalesce(scorecards.assessment_year, reports.report_year) as assessment_year,
        scorecards.assessment_type,
        scorecards.action_plan_year_columns,
        reports.source_kind,
        reports.source_file,
        scorecards.source_page
    from scorecards
    inner join reports on scorecards.document_id = reports.document_id
)

select * from final
