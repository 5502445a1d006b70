{#
  Every candidate scorecard document (every loaded version still in the raw folder): what the checks run on,
  before int_reports picks the version to publish.
#}
with scorecards as (
    select * from {{ ref('stg_scorecard__reports') }}
),

candidates as (
    select * from {{ ref('int_report_candidates') }}
),

final as (
    select
        candidates.document_id,
        candidates.report_id,
        coalesce(scorecards.country, candidates.country) as country,
        coalesce(scorecards.assessment_year, candidates.report_year) as assessment_year,
        scorecards.assessment_type,
        scorecards.framework_edition,
        scorecards.framework_edition_basis,
        scorecards.action_plan_year_columns,
        scorecards.action_plan_columns_not_read,
        candidates.source_kind,
        candidates.source_file,
        scorecards.source_page
    from scorecards
    inner join candidates on scorecards.document_id = candidates.document_id
)

select * from final
