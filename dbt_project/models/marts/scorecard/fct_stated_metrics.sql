{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with metrics as (
    select * from {{ ref('int_scorecard__stated_metrics') }}
),

published as (
    select * from {{ ref('int_reports') }}
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
    where document_id in (select published.document_id from published)
    order by report_id, pi_code, metric_no
)

select * from final
{{ where_report_changed() }}
