with source as (
    select * from {{ source('core', 'report_info') }}
),

final as (
    select
        document_id,
        nullif(trim(title), '') as title,
        nullif(trim(country), '') as country,
        report_year::integer as report_year,
        period_start::integer as period_start,
        period_end::integer as period_end
    from source
)

select * from final
