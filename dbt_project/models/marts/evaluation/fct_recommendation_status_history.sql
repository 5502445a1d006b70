{# Every status observation on a recommendation or action that is in the marts, oldest first. #}
with updates as (
    select * from {{ ref('int_evaluation__recommendation_status_updates') }}
),

recommendations as (
    select * from {{ ref('fct_recommendations') }}
),

actions as (
    select * from {{ ref('fct_recommendation_actions') }}
),

targets as (
    select
        report_id,
        rec_no,
        null::integer as action_no
    from recommendations
    union all
    select
        report_id,
        rec_no,
        action_no
    from actions
),

final as (
    select
        updates.subject_id || '/' || row_number() over (
            partition by updates.subject_id
            order by
                updates.status_date asc nulls first,
                updates.source asc,
                updates.source_file asc,
                updates.source_page asc
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
    from updates
    inner join targets
        on
            updates.report_id = targets.report_id
            and updates.rec_no = targets.rec_no
            and updates.action_no is not distinct from targets.action_no
)

select * from final
