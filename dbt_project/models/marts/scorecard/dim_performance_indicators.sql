with indicators as (
    select * from {{ ref('performance_indicators') }}
),

final as (
    select
        pi_code,
        pi_name,
        pi_statement,
        dimension_no,
        dimension_name
    from indicators
    order by pi_code
)

select * from final
