with metrics as (
    select * from {{ ref('int_scorecard__stated_metrics') }}
),

final as (
    select
        metric_id,
        report_id,
        country,
        assessment_year,
        pi_code,
        metric_no,
        metric,
        value,
        unit,
        numerator,
        denominator,
        computed_percent,
        percent_agrees,
        quoted_text,
        sentence,
        source_page
    from metrics
    order by report_id, pi_code, metric_no
)

select * from final
