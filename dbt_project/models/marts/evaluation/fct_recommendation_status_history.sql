{# Every status observation on a recommendation or action that is in the marts, oldest first. #}
with targets as (
    select report_id, rec_no, null::integer as action_no from {{ ref('fct_recommendations') }}
    union all
    select report_id, rec_no, action_no from {{ ref('fct_recommendation_actions') }}
)

select
    updates.subject_id || '/' || row_number() over (
        partition by updates.subject_id
        order by updates.status_date nulls first, updates.source, updates.source_file, updates.source_page
    )::varchar as update_id,
    updates.subject_id as status_id,
    updates.report_id,
    updates.rec_no,
    updates.action_no,
    updates.status,
    updates.status_date,
    updates.management_response,
    updates.comment,
    updates.reported_by,
    updates.source,
    updates.source_file,
    updates.source_page
from {{ ref('int_evaluation__recommendation_status_updates') }} as updates
inner join targets
    on targets.report_id = updates.report_id
    and targets.rec_no = updates.rec_no
    and targets.action_no is not distinct from updates.action_no
