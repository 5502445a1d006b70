{#
  The evaluation checks that span documents, in the columns every area's checks model has: a status update
  (from a recommendation-status CSV or the report itself) names a recommendation, or an action, of a
  published report; a status CSV holds each update once.  They run on what int_reports publishes, after the quarantine, so they never quarantine
  a report; `document_id` is the document the update comes from.
#}
with reports as (
    select * from {{ ref('int_evaluation__reports') }}
),

stated_recommendations as (
    select * from {{ ref('stg_evaluation__recommendations') }}
),

stated_actions as (
    select * from {{ ref('stg_evaluation__recommendation_actions') }}
),

status_updates as (
    select * from {{ ref('int_evaluation__recommendation_status_updates') }}
),

recommendations as (
    select
        reports.report_id,
        stated_recommendations.rec_no
    from stated_recommendations
    inner join reports on stated_recommendations.document_id = reports.document_id
),

actions as (
    select
        reports.report_id,
        stated_actions.rec_no,
        stated_actions.action_no
    from stated_actions
    inner join reports on stated_actions.document_id = reports.document_id
),

-- A status update names a recommendation (and action) that is in the marts.
status_subject_checks as (
    select
        status_updates.document_id,
        status_updates.report_id,
        'status_for_unknown_recommendation' as "check",
        status_updates.subject_id as subject,
        'a recommendation'
        || case when status_updates.action_no is not null then ' action' else '' end
        || ' of a current report' as expected,
        coalesce(status_updates.source_file, status_updates.source)
        || ' line ' || status_updates.source_page::varchar as found,
        case
            when status_updates.action_no is null then recommendations.rec_no is not null
            else actions.action_no is not null
        end as agrees,
        'error' as severity,
        status_updates.source_page,
        status_updates.source_page as source_page_last
    from status_updates
    left join recommendations
        on
            status_updates.report_id = recommendations.report_id
            and status_updates.rec_no = recommendations.rec_no
    left join actions
        on
            status_updates.report_id = actions.report_id
            and status_updates.rec_no = actions.rec_no
            and status_updates.action_no = actions.action_no
),

-- A status CSV holds each update once: the copies of a row are counted once (see
-- int_evaluation__recommendation_status_updates) and flagged here, so the file's author can tidy it.
repeated_row_checks as (
    select
        document_id,
        report_id,
        'status_row_repeated' as "check",
        subject_id as subject,
        'each status update once in its file' as expected,
        source_file || ' line ' || source_page::varchar || ' repeated on line(s) '
        || array_to_string(duplicate_lines, ', ') || ': ' || len(duplicate_lines)::varchar
        || ' identical row(s) collapsed into one' as found,
        len(duplicate_lines) = 0 as agrees,
        'warning' as severity,
        source_page,
        coalesce(list_last(duplicate_lines), source_page) as source_page_last
    from status_updates
    where source = 'status_csv'
),

checks as (
    select * from status_subject_checks
    union all
    select * from repeated_row_checks
),

final as (
    {{ check_rows('evaluation', 'checks', numbered_within='report_id') }}
)

select * from final
