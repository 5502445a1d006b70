{# Current scorecards only: the inner join to int_reports drops removed and superseded documents. #}
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
from {{ ref('stg_scorecard__reports') }} as scorecards
inner join {{ ref('int_reports') }} as reports using (document_id)
