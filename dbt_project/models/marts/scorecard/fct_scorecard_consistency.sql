{#
  One row per consistency check of a current scorecard, passing or not, so disagreements are flagged rather
  than hidden: the checks of int_scorecard__checks with the report's country and year.  `disagreement` names
  the report, the indicator and both values when a check fails, and is null when it passes.
#}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports() }}",
    )
}}

-- depends_on: {{ ref('int_build__changed_reports') }}
with checks as (
    select * from {{ ref('int_scorecard__checks') }}
),

reports as (
    select * from {{ ref('int_scorecard__reports') }}
),

final as (
    select
        checks.check_id,
        checks.report_id,
        reports.country,
        reports.assessment_year,
        checks."check",
        checks.subject,
        checks.expected,
        checks.found,
        checks.agrees,
        checks.severity,
        checks.disagreement,
        checks.source_page,
        checks.source_page_last
    from checks
    inner join reports on checks.document_id = reports.document_id
    order by checks.report_id, checks."check", checks.check_id
)

select * from final
{{ where_report_changed() }}
