{#
  Every status observation on a recommendation or action: from the report itself (its management-response
  section, where it prints one) and from recommendation-status CSV files.  A CSV row whose file is no longer
  loaded leaves with it; one naming a recommendation that is not in the marts is kept here and flagged in
  int_evaluation__status_checks.  A row a file repeats word for word is one observation, not two: it is kept
  once, at its first line, with the lines of its copies in `duplicate_lines` (flagged there too).
#}
with reports as (
    select * from {{ ref('int_evaluation__reports') }}
),

recommendations as (
    select * from {{ ref('stg_evaluation__recommendations') }}
),

actions as (
    select * from {{ ref('stg_evaluation__recommendation_actions') }}
),

csv_updates as (
    select * from {{ ref('stg_evaluation__recommendation_status_updates') }}
),

documents as (
    select * from {{ ref('stg_core__documents') }}
),

from_report as (
    select
        reports.report_id,
        reports.document_id,
        recommendations.rec_no,
        null::integer as action_no,
        null::varchar as status,
        null::date as status_date,
        recommendations.management_response,
        null::varchar as comment,
        reports.title as reported_by,
        'report' as source,
        null::varchar as source_file,
        recommendations.source_page,
        []::integer[] as duplicate_lines
    from recommendations
    inner join reports on recommendations.document_id = reports.document_id
    where recommendations.management_response is not null

    union all

    select
        reports.report_id,
        reports.document_id,
        actions.rec_no,
        actions.action_no,
        actions.status,
        null::date as status_date,
        null::varchar as management_response,
        null::varchar as comment,
        reports.title as reported_by,
        'report' as source,
        null::varchar as source_file,
        actions.source_page,
        []::integer[] as duplicate_lines
    from actions
    inner join reports on actions.document_id = reports.document_id
    where actions.status is not null
),

from_csv as (
    select
        csv_updates.report_id,
        csv_updates.document_id,
        csv_updates.rec_no,
        csv_updates.action_no,
        csv_updates.status,
        csv_updates.status_date,
        csv_updates.management_response,
        csv_updates.comment,
        csv_updates.reported_by,
        'status_csv' as source,
        csv_updates.source_file,
        min(csv_updates.source_page) as source_page,
        list(csv_updates.source_page order by csv_updates.source_page)[2:] as duplicate_lines
    from csv_updates
    inner join documents on csv_updates.document_id = documents.document_id
    where documents.status = 'loaded'
    group by
        csv_updates.document_id,
        csv_updates.report_id,
        csv_updates.rec_no,
        csv_updates.action_no,
        csv_updates.status,
        csv_updates.status_date,
        csv_updates.management_response,
        csv_updates.comment,
        csv_updates.reported_by,
        csv_updates.source_file
),

updates as (
    select * from from_report
    union all
    select * from from_csv
),

final as (
    select
        *,
        report_id || '/' || rec_no::varchar || coalesce('/' || action_no::varchar, '') as subject_id
    from updates
)

select * from final
