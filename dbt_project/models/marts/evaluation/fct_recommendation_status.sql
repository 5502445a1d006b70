{#
  Where each recommendation and each of its actions stands: one row per recommendation (action_no null)
  and per action, with the latest status reported for it and the management response of record; `not
  reported` until a later report or a recommendation-status CSV says otherwise.
#}
with recommendations as (
    select * from {{ ref('fct_recommendations') }}
),

actions as (
    select * from {{ ref('fct_recommendation_actions') }}
),

history as (
    select * from {{ ref('fct_recommendation_status_history') }}
),

targets as (
    select
        recommendation_id as status_id,
        report_id,
        rec_no,
        null::integer as action_no,
        source_page
    from recommendations
    union all
    select
        action_id as status_id,
        report_id,
        rec_no,
        action_no,
        source_page
    from actions
),

latest_status as (
    select
        status_id,
        status,
        status_date,
        source,
        source_file,
        source_page
    from history
    where status is not null
    qualify row_number() over (partition by status_id order by status_date desc nulls last, update_id desc) = 1
),

latest_response as (
    select
        status_id,
        management_response
    from history
    where management_response is not null
    qualify row_number() over (partition by status_id order by status_date desc nulls last, update_id desc) = 1
),

counts as (
    select
        status_id,
        count(*) as updates
    from history
    group by status_id
),

final as (
    select
        targets.status_id,
        targets.report_id,
        targets.rec_no,
        targets.action_no,
        coalesce(latest_status.status, 'not reported') as status,
        latest_status.status_date,
        latest_response.management_response,
        coalesce(counts.updates, 0) as updates,
        latest_status.source as status_source,
        latest_status.source_file as status_source_file,
        coalesce(latest_status.source_page, targets.source_page) as source_page
    from targets
    left join latest_status on targets.status_id = latest_status.status_id
    left join latest_response on targets.status_id = latest_response.status_id
    left join counts on targets.status_id = counts.status_id
)

select * from final
