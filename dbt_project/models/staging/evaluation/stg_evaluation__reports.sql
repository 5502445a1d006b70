with source as (
    select * from {{ source('evaluation', 'evaluation_reports') }}
),

final as (
    select
        document_id,
        evaluation_type,
        nullif(trim(entity), '') as entity,
        nullif(trim(office), '') as office,
        nullif(trim(country), '') as country,
        period_start::integer as period_start,
        period_end::integer as period_end,
        nullif(trim(evaluators), '') as evaluators,
        nullif(trim(evaluation_manager), '') as evaluation_manager,
        source_page::integer as source_page
    from source
)

select * from final
