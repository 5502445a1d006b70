with source as (
    select * from {{ source('scorecard', 'scorecard_reports') }}
),

final as (
    select
        document_id,
        nullif(trim(country), '') as country,
        assessment_year::integer as assessment_year,
        assessment_type,
        framework_edition,
        framework_edition_basis,
        action_plan_year_columns::integer as action_plan_year_columns,
        nullif(trim(action_plan_columns_not_read), '') as action_plan_columns_not_read,
        source_page::integer as source_page
    from source
)

select * from final
