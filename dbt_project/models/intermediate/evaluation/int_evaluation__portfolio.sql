select
    reports.report_id,
    projects.*,
    projects.end_year - projects.start_year + 1 as duration_years
from {{ ref('stg_evaluation__portfolio_projects') }} as projects
inner join {{ ref('int_evaluation__reports') }} as reports using (document_id)
