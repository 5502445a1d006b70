select
    reports.report_id || '/' || metrics.pi_code || '/' || lpad(metrics.metric_no::varchar, 2, '0') as metric_id,
    reports.report_id,
    reports.country,
    reports.assessment_year,
    metrics.pi_code,
    metrics.metric_no,
    metrics.metric,
    metrics.value,
    metrics.unit,
    metrics.numerator,
    metrics.denominator,
    case
        when metrics.unit = 'percent' and metrics.numerator is not null and metrics.denominator > 0
            then round(100.0 * metrics.numerator / metrics.denominator, 2)
    end as computed_percent,
    -- A stated percentage is usually rounded to a whole number: within one point it agrees with its parts.
    case
        when metrics.unit = 'percent' and metrics.numerator is not null and metrics.denominator > 0
            then abs(metrics.value - 100.0 * metrics.numerator / metrics.denominator) < 1.0
    end as percent_agrees,
    metrics.quoted_text,
    metrics.sentence,
    metrics.source_page
from {{ ref('stg_scorecard__stated_metrics') }} as metrics
inner join {{ ref('int_scorecard__reports') }} as reports using (document_id)
order by reports.report_id, metrics.pi_code, metrics.metric_no
