{#
  Every evaluation consistency check of the published evaluations, passing or not (the failing ones are also in
  fct_quality_flags): the checks of each published document and those on status updates.
#}
with published as (
    select * from {{ ref('int_reports') }}
),

document_checks as (
    select * from {{ ref('int_evaluation__checks') }}
    where document_id in (select published.document_id from published)
),

status_checks as (
    select * from {{ ref('int_evaluation__status_checks') }}
),

checks as (
    select * from document_checks
    union all
    select * from status_checks
),

final as (
    select
        check_id,
        report_id,
        "check",
        subject,
        expected,
        found,
        agrees,
        severity,
        disagreement,
        source_page,
        source_page_last
    from checks
)

select * from final
