{# Cells of current scorecards only: the inner join drops removed and superseded documents. #}
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
    activities.year_index,
    activities.year_columns,
    activities.calendar_year,
    activities.activity_text,
    activities.cell_status,
    activities.activity_text is null as is_null_cell,
    activities.label_spilled,
    activities.source_page,
    activities.source_page_last
from {{ ref('stg_scorecard__action_plan_activities') }} as activities
inner join {{ ref('int_scorecard__reports') }} as reports using (document_id)
order by reports.report_id, activities.pi_code, activities.year_index
