with source as (
    select
        *,
        rowid as staged_row
    from {{ source('scorecard', 'scorecard_stated_metrics') }}
),

final as (
    select
        document_id,
        pi_code,
        row_number() over (partition by document_id, pi_code order by staged_row)::integer as metric_no,
        metric,
        value::double as value,
        unit,
        numerator::double as numerator,
        denominator::double as denominator,
        quoted_text,
        sentence,
        source_page::integer as source_page
    from source
)

select * from final
