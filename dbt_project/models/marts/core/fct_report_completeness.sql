{#
  How much of its template each report in dim_reports yielded, part by part (see int_extraction__completeness);
  dim_reports.completeness is the mean of a report's ratios.
#}
with reports as (
    select * from {{ ref('dim_reports') }}
),

completeness as (
    select * from {{ ref('int_extraction__completeness') }}
),

final as (
    select
        reports.report_id || '/' || completeness.part as completeness_id,
        reports.report_id,
        reports.report_type,
        completeness.part,
        completeness.found,
        completeness.expected,
        completeness.ratio
    from reports
    inner join completeness on reports.document_id = completeness.document_id
)

select * from final
