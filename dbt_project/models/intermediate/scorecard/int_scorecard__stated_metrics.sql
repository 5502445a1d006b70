{#
  Numbers the findings of every candidate scorecard document state, keyed, with a stated percentage set
  against its stated parts; feeds fct_stated_metrics and the percent_matches_parts check.
#}
with metrics as (
    select * from {{ ref('stg_scorecard__stated_metrics') }}
),

documents as (
    select * from {{ ref('int_scorecard__documents') }}
),

with_parts as (
    select
        documents.report_id,
        documents.country,
        documents.assessment_year,
        metrics.*,
        metrics.unit = 'percent' and metrics.numerator is not null and metrics.denominator > 0 as has_parts
    from metrics
    inner join documents on metrics.document_id = documents.document_id
),

final as (
    select
        report_id || '/' || pi_code || '/' || lpad(metric_no::varchar, 2, '0') as metric_id,
        report_id,
        document_id,
        country,
        assessment_year,
        pi_code,
        metric_no,
        metric,
        value,
        unit,
        numerator,
        denominator,
        case when has_parts then round(100.0 * numerator / denominator, 2) end as computed_percent,
        -- A stated percentage is usually rounded to a whole number: within one point it agrees with its parts.
        case when has_parts then abs(value - 100.0 * numerator / denominator) < 1.0 end as percent_agrees,
        quoted_text,
        sentence,
        source_page
    from with_parts
)

select * from final
