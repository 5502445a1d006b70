{#
  Every status observation on a recommendation or action: from the report itself (its management-response
  section, where it prints one) and from recommendation-status CSV files.  A CSV row whose file is no longer
  loaded leaves with it; one naming a recommendation that is not in the marts is kept here and flagged in
  int_evaluation__checks.
#}
with reports as (
    select * from {{ ref('int_evaluation__reports') }}
),

from_report as (
    select
        reports.report_id,
        recommendations.rec_no,
        null::integer as action_no,
        null::varchar as status,
        null::date as status_date,
        recommendations.management_response,
        null::varchar as comment,
        reports.title as reported_by,
        'report' as source,
        null::varchar as source_file,
        recommendations.source_page
    from {{ ref('stg_evaluation__recommendations') }} as recommendations
    inner join reports using (document_id)
    where recommendations.management_response is not null

    union all

    select
        reports.report_id,
        actions.rec_no,
        actions.action_no,
        actions.status,
        null::date,
        null::varchar,
        null::varchar,
        reports.title,
        'report',
        null::varchar,
        actions.source_page
    from {{ ref('stg_evaluation__recommendation_actions') }} as actions
    inner join reports using (document_id)
    where actions.status is not null
),

from_csv as (
    select
        updates.report_id,
        updates.rec_no,
        updates.action_no,
        updates.status,
        updates.status_date,
        updates.management_response,
        updates.comment,
        updates.reported_by,
        'status_csv' as source,
        updates.source_file,
        updates.source_page
    from {{ ref('stg_evaluation__recommendation_status_updates') }} as updates
    inner join {{ ref('stg_core__documents') }} as documents using (document_id)
    where documents.status = 'loaded'
)

select
    *,
    report_id || '/' || rec_no::varchar || coalesce('/' || action_no::varchar, '') as subject_id
from (
    select * from from_report
    union all
    select * from from_csv
)
