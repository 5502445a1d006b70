with source as (
    select * from {{ source('scorecard', 'scorecard_action_plan_activities') }}
),

final as (
    select
        document_id,
        pi_code,
        row_label,
        nullif(trim(action_point), '') as action_point,
        action_point_status,
        nullif(trim(responsible), '') as responsible,
        nullif(trim(timeline), '') as timeline,
        year_index::integer as year_index,
        year_columns::integer as year_columns,
        nullif(trim(activity_text), '') as activity_text,
        cell_status,
        label_spilled,
        source_page::integer as source_page,
        source_page_last::integer as source_page_last
    from source
)

select * from final
